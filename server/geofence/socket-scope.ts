import { ApiError } from '../protocol/errors';
import type { VehicleSnapshot } from '../protocol/fleet';
import type { ScopeHandler } from '../realtime/fleet-hub';
import type { LiveGeofenceEvaluation } from './live-evaluation';

/**
 * `subscribe {scope: "geofence", id}` on /fleet: the fence must be in the caller's tenant; the
 * socket joins the fence's room (its `geofence:event`s) and the ack lists the vehicles inside it.
 */
export function geofenceScope(evaluation: LiveGeofenceEvaluation, snapshots: (tenantId: string, vehicleIds: string[]) => VehicleSnapshot[]): ScopeHandler {
  return {
    async subscribe(socket, principal, request) {
      if (request.scope !== 'geofence') throw new Error(`geofence scope handler got scope ${request.scope}`);
      const scope = evaluation.scope(principal.tenantId, request.id.toLowerCase());
      if (!scope) throw new ApiError('NOT_FOUND', `geofence ${request.id} not found`, 'id');
      await socket.join(scope.room);
      return { ok: true, vehicles: snapshots(principal.tenantId, scope.vehicleIds) };
    },
    unsubscribe(socket, principal, request) {
      if (request.scope !== 'geofence') return;
      const room = evaluation.scope(principal.tenantId, request.id.toLowerCase())?.room;
      if (room) void socket.leave(room);
    },
  };
}
