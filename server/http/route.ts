import type { z } from 'zod';
import type { Principal } from '../auth/tokens';
import { bearerToken } from '../auth/tokens';
import { ApiError, asApiError, errorResponse, validationError } from '../protocol/errors';
import type { Role } from '../protocol/auth';
import { getServices, type Services } from '../services';
import { readBody } from '../ingest/http-answer';
import { CLIENT_IP_HEADER, isIngestPath, isTilePath } from './rate-limit';

/**
 * Helpers for app/ route handlers: parse → call server/ → respond. Errors become the structured
 * body `{error: {code, message, field?}}` with the matching status.
 */
export interface RouteContext<P = Record<string, never>> {
  services: Services;
  request: Request;
  params: P;
}

export function route<P = Record<string, never>>(
  handler: (ctx: RouteContext<P>) => Promise<Response>,
): (request: Request, context: { params: Promise<P> }) => Promise<Response> {
  return async (request, context) => {
    const services = getServices();
    if (!services) return errorResponse(new ApiError('UNAVAILABLE', 'server is starting'), { 'Retry-After': '5' });
    try {
      const pathname = new URL(request.url).pathname;
      if (!isIngestPath(pathname) && !isTilePath(pathname)) {
        const wait = services.restLimiter.take(request.headers.get(CLIENT_IP_HEADER) ?? 'unknown');
        if (wait > 0) {
          return errorResponse(new ApiError('RATE_LIMITED', `too many requests, retry in ${wait} s`), { 'Retry-After': String(wait) });
        }
      }
      return await handler({ services, request, params: await context.params });
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError) return errorResponse(apiError);
      services.log.error({ err: error, url: request.url }, 'request failed');
      return errorResponse(new ApiError('INTERNAL', 'internal error'));
    }
  };
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
