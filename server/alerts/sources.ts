import type { NewAlert } from '../db/sql/alerts';
import type { FenceEvent } from '../geofence/live-evaluation';
import type { Position } from '../protocol/position';
import type { LiveVehicle } from '../realtime/live-state';
import { BatteryAlerts } from './battery';
import { geofenceAlerts } from './geofence';
import { offlineAlerts } from './offline';
import type { AlertService } from './service';
import { SpeedAlerts } from './speed';

/**
 * Where alerts come from, wired by server/index.ts: geofence events, presence, and the committed
 * positions (speed and battery episodes). Each hook turns its input into alerts in memory and
 * hands them to the service in one batch, without holding up the caller. Later sources (routes,
 * driving events, …) follow the same shape: a small module producing NewAlert[] + a hook here.
 */
export class AlertSources {
  readonly speed: SpeedAlerts;
  readonly battery: BatteryAlerts;
  private readonly nameOf: (vehicleId: string) => string;

  constructor(
    private readonly service: AlertService,
    options: { speedLimitKmh: number; lowBatteryPercent: number; nameOf: (vehicleId: string) => string },
  ) {
    this.nameOf = options.nameOf;
    this.speed = new SpeedAlerts(options.speedLimitKmh, options.nameOf);
    this.battery = new BatteryAlerts(options.lowBatteryPercent, options.nameOf);
  }

  /**
   * Start-up: takes the vehicles' speed limits from their attributes (changes arrive by
   * vehicleChanged) and resumes the speed and battery episodes their last committed readings
   * were in, so a restart raises no second alert for an episode already alerted.
   */
  start(
    vehicles: Iterable<{ id: string; attributes: unknown }>,
    lastReading: (vehicleId: string) => { speed: number | null; battery: number | null } | null,
  ): void {
    for (const { id, attributes } of vehicles) {
      this.vehicleChanged(id, attributes);
      const last = lastReading(id);
      if (!last) continue;
      this.speed.resume(id, last.speed);
      this.battery.resume(id, last.battery);
    }
  }

  /** A committed batch (each vehicle's positions in order): speed and battery episodes. */
  committed(fresh: readonly Position[]): void {
    let alerts: NewAlert[] | null = null;
    for (const p of fresh) {
      const speeding = this.speed.check(p);
      const low = this.battery.check(p);
      if (speeding) (alerts ??= []).push(speeding);
      if (low) (alerts ??= []).push(low);
    }
    if (alerts) this.service.raiseInBackground(alerts);
  }

  fenceEvents(events: readonly FenceEvent[]): void {
    this.service.raiseInBackground(geofenceAlerts(events, this.nameOf));
  }

  /** Vehicles FleetHub.sweepPresence just marked offline. */
  wentOffline(vehicles: readonly LiveVehicle[], now: number): void {
    this.service.raiseInBackground(offlineAlerts(vehicles, now));
  }

  vehicleChanged(vehicleId: string, attributes: unknown): void {
    this.speed.setAttributes(vehicleId, attributes);
  }

  vehicleRemoved(vehicleId: string): void {
    this.speed.forget(vehicleId);
    this.battery.forget(vehicleId);
  }
}
