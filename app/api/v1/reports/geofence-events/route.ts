import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * The geofence-events report (docs/reports.md): every entry, exit, pass-through and expected entry,
 * `?from&to&vehicleIds&vehicleType&vehicleGroup&geofenceIds&types=enter,exit&format=json|csv|xlsx`.
 * Admins, managers and viewers of the tenant; drivers are refused.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return ctx.services.reports.run(principal, 'geofence-events', Object.fromEntries(new URL(ctx.request.url).searchParams));
});
