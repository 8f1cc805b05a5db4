import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * The alerts report (docs/reports.md): `?from&to&vehicleIds&driverIds&vehicleType&vehicleGroup&geofenceIds&format=json|csv|xlsx`.
 * Admins, managers and viewers of the tenant; drivers are refused.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return ctx.services.reports.run(principal, 'alerts', Object.fromEntries(new URL(ctx.request.url).searchParams));
});
