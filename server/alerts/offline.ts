import type { NewAlert } from '../db/sql/alerts';
import type { LiveVehicle } from '../realtime/live-state';

/** Whole minutes, or seconds below a minute: "2 min", "45 s". */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * vehicle_offline: one medium alert per online → offline transition (FleetHub.sweepPresence
 * decides presence), at the time it was noticed, where the vehicle was last seen.
 */
export function offlineAlerts(vehicles: readonly LiveVehicle[], now: number): NewAlert[] {
  return vehicles.map((v) => ({
    tenantId: v.tenantId,
    type: 'vehicle_offline',
    severity: 'medium',
    message: `${v.info.name} went offline: no position for ${span(now - v.receivedAt)}`,
    vehicleId: v.info.id,
    at: now,
    position: v.live ? { lng: v.live.lng, lat: v.live.lat } : null,
    details: { lastSeenAt: new Date(v.receivedAt).toISOString(), lastPositionAt: v.live ? new Date(v.live.ts).toISOString() : null },
  }));
}
