import type { DomainEvent, EventType, NewEvent } from '../protocol/events';
import type { GeofenceEventMessage, GeofenceEventType } from '../protocol/geofences';
import type { GeofenceEvent } from './semantics';

/** The engine's event types as domain event types, and back. */
export const DOMAIN_TYPE = {
  enter: 'geofence.entered',
  exit: 'geofence.exited',
  cross: 'geofence.crossed',
  predicted_enter: 'geofence.predicted',
} as const satisfies Record<GeofenceEventType, EventType>;
const ENGINE_TYPE = Object.fromEntries(Object.entries(DOMAIN_TYPE).map(([k, v]) => [v, k])) as Record<string, GeofenceEventType>;

/** Whether a domain event is a vehicle's membership event (entered, exited, crossed, predicted). */
export const isCrossing = (e: DomainEvent): boolean => e.type in ENGINE_TYPE;

/**
 * The engine's events as domain events of the vehicle (aggregate), caused by its device, at
 * position time: appended in the order the engine produced them, which is each vehicle's
 * position order.
 */
export function toDomainEvents(events: readonly GeofenceEvent[], fenceName: (id: string) => string | undefined): NewEvent[] {
  return events.map((e) => {
    const p = e.position;
    const data: Record<string, unknown> = {
      geofenceId: e.geofenceId,
      geofenceName: fenceName(e.geofenceId),
      vehicleId: e.vehicleId,
      position: { lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading },
    };
    if (e.etaSeconds !== undefined) data.etaSeconds = e.etaSeconds;
    if (e.confidence !== undefined) data.confidence = e.confidence;
    return {
      tenantId: p.tenantId,
      type: DOMAIN_TYPE[e.type],
      aggregateId: e.vehicleId,
      at: e.at,
      actor: { kind: 'device', vehicleId: e.vehicleId },
      data,
    } as NewEvent;
  });
}

/** What dashboards receive in `geofence:event` (and the geofence_events projection stores) for a membership event. */
export function toMessage(e: DomainEvent): GeofenceEventMessage {
  const d = e.data as { geofenceId: string; vehicleId: string; position: { lng: number; lat: number; speed?: number | null; heading?: number | null }; etaSeconds?: number; confidence?: number };
  const message: GeofenceEventMessage = {
    type: ENGINE_TYPE[e.type]!,
    geofenceId: d.geofenceId,
    vehicleId: d.vehicleId,
    at: Date.parse(e.at),
    position: { lng: d.position.lng, lat: d.position.lat, speed: d.position.speed ?? null, heading: d.position.heading ?? null },
  };
  if (d.etaSeconds !== undefined) message.etaSeconds = d.etaSeconds;
  if (d.confidence !== undefined) message.confidence = d.confidence;
  return message;
}
