import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * Replay positions (docs/reports.md): `?vehicleIds=a,b&from&to&after&limit` → column arrays of up
 * to `limit` positions in time order and `next` (pass as `after` for the next chunk); the first
 * chunk also carries the stops that overlap the range.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(await ctx.services.reports.replay(principal, Object.fromEntries(new URL(ctx.request.url).searchParams)));
});
