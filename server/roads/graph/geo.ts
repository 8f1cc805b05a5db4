/**
 * The little geometry the graph needs. Distances between nearby points use a local
 * equirectangular projection (x = lng·cos φ₀, y = lat, in degrees, × METERS_PER_DEGREE for
 * meters): at city and country scale its error is far below a road's width.
 */
import { EARTH_RADIUS_M, haversineMeters, METERS_PER_DEGREE, RAD } from '../../geofence/geometry';

export { EARTH_RADIUS_M, haversineMeters, METERS_PER_DEGREE, RAD };

/** Meters along a flat lng,lat polyline `coords[start..end)` (pairs), by haversine. */
export function polylineMeters(coords: Float64Array, start: number, end: number): number {
  let total = 0;
  for (let i = start; i + 3 < end; i += 2) total += haversineMeters(coords[i]!, coords[i + 1]!, coords[i + 2]!, coords[i + 3]!);
  return total;
}
