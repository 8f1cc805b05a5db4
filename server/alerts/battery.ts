import type { NewAlert } from '../db/sql/alerts';
import type { Position } from '../protocol/position';
import { EpisodeTracker } from './episodes';

/** Percentage points above the threshold a battery must reach before it can alert again. */
export const BATTERY_REARM_MARGIN = 5;

/**
 * low_battery: a battery reading (0–100 %) below LOW_BATTERY_PERCENT raises one alert per
 * episode; the episode ends (re-arms) once a reading is above the threshold + 5. Positions
 * without a battery reading change nothing.
 */
export class BatteryAlerts {
  private readonly episodes = new EpisodeTracker();

  constructor(
    private readonly thresholdPercent: number,
    private readonly nameOf: (vehicleId: string) => string,
  ) {}

  forget(vehicleId: string): void {
    this.episodes.forget(vehicleId);
  }

  /** After a restart, from the vehicle's last committed reading: an episode it was in goes on, without a second alert. */
  resume(vehicleId: string, battery: number | null): void {
    if (battery !== null && battery < this.thresholdPercent) this.episodes.observe(vehicleId, true, false);
  }

  check(p: Position): NewAlert | null {
    if (p.battery === null) return null;
    const low = p.battery < this.thresholdPercent;
    if (!this.episodes.observe(p.vehicleId, low, p.battery > this.thresholdPercent + BATTERY_REARM_MARGIN)) return null;
    const battery = Math.round(p.battery * 10) / 10;
    return {
      tenantId: p.tenantId,
      type: 'low_battery',
      severity: 'medium',
      message: `${this.nameOf(p.vehicleId)} battery is low: ${battery} % (below ${this.thresholdPercent} %)`,
      vehicleId: p.vehicleId,
      at: p.ts,
      position: { lng: p.lng, lat: p.lat },
      details: { battery: p.battery, thresholdPercent: this.thresholdPercent },
    };
  }
}
