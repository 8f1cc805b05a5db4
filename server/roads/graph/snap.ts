/**
 * Snapping a point to the road network: the nearest position on the nearest drivable segment,
 * found through the flatbush index over segment boxes and an exact projection onto each
 * candidate's polyline.
 */
import type { RoadGraph } from './build';
import { haversineMeters, METERS_PER_DEGREE } from './geo';

/** Beyond this distance (m) from every road a point is "off the network". */
export const DEFAULT_MAX_SNAP_M = 500;

export interface SnapPoint {
  segment: number;
  /** The snapped position. */
  lng: number;
  lat: number;
  /** Meters from the query point to the snapped position (great circle). */
  distanceM: number;
  /** The polyline piece [vertex, vertex + 1] (0-based point index within the segment) it lies on. */
  vertex: number;
  /** Position on that piece, 0..1. */
  t: number;
  /** Share of the segment's length before the snapped position, 0..1. */
  fraction: number;
}

/**
 * The nearest position on the network to (lng, lat), or null when nothing lies within
 * `maxDistanceM`. Candidates come from the index in order of box distance; the search widens
 * until the next box is farther than the best exact distance found, so the answer is exact.
 */
export function snapToNetwork(graph: RoadGraph, lng: number, lat: number, maxDistanceM = DEFAULT_MAX_SNAP_M): SnapPoint | null {
  if (graph.segmentCount === 0) return null;
  const { kx, coords, coordStart, segBox } = graph;
  const qx = lng * kx;
  const qy = lat;
  // The index space is exact at its middle latitude; allow for the scale of the query's own.
  const searchUnits = (2 * maxDistanceM) / METERS_PER_DEGREE / Math.min(1, Math.max(0.05, Math.cos((lat * Math.PI) / 180) / kx));
  let best = Infinity;
  let bestSeg = -1;
  let bestVertex = 0;
  let bestT = 0;
  for (let k = 8; ; k *= 4) {
    const ids = graph.index.neighbors(qx, qy, k, searchUnits);
    for (const s of ids) {
      const end = coordStart[s + 1]!;
      for (let i = coordStart[s]!, v = 0; i + 3 < end; i += 2, v++) {
        const ax = coords[i]! * kx;
        const ay = coords[i + 1]!;
        const dx = coords[i + 2]! * kx - ax;
        const dy = coords[i + 3]! - ay;
        const len2 = dx * dx + dy * dy;
        let t = len2 > 0 ? ((qx - ax) * dx + (qy - ay) * dy) / len2 : 0;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        const ex = ax + t * dx - qx;
        const ey = ay + t * dy - qy;
        const d2 = ex * ex + ey * ey;
        if (d2 < best) {
          best = d2;
          bestSeg = s;
          bestVertex = v;
          bestT = t;
        }
      }
    }
    if (ids.length < k) break;
    const last = ids[ids.length - 1]!;
    const bx = Math.max(segBox[last * 4]! - qx, qx - segBox[last * 4 + 2]!, 0);
    const by = Math.max(segBox[last * 4 + 1]! - qy, qy - segBox[last * 4 + 3]!, 0);
    if (bx * bx + by * by >= best) break;
  }
  if (bestSeg < 0) return null;

  const start = coordStart[bestSeg]!;
  const end = coordStart[bestSeg + 1]!;
  // Exactly at the last point: say so exactly (t = 1), so the search knows it is at the end node.
  if (bestVertex === (end - start) / 2 - 2 && bestT > 1 - 1e-12) bestT = 1;
  const i = start + bestVertex * 2;
  const snappedLng = coords[i]! + bestT * (coords[i + 2]! - coords[i]!);
  const snappedLat = coords[i + 1]! + bestT * (coords[i + 3]! - coords[i + 1]!);
  const distanceM = haversineMeters(lng, lat, snappedLng, snappedLat);
  if (distanceM > maxDistanceM) return null;

  // Share of the length before the snapped position (in the index's metric, as a ratio).
  let before = 0;
  let total = 0;
  for (let j = start; j + 3 < end; j += 2) {
    const piece = Math.hypot((coords[j + 2]! - coords[j]!) * kx, coords[j + 3]! - coords[j + 1]!);
    if (j < i) before += piece;
    else if (j === i) before += bestT * piece;
    total += piece;
  }
  return { segment: bestSeg, lng: snappedLng, lat: snappedLat, distanceM, vertex: bestVertex, t: bestT, fraction: total > 0 ? before / total : 0 };
}

/** The distance (m) from (lng, lat) to the nearest road within `searchM`, or null: for messages. */
export function nearestRoadMeters(graph: RoadGraph, lng: number, lat: number, searchM: number): number | null {
  return snapToNetwork(graph, lng, lat, searchM)?.distanceM ?? null;
}
