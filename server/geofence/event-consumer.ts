import type { Namespace } from 'socket.io';
import type { NewGeofenceEvent } from '../db/sql/geofences';
import type { EventHandler } from '../events/bus';
import type { Logger } from '../log';
import { GEOFENCE_EVENTS, type GeofenceEventMessage } from '../protocol/geofences';
import { tenantRoom } from '../realtime/fleet-hub';
import { isCrossing, toMessage } from './domain-events';

/** Room of the sockets that subscribed to one fence (`subscribe {scope: "geofence", id}`). */
export const geofenceRoom = (id: string) => `geofence:${id}`;

/**
 * The bus consumer of vehicles' membership events (entered, exited, crossed, predicted): sends
 * them to the tenant's dashboards (one list per tenant) and to the sockets that subscribed to a
 * fence but are not in the tenant room, and keeps the `geofence_events` read model behind
 * `GET /api/v1/geofence-events` (the log is the record; a failed projection write is logged and
 * told to the tenant as a system error).
 */
export function geofenceEventConsumer(deps: {
  fleet: () => Namespace | null;
  store: (rows: readonly NewGeofenceEvent[]) => Promise<unknown>;
  log: Logger;
  systemError: (tenantId: string, message: string, details: Record<string, unknown>) => void;
}): EventHandler {
  return (events) => {
    const byTenant = new Map<string, GeofenceEventMessage[]>();
    const byFence = new Map<string, { tenantId: string; list: GeofenceEventMessage[] }>();
    const rows: NewGeofenceEvent[] = [];
    for (const e of events) {
      if (!isCrossing(e)) continue;
      const message = toMessage(e);
      let list = byTenant.get(e.tenantId);
      if (!list) byTenant.set(e.tenantId, (list = []));
      list.push(message);
      let fence = byFence.get(message.geofenceId);
      if (!fence) byFence.set(message.geofenceId, (fence = { tenantId: e.tenantId, list: [] }));
      fence.list.push(message);
      rows.push({
        tenantId: e.tenantId, geofenceId: message.geofenceId, vehicleId: message.vehicleId, type: message.type, at: message.at,
        lng: message.position.lng, lat: message.position.lat, etaSeconds: message.etaSeconds ?? null, confidence: message.confidence ?? null,
      });
    }
    if (rows.length === 0) return;
    const fleet = deps.fleet();
    for (const [tenantId, list] of byTenant) fleet?.to(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.event, list);
    for (const [id, { tenantId, list }] of byFence) fleet?.to(geofenceRoom(id)).except(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.event, list);
    deps.store(rows).catch((error: unknown) => {
      deps.log.error({ err: error, events: rows.length }, 'geofence events could not be stored');
      const reason = error instanceof Error ? error.message : String(error);
      for (const [tenantId, list] of byTenant) deps.systemError(tenantId, 'Geofence events could not be stored', { events: list.length, reason });
    });
  };
}
