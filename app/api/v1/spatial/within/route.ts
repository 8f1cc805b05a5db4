import { authenticate, FLEET_READERS, route } from '@/server/http/route';
import { ApiError } from '@/server/protocol/errors';

/** Vehicles in a box: `?bbox=west,south,east,north[&limit=]` (edges included). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.spatial.withinBbox(principal, query));
});

/** Vehicles in a polygon: body `{polygon: GeoJSON Polygon, limit?}` (boundary included). */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  let body: unknown;
  try {
    body = await ctx.request.json();
  } catch {
    throw new ApiError('VALIDATION_ERROR', 'request body must be valid JSON');
  }
  return Response.json(await ctx.services.spatial.withinPolygon(principal, body));
});
