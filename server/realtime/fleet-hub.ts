import type { Namespace, Socket } from 'socket.io';
import type { Principal, TokenService } from '../auth/tokens';
import type { Logger } from '../log';
import { ApiError, asApiError, validationError } from '../protocol/errors';
import {
  FLEET_EVENTS,
  subscribeRequest,
  type PositionsFrame,
  type SnapshotFrame,
  type SubscribeRequest,
  type SubscribeAck,
  type VehicleInfo,
  type VehicleRouteEvent,
  type VehicleSnapshot,
  type VehicleStatusEvent,
} from '../protocol/fleet';
import { ALL_FIELDS, changedFields, encodeEntry } from '../protocol/fleet-frame';
import type { Position } from '../protocol/position';
import type { VehicleRouteProgress } from '../protocol/route-progress';
import type { LiveState, LiveVehicle } from './live-state';
import { MessageBucket, type ConnectionLimiter } from './connection-limits';

const DASHBOARD_ROLES = new Set(['admin', 'manager', 'viewer']);

export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;

type BBox = [number, number, number, number];

/** A subscription scope served by another capability (e.g. `trip`), which answers the ack itself. */
export interface ScopeHandler {
  subscribe(socket: Socket, principal: Principal, request: SubscribeRequest): Promise<SubscribeAck>;
  unsubscribe(socket: Socket, principal: Principal, request: SubscribeRequest): void;
}

/** A socket's scopes other than the whole fleet, and the vehicles it has been sent. */
interface Selective {
  vehicles: Set<string>;
  viewport: BBox | null;
  /** idx of vehicles this socket has full facts and state for. */
  known: Set<number>;
}

interface SocketData {
  principal: Principal;
  fleet: boolean;
  selective: Selective;
  /** Deltas were dropped while the socket was behind: it gets a snapshot once it has caught up. */
  stale?: boolean;
  release?: () => void;
}

/** Abuse limits of the namespace (server/config.ts); absent in tests that do not need them. */
export interface FleetLimits {
  connections: ConnectionLimiter;
  perTenant: number;
  messagesPerSecond: number;
  /** Queued packets beyond which a socket is behind (FLEET_SLOW_CLIENT_BACKLOG). */
  slowBacklog: number;
}

/** Packets Engine.IO holds for a socket, not yet handed to its transport (grows while the client cannot keep up). */
export const engineBacklog = (socket: Socket): number => (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;

function inBox(vehicle: LiveVehicle, [w, s, e, n]: BBox): boolean {
  const live = vehicle.live;
  if (!live || live.lat < s || live.lat > n) return false;
  // A box whose west edge is east of its east edge crosses the antimeridian.
  return w <= e ? live.lng >= w && live.lng <= e : live.lng >= w || live.lng <= e;
}

/**
 * The /fleet namespace: dashboards subscribe to the whole fleet, single vehicles or a viewport
 * and get one `positions` frame per tick carrying only what changed (protocol/fleet-frame.ts).
 * Whole-fleet subscribers share one broadcast per tenant; the other scopes are assembled per
 * socket. Tenant isolation: every scope is resolved inside the caller's tenant only.
 */
export class FleetHub {
  /** Sockets with vehicle or viewport scopes, per tenant. */
  private readonly selective = new Map<string, Set<Socket>>();

  constructor(
    private readonly nsp: Namespace,
    private readonly deps: { tokens: TokenService; live: LiveState; log: Logger; limits?: FleetLimits; backlogOf?: (socket: Socket) => number },
  ) {
    nsp.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: unknown) => {
          const apiError = error instanceof ApiError ? error : new ApiError('UNAUTHORIZED', 'authentication failed');
          next(Object.assign(new Error(apiError.code), { data: apiError.toBody().error }));
        },
      );
    });
    nsp.on('connection', (socket) => this.connected(socket));
  }

  /** Extra socket events (e.g. spatial `query`) registered by other capabilities. */
  readonly extensions: Array<(socket: Socket, principal: Principal) => void> = [];

  /** Subscription scopes registered by other capabilities, by scope name. */
  readonly scopes = new Map<string, ScopeHandler>();

  /** Publishes a tick's committed positions (at most one per vehicle, the newest). */
  publish(positions: readonly Position[], now = Date.now()): void {
    const changes = this.deps.live.apply(positions, now);
    for (const [tenantId, list] of changes) {
      const cameOnline = list.filter((c) => !c.vehicle.online);
      for (const c of cameOnline) c.vehicle.online = true;

      const room = tenantRoom(tenantId);
      const members = this.nsp.adapter.rooms.get(room);
      if (members?.size) {
        const behind = this.sortBehind(members, now);
        const v: number[] = [];
        for (const { vehicle, previous } of list) {
          const mask = changedFields(previous, vehicle.live!);
          if (mask) encodeEntry(v, vehicle.info.idx, mask, vehicle.live!, now, previous);
        }
        if (v.length) this.nsp.to(room).except(behind).emit(FLEET_EVENTS.positions, { at: now, v } satisfies PositionsFrame);
      }
      this.publishSelective(tenantId, list.map((c) => [c.vehicle, c.previous] as const), now);
      for (const c of cameOnline) this.emitStatus(c.vehicle, 'online', now);
    }
  }

  /**
   * Marks vehicles silent for longer than `offlineAfterMs` offline and tells their watchers;
   * returns the vehicles that just went offline (e.g. for alerts).
   */
  sweepPresence(now: number, offlineAfterMs: number): LiveVehicle[] {
    const wentOffline: LiveVehicle[] = [];
    for (const vehicle of this.deps.live.all()) {
      if (vehicle.online && now - vehicle.receivedAt > offlineAfterMs) {
        vehicle.online = false;
        this.emitStatus(vehicle, 'offline', now);
        wentOffline.push(vehicle);
      }
    }
    return wentOffline;
  }

  /** Vehicles' progress along their routes changed (throttled by the caller): their state and watchers follow. */
  routeChanged(changes: ReadonlyArray<{ vehicleId: string; progress: VehicleRouteProgress | null }>, now = Date.now()): void {
    for (const { vehicleId, progress } of changes) {
      const vehicle = this.deps.live.get(vehicleId);
      if (!vehicle) continue;
      const offRoute = progress?.status === 'OFF_ROUTE';
      vehicle.offRoute = offRoute;
      vehicle.route = progress;
      this.emitAbout(vehicle, FLEET_EVENTS.route, { id: vehicleId, idx: vehicle.info.idx, offRoute, route: progress, at: now } satisfies VehicleRouteEvent);
    }
  }

  /** A vehicle was created or its facts changed. */
  vehicleChanged(tenantId: string, info: Omit<VehicleInfo, 'idx'>): void {
    const vehicle = this.deps.live.upsert(tenantId, info);
    this.nsp.to(tenantRoom(tenantId)).emit(FLEET_EVENTS.info, vehicle.info);
  }

  vehicleRemoved(tenantId: string, id: string): void {
    const vehicle = this.deps.live.remove(id);
    if (vehicle) this.nsp.to(tenantRoom(tenantId)).emit(FLEET_EVENTS.removed, { id, idx: vehicle.info.idx });
  }

  private async authenticate(socket: Socket): Promise<void> {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) throw new ApiError('UNAUTHORIZED', 'auth.token is required');
    const principal = await this.deps.tokens.verify(token);
    if (!DASHBOARD_ROLES.has(principal.role)) throw new ApiError('FORBIDDEN', `role ${principal.role} has no dashboard access`);
    const data: SocketData = { principal, fleet: false, selective: { vehicles: new Set(), viewport: null, known: new Set() } };
    data.release = this.takeConnection(principal, true);
    socket.data = data;
  }

  private takeConnection(principal: Principal, enforce: boolean): (() => void) | undefined {
    const limits = this.deps.limits;
    return limits?.connections.acquire([{ key: `tenant:${principal.tenantId}`, limit: limits.perTenant, what: 'this tenant' }], enforce);
  }

  /** Sockets of `members` that cannot keep up (their deltas are skipped); those that caught up get their snapshot. */
  private sortBehind(members: ReadonlySet<string>, now: number): string[] {
    const bound = this.deps.limits?.slowBacklog;
    if (bound === undefined) return [];
    const backlogOf = this.deps.backlogOf ?? engineBacklog;
    const behind: string[] = [];
    for (const id of members) {
      const socket = this.nsp.sockets.get(id);
      if (!socket) continue;
      if (this.isBehind(socket, backlogOf, bound, now)) behind.push(id);
    }
    return behind;
  }

  /** True while the socket is behind; sends the fresh snapshot when a stale socket has drained. */
  private isBehind(socket: Socket, backlogOf: (socket: Socket) => number, bound: number, now: number): boolean {
    const data = socket.data as SocketData;
    const backlog = backlogOf(socket);
    if (backlog > bound) {
      if (!data.stale) this.deps.log.warn({ socket: socket.id, backlog }, 'dashboard cannot keep up: dropping its deltas until it drains');
      data.stale = true;
      return true;
    }
    if (!data.stale) return false;
    if (backlog > bound / 2) return true; // hysteresis: wait until it has really drained
    data.stale = false;
    socket.emit(FLEET_EVENTS.snapshot, { at: now, vehicles: this.snapshotOf(socket) } satisfies SnapshotFrame);
    return true; // the snapshot already holds this tick's state
  }

  /** The full state of a socket's vehicle scopes (whole fleet, or its vehicles and viewport); resets what it is known to hold. */
  private snapshotOf(socket: Socket): VehicleSnapshot[] {
    const data = socket.data as SocketData;
    const live = this.deps.live;
    const all = [...live.tenantVehicles(data.principal.tenantId)];
    if (data.fleet) return all.map((v) => live.snapshotOf(v));
    const { vehicles, viewport, known } = data.selective;
    const wanted = all.filter((v) => vehicles.has(v.info.id) || (viewport !== null && inBox(v, viewport)));
    known.clear();
    for (const v of wanted) known.add(v.info.idx);
    return wanted.map((v) => live.snapshotOf(v));
  }

  private connected(socket: Socket): void {
    const data = socket.data as SocketData;
    // A recovered socket keeps its rooms and data: put it back among the selective ones.
    if (socket.recovered) {
      this.updateSelective(socket);
      data.release = this.takeConnection(data.principal, false);
    }
    socket.on('disconnect', () => data.release?.());
    const limits = this.deps.limits;
    if (limits) {
      const bucket = new MessageBucket(limits.messagesPerSecond);
      socket.use((packet, next) => {
        if (bucket.take()) return next();
        const ack = packet[packet.length - 1];
        if (typeof ack === 'function') {
          const error = new ApiError('RATE_LIMITED', `more than ${limits.messagesPerSecond} messages/s on this socket; slow down`, undefined, { limitPerSecond: limits.messagesPerSecond });
          ack({ ok: false, ...error.toBody() });
        }
      });
    }
    socket.on(FLEET_EVENTS.subscribe, (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: SubscribeAck) => void) : () => undefined;
      const parsed = subscribeRequest.safeParse(payload);
      if (!parsed.success) return reply(this.failure(validationError(parsed.error)));
      const handler = this.scopes.get(parsed.data.scope);
      if (handler) {
        handler.subscribe(socket, data.principal, parsed.data).then(reply, (error: unknown) => reply(this.failure(error)));
        return;
      }
      try {
        reply({ ok: true, vehicles: this.subscribe(socket, parsed.data) });
      } catch (error) {
        reply(this.failure(error));
      }
    });
    socket.on(FLEET_EVENTS.unsubscribe, (payload: unknown, ack?: unknown) => {
      const parsed = subscribeRequest.safeParse(payload);
      if (parsed.success) {
        const request = parsed.data;
        if (request.scope === 'fleet') {
          data.fleet = false;
          void socket.leave(tenantRoom(data.principal.tenantId));
        } else if (request.scope === 'vehicle') data.selective.vehicles.delete(request.id);
        else if (request.scope === 'viewport') data.selective.viewport = null;
        else this.scopes.get(request.scope)?.unsubscribe(socket, data.principal, request);
        this.updateSelective(socket);
      }
      if (typeof ack === 'function') ack(parsed.success ? { ok: true } : { ok: false, error: validationError(parsed.error).toBody().error });
    });
    socket.on('disconnect', () => this.selective.get(data.principal.tenantId)?.delete(socket));
    for (const extend of this.extensions) extend(socket, data.principal);
  }

  /** Joins a scope and returns its full state, synchronously (no frame can slip in between). */
  private subscribe(socket: Socket, request: SubscribeRequest): VehicleSnapshot[] {
    const data = socket.data as SocketData;
    const { tenantId } = data.principal;
    const live = this.deps.live;
    if (request.scope === 'fleet') {
      data.fleet = true;
      void socket.join(tenantRoom(tenantId));
      return [...live.tenantVehicles(tenantId)].map((v) => live.snapshotOf(v));
    }
    if (request.scope === 'vehicle') {
      const vehicle = live.get(request.id);
      if (!vehicle || vehicle.tenantId !== tenantId) throw new ApiError('NOT_FOUND', `vehicle ${request.id} not found`, 'id');
      data.selective.vehicles.add(request.id);
      data.selective.known.add(vehicle.info.idx);
      this.updateSelective(socket);
      return [live.snapshotOf(vehicle)];
    }
    if (request.scope !== 'viewport') throw new ApiError('VALIDATION_ERROR', `scope ${request.scope} is not available`, 'scope');
    data.selective.viewport = request.bbox;
    const inside = [...live.tenantVehicles(tenantId)].filter((v) => inBox(v, request.bbox));
    for (const v of inside) data.selective.known.add(v.info.idx);
    this.updateSelective(socket);
    return inside.map((v) => live.snapshotOf(v));
  }

  private failure(error: unknown): SubscribeAck {
    const apiError = asApiError(error) ?? new ApiError('INTERNAL', 'subscription failed');
    if (!asApiError(error)) this.deps.log.error({ err: error }, 'subscribe failed');
    return { ok: false, error: apiError.toBody().error };
  }

  private updateSelective(socket: Socket): void {
    const data = socket.data as SocketData;
    const tenantId = data.principal.tenantId;
    let set = this.selective.get(tenantId);
    if (!set) this.selective.set(tenantId, (set = new Set()));
    if (data.selective.vehicles.size > 0 || data.selective.viewport) set.add(socket);
    else {
      set.delete(socket);
      data.selective.known.clear();
    }
  }

  private publishSelective(tenantId: string, list: ReadonlyArray<readonly [LiveVehicle, LiveVehicle['live']]>, now: number): void {
    const sockets = this.selective.get(tenantId);
    if (!sockets?.size) return;
    const bound = this.deps.limits?.slowBacklog;
    const backlogOf = this.deps.backlogOf ?? engineBacklog;
    for (const socket of sockets) {
      const data = socket.data as SocketData;
      if (data.fleet) continue; // already has everything from the tenant broadcast
      if (bound !== undefined && this.isBehind(socket, backlogOf, bound, now)) continue;
      const { vehicles, viewport, known } = data.selective;
      const v: number[] = [];
      const introduced: VehicleInfo[] = [];
      const introducedRoute: VehicleRouteEvent[] = [];
      const out: number[] = [];
      for (const [vehicle, previous] of list) {
        const idx = vehicle.info.idx;
        const wanted = vehicles.has(vehicle.info.id) || (viewport !== null && inBox(vehicle, viewport));
        if (!wanted) {
          if (known.delete(idx)) out.push(idx);
          continue;
        }
        if (known.has(idx)) {
          const mask = changedFields(previous, vehicle.live!);
          if (mask) encodeEntry(v, idx, mask, vehicle.live!, now, previous);
        } else {
          known.add(idx);
          introduced.push(vehicle.info);
          encodeEntry(v, idx, ALL_FIELDS, vehicle.live!, now);
          if (vehicle.route) introducedRoute.push({ id: vehicle.info.id, idx, offRoute: vehicle.offRoute === true, route: vehicle.route, at: now });
        }
      }
      if (v.length || out.length) {
        const frame: PositionsFrame = { at: now, v, ...(introduced.length ? { n: introduced } : {}), ...(out.length ? { out } : {}) };
        this.nsp.to(socket.id).emit(FLEET_EVENTS.positions, frame);
      }
      // A frame introduces positions only: a vehicle on a route says where along it after it.
      for (const event of introducedRoute) this.nsp.to(socket.id).emit(FLEET_EVENTS.route, event);
    }
  }

  private emitStatus(vehicle: LiveVehicle, status: VehicleStatusEvent['status'], at: number): void {
    this.emitAbout(vehicle, FLEET_EVENTS.status, { id: vehicle.info.id, idx: vehicle.info.idx, status, at } satisfies VehicleStatusEvent);
  }

  /** An event about one vehicle to its tenant's fleet subscribers and the other sockets that know it. */
  private emitAbout(vehicle: LiveVehicle, event: string, payload: unknown): void {
    this.nsp.to(tenantRoom(vehicle.tenantId)).emit(event, payload);
    for (const socket of this.selective.get(vehicle.tenantId) ?? []) {
      const data = socket.data as SocketData;
      if (!data.fleet && data.selective.known.has(vehicle.info.idx)) this.nsp.to(socket.id).emit(event, payload);
    }
  }
}
