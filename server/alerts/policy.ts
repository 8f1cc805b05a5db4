import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import { Prisma as P } from '../db/generated/prisma/client';
import type { NewAlert } from '../db/sql/alerts';
import { Audit, changesOf } from '../events/audit';
import type { EventLog } from '../events/log';
import type { Logger } from '../log';
import {
  alertRuleSet,
  alertSnoozeInput,
  DEFAULT_RULE_SET,
  type AlertRuleSet,
  type AlertSnooze,
} from '../protocol/alert-rules';
import type { AlertType } from '../protocol/alerts';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { FloodGuard } from './flood';
import { applyRules, type ActiveSnooze, type GroupOf } from './rules';

const WRITERS = ['admin', 'manager'] as const;
/** How often ended flood windows are summed up (a summary arrives at most this late). */
const FLUSH_MS = 5_000;

/**
 * The tenants' alert rules, snoozes and flood protection on the way from the sources to the feed
 * (ALERT_POLICY=on). Every tenant's rule set and active snoozes are held in memory (loaded at
 * start, replaced on each change), so judging one alert costs a few map lookups and comparisons:
 * no query on the position path; rules for a vehicle group ask `groupOf`, which answers from memory
 * too. Off: every alert is raised as its source says (the A/B switch).
 */
export class AlertPolicy {
  private readonly sets = new Map<string, AlertRuleSet>();
  private readonly snoozes = new Map<string, ActiveSnooze[]>();
  private readonly flood: FloodGuard;
  private timer: NodeJS.Timeout | null = null;
  /** Alerts judged / not raised / absorbed by flood protection since start (metrics, bench). */
  readonly counts = { judged: 0, dropped: 0, absorbed: 0, summaries: 0 };

  constructor(
    private readonly prisma: Prisma,
    private readonly options: { events: EventLog; log: Logger; nameOf: (vehicleId: string) => string; groupOf: GroupOf; enabled: boolean },
  ) {
    this.flood = new FloodGuard(options.nameOf);
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** Loads every tenant's saved rules and active snoozes. */
  async load(now = Date.now()): Promise<void> {
    for (const row of await this.prisma.alertRules.findMany()) this.sets.set(row.tenantId, fromRow(row));
    const snoozes = await this.prisma.alertSnooze.findMany({ where: { until: { gt: new Date(now) } } });
    this.snoozes.clear();
    for (const s of snoozes) this.addSnooze(s.tenantId, { geofenceId: s.geofenceId, type: s.alertType, untilMs: s.until.getTime() });
  }

  /** Sums up ended flood windows every few seconds into `raise` (which must not judge them again). */
  start(raise: (alerts: NewAlert[]) => void): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => {
      const summaries = this.flood.flush(Date.now());
      this.counts.summaries += summaries.length;
      if (summaries.length > 0) raise(summaries);
    }, FLUSH_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The alerts to raise now, as the tenants' rules want them. */
  admit(alerts: readonly NewAlert[], now = Date.now()): NewAlert[] {
    if (!this.enabled) return alerts as NewAlert[];
    const out: NewAlert[] = [];
    for (const alert of alerts) {
      this.counts.judged++;
      const set = this.sets.get(alert.tenantId) ?? DEFAULT_RULE_SET;
      const ruled = applyRules(set, this.snoozes.get(alert.tenantId) ?? NO_SNOOZES, alert, now, this.options.groupOf);
      if (!ruled) {
        this.counts.dropped++;
        continue;
      }
      const admitted = this.flood.admit(ruled, set.flood, now);
      if (admitted) out.push(admitted);
      else this.counts.absorbed++;
    }
    return out;
  }

  forgetVehicle(vehicleId: string): void {
    this.flood.forgetVehicle(vehicleId);
  }

  // ── REST ──────────────────────────────────────────────────────────────────────────────────

  rules(principal: Principal): { rules: AlertRuleSet; enabled: boolean } {
    return { rules: this.sets.get(principal.tenantId) ?? DEFAULT_RULE_SET, enabled: this.enabled };
  }

  /** Replaces the tenant's rule set (admin, manager), audited as alert_rules.changed. */
  async saveRules(principal: Principal, body: unknown): Promise<{ rules: AlertRuleSet; enabled: boolean }> {
    requireRole(principal, WRITERS, 'change alert rules');
    const next = parseOrThrow(alertRuleSet, body) as AlertRuleSet;
    const before = this.sets.get(principal.tenantId) ?? DEFAULT_RULE_SET;
    await this.options.events.transact(async (tx, emit) => {
      const data = {
        rules: json(next.rules),
        quietHours: next.quietHours === null ? P.DbNull : json(next.quietHours),
        flood: json(next.flood),
        updatedAt: new Date(),
        updatedBy: principal.userId,
      };
      await tx.alertRules.upsert({ where: { tenantId: principal.tenantId }, create: { tenantId: principal.tenantId, ...data }, update: data });
      const changes = changesOf(before as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>);
      if (Object.keys(changes).length > 0) emit(new Audit(principal).event('alert_rules.changed', principal.tenantId, { changes }));
    });
    this.sets.set(principal.tenantId, next);
    return { rules: next, enabled: this.enabled };
  }

  async listSnoozes(principal: Principal, now = Date.now()): Promise<{ snoozes: AlertSnooze[] }> {
    const rows = await this.prisma.alertSnooze.findMany({ where: { tenantId: principal.tenantId, until: { gt: new Date(now) } }, orderBy: { until: 'asc' } });
    return { snoozes: rows.map(snoozeDto) };
  }

  /** Snoozes a fence of the tenant, or an alert type, for some minutes (admin, manager). */
  async snooze(principal: Principal, body: unknown): Promise<{ snooze: AlertSnooze }> {
    requireRole(principal, WRITERS, 'snooze alerts');
    const input = parseOrThrow(alertSnoozeInput, body);
    if (input.geofenceId) {
      const fence = await this.prisma.geofence.findFirst({ where: { id: input.geofenceId, tenantId: principal.tenantId }, select: { id: true } });
      if (!fence) throw new ApiError('NOT_FOUND', `geofence ${input.geofenceId} not found`, 'geofenceId');
    }
    const until = new Date(Date.now() + input.minutes * 60_000);
    const row = await this.options.events.transact(async (tx, emit) => {
      const created = await tx.alertSnooze.create({
        data: { tenantId: principal.tenantId, geofenceId: input.geofenceId ?? null, alertType: input.type ?? null, until, createdBy: principal.userId },
      });
      emit(new Audit(principal).event('alert_snooze.created', principal.tenantId, { snoozeId: created.id, geofenceId: created.geofenceId, alertType: created.alertType, until: until.toISOString() }));
      return created;
    });
    this.addSnooze(principal.tenantId, { geofenceId: row.geofenceId, type: row.alertType, untilMs: until.getTime() });
    return { snooze: snoozeDto(row) };
  }

  /** Ends a snooze early (admin, manager). */
  async unsnooze(principal: Principal, id: string): Promise<void> {
    requireRole(principal, WRITERS, 'end snoozes');
    await this.options.events.transact(async (tx, emit) => {
      const { count } = await tx.alertSnooze.deleteMany({ where: { id, tenantId: principal.tenantId } });
      if (count === 0) throw new ApiError('NOT_FOUND', `snooze ${id} not found`);
      emit(new Audit(principal).event('alert_snooze.deleted', principal.tenantId, { snoozeId: id }));
    });
    const rows = await this.prisma.alertSnooze.findMany({ where: { tenantId: principal.tenantId, until: { gt: new Date() } } });
    this.snoozes.set(principal.tenantId, rows.map((s) => ({ geofenceId: s.geofenceId, type: s.alertType, untilMs: s.until.getTime() })));
  }

  private addSnooze(tenantId: string, snooze: ActiveSnooze): void {
    const now = Date.now();
    const list = (this.snoozes.get(tenantId) ?? []).filter((s) => s.untilMs > now);
    list.push(snooze);
    this.snoozes.set(tenantId, list);
  }
}

const NO_SNOOZES: ActiveSnooze[] = [];
/** A value the schema has checked, as Prisma's JSON input. */
const json = (value: unknown) => value as P.InputJsonValue;

function fromRow(row: { rules: unknown; quietHours: unknown; flood: unknown }): AlertRuleSet {
  // Saved through alertRuleSet; parsed again so a hand-edited row cannot break the alert path.
  const parsed = alertRuleSet.safeParse({ rules: row.rules, quietHours: row.quietHours ?? null, flood: row.flood });
  return parsed.success ? (parsed.data as AlertRuleSet) : DEFAULT_RULE_SET;
}

function snoozeDto(row: { id: string; geofenceId: string | null; alertType: string | null; until: Date; createdBy: string | null; createdAt: Date }): AlertSnooze {
  return { id: row.id, geofenceId: row.geofenceId, type: row.alertType as AlertType | null, until: row.until.toISOString(), createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}
