import { requireRole, type Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import type { NewAlert } from '../db/sql/alerts';
import * as sql from '../db/sql/driving';
import type { Logger } from '../log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import type { DomainEvent } from '../protocol/events';
import {
  DRIVING_KINDS,
  drivingEventsQuery,
  drivingSettings,
  drivingSettingsRequest,
  drivingThresholds,
  scoresQuery,
  THRESHOLD_PRESETS,
  type DrivingEventDto,
  type DrivingKind,
  type DrivingSettings,
  type DrivingThresholds,
  type ScoreDto,
  type ScoresResult,
} from '../protocol/driving';
import type { RegisteredVehicle, VehicleRegistry } from '../vehicles/registry';
import type { LimitAt } from './detect';
import { scoreOf } from './score';
import { DrivingStage, type DayUsage } from './stage';

const DAY_MS = 86_400_000;
const DEFAULT_SETTINGS: DrivingSettings = drivingSettings.parse({});
const KIND_LABEL: Record<DrivingKind, string> = {
  harsh_brake: 'harsh braking',
  harsh_acceleration: 'harsh acceleration',
  harsh_corner: 'harsh cornering',
  speeding: 'speeding',
  idle: 'prolonged idling',
  possible_collision: 'a possible collision',
};
const vehicleThresholds = drivingThresholds.partial();
const zero = (): Record<DrivingKind, number> => ({ harsh_brake: 0, harsh_acceleration: 0, harsh_corner: 0, speeding: 0, idle: 0, possible_collision: 0 });
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface DrivingServiceOptions {
  registry: VehicleRegistry;
  log: Logger;
  /** The matched road's posted limit (map matching); default: none, the vehicle's limit applies. */
  limitAt?: LimitAt;
  /** The vehicle's or tenant's limit (the speed alert's). */
  vehicleLimitKmh: (vehicleId: string) => number;
  nameOf: (vehicleId: string) => string;
  /** Raises driver_event alerts (the alert service). */
  raiseAlerts: (alerts: NewAlert[]) => void;
  /** How often the day counters are written. */
  flushMs?: number;
}

/**
 * Driving behaviour (docs/driving.md): owns the detection stage, turns durable driving events
 * into day counters and driver_event alerts (the bus consumer `events`), writes the counters
 * incrementally, and answers REST (driving events, scores, settings) — drivers only their own.
 */
export class DrivingService {
  readonly stage: DrivingStage;
  private readonly settings = new Map<string, DrivingSettings>();
  private readonly thresholds = new Map<string, { of: RegisteredVehicle; value: DrivingThresholds }>();
  private counts = new Map<string, sql.DrivingDayDelta>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly prisma: Prisma,
    private readonly options: DrivingServiceOptions,
  ) {
    const limitAt = options.limitAt ?? (() => null);
    this.stage = new DrivingStage({
      thresholdsOf: (id) => this.thresholdsOf(id),
      limitAt,
      vehicleLimitKmh: options.vehicleLimitKmh,
      driverOf: (id) => options.registry.get(id)?.driverId ?? null,
    });
  }

  async start(): Promise<void> {
    for (const { id, settings } of await sql.drivingSettingsOfTenants(this.prisma)) {
      const parsed = drivingSettings.safeParse(settings ?? {});
      this.settings.set(id, parsed.success ? parsed.data : DEFAULT_SETTINGS);
    }
    this.timer = setInterval(() => void this.flush().catch((err: unknown) => this.options.log.error({ err }, 'driving counters not written')), this.options.flushMs ?? 10_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  settingsOf(tenantId: string): DrivingSettings {
    return this.settings.get(tenantId) ?? DEFAULT_SETTINGS;
  }

  /** The vehicle type's preset, then the tenant's overrides, then the vehicle's (attributes.drivingThresholds). */
  thresholdsOf(vehicleId: string): DrivingThresholds {
    const vehicle = this.options.registry.get(vehicleId);
    if (!vehicle) return THRESHOLD_PRESETS.other!;
    const cached = this.thresholds.get(vehicleId);
    if (cached && cached.of === vehicle) return cached.value;
    const own = vehicleThresholds.safeParse((vehicle.attributes as { drivingThresholds?: unknown } | null)?.drivingThresholds ?? {});
    const value = { ...(THRESHOLD_PRESETS[vehicle.type] ?? THRESHOLD_PRESETS.other!), ...this.settingsOf(vehicle.tenantId).thresholds, ...(own.success ? own.data : {}) };
    this.thresholds.set(vehicleId, { of: vehicle, value });
    return value;
  }

  /** The bus consumer: durable driving events → day counters and driver_event alerts. */
  readonly events = (events: readonly DomainEvent[]): void => {
    const alerts: NewAlert[] = [];
    for (const e of events) {
      if (!e.type.startsWith('driving.')) continue;
      const kind = e.type.slice('driving.'.length) as DrivingKind;
      const data = e.data as { vehicleId: string; driverId: string | null; severity: 'low' | 'medium' | 'high'; position: { lng: number; lat: number }; road: string | null; peakG?: number; maxOverKmh?: number; durationS?: number };
      const day = Date.parse(e.at) - (Date.parse(e.at) % DAY_MS);
      this.count(e.tenantId, 'vehicle', data.vehicleId, day).events[kind]++;
      if (data.driverId) this.count(e.tenantId, 'driver', data.driverId, day).events[kind]++;
      if (!this.settingsOf(e.tenantId).alertOn.includes(kind)) continue;
      const measure = data.peakG !== undefined ? ` (${data.peakG} g)` : data.maxOverKmh !== undefined ? ` (${data.maxOverKmh} km/h over)` : kind === 'idle' && data.durationS ? ` (${Math.round(data.durationS / 60)} min)` : '';
      alerts.push({
        tenantId: e.tenantId,
        type: 'driver_event',
        severity: data.severity,
        message: `${this.options.nameOf(data.vehicleId)}: ${KIND_LABEL[kind]}${measure}${data.road ? ` on ${data.road}` : ''}`,
        vehicleId: data.vehicleId,
        at: Date.parse(e.at),
        position: data.position,
        details: { event: e.type, eventId: e.id, driverId: data.driverId, ...(data.peakG !== undefined ? { peakG: data.peakG } : {}) },
        causationId: e.id,
      });
    }
    if (alerts.length > 0) this.options.raiseAlerts(alerts);
  };

  /** Writes the counters gathered since the last write (distance and time from the stage, events from the bus). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      for (const u of this.stage.take()) this.addUsage(u);
      const deltas = [...this.counts.values()];
      this.counts = new Map();
      if (deltas.length === 0) return;
      try {
        await sql.addDrivingDays(this.prisma, deltas);
      } catch (error) {
        // Kept for the next write.
        for (const d of deltas) this.merge(d);
        throw error;
      }
    });
    return this.flushing;
  }

  // ── REST ──────────────────────────────────────────────────────────────────────────────────

  async listEvents(principal: Principal, query: unknown): Promise<{ events: DrivingEventDto[] }> {
    const q = parseOrThrow(drivingEventsQuery, query);
    let driverId = q.driverId;
    let vehicleId = q.vehicleId;
    if (principal.role === 'driver') {
      if (driverId && driverId !== principal.userId) throw new ApiError('FORBIDDEN', 'a driver sees their own driving events only', 'driverId');
      driverId = principal.userId;
    }
    if (vehicleId && !this.options.registry.inTenant(principal.tenantId, vehicleId)) vehicleId = '00000000-0000-0000-0000-000000000000';
    const events = await sql.drivingEvents(this.prisma, principal.tenantId, { driverId, vehicleId, kinds: q.types, from: q.from, to: q.to }, q.limit);
    return { events: events.map((e) => ({ id: e.id, type: e.type as DrivingEventDto['type'], at: e.at, data: e.data as DrivingEventDto['data'] })) };
  }

  async scores(principal: Principal, query: unknown): Promise<ScoresResult> {
    const q = parseOrThrow(scoresQuery, query);
    let subjectId = q.subject === 'driver' ? (q.driverId ?? null) : (q.vehicleId ?? null);
    if (principal.role === 'driver') {
      if (q.subject !== 'driver') throw new ApiError('FORBIDDEN', 'a driver sees their own score only', 'subject');
      if (subjectId && subjectId !== principal.userId) throw new ApiError('FORBIDDEN', 'a driver sees their own score only', 'driverId');
      subjectId = principal.userId;
    }
    const to = q.to ?? isoDay(Date.now());
    const span = q.period === 'day' ? 13 : q.period === 'week' ? 7 * 11 : 30 * 5;
    const from = q.from ?? isoDay(Date.parse(to) - span * DAY_MS);
    if (from > to) throw new ApiError('VALIDATION_ERROR', 'from must not be after to', 'from');
    // Read your writes: what was detected until now counts.
    await this.flush();
    const rows = await sql.drivingPeriods(this.prisma, principal.tenantId, q.subject, q.period, from, to, subjectId);
    const weights = this.settingsOf(principal.tenantId).weights;
    const totals = new Map<string, ScoreDto>();
    const scores = rows.map((r) => {
      const dto = toScore(q.subject, r, isoDay(r.period.getTime()), weights);
      const t = totals.get(r.subject_id);
      totals.set(r.subject_id, t ? sum(t, dto, weights) : { ...dto, period: from, events: { ...dto.events } });
      return dto;
    });
    return { period: q.period, from, to, scores, totals: [...totals.values()].sort((a, b) => (b.score ?? -1) - (a.score ?? -1)) };
  }

  getSettings(principal: Principal): DrivingSettings {
    requireRole(principal, ['admin', 'manager'], 'read driving settings');
    return this.settingsOf(principal.tenantId);
  }

  async putSettings(principal: Principal, body: unknown): Promise<DrivingSettings> {
    requireRole(principal, ['admin'], 'change driving settings');
    const settings = parseOrThrow(drivingSettingsRequest, body);
    await sql.saveDrivingSettings(this.prisma, principal.tenantId, settings);
    this.settings.set(principal.tenantId, settings);
    this.thresholds.clear();
    return settings;
  }

  private addUsage(u: DayUsage): void {
    for (const [kind, id] of [['vehicle', u.vehicleId], ['driver', u.driverId]] as const) {
      if (!id) continue;
      const c = this.count(u.tenantId, kind, id, u.day);
      c.distanceM += u.distanceM;
      c.drivingS += u.drivingS;
      c.speedingS += u.speedingS;
      c.idleS += u.idleS;
    }
  }

  private merge(d: sql.DrivingDayDelta): void {
    const c = this.count(d.tenantId, d.subjectKind, d.subjectId, d.day);
    c.distanceM += d.distanceM;
    c.drivingS += d.drivingS;
    c.speedingS += d.speedingS;
    c.idleS += d.idleS;
    for (const k of DRIVING_KINDS) c.events[k] += d.events[k];
  }

  private count(tenantId: string, subjectKind: 'driver' | 'vehicle', subjectId: string, day: number): sql.DrivingDayDelta {
    const key = `${subjectKind}:${subjectId}:${day}`;
    let c = this.counts.get(key);
    if (!c) {
      c = { tenantId, subjectKind, subjectId, day, distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0, events: zero() };
      this.counts.set(key, c);
    }
    return c;
  }
}

function toScore(kind: 'driver' | 'vehicle', r: sql.PeriodRow, period: string, weights: DrivingSettings['weights']): ScoreDto {
  const events = { harsh_brake: r.harsh_brake, harsh_acceleration: r.harsh_acceleration, harsh_corner: r.harsh_corner, speeding: r.speeding, idle: r.idle, possible_collision: r.possible_collision };
  const counters = { distanceM: r.distance_m, drivingS: r.driving_s, speedingS: r.speeding_s, idleS: r.idle_s, events };
  return {
    subject: { kind, id: r.subject_id, name: r.name ?? '(deleted)' },
    period,
    ...scoreOf(counters, weights),
    distanceKm: Math.round(r.distance_m / 100) / 10,
    drivingMinutes: Math.round(r.driving_s / 6) / 10,
    speedingPercent: r.driving_s > 0 ? Math.round((1000 * r.speeding_s) / r.driving_s) / 10 : 0,
    idleMinutes: Math.round(r.idle_s / 6) / 10,
    events,
  };
}

/** Two scores' counters added (rounded figures are re-derived from the sums of the rounded parts: close enough for a total). */
function sum(a: ScoreDto, b: ScoreDto, weights: DrivingSettings['weights']): ScoreDto {
  const events = zero();
  for (const k of DRIVING_KINDS) events[k] = a.events[k] + b.events[k];
  const drivingMinutes = a.drivingMinutes + b.drivingMinutes;
  const speedingMinutes = (a.speedingPercent * a.drivingMinutes + b.speedingPercent * b.drivingMinutes) / 100;
  const distanceKm = a.distanceKm + b.distanceKm;
  const counters = { distanceM: distanceKm * 1000, drivingS: drivingMinutes * 60, speedingS: speedingMinutes * 60, idleS: (a.idleMinutes + b.idleMinutes) * 60, events };
  return {
    ...a,
    ...scoreOf(counters, weights),
    distanceKm: Math.round(distanceKm * 10) / 10,
    drivingMinutes: Math.round(drivingMinutes * 10) / 10,
    speedingPercent: drivingMinutes > 0 ? Math.round((1000 * speedingMinutes) / drivingMinutes) / 10 : 0,
    idleMinutes: Math.round((a.idleMinutes + b.idleMinutes) * 10) / 10,
    events,
  };
}
