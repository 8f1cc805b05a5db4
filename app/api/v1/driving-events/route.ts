import { authenticate, route } from '@/server/http/route';

/**
 * The caller's tenant's driving events (harsh braking, acceleration, cornering, speeding,
 * idling, possible collisions) with their evidence, newest first:
 * `?driverId&vehicleId&types=harsh_brake,idle&from&to&limit`. Drivers see their own only.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json(await ctx.services.driving.listEvents(principal, Object.fromEntries(new URL(ctx.request.url).searchParams)));
});
