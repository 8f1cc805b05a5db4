import { authenticate, route } from '@/server/http/route';
import { ApiError } from '@/server/protocol/errors';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** The tenant's road network: `{network: {source, importedAt, summary}}`, or `{network: null}` before the first import. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json(await ctx.services.roadNetwork.get(principal));
});

/**
 * Imports a road network (admins). The body is the file itself (OSM PBF, OSM XML plain or
 * gzip, GeoJSON; the format is found from the content), streamed, never buffered whole;
 * `?filename=` names it (stored as the network's source). → `{summary, format}`, or
 * VALIDATION_ERROR with details.reason EMPTY | UNSUPPORTED_FORMAT | MALFORMED | NO_ROADS, the
 * previous network unchanged.
 */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const url = new URL(ctx.request.url);
  const name = (url.searchParams.get('filename') ?? '').trim().slice(0, 200) || 'upload';
  const length = Number(ctx.request.headers.get('content-length'));
  if (!ctx.request.body) throw new ApiError('VALIDATION_ERROR', 'The file is empty.', 'body', { reason: 'EMPTY' });
  const result = await ctx.services.roadNetwork.import(principal, ctx.request.body as WebReadableStream<Uint8Array>, {
    name,
    size: Number.isFinite(length) && length > 0 ? length : null,
  });
  return Response.json(result);
});
