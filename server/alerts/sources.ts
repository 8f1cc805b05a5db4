import type { NewAlert } from '../db/sql/alerts';
import { isCrossing, toMessage } from '../geofence/domain-events';
import type { DomainEvent } from '../protocol/events';
import type { GeofenceDto } from '../protocol/geofences';
import type { Position } from '../protocol/position';
import { BatteryAlerts } from './battery';
import { geofenceAlerts, type FenceCrossing } from './geofence';
import { offlineAlerts } from './offline';
import { routeDeviationAlerts } from './route-deviation';
import type { AlertService } from './service';
import { SpeedAlerts, type MatchedRoad } from './speed';

/**
 * Where alerts come from, wired by server/index.ts: domain events from the bus (geofence
 * membership, vehicles going offline) and the committed positions (speed and battery episodes).
 * Each hook turns its input into alerts in memory and hands them to the service in one batch,
 * without holding up the caller. Later sources (routes, driving events, …) follow the same
 * shape: a small module producing NewAlert[] + a case in `events`.
 */
export class AlertSources {
  readonly speed: SpeedAlerts;
  readonly battery: BatteryAlerts;
  private readonly nameOf: (vehicleId: string) => string;
  private readonly fenceOf: (geofenceId: string) => GeofenceDto | undefined;
  private readonly roadOf: (vehicleId: string) => MatchedRoad | null;
  private readonly routeOf: (routeId: string) => { name: string; attributes: Record<string, unknown> } | null;

  constructor(
    private readonly service: AlertService,
    options: {
      speedLimitKmh: number;
      lowBatteryPercent: number;
      nameOf: (vehicleId: string) => string;
      /** A fence as evaluated (its name, type and alert settings). */
      fenceOf: (geofenceId: string) => GeofenceDto | undefined;
      /** Share over a road's posted limit that still counts as within it (0.1 = +10 %). */
      speedLimitTolerance?: number;
      /** The road a vehicle's latest position was matched to (map matching), when known. */
      roadOf?: (vehicleId: string) => MatchedRoad | null;
      /** A route as assigned (its name and attributes: alert settings). */
      routeOf?: (routeId: string) => { name: string; attributes: Record<string, unknown> } | null;
    },
  ) {
    this.nameOf = options.nameOf;
    this.fenceOf = options.fenceOf;
    this.roadOf = options.roadOf ?? (() => null);
    this.speed = new SpeedAlerts(options.speedLimitKmh, options.nameOf, options.speedLimitTolerance ?? 0.1);
    this.routeOf = options.routeOf ?? (() => null);
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

  /**
   * A committed batch (each vehicle's positions in order): speed and battery episodes. Runs after
   * the stages, so the road of a vehicle's latest position is known (with several positions of one
   * vehicle in a batch, all are judged against that latest road).
   */
  committed(fresh: readonly Position[]): void {
    let alerts: NewAlert[] | null = null;
    for (const p of fresh) {
      const speeding = p.speed === null ? null : this.speed.check(p, this.roadOf(p.vehicleId));
      const low = this.battery.check(p);
      if (speeding) (alerts ??= []).push(speeding);
      if (low) (alerts ??= []).push(low);
    }
    if (alerts) this.service.raiseInBackground(alerts);
  }

  /** The bus consumer: alerts caused by durable domain events, each naming its cause. */
  readonly events = (events: readonly DomainEvent[]): void => {
    const crossings: FenceCrossing[] = [];
    for (const e of events) {
      if (!isCrossing(e)) continue;
      const m = toMessage(e);
      const fence = this.fenceOf(m.geofenceId);
      if (fence) crossings.push({ tenantId: e.tenantId, eventId: e.id, type: m.type, vehicleId: m.vehicleId, at: m.at, position: m.position, fence });
    }
    const alerts = geofenceAlerts(crossings, this.nameOf);
    alerts.push(...offlineAlerts(events));
    alerts.push(...routeDeviationAlerts(events, this.nameOf, this.routeOf));
    this.service.raiseInBackground(alerts);
  };

  vehicleChanged(vehicleId: string, attributes: unknown): void {
    this.speed.setAttributes(vehicleId, attributes);
  }

  vehicleRemoved(vehicleId: string): void {
    this.speed.forget(vehicleId);
    this.battery.forget(vehicleId);
  }
}
