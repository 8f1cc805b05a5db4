import { covers, destination, haversineMeters, METERS_PER_DEGREE, segmentMeetsShape, type Shape } from './geometry';

/**
 * Predictive fences: where will a vehicle outside a fence be in the next `windowMinutes`, and
 * does that path meet the fence? Pure functions over positions; the engine keeps the state.
 *
 * Path: along the vehicle's assigned route when it has one and is on it (within
 * ROUTE_SNAP_M, travelling in the direction of its heading), else a straight line along its
 * heading; length = speed × window in both cases.
 *
 * Confidence, in [0, 1], is the product of four factors:
 *   heading stability  1 − circular standard deviation of the recent headings / 45° (clamped);
 *                      1 on a route (roads bend; the route says where the vehicle goes)
 *   speed stability    1 − coefficient of variation of the recent speeds (clamped)
 *   accuracy           1 − accuracy / 200 m, clamped to [0.2, 1]; 0.9 when the fix has none
 *   horizon            1 − ½ · eta / window: nearer arrivals are surer
 * "Recent" is the last MOTION_SAMPLES positions within MOTION_WINDOW_MS; with fewer than 3 of
 * them both stability factors are 0.5 (not enough evidence either way).
 */

export const MOTION_SAMPLES = 6;
export const MOTION_WINDOW_MS = 120_000;
export const ROUTE_SNAP_M = 50;
const RAD = Math.PI / 180;

/** A vehicle's recent (ts, speed km/h, heading °) samples: a small ring buffer. */
export class MotionHistory {
  private readonly samples = new Float64Array(MOTION_SAMPLES * 3);
  private count = 0;
  private next = 0;

  add(ts: number, speed: number, heading: number): void {
    const o = this.next * 3;
    this.samples[o] = ts;
    this.samples[o + 1] = speed;
    this.samples[o + 2] = heading;
    this.next = (this.next + 1) % MOTION_SAMPLES;
    if (this.count < MOTION_SAMPLES) this.count++;
  }

  /** Heading and speed stability over samples no older than MOTION_WINDOW_MS before `now`. */
  stability(now: number): { heading: number; speed: number } {
    let n = 0;
    let sumSin = 0;
    let sumCos = 0;
    let sumV = 0;
    let sumV2 = 0;
    for (let i = 0; i < this.count; i++) {
      const o = i * 3;
      if (now - this.samples[o]! > MOTION_WINDOW_MS) continue;
      const v = this.samples[o + 1]!;
      const h = this.samples[o + 2]! * RAD;
      n++;
      sumSin += Math.sin(h);
      sumCos += Math.cos(h);
      sumV += v;
      sumV2 += v * v;
    }
    if (n < 3) return { heading: 0.5, speed: 0.5 };
    const r = Math.min(1, Math.hypot(sumSin, sumCos) / n);
    const circularStdDeg = r <= 0 ? 180 : Math.sqrt(-2 * Math.log(r)) / RAD;
    const mean = sumV / n;
    const variance = Math.max(0, sumV2 / n - mean * mean);
    const cv = mean > 0 ? Math.sqrt(variance) / mean : 1;
    return { heading: clamp01(1 - circularStdDeg / 45), speed: clamp01(1 - cv) };
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

export function accuracyFactor(accuracy: number | null | undefined): number {
  if (accuracy === null || accuracy === undefined || !(accuracy >= 0)) return 0.9;
  return Math.max(0.2, Math.min(1, 1 - accuracy / 200));
}

export function confidence(headingStability: number, speedStability: number, accuracy: number | null | undefined, etaS: number, windowS: number): number {
  const horizon = 1 - 0.5 * Math.min(1, etaS / windowS);
  return Math.round(headingStability * speedStability * accuracyFactor(accuracy) * horizon * 1000) / 1000;
}

/** A path ahead: [lng, lat] points, and whether it follows a route. */
export interface PathAhead {
  points: number[][];
  onRoute: boolean;
}

/** Local metric scale at a latitude: meters per degree of longitude. */
const kxAt = (lat: number) => Math.cos(lat * RAD) * METERS_PER_DEGREE;

/**
 * The path a vehicle at (lng, lat) heading `heading`° covers in `meters`: along `route` (a
 * LineString's positions) from the nearest point on it in the direction closest to the
 * heading, when that point is within ROUTE_SNAP_M; else straight ahead.
 */
export function pathAhead(lng: number, lat: number, heading: number, meters: number, route: readonly number[][] | null): PathAhead {
  if (route && route.length >= 2) {
    const along = alongRoute(lng, lat, heading, meters, route);
    if (along) return { points: along, onRoute: true };
  }
  return { points: [[lng, lat], destination(lng, lat, meters, heading)], onRoute: false };
}

function alongRoute(lng: number, lat: number, heading: number, meters: number, route: readonly number[][]): number[][] | null {
  const kx = kxAt(lat);
  const ky = METERS_PER_DEGREE;
  let best = Infinity;
  let bestI = -1;
  let bestT = 0;
  for (let i = 0; i + 1 < route.length; i++) {
    const ax = (route[i]![0]! - lng) * kx;
    const ay = (route[i]![1]! - lat) * ky;
    const dx = (route[i + 1]![0]! - route[i]![0]!) * kx;
    const dy = (route[i + 1]![1]! - route[i]![1]!) * ky;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
    const d = Math.hypot(ax + t * dx, ay + t * dy);
    if (d < best) {
      best = d;
      bestI = i;
      bestT = t;
    }
  }
  if (bestI < 0 || best > ROUTE_SNAP_M) return null;
  const a = route[bestI]!;
  const b = route[bestI + 1]!;
  const start = [a[0]! + bestT * (b[0]! - a[0]!), a[1]! + bestT * (b[1]! - a[1]!)];
  // forward = towards the end of the route when the segment's bearing is within 90° of the heading
  const bearing = Math.atan2((b[0]! - a[0]!) * kx, (b[1]! - a[1]!) * ky) / RAD;
  const forward = Math.abs((((bearing - heading) % 360) + 540) % 360 - 180) <= 90;
  const points: number[][] = [start];
  let left = meters;
  let prev = start;
  for (let i = forward ? bestI + 1 : bestI; forward ? i < route.length : i >= 0; i += forward ? 1 : -1) {
    const p = route[i]!;
    const d = haversineMeters(prev[0]!, prev[1]!, p[0]!, p[1]!);
    if (d >= left) {
      const f = d > 0 ? left / d : 0;
      points.push([prev[0]! + f * (p[0]! - prev[0]!), prev[1]! + f * (p[1]! - prev[1]!)]);
      return points;
    }
    left -= d;
    points.push([p[0]!, p[1]!]);
    prev = p;
  }
  return points; // the route ends before the horizon
}

/** Box of a path, for the index query. */
export function pathBox(points: readonly number[][]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    if (x! < minX) minX = x!;
    if (x! > maxX) maxX = x!;
    if (y! < minY) minY = y!;
    if (y! > maxY) maxY = y!;
  }
  return [minX, minY, maxX, maxY];
}

/** Whether the path meets `shape` anywhere (interior or boundary). */
export function pathMeets(shape: Shape, points: readonly number[][]): boolean {
  for (let i = 0; i + 1 < points.length; i++) {
    if (segmentMeetsShape(shape, points[i]![0]!, points[i]![1]!, points[i + 1]![0]!, points[i + 1]![1]!)) return true;
  }
  return false;
}

/**
 * Meters along `points` to where the path first meets `shape` (its first point must be
 * outside), or null when it never does. Bisection on the first segment that meets it, to ~0.1 %
 * of that segment.
 */
export function distanceToFirstMeeting(shape: Shape, points: readonly number[][]): number | null {
  let travelled = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [ax, ay] = points[i] as [number, number];
    const [bx, by] = points[i + 1] as [number, number];
    const length = haversineMeters(ax, ay, bx, by);
    if (!segmentMeetsShape(shape, ax, ay, bx, by)) {
      travelled += length;
      continue;
    }
    if (covers(shape, ax, ay)) return travelled;
    let lo = 0;
    let hi = 1;
    for (let k = 0; k < 10; k++) {
      const mid = (lo + hi) / 2;
      if (segmentMeetsShape(shape, ax, ay, ax + mid * (bx - ax), ay + mid * (by - ay))) hi = mid;
      else lo = mid;
    }
    return travelled + hi * length;
  }
  return null;
}
