import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * The events report (docs/reports.md): `?from&to&vehicleIds&driverIds&vehicleType&vehicleGroup&geofenceIds&types=geofence.*,alert.raised&format=json|csv|xlsx`.
 * Admins, managers and viewers of the tenant; drivers are refused.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return ctx.services.reports.run(principal, 'events', Object.fromEntries(new URL(ctx.request.url).searchParams));
});
