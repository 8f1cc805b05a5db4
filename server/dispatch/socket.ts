import type { Namespace } from 'socket.io';
import type { Sender } from '../ingest/normalize';
import { catalogRooms } from '../realtime/catalog-room';
import { DISPATCH_EVENTS } from '../protocol/dispatch';
import type { DispatchListener } from './service';

/**
 * Dashboards hear every change of the tenant's requests; a driver's phones (their /driver
 * sockets, signed in as that driver) hear offers made to them and their withdrawal.
 */
export function dispatchBroadcaster(fleet: () => Namespace, driver: () => Namespace): DispatchListener {
  const toDriver = (tenantId: string, driverId: string, event: string, payload: unknown) => {
    for (const socket of driver().sockets.values()) {
      const sender = socket.data.sender as Sender | undefined;
      if (sender?.kind === 'user' && sender.principal.userId === driverId && sender.principal.tenantId === tenantId) socket.emit(event, payload);
    }
  };
  return {
    changed(tenantId, request) {
      fleet().to(catalogRooms(tenantId)).emit(DISPATCH_EVENTS.update, request);
    },
    offer(tenantId, driverId, offer) {
      toDriver(tenantId, driverId, DISPATCH_EVENTS.offer, offer);
    },
    withdrawn(tenantId, driverId, requestId) {
      toDriver(tenantId, driverId, DISPATCH_EVENTS.withdrawn, { requestId });
    },
  };
}
