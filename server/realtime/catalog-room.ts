import type { Socket } from 'socket.io';
import type { Principal } from '../auth/tokens';
import { tenantRoom } from './fleet-hub';

/**
 * Every /fleet socket of a tenant joins its catalog room on connect, so changes to what pages
 * list (geofences, routes, trips) reach pages that do not watch positions, such as the editors
 * and /trips. Fleet subscribers get them through the tenant room; Socket.IO sends once to a
 * socket in both.
 */
export const catalogRoom = (tenantId: string) => `catalog:${tenantId}`;

/** Every /fleet socket of the tenant, watching positions or not: where catalog changes go. */
export const catalogRooms = (tenantId: string) => [tenantRoom(tenantId), catalogRoom(tenantId)];

/** A FleetHub extension: joins the socket to its tenant's catalog room. */
export function joinCatalogRoom(socket: Socket, principal: Principal): void {
  void socket.join(catalogRoom(principal.tenantId));
}
