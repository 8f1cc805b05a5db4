import { expandBbox, METERS_PER_DEGREE, nearestOnSegment, RAD } from '../../geofence/geometry';
import { FenceIndex } from '../../geofence/index';

/** A stop of a route as stored: a name and a position (snapped onto the line by RouteTrack). */
export interface RouteStopInput {
  name: string;
  position: [number, number];
}

/** A stop placed on its route: how far along the line it lies. */
export interface TrackStop {
  index: number;
  name: string;
  lng: number;
  lat: number;
  alongM: number;
}

/** Where a point lies on a route. */
export interface Snap {
  /** Segment i runs from vertex i to vertex i + 1. */
  seg: number;
  alongM: number;
  distanceM: number;
  lng: number;
  lat: number;
}

/** Travel speed along each segment (m/s): from the road network, or null where it knows none. */
export type SegmentSpeeds = (lng: number, lat: number) => number | null;

/** Without a road network (or off it): the class default of an unnamed street, 30 km/h. */
export const FALLBACK_SPEED_MPS = 30 / 3.6;

/**
 * One route's line prepared for snapping: vertices in degrees, the distance along the line at
 * each vertex (meters, local equirectangular per segment: ≲ 0.02 % off the spheroid over a city
 * block), each segment's bearing, the segments indexed by their boxes (for the global search),
 * the stops placed in order along it, and the cumulative travel time at each vertex (from the
 * road network's speeds once given one, else at FALLBACK_SPEED_MPS). Immutable but for the time
 * profile, which is swapped whole when the tenant's road graph changes.
 */
export class RouteTrack {
  readonly vertexCount: number;
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  /** Meters along the line at each vertex. */
  readonly cum: Float64Array;
  /** Bearing of each segment (degrees from north, clockwise). */
  readonly bearing: Float64Array;
  readonly lengthM: number;
  readonly stops: readonly TrackStop[];
  /** Seconds from the start at each vertex. */
  private cumT: Float64Array;
  /** What the time profile was computed from (a road graph object; null for the fallback). */
  timesFrom: unknown = null;
  private readonly index: FenceIndex;

  constructor(
    readonly routeId: string,
    coordinates: readonly (readonly number[])[],
    stops: readonly RouteStopInput[] = [],
  ) {
    const n = coordinates.length;
    this.vertexCount = n;
    this.lng = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.bearing = new Float64Array(Math.max(0, n - 1));
    const boxes = [];
    for (let i = 0; i < n; i++) {
      this.lng[i] = coordinates[i]![0]!;
      this.lat[i] = coordinates[i]![1]!;
    }
    for (let i = 0; i + 1 < n; i++) {
      const kx = Math.cos(((this.lat[i]! + this.lat[i + 1]!) / 2) * RAD) * METERS_PER_DEGREE;
      const dx = (this.lng[i + 1]! - this.lng[i]!) * kx;
      const dy = (this.lat[i + 1]! - this.lat[i]!) * METERS_PER_DEGREE;
      this.cum[i + 1] = this.cum[i]! + Math.hypot(dx, dy);
      this.bearing[i] = (Math.atan2(dx, dy) / RAD + 360) % 360;
      boxes.push({ minX: Math.min(this.lng[i]!, this.lng[i + 1]!), minY: Math.min(this.lat[i]!, this.lat[i + 1]!), maxX: Math.max(this.lng[i]!, this.lng[i + 1]!), maxY: Math.max(this.lat[i]!, this.lat[i + 1]!) });
    }
    this.lengthM = n > 0 ? this.cum[n - 1]! : 0;
    this.index = new FenceIndex(boxes);
    this.cumT = this.profile(() => null);
    // Stops in order: each searched from the previous one's place on, so a loop's stops keep their order.
    let from = 0;
    this.stops = stops.map((s, index) => {
      const snap = this.nearestFrom(s.position[0], s.position[1], from);
      from = snap.alongM;
      return { index, name: s.name, lng: s.position[0], lat: s.position[1], alongM: snap.alongM };
    });
  }

  get segmentCount(): number {
    return Math.max(0, this.vertexCount - 1);
  }

  /** Recomputes the time profile from `speeds` (per segment midpoint); `source` identifies it. */
  setSpeeds(speeds: SegmentSpeeds, source: unknown): void {
    this.cumT = this.profile(speeds);
    this.timesFrom = source;
  }

  /** Seconds from the start to `alongM` at the profile's speeds. */
  timeAt(alongM: number, seg = this.segmentAt(alongM)): number {
    const a = this.cum[seg]!;
    const len = this.cum[seg + 1]! - a;
    const t0 = this.cumT[seg]!;
    return len > 0 ? t0 + (this.cumT[seg + 1]! - t0) * Math.min(1, Math.max(0, (alongM - a) / len)) : t0;
  }

  get totalTimeS(): number {
    return this.cumT[this.vertexCount - 1] ?? 0;
  }

  /** The segment `alongM` lies on (binary search). */
  segmentAt(alongM: number): number {
    let lo = 0;
    let hi = this.segmentCount - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.cum[mid]! <= alongM) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  /**
   * Distance from (lng, lat) to segment `i` and where the nearest point lies, into `out`. `kx` is
   * meters per degree of longitude at the point's latitude.
   */
  project(i: number, lng: number, lat: number, kx: number, out: Snap): Snap {
    const ax = (this.lng[i]! - lng) * kx;
    const ay = (this.lat[i]! - lat) * METERS_PER_DEGREE;
    const bx = (this.lng[i + 1]! - lng) * kx;
    const by = (this.lat[i + 1]! - lat) * METERS_PER_DEGREE;
    const t = nearestOnSegment(ax, ay, bx, by);
    const dx = bx - ax;
    const dy = by - ay;
    const px = ax + t * dx;
    const py = ay + t * dy;
    out.seg = i;
    out.distanceM = Math.sqrt(px * px + py * py);
    out.alongM = this.cum[i]! + t * (this.cum[i + 1]! - this.cum[i]!);
    out.lng = this.lng[i]! + t * (this.lng[i + 1]! - this.lng[i]!);
    out.lat = this.lat[i]! + t * (this.lat[i + 1]! - this.lat[i]!);
    return out;
  }

  /** Segments whose box lies within `meters` of the point (the global search's candidates). */
  segmentsNear(lng: number, lat: number, meters: number): number[] {
    const q = expandBbox({ minX: lng, minY: lat, maxX: lng, maxY: lat }, meters);
    return this.index.search(q.minX, q.minY, q.maxX, q.maxY);
  }

  /** The nearest point of the line at or after `fromAlongM` (ties: the earliest). Linear: for set-up and rare off-route reports. */
  nearestFrom(lng: number, lat: number, fromAlongM = 0): Snap {
    const kx = Math.cos(lat * RAD) * METERS_PER_DEGREE;
    const best: Snap = { seg: 0, alongM: 0, distanceM: Infinity, lng, lat };
    const s: Snap = { seg: 0, alongM: 0, distanceM: 0, lng: 0, lat: 0 };
    for (let i = fromAlongM > 0 ? this.segmentAt(fromAlongM) : 0; i < this.segmentCount; i++) {
      this.project(i, lng, lat, kx, s);
      if (s.alongM < fromAlongM) continue;
      if (s.distanceM < best.distanceM - 0.5) Object.assign(best, s);
    }
    return best;
  }

  private profile(speeds: SegmentSpeeds): Float64Array {
    const t = new Float64Array(this.vertexCount);
    let last = FALLBACK_SPEED_MPS;
    for (let i = 0; i + 1 < this.vertexCount; i++) {
      const v = speeds((this.lng[i]! + this.lng[i + 1]!) / 2, (this.lat[i]! + this.lat[i + 1]!) / 2);
      if (v !== null && v > 0.5) last = v;
      t[i + 1] = t[i]! + (this.cum[i + 1]! - this.cum[i]!) / (v !== null && v > 0.5 ? v : last);
    }
    return t;
  }

  /** Bytes of the typed arrays (the bench's memory per route). */
  get bytes(): number {
    return this.vertexCount * 8 * 5 + this.segmentCount * 8 * 5;
  }
}
