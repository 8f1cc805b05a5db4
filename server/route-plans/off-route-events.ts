import type { DomainEvent, NewEvent } from '../protocol/events';
import type { AssignedRoutes } from './assigned-routes';
import type { OffRouteChange } from './off-route';

/** How far to look for a vehicle's distance from its route when reporting it (meters). */
const REPORT_WITHIN_M = 1_000_000;

/**
 * Off-route changes as domain events of the vehicle: `vehicle.off_route` / `vehicle.back_on_route`
 * with the route, the distance from it and where the vehicle was. `cause` is the device for
 * changes seen in positions, the system for a route reassigned under a vehicle.
 */
export function offRouteEvents(
  changes: readonly OffRouteChange[],
  deps: {
    routes: AssignedRoutes;
    tenantOf: (vehicleId: string) => string | undefined;
    cause: 'device' | 'system';
  },
): NewEvent[] {
  const events: NewEvent[] = [];
  for (const { vehicleId, offRoute, where } of changes) {
    const tenantId = deps.tenantOf(vehicleId);
    if (!tenantId) continue;
    const line = deps.routes.indexedRouteOf(vehicleId);
    const distance = line && where ? line.distanceWithin(where.lng, where.lat, REPORT_WITHIN_M) : Infinity;
    events.push({
      tenantId,
      type: offRoute ? 'vehicle.off_route' : 'vehicle.back_on_route',
      aggregateId: vehicleId,
      at: deps.cause === 'device' && where ? where.ts : Date.now(),
      actor: deps.cause === 'device' ? { kind: 'device', vehicleId } : { kind: 'system' },
      data: {
        routeId: deps.routes.routeIdOf(vehicleId),
        distanceMeters: Number.isFinite(distance) ? Math.round(distance * 10) / 10 : null,
        position: where ? { lng: where.lng, lat: where.lat } : null,
      },
    });
  }
  return events;
}

/** The off-route changes in a batch of domain events (what dashboards are told). */
export function offRouteChanges(events: readonly DomainEvent[]): OffRouteChange[] {
  const changes: OffRouteChange[] = [];
  for (const e of events) {
    if (e.type === 'vehicle.off_route' || e.type === 'vehicle.back_on_route') changes.push({ vehicleId: e.aggregate.id, offRoute: e.type === 'vehicle.off_route' });
  }
  return changes;
}
