import type { Namespace, Socket } from 'socket.io';
import type { Principal } from '../auth/tokens';
import { METRICS_EVENT } from '../protocol/metrics';
import { tenantRoom } from '../realtime/fleet-hub';
import type { LiveState } from '../realtime/live-state';
import type { FleetMetrics } from './fleet-metrics';

const TENANT_ROOM_PREFIX = tenantRoom('');

/**
 * Sends each tenant's KPIs to its fleet subscribers every `intervalMs`, and answers a
 * `metrics` request on /fleet (ack) with the caller's tenant only. Returns the timer's stop.
 */
export function broadcastMetrics(deps: { nsp: Namespace; live: LiveState; metrics: FleetMetrics; intervalMs: number }): {
  extension: (socket: Socket, principal: Principal) => void;
  stop: () => void;
} {
  const { nsp, live, metrics } = deps;
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [room, members] of nsp.adapter.rooms) {
      if (!room.startsWith(TENANT_ROOM_PREFIX) || members.size === 0) continue;
      const tenantId = room.slice(TENANT_ROOM_PREFIX.length);
      nsp.to(room).emit(METRICS_EVENT, metrics.snapshot(tenantId, live.tenantVehicles(tenantId), now));
    }
  }, deps.intervalMs);
  timer.unref();
  return {
    extension: (socket, principal) => {
      // `metrics` takes no payload: the ack is the last argument, whatever the client sent before it.
      socket.on(METRICS_EVENT, (...args: unknown[]) => {
        const ack = args[args.length - 1];
        if (typeof ack === 'function') ack(metrics.snapshot(principal.tenantId, live.tenantVehicles(principal.tenantId)));
      });
    },
    stop: () => clearInterval(timer),
  };
}
