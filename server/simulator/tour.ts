/**
 * A tour on real streets, as the routing API answers it (a LineString, street-by-street steps
 * with distance and duration, and where each given point joined the network): the line to walk,
 * the speed limit along it, and where along it the stops are.
 */
import { haversineMeters, PathWalker } from './path-walker';

/** The parts of a routing answer (GET /api/v1/routing/route, RoadRouter.route) a tour needs. */
export interface RoutedLine {
  geometry: { coordinates: [number, number][] };
  properties: {
    steps: { distanceM: number; durationS: number }[];
    snapped: { lng: number; lat: number }[];
  };
}

export interface Tour {
  name: string;
  walker: PathWalker;
  length: number;
  /** Speed limits (km/h) by stretch: stretch i ends `limitEnds[i]` meters along the line. */
  limitEnds: Float64Array;
  limitKmh: Float32Array;
  /** Meters along the line of each stop after the start, ascending; the last is the line's end. */
  stops: Float64Array;
}

/** Meters along the line of each snapped point, in order (each found after the previous one). */
export function stopDistances(points: readonly [number, number][], cumulative: readonly number[], targets: readonly { lng: number; lat: number }[]): number[] {
  const out: number[] = [];
  let from = 0;
  for (const t of targets) {
    let best = -1;
    let bestM = Infinity;
    for (let i = from; i < points.length; i++) {
      const m = haversineMeters(points[i]!, [t.lng, t.lat]);
      if (m < bestM) {
        bestM = m;
        best = i;
      }
      // Legs meet at the snapped point: the first vertex on it is the stop (a tour may pass
      // the same place again later).
      if (m < 2) break;
    }
    if (best < 0) best = points.length - 1;
    out.push(cumulative[best]!);
    from = best;
  }
  return out;
}

export function tourFromRoute(name: string, route: RoutedLine): Tour {
  const walker = new PathWalker({ name, loop: false, points: route.geometry.coordinates });
  const length = walker.length;
  const steps = route.properties.steps.filter((s) => s.distanceM > 0);
  const total = steps.reduce((sum, s) => sum + s.distanceM, 0);
  const scale = total > 0 ? length / total : 1;
  const limitEnds = new Float64Array(Math.max(1, steps.length));
  const limitKmh = new Float32Array(Math.max(1, steps.length));
  let at = 0;
  steps.forEach((s, i) => {
    at += s.distanceM * scale;
    limitEnds[i] = at;
    limitKmh[i] = s.durationS > 0 ? (s.distanceM / s.durationS) * 3.6 : 30;
  });
  if (steps.length === 0) {
    limitEnds[0] = length;
    limitKmh[0] = 30;
  }
  limitEnds[limitEnds.length - 1] = Math.max(length, limitEnds[limitEnds.length - 1]!);
  const snapped = route.properties.snapped;
  const stops = stopDistances(route.geometry.coordinates, walker.cumulativeMeters, snapped.slice(1, -1));
  // Ascending, after the start, and the end of the line last (back at the depot).
  const kept: number[] = [];
  for (const d of stops) if (d > 1 && d < length - 1 && d > (kept.at(-1) ?? 0)) kept.push(d);
  kept.push(length);
  return { name, walker, length, limitEnds, limitKmh, stops: Float64Array.from(kept) };
}

/** The posted (or class) speed limit `d` meters along the tour. */
export function limitAt(tour: Tour, d: number): number {
  const ends = tour.limitEnds;
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! < d) lo = mid + 1;
    else hi = mid;
  }
  return tour.limitKmh[lo]!;
}
