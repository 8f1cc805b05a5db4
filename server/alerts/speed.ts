import type { NewAlert } from '../db/sql/alerts';
import type { Position } from '../protocol/position';
import { EpisodeTracker } from './episodes';

/** The `attributes.speedLimitKmh` of a vehicle when it is a usable limit (a number or numeric string > 0), else null. */
export function parseSpeedLimit(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * speed_violation: a vehicle faster than its limit (`attributes.speedLimitKmh`, else the tenant-wide
 * SPEED_LIMIT_KMH) raises one alert per episode; a position at or under the limit ends the
 * episode. Positions without a speed change nothing. A speed at or under every limit in use (the
 * common case) costs two comparisons; only faster ones look the vehicle's limit up.
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

  check(p: Position): NewAlert | null {
    if (p.speed === null) return null;
    // At or under every limit: cannot start an episode, ends one if any (no lookup needed).
    const limit = p.speed > this.floor ? this.limitOf(p.vehicleId) : Infinity;
    if (!this.episodes.observe(p.vehicleId, p.speed > limit, p.speed <= limit)) return null;
    const speedKmh = Math.round(p.speed * 10) / 10;
    return {
      tenantId: p.tenantId,
      type: 'speed_violation',
      severity: 'medium',
      message: `${this.nameOf(p.vehicleId)} is speeding: ${speedKmh} km/h where the limit is ${limit} km/h`,
      vehicleId: p.vehicleId,
      at: p.ts,
      position: { lng: p.lng, lat: p.lat },
      details: { speedKmh, limitKmh: limit },
    };
  }

  private recomputeFloor(): void {
    let floor = this.defaultLimitKmh;
    for (const limit of this.limits.values()) if (limit < floor) floor = limit;
    this.floor = floor;
  }
}
