import type { Namespace } from 'socket.io';
import { ROUTE_EVENTS } from '../protocol/routes';
import { catalogRooms } from '../realtime/catalog-room';
import type { RouteListener } from './service';

/** Announces route changes to the tenant's dashboards and editors on /fleet. */
export function routeBroadcaster(fleet: () => Namespace | null): RouteListener {
  return {
    changed: (tenantId, route) => fleet()?.to(catalogRooms(tenantId)).emit(ROUTE_EVENTS.changed, route),
    removed: (tenantId, id) => fleet()?.to(catalogRooms(tenantId)).emit(ROUTE_EVENTS.removed, { id }),
  };
}
