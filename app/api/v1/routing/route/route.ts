import { authenticate, route } from '@/server/http/route';

/**
 * A route over the tenant's road network:
 * `?from=lng,lat&to=lng,lat[&via=lng,lat;lng,lat][&optimize=time|distance]` (any role).
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(ctx.services.roadGraphs.route(principal, query));
});
