import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/** Geofence events of the caller's tenant, newest first: `?geofenceId&vehicleId&from&to&limit`. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.geofences.listEvents(principal, query));
});
