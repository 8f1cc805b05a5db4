import { expandBbox, METERS_PER_DEGREE, originToSegment, RAD } from '../geofence/geometry';
import { FenceIndex } from '../geofence/index';

/**
 * A route's LineString, its segments indexed by their boxes, answering "how far from the route is
 * this point, if it is within R meters". Segments are straight in (lng, lat), as PostGIS stores
 * them; distances are measured like the geofences' hysteresis (`distanceToBoundary`): in a local
 * equirectangular projection centred on the point, exact to ≲ 0.02 % at 100 m.
 */
export class RouteLine {
  private readonly xy: Float64Array;
  private readonly index: FenceIndex;

  constructor(coordinates: readonly number[][]) {
    this.xy = new Float64Array(coordinates.length * 2);
    coordinates.forEach(([lng, lat], i) => {
      this.xy[i * 2] = lng!;
      this.xy[i * 2 + 1] = lat!;
    });
    const boxes = [];
    for (let i = 0; i + 1 < coordinates.length; i++) {
      const [ax, ay, bx, by] = [this.xy[i * 2]!, this.xy[i * 2 + 1]!, this.xy[i * 2 + 2]!, this.xy[i * 2 + 3]!];
      boxes.push({ minX: Math.min(ax, bx), minY: Math.min(ay, by), maxX: Math.max(ax, bx), maxY: Math.max(ay, by) });
    }
    this.index = new FenceIndex(boxes);
  }

  /** Meters from (lng, lat) to the nearest point of the line when that is at most `within`, else Infinity. */
  distanceWithin(lng: number, lat: number, within: number): number {
    const q = expandBbox({ minX: lng, minY: lat, maxX: lng, maxY: lat }, within);
    const kx = Math.cos(lat * RAD) * METERS_PER_DEGREE;
    const ky = METERS_PER_DEGREE;
    let best = Infinity;
    for (const i of this.index.search(q.minX, q.minY, q.maxX, q.maxY)) {
      const o = i * 2;
      const d = originToSegment((this.xy[o]! - lng) * kx, (this.xy[o + 1]! - lat) * ky, (this.xy[o + 2]! - lng) * kx, (this.xy[o + 3]! - lat) * ky);
      if (d < best) best = d;
    }
    return best <= within ? best : Infinity;
  }
}
