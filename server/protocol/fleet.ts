import { z } from 'zod';
import type { VehicleRouteProgress } from './route-progress';
import type { TripDto } from './trips';

/** Live state of one vehicle as dashboards see it. Times are epoch ms, speed km/h. */
export interface VehicleLive {
  id: string;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: number;
}

/**
 * Static facts of a vehicle a dashboard shows beside its live state. `idx` is a small integer,
 * stable for the life of the server process, that frames use instead of the uuid.
 */
export interface VehicleInfo {
  id: string;
  idx: number;
  name: string;
  plate: string | null;
  type: string;
}

/**
 * One vehicle in a snapshot: its facts, last state (null before the first position), presence,
 * `offRoute: true` while it is off the route it is assigned to (absent otherwise), and its
 * progress along that route (absent without one).
 */
export interface VehicleSnapshot extends VehicleInfo {
  live: VehicleLive | null;
  online: boolean;
  offRoute?: true;
  route?: VehicleRouteProgress;
}

const lng = z.number().finite().min(-180).max(180);
const lat = z.number().finite().min(-90).max(90);

export const subscribeRequest = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('fleet') }).strict(),
  z.object({ scope: z.literal('vehicle'), id: z.string().uuid() }).strict(),
  /** One geofence's events (geofence:event), wherever its vehicles are; the ack lists the vehicles inside it. */
  z.object({ scope: z.literal('geofence'), id: z.string().uuid() }).strict(),
  z
    .object({ scope: z.literal('viewport'), bbox: z.tuple([lng, lat, lng, lat]) })
    .strict()
    .refine((v) => v.bbox[1] <= v.bbox[3], { message: 'south must not be north of north', path: ['bbox'] }),
  /** One trip's `trip:update` events; the ack carries the trip (server/trips/socket.ts). */
  z.object({ scope: z.literal('trip'), id: z.string().uuid() }).strict(),
]);
export type SubscribeRequest = z.infer<typeof subscribeRequest>;

/** Ack of `subscribe`: the full state of the scope. */
export type SubscribeAck =
  | { ok: true; vehicles: VehicleSnapshot[]; trip?: TripDto }
  | { ok: false; error: { code: string; message: string; field?: string } };

/**
 * Server → dashboard, at most one per tick per socket: the vehicles that changed, each with only
 * its changed fields (see fleet-frame.ts for the encoding). `n` introduces vehicles the socket
 * has not seen yet (full facts; their entries in `v` carry every field); `out` lists vehicles
 * that left a viewport subscription.
 */
export interface PositionsFrame {
  at: number;
  v: number[];
  n?: VehicleInfo[];
  out?: number[];
}

/** Presence change of one vehicle (no position for OFFLINE_AFTER_S → offline; next one → online). */
export interface VehicleStatusEvent {
  id: string;
  idx: number;
  status: 'online' | 'offline';
  at: number;
}

/**
 * A vehicle's progress along its assigned route changed enough to tell (its status, next stop,
 * progress by ≥ 1 % or ETA by ≥ 30 s; at most one per vehicle per tick), or its route changed
 * (`route: null`: none any more). `offRoute` is status OFF_ROUTE.
 */
export interface VehicleRouteEvent {
  id: string;
  idx: number;
  offRoute: boolean;
  route: VehicleRouteProgress | null;
  at: number;
}

/** Socket.IO event names of the /fleet namespace. */
export const FLEET_EVENTS = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  positions: 'positions',
  status: 'vehicle:status',
  /** VehicleRouteEvent: progress, status and ETA along its route (throttled), off it or back on it. */
  route: 'vehicle:route',
  /** A vehicle was created or its facts changed: VehicleInfo. */
  info: 'vehicle:info',
  /** A vehicle was deleted: {id, idx}. */
  removed: 'vehicle:removed',
  query: 'query',
  /**
   * SnapshotFrame: the socket fell behind (its send buffer passed FLEET_SLOW_CLIENT_BACKLOG), its
   * deltas were dropped, and this replaces everything it holds for its scopes.
   */
  snapshot: 'snapshot',
} as const;

/** Slow-client recovery: the full state of the socket's scopes (replaces what it holds). */
export interface SnapshotFrame {
  at: number;
  vehicles: VehicleSnapshot[];
}
