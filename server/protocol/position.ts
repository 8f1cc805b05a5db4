import { z } from 'zod';

const MAX_FUTURE_MS = 5 * 60 * 1000;

const vector3 = z.object({ x: z.number().finite(), y: z.number().finite(), z: z.number().finite() });

/**
 * One position as any client sends it (Socket.IO, REST). Protocol adapters (OsmAnd, OwnTracks)
 * translate their wire formats into this shape before validation.
 */
export const positionInput = z.object({
  /** Required when the sender is not bound to one vehicle (an admin/integration token). */
  vehicleId: z.string().uuid('must be a vehicle id (uuid)').optional(),
  lat: z.number().finite().min(-90).max(90),
  lng: z.number().finite().min(-180).max(180),
  /** ISO 8601 string or epoch milliseconds. */
  timestamp: z.union([z.number().int().positive(), z.string().datetime({ offset: true })]),
  speed: z.number().finite().min(0).max(2000).optional(),
  heading: z.number().finite().min(0).lt(360).optional(),
  accuracy: z.number().finite().min(0).optional(),
  altitude: z.number().finite().min(-1000).max(100000).optional(),
  battery: z.number().finite().min(0).max(100).optional(),
  /** m/s² in the device's axes (gravity included or not); phones send the peak since the last fix. */
  accelerometer: vector3.optional(),
  /** rad/s in the device's axes. */
  gyroscope: vector3.optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
}).strict();
export type PositionInput = z.infer<typeof positionInput>;

/** A validated position bound to its tenant and vehicle, time as epoch ms. */
export interface Position {
  tenantId: string;
  vehicleId: string;
  lat: number;
  lng: number;
  ts: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  altitude: number | null;
  battery: number | null;
  attributes: Record<string, unknown> | null;
  /** Accelerometer (m/s²) and gyroscope (rad/s) vectors, when the client sent them. */
  accel?: Vector3 | null;
  gyro?: Vector3 | null;
}

export interface Vector3 {
  x: number;
  y: number;
  z: number;
}

/** Epoch ms of a position timestamp, or an error message. */
export function timestampMs(value: number | string, now = Date.now()): number | string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return 'timestamp: not a valid date';
  if (ms > now + MAX_FUTURE_MS) return 'timestamp: more than 5 minutes in the future';
  return ms;
}

export interface RejectedPosition {
  index: number;
  code: string;
  message: string;
  field?: string;
}

/** Acknowledgement of `position` / `positions` events and body of POST /api/v1/positions. */
export interface PositionsAck {
  accepted: number;
  rejected: RejectedPosition[];
}
