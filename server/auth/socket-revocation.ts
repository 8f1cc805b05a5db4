import type { Server } from 'socket.io';
import type { Principal } from './tokens';

/** Sent to a socket just before the server closes it because its user's tokens were cut off. */
export const SESSION_REVOKED_EVENT = 'session:revoked';

/**
 * Closes every open /fleet and /driver socket of a user whose tokens were just cut off
 * (deactivated, role changed, password reset). A server-side disconnect is not resumed by
 * connection-state recovery: the client must connect again, through the auth middleware, with a
 * fresh token — which a deactivated user cannot get. Returns how many were closed.
 */
export function closeSocketsOf(io: Server, userId: string): number {
  let closed = 0;
  for (const name of ['/fleet', '/driver']) {
    for (const socket of io.of(name).sockets.values()) {
      const data = socket.data as { principal?: Principal; sender?: { principal?: Principal } } | undefined;
      if ((data?.principal?.userId ?? data?.sender?.principal?.userId) !== userId) continue;
      socket.emit(SESSION_REVOKED_EVENT, { reason: 'your session was ended by an admin' });
      socket.disconnect(true);
      closed++;
    }
  }
  return closed;
}

/** Closes the /driver sockets a vehicle's device opened with its (now replaced) device token. */
export function closeDeviceSocketsOf(io: Server, vehicleId: string): number {
  let closed = 0;
  for (const socket of io.of('/driver').sockets.values()) {
    const sender = (socket.data as { sender?: { kind?: string; vehicleId?: string } } | undefined)?.sender;
    if (sender?.kind !== 'device' || sender.vehicleId !== vehicleId) continue;
    socket.disconnect(true);
    closed++;
  }
  return closed;
}
