import { authenticate, route } from '@/server/http/route';

/**
 * Driving scores (0–100) per driver or vehicle: `?period=day|week|month&from&to&subject=driver|vehicle&driverId&vehicleId`
 * (days YYYY-MM-DD, UTC). → one row per subject and period, and a total per subject. Drivers see their own only.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json(await ctx.services.driving.scores(principal, Object.fromEntries(new URL(ctx.request.url).searchParams)));
});
