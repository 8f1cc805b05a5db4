import type { NewAlert } from '../db/sql/alerts';
import type { DomainEvent, NewEvent } from '../protocol/events';
import type { LiveVehicle } from '../realtime/live-state';

/** Whole minutes, or seconds below a minute: "2 min", "45 s". */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/**
 * `vehicle.went_offline`, one per online → offline transition (FleetHub.sweepPresence decides
 * presence), at the time it was noticed, with where and when the vehicle was last seen.
 */
export function offlineEvents(vehicles: readonly LiveVehicle[], now: number): NewEvent[] {
  return vehicles.map((v) => ({
    tenantId: v.tenantId,
    type: 'vehicle.went_offline',
    aggregateId: v.info.id,
    at: now,
    actor: { kind: 'system' },
    data: {
      name: v.info.name,
      lastSeenAt: new Date(v.receivedAt).toISOString(),
      lastPositionAt: v.live ? new Date(v.live.ts).toISOString() : null,
      position: v.live ? { lng: v.live.lng, lat: v.live.lat } : null,
    },
  }));
}

/** vehicle_offline: one medium alert per `vehicle.went_offline` event. */
export function offlineAlerts(events: readonly DomainEvent[]): NewAlert[] {
  const alerts: NewAlert[] = [];
  for (const e of events) {
    if (e.type !== 'vehicle.went_offline') continue;
    const d = e.data as DomainEvent<'vehicle.went_offline'>['data'];
    const at = Date.parse(e.at);
    alerts.push({
      tenantId: e.tenantId,
      type: 'vehicle_offline',
      severity: 'medium',
      message: `${d.name} went offline: no position for ${span(at - Date.parse(d.lastSeenAt))}`,
      vehicleId: e.aggregate.id,
      at,
      position: d.position,
      details: { lastSeenAt: d.lastSeenAt, lastPositionAt: d.lastPositionAt },
      causationId: e.id,
    });
  }
  return alerts;
}
