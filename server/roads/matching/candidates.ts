/**
 * Candidate road positions for one GPS fix: the nearest point of each segment whose box lies
 * within the search radius, the K nearest kept (in reusable typed arrays: no object per
 * candidate). Distances use a local equirectangular projection at the fix's latitude.
 */
import type { RoadGraph } from '../graph/build';
import { METERS_PER_DEGREE, RAD } from '../graph/geo';

/** At most this many candidates per fix (the nearest). */
export const MAX_CANDIDATES = 8;

export class CandidateSearch {
  count = 0;
  readonly seg = new Int32Array(MAX_CANDIDATES);
  /** Share of the segment's length before the candidate, 0..1. */
  readonly fraction = new Float64Array(MAX_CANDIDATES);
  /** Meters from the fix. */
  readonly distM = new Float64Array(MAX_CANDIDATES);
  /** Bearing (radians from north, clockwise) of the segment's piece at the candidate, in the segment's direction. */
  readonly bearing = new Float64Array(MAX_CANDIDATES);

  /** projectOnSegment's answer, reused for every candidate (no allocation per fix). */
  private readonly projection = new Float64Array(3);

  constructor(private readonly graph: RoadGraph) {}

  /** Fills the candidates within `radiusM` of (lng, lat), nearest first; returns their count. */
  find(lng: number, lat: number, radiusM: number): number {
    this.count = 0;
    const g = this.graph;
    if (g.segmentCount === 0) return 0;
    const cosLat = Math.cos(lat * RAD);
    const rDeg = radiusM / METERS_PER_DEGREE;
    const rx = (rDeg * g.kx) / Math.max(0.05, cosLat);
    const qx = lng * g.kx;
    const ids = g.index.search(qx - rx, lat - rDeg, qx + rx, lat + rDeg);
    const { coords } = g;
    const projection = this.projection;
    for (let k = 0; k < ids.length; k++) {
      const s = ids[k]!;
      if (s >= g.segmentCount) continue;
      projectOnSegment(g, s, lng, lat, projection);
      if (projection[1]! > radiusM) continue;
      const i = projection[2]!;
      this.insert(s, projection[0]!, projection[1]!, Math.atan2((coords[i + 2]! - coords[i]!) * cosLat, coords[i + 3]! - coords[i + 1]!));
    }
    return this.count;
  }

  private insert(s: number, fraction: number, d: number, bearing: number): void {
    let n = this.count;
    if (n === MAX_CANDIDATES) {
      if (d >= this.distM[n - 1]!) return;
      n--;
    } else this.count++;
    // Shift farther ones down.
    while (n > 0 && this.distM[n - 1]! > d) {
      this.seg[n] = this.seg[n - 1]!;
      this.fraction[n] = this.fraction[n - 1]!;
      this.distM[n] = this.distM[n - 1]!;
      this.bearing[n] = this.bearing[n - 1]!;
      n--;
    }
    this.seg[n] = s;
    this.fraction[n] = fraction;
    this.distM[n] = d;
    this.bearing[n] = bearing;
  }
}

/** The point at `fraction` of segment s's length (same metric as the candidates), as [vertex, t, lng, lat] in `out`. */
export function pointAt(graph: RoadGraph, s: number, fraction: number, out: Float64Array): Float64Array {
  const { coords, coordStart } = graph;
  const start = coordStart[s]!;
  const end = coordStart[s + 1]!;
  const cosLat = Math.cos(coords[start + 1]! * RAD);
  let total = 0;
  for (let i = start; i + 3 < end; i += 2) total += Math.hypot((coords[i + 2]! - coords[i]!) * cosLat, coords[i + 3]! - coords[i + 1]!);
  let want = fraction * total;
  let v = 0;
  for (let i = start; i + 3 < end; i += 2, v++) {
    const piece = Math.hypot((coords[i + 2]! - coords[i]!) * cosLat, coords[i + 3]! - coords[i + 1]!);
    const last = i + 4 >= end;
    if (want <= piece || last) {
      const t = piece > 0 ? Math.min(1, Math.max(0, want / piece)) : 0;
      out[0] = v;
      out[1] = t;
      out[2] = coords[i]! + t * (coords[i + 2]! - coords[i]!);
      out[3] = coords[i + 1]! + t * (coords[i + 3]! - coords[i + 1]!);
      return out;
    }
    want -= piece;
  }
  out[0] = 0;
  out[1] = 0;
  out[2] = coords[start]!;
  out[3] = coords[start + 1]!;
  return out;
}

/** The nearest point of segment s to (lng, lat): [fraction, meters, start index in coords of the piece it is on] in `out`. */
export function projectOnSegment(graph: RoadGraph, s: number, lng: number, lat: number, out: Float64Array): Float64Array {
  const { coords, coordStart } = graph;
  const cosLat = Math.cos(lat * RAD);
  const end = coordStart[s + 1]!;
  let best = Infinity;
  let bestBefore = 0;
  let bestI = coordStart[s]!;
  let total = 0;
  for (let i = coordStart[s]!; i + 3 < end; i += 2) {
    const ax = (coords[i]! - lng) * cosLat * METERS_PER_DEGREE;
    const ay = (coords[i + 1]! - lat) * METERS_PER_DEGREE;
    const dx = (coords[i + 2]! - coords[i]!) * cosLat * METERS_PER_DEGREE;
    const dy = (coords[i + 3]! - coords[i + 1]!) * METERS_PER_DEGREE;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = ax + t * dx;
    const ey = ay + t * dy;
    const d2 = ex * ex + ey * ey;
    const piece = Math.sqrt(len2);
    if (d2 < best) {
      best = d2;
      bestBefore = total + t * piece;
      bestI = i;
    }
    total += piece;
  }
  out[0] = total > 0 ? bestBefore / total : 0;
  out[1] = Math.sqrt(best);
  if (out.length > 2) out[2] = bestI;
  return out;
}
