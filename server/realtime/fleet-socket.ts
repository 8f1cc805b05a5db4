import type { Namespace } from 'socket.io';
import type { Principal, TokenService } from '../auth/tokens';
import type { Prisma } from '../db/database';
import { fleetSnapshot } from '../db/sql/vehicle-states';
import { ApiError, validationError } from '../protocol/errors';
import { FLEET_EVENTS, subscribeRequest, type PositionsFrame, type SubscribeAck, type VehicleLive } from '../protocol/fleet';
import type { Position } from '../protocol/position';
import type { VehicleRegistry } from '../vehicles/registry';

const DASHBOARD_ROLES = new Set(['admin', 'manager', 'viewer']);

export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
export const vehicleRoom = (vehicleId: string) => `vehicle:${vehicleId}`;

/**
 * Socket.IO namespace /fleet for dashboards (JWT of an admin, manager or viewer). `subscribe`
 * answers with the full state of the scope and joins its room; every committed batch then
 * arrives as one `positions` frame per room.
 */
export function attachFleetNamespace(
  nsp: Namespace,
  deps: { tokens: TokenService; prisma: Prisma; registry: VehicleRegistry },
): { publish(batch: readonly Position[]): void } {
  nsp.use(async (socket, next) => {
    try {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      if (typeof token !== 'string' || !token) throw new ApiError('UNAUTHORIZED', 'auth.token is required');
      const principal = await deps.tokens.verify(token);
      if (!DASHBOARD_ROLES.has(principal.role)) throw new ApiError('FORBIDDEN', `role ${principal.role} has no dashboard access`);
      socket.data.principal = principal;
      next();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('UNAUTHORIZED', 'authentication failed');
      next(Object.assign(new Error(apiError.code), { data: apiError.toBody().error }));
    }
  });

  nsp.on('connection', (socket) => {
    const principal = socket.data.principal as Principal;
    socket.on(FLEET_EVENTS.subscribe, async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: SubscribeAck) => void) : () => undefined;
      try {
        const parsed = subscribeRequest.safeParse(payload);
        if (!parsed.success) throw validationError(parsed.error);
        const request = parsed.data;
        if (request.scope === 'fleet') {
          await socket.join(tenantRoom(principal.tenantId));
          reply({ ok: true, vehicles: await fleetSnapshot(deps.prisma, principal.tenantId) });
        } else {
          if (!deps.registry.inTenant(principal.tenantId, request.id)) throw new ApiError('NOT_FOUND', `vehicle ${request.id} not found`, 'id');
          await socket.join(vehicleRoom(request.id));
          reply({ ok: true, vehicles: await fleetSnapshot(deps.prisma, principal.tenantId, request.id) });
        }
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('INTERNAL', 'subscription failed');
        reply({ ok: false, error: apiError.toBody().error });
      }
    });
    socket.on(FLEET_EVENTS.unsubscribe, async (payload: unknown) => {
      const parsed = subscribeRequest.safeParse(payload);
      if (!parsed.success) return;
      const request = parsed.data;
      await socket.leave(request.scope === 'fleet' ? tenantRoom(principal.tenantId) : vehicleRoom(request.id));
    });
  });

  return {
    publish(batch) {
      if (batch.length === 0) return;
      const at = Date.now();
      const byTenant = new Map<string, VehicleLive[]>();
      for (const p of batch) {
        const live: VehicleLive = { id: p.vehicleId, lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading, battery: p.battery, ts: p.ts };
        let list = byTenant.get(p.tenantId);
        if (!list) byTenant.set(p.tenantId, (list = []));
        list.push(live);
        nsp.to(vehicleRoom(p.vehicleId)).emit(FLEET_EVENTS.positions, { at, vehicles: [live] } satisfies PositionsFrame);
      }
      for (const [tenantId, vehicles] of byTenant) {
        nsp.to(tenantRoom(tenantId)).emit(FLEET_EVENTS.positions, { at, vehicles } satisfies PositionsFrame);
      }
    },
  };
}
