import { haversineMeters } from '../geofence/geometry';
import type { TrackDto, TripPoint, TripStatus } from '../protocol/trips';

/**
 * ETA to a trip's next point, pure. The next point is the pickup until the vehicle has ARRIVED
 * there, then the dropoff until COMPLETED; final trips have none. The estimate is the
 * great-circle distance from the vehicle's last position to that point divided by its recent
 * speed (mean reported speed over the last RECENT_WINDOW_S of positions, or, when the device
 * reports no speed, the length of that stretch of track over its duration). Below
 * MIN_MOVING_KMH the vehicle counts as not moving and the ETA is unknown (null), not infinite.
 * Straight-line distance makes it a lower bound on road networks.
 */

export const RECENT_WINDOW_S = 300;
export const MIN_MOVING_KMH = 3;
/** A track shorter in time than this gives no speed of its own. */
const MIN_SPAN_S = 10;

export function nextPoint(status: TripStatus): 'pickup' | 'dropoff' | null {
  if (status === 'PENDING' || status === 'EN_ROUTE') return 'pickup';
  if (status === 'ARRIVED' || status === 'IN_PROGRESS') return 'dropoff';
  return null;
}

/** Great-circle distance in meters between two points (the geofence geometry's haversine). */
export function haversineM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  return haversineMeters(a.lng, a.lat, b.lng, b.lat);
}

/** Recent speed in km/h from the movement window, or null when nothing tells. */
export function recentSpeedKmh(m: { avgSpeedKmh: number | null; lengthM: number; spanS: number }): number | null {
  if (m.avgSpeedKmh !== null && Number.isFinite(m.avgSpeedKmh)) return m.avgSpeedKmh;
  if (m.spanS >= MIN_SPAN_S) return (m.lengthM / m.spanS) * 3.6;
  return null;
}

export function estimateEta(input: {
  status: TripStatus;
  pickup: TripPoint;
  dropoff: TripPoint;
  position: { lng: number; lat: number } | null;
  speedKmh: number | null;
  now: number;
}): TrackDto['eta'] {
  const target = nextPoint(input.status);
  if (!target || !input.position) return null;
  const distanceM = haversineM(input.position, input[target]);
  if (input.speedKmh === null || input.speedKmh < MIN_MOVING_KMH) return null;
  const seconds = Math.round(distanceM / (input.speedKmh / 3.6));
  return { target, distanceM: Math.round(distanceM), seconds, at: new Date(input.now + seconds * 1000).toISOString() };
}
