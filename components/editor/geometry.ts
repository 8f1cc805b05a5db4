/**
 * Small spherical helpers for the editors: previews before the server answers (the saved length
 * and area always come from PostGIS), circles as center + radius, and where an error points.
 */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export type LngLat = [number, number];

/** Great-circle distance in meters. */
export function distanceM([lng1, lat1]: LngLat, [lng2, lat2]: LngLat): number {
  const a = Math.sin(((lat2 - lat1) * RAD) / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(((lng2 - lng1) * RAD) / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Length of a line in meters (sphere). */
export function lineLengthM(coordinates: readonly LngLat[]): number {
  let total = 0;
  for (let i = 1; i < coordinates.length; i++) total += distanceM(coordinates[i - 1]!, coordinates[i]!);
  return total;
}

/** The point `distance` meters from `from` on `bearing` degrees (sphere). */
export function destination([lng, lat]: LngLat, distance: number, bearing: number): LngLat {
  const d = distance / EARTH_RADIUS_M;
  const b = bearing * RAD;
  const lat1 = lat * RAD;
  const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
  const lng2 = lng * RAD + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
  return [round(((lng2 / RAD + 540) % 360) - 180), round(lat2 / RAD)];
}

/** A closed ring approximating the circle, for drawing and editing (the server keeps center + radius). */
export function circleRing(center: LngLat, radiusM: number, steps = 64): LngLat[] {
  const ring: LngLat[] = [];
  for (let i = 0; i < steps; i++) ring.push(destination(center, radiusM, (360 * i) / steps));
  ring.push(ring[0]!);
  return ring;
}

/**
 * Center and radius of a drawn circle (a ring of points around its center): the mean of the
 * vertices, and their mean distance from it, rounded to centimeters and 1e-7°.
 */
export function circleFromRing(ring: readonly LngLat[]): { center: LngLat; radiusM: number } {
  const open = ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1] ? ring.slice(0, -1) : ring;
  const center: LngLat = [round(open.reduce((s, p) => s + p[0], 0) / open.length), round(open.reduce((s, p) => s + p[1], 0) / open.length)];
  const radiusM = open.reduce((s, p) => s + distanceM(center, p), 0) / open.length;
  return { center, radiusM: Math.round(radiusM * 100) / 100 };
}

/** The `[lng, lat]` an INVALID_GEOMETRY message names ("… at [13.4, 52.5] (lng, lat)"), if any. */
export function errorLocation(message: string): LngLat | null {
  const match = /at \[(-?\d+(?:\.\d+)?(?:e-?\d+)?), (-?\d+(?:\.\d+)?(?:e-?\d+)?)\]/.exec(message);
  if (!match) return null;
  const lng = Number(match[1]);
  const lat = Number(match[2]);
  return Number.isFinite(lng) && Number.isFinite(lat) ? [lng, lat] : null;
}

/** "1.24 km" / "850 m". */
export function formatLength(meters: number): string {
  return meters >= 1000 ? `${(meters / 1000).toFixed(2)} km` : `${Math.round(meters)} m`;
}

/** "2.4 km²" / "5,300 m²". */
export function formatArea(squareMeters: number): string {
  return squareMeters >= 100_000 ? `${(squareMeters / 1e6).toFixed(2)} km²` : `${Math.round(squareMeters).toLocaleString('en')} m²`;
}

function round(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
