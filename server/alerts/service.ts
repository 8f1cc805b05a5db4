import type { Namespace } from 'socket.io';
import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/alerts';
import { Audit } from '../events/audit';
import type { EventLog } from '../events/log';
import { uuid7 } from '../events/uuid7';
import type { Logger } from '../log';
import type { NewEvent } from '../protocol/events';
import {
  ALERT_EVENTS,
  alertPatch,
  alertsBulkDelete,
  alertsBulkPatch,
  alertsFilter,
  alertsQuery,
  alertsRestore,
  type AlertDeletedEvent,
  type AlertRestoredEvent,
  type AlertsRestoredResult,
  type AlertDto,
  type AlertListResult,
  type AlertReadEvent,
  type AlertsChangedResult,
  type AlertsFilter,
} from '../protocol/alerts';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { tenantRoom } from '../realtime/fleet-hub';
import type { VehicleRegistry } from '../vehicles/registry';
import { alertsCsv } from './csv';
import type { AlertPolicy } from './policy';
import { SystemErrorThrottle } from './system';

const WRITERS = ['admin', 'manager'] as const;
/** Most alerts raised in one transaction from the background queue. */
const RAISE_BATCH = 2_000;
/** Most alerts one CSV export holds. */
const MAX_EXPORT = 100_000;
/** Expired alerts deleted per statement by the sweep. */
const SWEEP_BATCH = 5_000;

export interface AlertServiceOptions {
  /** ALERT_TTL_HOURS: an alert expires this long after it was raised. */
  ttlHours: number;
  /** ALERT_UNDO_SECONDS: a deleted alert can be restored this long, then it is removed for good (default 10). */
  undoSeconds?: number;
  registry: VehicleRegistry;
  log: Logger;
  /** The /fleet namespace. */
  fleet: () => Namespace | null;
  /** Alerts and their events (alert.raised, .read, .acknowledged, .deleted) commit together. */
  events: EventLog;
  /** The tenants' rules, snoozes and flood protection, applied to everything `raiseInBackground` gets. */
  policy?: AlertPolicy;
}

/**
 * Alerts of the caller's tenant: everyone in the tenant reads; admins and managers mark read,
 * acknowledge and delete; another tenant's alert is always NOT_FOUND. Sources raise alerts in
 * batches (one INSERT each); every change is announced to the tenant's dashboards on /fleet
 * (`alert`, `alert:read`, `alert:deleted`). Expired alerts are invisible at once and deleted by
 * the sweep, which announces them as deleted too.
 */
export class AlertService {
  private readonly ttlSeconds: number;
  private readonly undoSeconds: number;
  private purgeTimer: NodeJS.Timeout | null = null;
  private lastDeleteAt = 0;
  private readonly throttle = new SystemErrorThrottle(60_000);
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> = Promise.resolve(0);
  private pending: sql.NewAlert[] = [];
  private raising: Promise<void> | null = null;

  constructor(
    private readonly prisma: Prisma,
    private readonly options: AlertServiceOptions,
  ) {
    this.ttlSeconds = options.ttlHours * 3600;
    this.undoSeconds = options.undoSeconds ?? 10;
  }

  // ── sources ───────────────────────────────────────────────────────────────────────────────

  /**
   * Stores alerts in one statement with their `alert.raised` events (one transaction) and
   * announces each to its tenant; resolves with them as stored.
   */
  async raise(alerts: readonly sql.NewAlert[]): Promise<AlertDto[]> {
    if (alerts.length === 0) return [];
    const withIds = alerts.map((a) => ({ ...a, id: uuid7() }));
    const causes = new Map(withIds.map((a) => [a.id, a.causationId ?? null]));
    const stored = await this.options.events.transact(async (tx, emit) => {
      const rows = (await sql.insertAlerts(tx, withIds, this.ttlSeconds)).map((row) => ({ tenantId: row.tenantId, alert: toDto(row) }));
      emit(
        ...rows.map(
          ({ tenantId, alert }): NewEvent => ({
            tenantId,
            type: 'alert.raised',
            aggregateId: alert.id,
            at: Date.parse(alert.at),
            actor: { kind: 'system' },
            causationId: causes.get(alert.id) ?? null,
            data: { alertType: alert.type, severity: alert.severity, message: alert.message, vehicleId: alert.vehicleId, geofenceId: alert.geofenceId, details: alert.details },
          }),
        ),
      );
      return rows;
    });
    const fleet = this.options.fleet();
    for (const { tenantId, alert } of stored) fleet?.to(tenantRoom(tenantId)).emit(ALERT_EVENTS.alert, alert);
    return stored.map((s) => s.alert);
  }

  /**
   * `raise` for callers that must not wait or fail (the position pipeline): group-committed, one
   * transaction at a time, whatever gathered while the previous one ran going into the next.
   * Alerts raised concurrently would each hold a pool connection while waiting for the tenant's
   * event counter, and the position writes need those connections. Errors are logged.
   */
  raiseInBackground(alerts: readonly sql.NewAlert[]): void {
    if (alerts.length === 0) return;
    this.enqueue(this.options.policy ? this.options.policy.admit(alerts) : alerts);
  }

  /** Alert rules, snoozes and flood protection (REST /api/v1/alert-rules, /api/v1/alert-snoozes). */
  get policy(): AlertPolicy {
    if (!this.options.policy) throw new ApiError('UNAVAILABLE', 'alert rules are not available on this server');
    return this.options.policy;
  }

  /** Starts the policy's flood summaries (they are raised as they are, not judged again). */
  startPolicy(): void {
    this.options.policy?.start((summaries) => this.enqueue(summaries));
  }

  private enqueue(alerts: readonly sql.NewAlert[]): void {
    if (alerts.length === 0) return;
    for (const a of alerts) this.pending.push(a);
    if (!this.raising) this.raising = this.raisePending();
  }

  private async raisePending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, RAISE_BATCH);
      try {
        await this.raise(batch);
      } catch (error) {
        this.options.log.error({ err: error, alerts: batch.length }, 'alerts could not be stored');
      }
    }
    this.raising = null;
  }

  /**
   * A system_error alert (high) for a tenant: something the server failed to do for it. The same
   * message is raised at most once a minute per tenant, so an outage does not flood the feed.
   */
  raiseSystem(tenantId: string, message: string, details: Record<string, unknown> = {}, now = Date.now()): void {
    if (!this.throttle.allow(`${tenantId}|${message}`, now)) return;
    this.raiseInBackground([{ tenantId, type: 'system_error', severity: 'high', message, at: now, details }]);
  }

  // ── REST ──────────────────────────────────────────────────────────────────────────────────

  /** The tenant's alerts matching the query (raw query-string values), newest first, with unread counts. */
  async list(principal: Principal, input: unknown): Promise<AlertListResult> {
    const { limit, ...filter } = parseOrThrow(alertsQuery, input);
    await this.assertFilterInTenant(principal, filter);
    const [rows, unread] = await Promise.all([
      sql.listAlerts(this.prisma, principal.tenantId, filter, limit + 1),
      sql.unreadCounts(this.prisma, principal.tenantId),
    ]);
    const truncated = rows.length > limit;
    return { alerts: (truncated ? rows.slice(0, limit) : rows).map(toDto), truncated, unread };
  }

  /**
   * The tenant's alerts matching the filters (raw query-string values, no limit) as CSV, newest
   * first, at most MAX_EXPORT rows (the response says when more matched: `truncated`).
   */
  async exportCsv(principal: Principal, filterInput: unknown): Promise<{ csv: string; rows: number; truncated: boolean }> {
    const filter = parseOrThrow(alertsFilter, filterInput);
    await this.assertFilterInTenant(principal, filter);
    const rows = await sql.listAlerts(this.prisma, principal.tenantId, filter, MAX_EXPORT + 1);
    const truncated = rows.length > MAX_EXPORT;
    const alerts = (truncated ? rows.slice(0, MAX_EXPORT) : rows).map(toDto);
    const [vehicles, users] = await Promise.all([
      this.prisma.vehicle.findMany({ where: { tenantId: principal.tenantId }, select: { id: true, name: true } }),
      this.prisma.user.findMany({ where: { tenantId: principal.tenantId }, select: { id: true, name: true } }),
    ]);
    const vehicleNames = new Map(vehicles.map((v) => [v.id, v.name]));
    const userNames = new Map(users.map((u) => [u.id, u.name]));
    return { csv: alertsCsv(alerts, { vehicle: (id) => vehicleNames.get(id), user: (id) => userNames.get(id) }), rows: alerts.length, truncated };
  }

  async get(principal: Principal, id: string): Promise<AlertDto> {
    return toDto(await this.find(principal, id));
  }

  /** `{read?: true, acknowledged?: true}` on one alert; resolves with it as it is now. */
  async update(principal: Principal, id: string, body: unknown): Promise<AlertDto> {
    requireRole(principal, WRITERS, 'change alerts');
    const patch = parseOrThrow(alertPatch, body);
    // Marking an id that is not an alert of the tenant changes nothing; the read after it says NOT_FOUND.
    await this.mark(principal, { ids: [id], filter: {} }, patch.acknowledged === true);
    return toDto(await this.find(principal, id));
  }

  /**
   * `{ids: [...] | "all", read?: true, acknowledged?: true}` on the alerts matching the filter
   * (raw query-string values) and, for a list, named in it. A listed id that is not an alert of
   * the tenant is NOT_FOUND, and then nothing changes. Resolves with the ids that changed.
   */
  async updateMany(principal: Principal, filterInput: unknown, body: unknown): Promise<AlertsChangedResult> {
    requireRole(principal, WRITERS, 'change alerts');
    const filter = parseOrThrow(alertsFilter, filterInput);
    const patch = parseOrThrow(alertsBulkPatch, body);
    const target = await this.target(principal, filter, patch.ids);
    return { ids: await this.mark(principal, target, patch.acknowledged === true) };
  }

  /** Deletes one alert (softly: `restore` brings it back within the undo time); resolves with that time. */
  async remove(principal: Principal, id: string): Promise<{ undoUntil: string }> {
    requireRole(principal, WRITERS, 'delete alerts');
    const since = Date.now();
    const ids = await this.delete(principal, { ids: [id], filter: {} });
    if (ids.length === 0) throw notFound(id);
    this.announceDeleted(principal.tenantId, ids);
    return { undoUntil: this.undoUntil(since) };
  }

  /**
   * `{ids: [...] | "all"}` like `updateMany`; resolves with the ids deleted and until when they
   * can be restored. The alerts are hidden at once and removed for good after ALERT_UNDO_SECONDS.
   */
  async removeMany(principal: Principal, filterInput: unknown, body: unknown): Promise<AlertsChangedResult> {
    requireRole(principal, WRITERS, 'delete alerts');
    const filter = parseOrThrow(alertsFilter, filterInput);
    const { ids: named } = parseOrThrow(alertsBulkDelete, body);
    const since = Date.now();
    const ids = await this.delete(principal, await this.target(principal, filter, named));
    this.announceDeleted(principal.tenantId, ids);
    return { ids, undoUntil: this.undoUntil(since) };
  }

  /**
   * Undo: `{ids: [...]}` deleted less than ALERT_UNDO_SECONDS ago are alerts again, with an
   * alert.restored event each, announced to dashboards as `alert:restored`. All or nothing: an id
   * that cannot be restored (never deleted, another tenant's, or too late) is a CONFLICT naming it.
   */
  async restore(principal: Principal, body: unknown): Promise<AlertsRestoredResult> {
    requireRole(principal, WRITERS, 'restore alerts');
    const { ids } = parseOrThrow(alertsRestore, body);
    const rows = await this.options.events.transact(async (tx, emit) => {
      const restored = await sql.restoreAlerts(tx, principal.tenantId, ids, this.undoSeconds);
      if (restored.length < ids.length) {
        const back = new Set(restored.map((r) => r.id));
        const index = ids.findIndex((id) => !back.has(id));
        throw new ApiError('CONFLICT', `alert ${ids[index]} cannot be restored: it was not deleted, or more than ${this.undoSeconds} s ago`, `ids.${index}`);
      }
      const audit = new Audit(principal);
      emit(...restored.map((r) => audit.event('alert.restored', r.id, {})));
      return restored;
    });
    const alerts = rows.map(toDto);
    this.options.fleet()?.to(tenantRoom(principal.tenantId)).emit(ALERT_EVENTS.restored, { alerts } satisfies AlertRestoredEvent);
    return { alerts };
  }

  /** Removes for good the alerts whose undo time has passed; resolves with how many. */
  purgeDeleted(): Promise<number> {
    return sql.purgeDeletedAlerts(this.prisma, this.undoSeconds);
  }

  /**
   * Until when alerts deleted by a request that began at `since` can be restored. Counted from
   * before the delete (the database stamps them a little later), so a client that stops offering
   * undo at this time never offers one the database refuses.
   */
  private undoUntil(since: number): string {
    this.lastDeleteAt = Date.now();
    this.schedulePurge(this.undoSeconds * 1000 + 1_000);
    return new Date(since + this.undoSeconds * 1000).toISOString();
  }

  /** Removal for good follows soon after the undo time of the last delete, not at the next expiry sweep. */
  private schedulePurge(inMs: number): void {
    if (this.purgeTimer) return;
    this.purgeTimer = setTimeout(() => {
      this.purgeTimer = null;
      this.purgeDeleted().catch((error: unknown) => this.options.log.error({ err: error }, 'deleted alerts could not be removed'));
      const left = this.lastDeleteAt + this.undoSeconds * 1000 + 1_000 - Date.now();
      if (left > 0) this.schedulePurge(left);
    }, inMs);
    this.purgeTimer.unref();
  }

  // ── expiry ────────────────────────────────────────────────────────────────────────────────

  /** Deletes every expired alert and announces them; resolves with how many. */
  sweepExpired(): Promise<number> {
    // One sweep at a time; a failed one (already reported to its caller) does not stop the next.
    this.sweeping = this.sweeping.catch(() => 0).then(async () => {
      let total = 0;
      for (;;) {
        const rows = await sql.deleteExpiredAlerts(this.prisma, SWEEP_BATCH);
        const byTenant = new Map<string, string[]>();
        for (const row of rows) {
          let list = byTenant.get(row.tenantId);
          if (!list) byTenant.set(row.tenantId, (list = []));
          list.push(row.id);
        }
        for (const [tenantId, ids] of byTenant) this.announceDeleted(tenantId, ids);
        total += rows.length;
        if (rows.length < SWEEP_BATCH) {
          await this.purgeDeleted(); // deleted alerts left over (e.g. from before a restart)
          return total;
        }
      }
    });
    return this.sweeping;
  }

  /** Sweeps every tenth of the TTL, between once a second and once a minute. */
  startExpiry(): void {
    const everyMs = Math.min(60_000, Math.max(1_000, (this.ttlSeconds * 1000) / 10));
    this.sweepTimer = setInterval(() => {
      this.sweepExpired()
        .then((n) => n > 0 && this.options.log.debug({ alerts: n }, 'expired alerts deleted'))
        .catch((error: unknown) => this.options.log.error({ err: error }, 'alert expiry sweep failed'));
    }, everyMs);
    this.sweepTimer.unref();
  }

  stop(): void {
    this.options.policy?.stop();
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.sweepTimer = null;
    if (this.purgeTimer) clearTimeout(this.purgeTimer);
    this.purgeTimer = null;
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private async find(principal: Principal, id: string): Promise<sql.AlertRow> {
    const row = await sql.findAlert(this.prisma, principal.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  /** A bulk target; every id of a list must be an alert of the tenant (NOT_FOUND names the first that is not). */
  private async target(principal: Principal, filter: AlertsFilter, ids: string[] | 'all'): Promise<sql.AlertTarget> {
    await this.assertFilterInTenant(principal, filter);
    if (ids === 'all') return { ids: null, filter };
    const [missing] = await sql.missingAlerts(this.prisma, principal.tenantId, ids);
    if (missing !== undefined) throw new ApiError('NOT_FOUND', `alert ${missing} not found`, `ids.${ids.indexOf(missing)}`);
    return { ids, filter };
  }

  /** Deletes the target alerts with an alert.deleted event each (one transaction). */
  private delete(principal: Principal, target: sql.AlertTarget): Promise<string[]> {
    return this.options.events.transact(async (tx, emit) => {
      const ids = await sql.deleteAlerts(tx, principal.tenantId, target);
      const audit = new Audit(principal);
      emit(...ids.map((id) => audit.event('alert.deleted', id, { reason: 'user' })));
      return ids;
    });
  }

  private async mark(principal: Principal, target: sql.AlertTarget, acknowledge: boolean): Promise<string[]> {
    const changes = await this.options.events.transact(async (tx, emit) => {
      const changed = await sql.markAlerts(tx, principal.tenantId, target, acknowledge ? principal.userId : null);
      const audit = new Audit(principal);
      emit(...changed.map((c) => audit.event(acknowledge ? 'alert.acknowledged' : 'alert.read', c.id, {})));
      return changed;
    });
    // One event per distinct outcome (alerts read earlier keep their first read time).
    const groups = new Map<string, AlertReadEvent>();
    for (const c of changes) {
      const event: AlertReadEvent = {
        ids: [],
        readAt: c.readAt.toISOString(),
        ...(c.acknowledgedAt ? { acknowledgedAt: c.acknowledgedAt.toISOString(), acknowledgedBy: c.acknowledgedBy ?? undefined } : {}),
      };
      const key = `${event.readAt}|${event.acknowledgedAt ?? ''}|${event.acknowledgedBy ?? ''}`;
      const group = groups.get(key) ?? event;
      groups.set(key, group);
      group.ids.push(c.id);
    }
    const room = this.options.fleet()?.to(tenantRoom(principal.tenantId));
    for (const event of groups.values()) room?.emit(ALERT_EVENTS.read, event);
    return changes.map((c) => c.id);
  }

  private announceDeleted(tenantId: string, ids: string[]): void {
    if (ids.length === 0) return;
    this.options.fleet()?.to(tenantRoom(tenantId)).emit(ALERT_EVENTS.deleted, { ids } satisfies AlertDeletedEvent);
  }

  /** A vehicle or fence named in a filter must be the tenant's (else NOT_FOUND, as everywhere). */
  private async assertFilterInTenant(principal: Principal, filter: AlertsFilter): Promise<void> {
    if (filter.vehicleId && !this.options.registry.inTenant(principal.tenantId, filter.vehicleId)) {
      throw new ApiError('NOT_FOUND', `vehicle ${filter.vehicleId} not found`, 'vehicleId');
    }
    if (filter.geofenceId) {
      const fence = await this.prisma.geofence.findFirst({ where: { id: filter.geofenceId, tenantId: principal.tenantId }, select: { id: true } });
      if (!fence) throw new ApiError('NOT_FOUND', `geofence ${filter.geofenceId} not found`, 'geofenceId');
    }
  }
}

function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `alert ${id} not found`);
}

export function toDto(row: sql.AlertRow): AlertDto {
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    message: row.message,
    vehicleId: row.vehicleId,
    geofenceId: row.geofenceId,
    at: row.at.toISOString(),
    position: row.lng === null || row.lat === null ? null : { lng: row.lng, lat: row.lat },
    details: row.details && typeof row.details === 'object' && !Array.isArray(row.details) ? (row.details as Record<string, unknown>) : {},
    readAt: row.readAt?.toISOString() ?? null,
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
  };
}
