import { newEvent, type NewEvent } from '../protocol/events';
import type { DrivingThresholds } from '../protocol/driving';
import type { Position } from '../protocol/position';
import type { Stage } from '../events/stage';
import { DrivingDetector, type Finding, type LimitAt, type Usage } from './detect';

const DAY_MS = 86_400_000;

/** One vehicle's usage on one UTC day with one driver, not yet written. */
export interface DayUsage {
  tenantId: string;
  vehicleId: string;
  driverId: string | null;
  /** Epoch ms of the UTC day's start. */
  day: number;
  distanceM: number;
  drivingS: number;
  speedingS: number;
  idleS: number;
}

export interface DrivingStageOptions {
  thresholdsOf: (vehicleId: string) => DrivingThresholds;
  limitAt: LimitAt;
  vehicleLimitKmh: (vehicleId: string) => number;
  /** The user assigned to the vehicle now (stamped on its events and usage). */
  driverOf: (vehicleId: string) => string | null;
}

/**
 * The driving stage: committed positions → driving.* events (with the driver at the time) and
 * each vehicle's running usage for the day, which the service takes and writes periodically.
 */
export class DrivingStage implements Stage {
  readonly name = 'driving';
  private readonly detector: DrivingDetector;
  private readonly usage = new Map<string, DayUsage>();
  private done: DayUsage[] = [];
  private readonly findings: Finding[] = [];
  private readonly delta: Usage = { distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0 };

  constructor(private readonly options: DrivingStageOptions) {
    this.detector = new DrivingDetector(options);
  }

  observe(fresh: readonly Position[]): NewEvent[] {
    const findings = this.findings;
    const delta = this.delta;
    let events: NewEvent[] | null = null;
    for (const p of fresh) {
      this.detector.observe(p, findings, delta);
      if (delta.distanceM + delta.drivingS + delta.idleS > 0) this.add(p, delta);
      if (findings.length > 0) {
        events ??= [];
        for (const f of findings) events.push(this.toEvent(p.tenantId, f));
        findings.length = 0;
      }
    }
    return events ?? [];
  }

  forget(vehicleId: string): void {
    this.detector.forget(vehicleId);
  }

  /** The usage gathered since the last call (and resets it). */
  take(): DayUsage[] {
    const out = this.done;
    this.done = [];
    for (const u of this.usage.values()) if (u.distanceM + u.drivingS + u.idleS > 0) out.push({ ...u });
    for (const u of this.usage.values()) u.distanceM = u.drivingS = u.speedingS = u.idleS = 0;
    return out;
  }

  private add(p: Position, d: Usage): void {
    const day = p.ts - (p.ts % DAY_MS);
    const driverId = this.options.driverOf(p.vehicleId);
    let u = this.usage.get(p.vehicleId);
    if (!u || u.day !== day || u.driverId !== driverId) {
      if (u && u.distanceM + u.drivingS + u.idleS > 0) this.done.push(u);
      u = { tenantId: p.tenantId, vehicleId: p.vehicleId, driverId, day, distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0 };
      this.usage.set(p.vehicleId, u);
    }
    u.distanceM += d.distanceM;
    u.drivingS += d.drivingS;
    u.speedingS += d.speedingS;
    u.idleS += d.idleS;
  }

  private toEvent(tenantId: string, f: Finding): NewEvent {
    const { road, ...details } = f.details as { road?: string | null };
    return newEvent({
      tenantId,
      type: `driving.${f.kind}`,
      aggregateId: f.vehicleId,
      at: f.at,
      actor: { kind: 'device', vehicleId: f.vehicleId },
      data: {
        vehicleId: f.vehicleId,
        driverId: this.options.driverOf(f.vehicleId),
        severity: f.severity,
        position: { lng: f.lng, lat: f.lat },
        road: road ?? this.options.limitAt(f.vehicleId)?.road ?? null,
        speedKmh: f.speedKmh,
        evidence: f.evidence,
        ...details,
      } as never,
    });
  }
}
