import type { DemoPath } from './berlin-paths';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineMeters(a: [number, number], b: [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLng = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Initial bearing from a to b in degrees [0, 360). */
export function bearingDegrees(a: [number, number], b: [number, number]): number {
  const y = Math.sin(rad(b[0] - a[0])) * Math.cos(rad(b[1]));
  const x = Math.cos(rad(a[1])) * Math.sin(rad(b[1])) - Math.sin(rad(a[1])) * Math.cos(rad(b[1])) * Math.cos(rad(b[0] - a[0]));
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

export interface PathPoint {
  lng: number;
  lat: number;
  heading: number;
}

/** A path measured once, so a point at any distance along it costs a binary search. */
export class PathWalker {
  readonly length: number;
  private readonly points: Array<[number, number]>;
  private readonly cumulative: number[];

  /** Meters from the start to each point of the path. */
  get cumulativeMeters(): readonly number[] {
    return this.cumulative;
  }

  constructor(readonly path: DemoPath) {
    this.points = path.loop ? [...path.points, path.points[0]!] : path.points;
    this.cumulative = [0];
    for (let i = 1; i < this.points.length; i++) {
      this.cumulative.push(this.cumulative[i - 1]! + haversineMeters(this.points[i - 1]!, this.points[i]!));
    }
    this.length = this.cumulative[this.cumulative.length - 1]!;
  }

  /**
   * The point `distance` meters along the route driven endlessly: round and round a loop, back
   * and forth along an open path (heading turns around at the ends).
   */
  at(distance: number): PathPoint {
    let d: number;
    let reverse = false;
    if (this.path.loop) {
      d = ((distance % this.length) + this.length) % this.length;
    } else {
      const period = 2 * this.length;
      const t = ((distance % period) + period) % period;
      reverse = t > this.length;
      d = reverse ? period - t : t;
    }
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! <= d) lo = mid;
      else hi = mid;
    }
    const a = this.points[lo]!;
    const b = this.points[hi]!;
    const span = this.cumulative[hi]! - this.cumulative[lo]!;
    const f = span > 0 ? (d - this.cumulative[lo]!) / span : 0;
    const heading = bearingDegrees(reverse ? b : a, reverse ? a : b);
    return { lng: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, heading };
  }
}
