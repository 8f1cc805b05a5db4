import type { z } from 'zod';
import type { Role } from '../protocol/auth';
import type { ErrorCode } from '../protocol/errors';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/**
 * How a caller proves who it is: `jwt` Bearer JWT from /auth/login; `device` a vehicle's device
 * token (Bearer, Basic for OwnTracks, `?id=` for OsmAnd); `ingest` either of the two; `ticket`
 * an SSE ticket (`?ticket=`) or Bearer JWT; `share` the trip share token in the path; `none`.
 */
export type AuthKind = 'none' | 'jwt' | 'device' | 'ingest' | 'ticket' | 'share';

/**
 * One documented REST operation. Schemas are the zod schemas the route (or the service behind
 * it) validates with: the OpenAPI document is generated from them, never written by hand.
 */
export interface RouteDoc {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/api/v1/vehicles/{id}` (app/api/v1/vehicles/[id]/route.ts). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: AuthKind;
  /** Roles allowed (absent: every authenticated role). */
  roles?: readonly Role[];
  query?: z.ZodType;
  /** JSON body schema, or a non-JSON body described in words. */
  body?: z.ZodType | { contentType: string; description: string };
  /** The success answer. */
  response: { status?: number; description: string; contentType?: string; example?: unknown };
  /** Structured error codes the operation can answer besides the generic ones (INTERNAL, RATE_LIMITED). */
  errors: readonly ErrorCode[];
  /** An example request body. */
  example?: unknown;
}

/** `/api/v1/vehicles/[id]/route.ts` (relative to app/) → `/api/v1/vehicles/{id}`. */
export function pathOfRouteFile(relative: string): string {
  const dir = relative.replace(/\\/g, '/').replace(/\/route\.(ts|tsx|js)$/, '');
  return `/${dir}`.replace(/\[\.{3}([^\]]+)\]/g, '{$1}').replace(/\[([^\]]+)\]/g, '{$1}');
}

/** Methods a route module exports: `export const GET`, `export async function POST`, `export { GET, POST }`. */
export function exportedMethods(source: string): HttpMethod[] {
  const found = new Set<HttpMethod>();
  for (const m of source.matchAll(/export\s+(?:const|let|async\s+function|function)\s+([A-Z]+)\b/g)) {
    if ((HTTP_METHODS as readonly string[]).includes(m[1]!)) found.add(m[1] as HttpMethod);
  }
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()!.trim();
      if ((HTTP_METHODS as readonly string[]).includes(name)) found.add(name as HttpMethod);
    }
  }
  return [...found];
}
