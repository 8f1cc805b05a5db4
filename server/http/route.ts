import type { z } from 'zod';
import type { Principal } from '../auth/tokens';
import { bearerToken } from '../auth/tokens';
import { ApiError, asApiError, errorResponse, validationError } from '../protocol/errors';
import type { Role } from '../protocol/auth';
import { getServices, type Services } from '../services';
import type { Logger } from '../log';
import { routeTemplate } from '../telemetry/route-template';
import { readBody } from '../ingest/http-answer';
import { CLIENT_IP_HEADER, isIngestPath, isTilePath } from './rate-limit';
import { requestIdOf, withRequestId } from './request-id';

/**
 * Helpers for app/ route handlers: parse → call server/ → respond. Errors become the structured
 * body `{error: {code, message, field?, requestId}}` with the matching status. Every request gets
 * an id (the caller's X-Request-Id, or a new one) returned in `X-Request-Id` and carried by every
 * log line about it (`ctx.log`), and is counted and timed by route template for /metrics.
 */
export interface RouteContext<P = Record<string, never>> {
  services: Services;
  request: Request;
  params: P;
  /** The server's logger with this request's id (`reqId`). */
  log: Logger;
  requestId: string;
}

export function route<P = Record<string, never>>(
  handler: (ctx: RouteContext<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const started = performance.now();
    const requestId = requestIdOf(request.headers);
    const services = getServices();
    if (!services) return withRequestId(errorResponse(new ApiError('UNAVAILABLE', 'server is starting'), { 'Retry-After': '5' }), requestId);
    const log = services.log.child({ reqId: requestId });
    const pathname = new URL(request.url).pathname;
    let params: P | undefined;
    let response: Response;
    try {
      params = await context.params;
      response = await handle(handler, { services, request, params, log, requestId }, pathname);
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError) response = errorResponse(apiError);
      else {
        log.error({ err: error, method: request.method, url: pathname }, 'request failed');
        response = errorResponse(new ApiError('INTERNAL', 'internal error'));
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const template = routeTemplate(pathname, params as Record<string, string | string[]> | undefined);
    services.telemetry.httpRequest(template, request.method, response.status, seconds);
    log.debug({ method: request.method, route: template, status: response.status, ms: Math.round(seconds * 1000) }, 'request');
    return withRequestId(response, requestId);
  };
}

async function handle<P>(handler: (ctx: RouteContext<P>) => Promise<Response>, ctx: RouteContext<P>, pathname: string): Promise<Response> {
  if (!isIngestPath(pathname) && !isTilePath(pathname)) {
    // Per principal: a valid token's user has a budget of their own (dispatchers behind one office
    // NAT do not share one); requests without a valid token count against their IP.
    const userId = await verifiedUserOf(ctx);
    const wait = userId
      ? ctx.services.userLimiter.take(userId)
      : ctx.services.restLimiter.take(ctx.request.headers.get(CLIENT_IP_HEADER) ?? 'unknown');
    if (wait > 0) {
      return errorResponse(new ApiError('RATE_LIMITED', `too many requests, retry in ${wait} s`), { 'Retry-After': String(wait) });
    }
  }
  return handler(ctx);
}

/** The user of a valid Bearer JWT (verified: a forged token cannot spend someone else's budget), else null. */
async function verifiedUserOf(ctx: RouteContext<unknown>): Promise<string | null> {
  const token = bearerToken(ctx.request.headers.get('authorization'));
  if (!token) return null;
  try {
    return (await ctx.services.tokens.verify(token)).userId;
  } catch {
    return null;
  }
}

/**
 * Who may read where the fleet is and has been (positions, history, spatial queries, alerts,
 * geofence events): everyone but drivers, who see their own vehicle and trips only.
 */
export const FLEET_READERS: readonly Role[] = ['admin', 'manager', 'viewer'];

/** The caller's principal from a Bearer JWT; with `roles`, also checks the role. */
export async function authenticate(ctx: RouteContext<unknown>, roles?: readonly Role[]): Promise<Principal> {
  const token = bearerToken(ctx.request.headers.get('authorization'));
  if (!token) throw new ApiError('UNAUTHORIZED', 'missing Authorization: Bearer token');
  const principal = await ctx.services.tokens.verify(token);
  if (roles && !roles.includes(principal.role)) {
    throw new ApiError('FORBIDDEN', `role ${principal.role} may not do this (needs ${roles.join(' or ')})`);
  }
  return principal;
}

/** The JSON body validated by `schema`; malformed JSON and invalid fields are VALIDATION_ERROR. */
export async function jsonBody<T extends z.ZodType>(ctx: RouteContext<unknown>, schema: T): Promise<z.infer<T>> {
  const text = await readBody(ctx.request, ctx.services.config.HTTP_MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be valid JSON');
  }
  const result = schema.safeParse(body);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/** A uuid path parameter; anything else is NOT_FOUND (no such resource). */
export function uuidParam(value: string | undefined, what: string): string {
  if (!value || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new ApiError('NOT_FOUND', `${what} ${value ?? ''} not found`.trim());
  }
  return value.toLowerCase();
}
