import type { NewAlert } from '../db/sql/alerts';
import type { Position } from '../protocol/position';
import { EpisodeTracker } from './episodes';

/** The `attributes.speedLimitKmh` of a vehicle when it is a usable limit (a number or numeric string > 0), else null. */
export function parseSpeedLimit(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** The road a position was matched to (server/roads/matching), as speeding needs it. */
export interface MatchedRoad {
  segmentId: number;
  name: string | null;
  ref: string | null;
  class: string;
  /** Posted limit (km/h), null when the road has none. */
  limitKmh: number | null;
}

export type LimitSource = 'posted' | 'vehicle' | 'tenant';

/** How a road is named in messages: its name, else its ref, else its class. */
export function roadLabel(road: MatchedRoad): string {
  return road.name ?? road.ref ?? `a ${road.class.replace(/_/g, ' ')} road`;
}

/**
 * speed_violation: a vehicle faster than its limit raises one alert per episode; a position at or
 * under the limit ends the episode. The limit is the posted limit of the road the position was
 * matched to, plus `toleranceShare` (10 % by default), when that road has one; else the vehicle's
 * `attributes.speedLimitKmh`, else the tenant-wide SPEED_LIMIT_KMH. The alert says which limit
 * and which road. Positions without a speed change nothing. Without a posted limit, a speed at or
 * under every limit in use (the common case) costs two comparisons.
 */
export class SpeedAlerts {
  private readonly episodes = new EpisodeTracker();
  /** Per-vehicle limits, only for vehicles that have one. */
  private readonly limits = new Map<string, number>();
  /** The lowest limit in use: no speed at or under it can violate. */
  private floor: number;

  constructor(
    private readonly defaultLimitKmh: number,
    private readonly nameOf: (vehicleId: string) => string,
    private readonly toleranceShare = 0.1,
  ) {
    this.floor = defaultLimitKmh;
  }

  /** A vehicle's attributes were loaded or changed. */
  setAttributes(vehicleId: string, attributes: unknown): void {
    const limit = parseSpeedLimit(typeof attributes === 'object' && attributes !== null ? (attributes as Record<string, unknown>).speedLimitKmh : undefined);
    const previous = this.limits.get(vehicleId);
    if (limit === null) this.limits.delete(vehicleId);
    else this.limits.set(vehicleId, limit);
    if (limit !== null && limit < this.floor) this.floor = limit;
    else if (previous === this.floor) this.recomputeFloor();
  }

  forget(vehicleId: string): void {
    const previous = this.limits.get(vehicleId);
    this.limits.delete(vehicleId);
    this.episodes.forget(vehicleId);
    if (previous === this.floor) this.recomputeFloor();
  }

  limitOf(vehicleId: string): number {
    return this.limits.get(vehicleId) ?? this.defaultLimitKmh;
  }

  /**
   * After a restart, from the vehicle's last committed reading: an episode it was in goes on, so
   * its next fast position raises no second alert. Call after the vehicle's limit is known.
   */
  resume(vehicleId: string, speed: number | null): void {
    if (speed !== null && speed > this.limitOf(vehicleId)) this.episodes.observe(vehicleId, true, false);
  }

  /** `road`: where the position was matched (null when unmatched or without a road network). */
  check(p: Position, road: MatchedRoad | null = null): NewAlert | null {
    if (p.speed === null) return null;
    let limit: number;
    let threshold: number;
    let source: LimitSource;
    if (road !== null && road.limitKmh !== null) {
      limit = road.limitKmh;
      threshold = limit * (1 + this.toleranceShare);
      source = 'posted';
    } else {
      // At or under every limit: cannot start an episode, ends one if any (no lookup needed).
      const own = p.speed > this.floor ? this.limits.get(p.vehicleId) : undefined;
      limit = p.speed > this.floor ? (own ?? this.defaultLimitKmh) : Infinity;
      threshold = limit;
      source = own !== undefined ? 'vehicle' : 'tenant';
    }
    if (!this.episodes.observe(p.vehicleId, p.speed > threshold, p.speed <= threshold)) return null;
    const speedKmh = Math.round(p.speed * 10) / 10;
    const limitKmh = Math.round(limit * 10) / 10;
    const on = road ? ` on ${roadLabel(road)}` : '';
    const which = source === 'posted' ? 'the posted limit' : source === 'vehicle' ? "the vehicle's limit" : 'the fleet limit';
    return {
      tenantId: p.tenantId,
      type: 'speed_violation',
      severity: 'medium',
      message: `${this.nameOf(p.vehicleId)} is speeding: ${speedKmh} km/h${on} where ${which} is ${limitKmh} km/h`,
      vehicleId: p.vehicleId,
      at: p.ts,
      position: { lng: p.lng, lat: p.lat },
      details: {
        speedKmh,
        limitKmh,
        limitSource: source,
        ...(source === 'posted' ? { thresholdKmh: Math.round(threshold * 10) / 10, tolerance: this.toleranceShare } : {}),
        ...(road ? { road: { segmentId: road.segmentId, name: road.name, ref: road.ref, class: road.class } } : {}),
      },
    };
  }

  private recomputeFloor(): void {
    let floor = this.defaultLimitKmh;
    for (const limit of this.limits.values()) if (limit < floor) floor = limit;
    this.floor = floor;
  }
}
