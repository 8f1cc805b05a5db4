import type { PositionInput } from '@/server/protocol/position';

/** One GPS fix as the phone took it: its own time (epoch ms), accuracy in meters. */
export interface Fix {
  lat: number;
  lng: number;
  timestamp: number;
  accuracy: number;
  /** km/h */
  speed?: number;
  /** degrees [0, 360) */
  heading?: number;
  /** meters */
  altitude?: number;
  /** The strongest acceleration since the previous fix (m/s², components/driver/motion.ts). */
  accelerometer?: { x: number; y: number; z: number };
  /** The rotation rate then (rad/s). */
  gyroscope?: { x: number; y: number; z: number };
}

/** Accuracy worse than this (meters) is flagged to the driver as a weak signal. */
export const POOR_ACCURACY_M = 50;

const finite = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value);

/** A fix from the Geolocation API: m/s → km/h, unknown (null/NaN) fields left out, heading 360 → 0. */
export function fixFromGeolocation(position: Pick<GeolocationPosition, 'coords' | 'timestamp'>): Fix {
  const { coords } = position;
  const fix: Fix = {
    lat: coords.latitude,
    lng: coords.longitude,
    timestamp: Math.round(position.timestamp),
    accuracy: Math.max(0, coords.accuracy),
  };
  if (finite(coords.speed) && coords.speed >= 0) fix.speed = Math.round(coords.speed * 3.6 * 10) / 10;
  if (finite(coords.heading) && coords.heading >= 0) fix.heading = coords.heading % 360;
  if (finite(coords.altitude) && coords.altitude >= -1000 && coords.altitude <= 100000) fix.altitude = coords.altitude;
  return fix;
}

/** The position as the /driver socket takes it, bound to the vehicle the fix was taken for. */
export function toPositionInput(fix: Fix, vehicleId: string): PositionInput {
  return { vehicleId, ...fix };
}

/**
 * Whether a new fix should be kept: at most `rate` fixes per second by the fixes' own clock (the
 * tenant's per-vehicle limit; more would be refused), with 10 % slack for a jittery 1 Hz GPS.
 */
export function keepsRate(previousTimestamp: number | null, timestamp: number, rate: number): boolean {
  if (previousTimestamp === null) return true;
  return timestamp - previousTimestamp >= (0.9 * 1000) / rate;
}
