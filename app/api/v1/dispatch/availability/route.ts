import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/** Every vehicle's driver status (ONLINE, BUSY, ON_TRIP, OFFLINE), as dispatch sees it. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(await ctx.services.dispatch.availability(principal));
});
