import { z } from 'zod';

/** Live state of one vehicle as dashboards see it. Times are epoch ms. */
export interface VehicleLive {
  id: string;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: number;
}

/** Static facts of a vehicle a dashboard shows beside its live state. */
export interface VehicleInfo {
  id: string;
  name: string;
  plate: string | null;
  type: string;
}

export const subscribeRequest = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('fleet') }),
  z.object({ scope: z.literal('vehicle'), id: z.string().uuid() }),
]);
export type SubscribeRequest = z.infer<typeof subscribeRequest>;

/** Ack of `subscribe`: the full state of the scope. */
export type SubscribeAck =
  | { ok: true; vehicles: Array<VehicleInfo & { live: VehicleLive | null }> }
  | { ok: false; error: { code: string; message: string; field?: string } };

/** Server → dashboard, at most one per tick: the vehicles that changed in that tick. */
export interface PositionsFrame {
  at: number;
  vehicles: VehicleLive[];
}

/** Socket.IO event names of the /fleet namespace. */
export const FLEET_EVENTS = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  positions: 'positions',
} as const;
