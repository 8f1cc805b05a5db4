import type { Prisma } from '../database';
import type { Tx } from './events';
import { Prisma as P } from '../generated/prisma/client';
import type { AlertSeverity, AlertsFilter, AlertType } from '../../protocol/alerts';

/**
 * Alerts of every source. Every statement is scoped by tenant and hides expired rows (the sweep
 * deletes them soon after); parameters are bound, never concatenated; batches go in as arrays
 * (unnest), one statement each.
 */

export interface NewAlert {
  tenantId: string;
  type: AlertType;
  severity: AlertSeverity;
  message: string;
  vehicleId?: string | null;
  geofenceId?: string | null;
  /** When the cause happened, epoch ms. */
  at: number;
  position?: { lng: number; lat: number } | null;
  details?: Record<string, unknown>;
  /** The domain event that caused it (e.g. the geofence.entered), for the alert.raised event. */
  causationId?: string | null;
  /** Stored already read (quiet hours: in the history, not in the unread counts). */
  read?: boolean;
}

export interface AlertRow {
  id: string;
  tenantId: string;
  type: AlertType;
  severity: AlertSeverity;
  message: string;
  vehicleId: string | null;
  geofenceId: string | null;
  at: Date;
  lng: number | null;
  lat: number | null;
  details: unknown;
  readAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/** Which alerts a change applies to: those matching the filter and, when given, named by `ids`. */
export interface AlertTarget {
  ids: readonly string[] | null;
  filter: AlertsFilter;
}

const COLUMNS = P.sql`
  a.id, a.tenant_id AS "tenantId", a.type::text AS type, a.severity::text AS severity, a.message,
  a.vehicle_id AS "vehicleId", a.geofence_id AS "geofenceId", a.at, ST_X(a.geom) AS lng, ST_Y(a.geom) AS lat,
  a.details, a.read_at AS "readAt", a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy",
  a.expires_at AS "expiresAt", a.created_at AS "createdAt"`;

const live = (tenantId: string) => P.sql`a.tenant_id = ${tenantId}::uuid AND a.expires_at > now() AND a.deleted_at IS NULL`;

function filterConditions(f: AlertsFilter): P.Sql[] {
  const c: P.Sql[] = [];
  if (f.severity) c.push(P.sql`a.severity::text = ANY(${f.severity}::text[])`);
  if (f.type) c.push(P.sql`a.type::text = ANY(${f.type}::text[])`);
  if (f.read !== undefined) c.push(f.read ? P.sql`a.read_at IS NOT NULL` : P.sql`a.read_at IS NULL`);
  if (f.acknowledged !== undefined) c.push(f.acknowledged ? P.sql`a.acknowledged_at IS NOT NULL` : P.sql`a.acknowledged_at IS NULL`);
  if (f.vehicleId) c.push(P.sql`a.vehicle_id = ${f.vehicleId}::uuid`);
  if (f.geofenceId) c.push(P.sql`a.geofence_id = ${f.geofenceId}::uuid`);
  if (f.from !== undefined) c.push(P.sql`a.created_at >= ${new Date(f.from).toISOString()}::timestamptz`);
  if (f.to !== undefined) c.push(P.sql`a.created_at < ${new Date(f.to).toISOString()}::timestamptz`);
  return c;
}

function targetCondition(tenantId: string, target: AlertTarget): P.Sql {
  const conditions = [live(tenantId), ...filterConditions(target.filter)];
  if (target.ids) conditions.push(P.sql`a.id = ANY(${target.ids}::uuid[])`);
  return P.join(conditions, ' AND ');
}

/**
 * Inserts alerts in ONE statement and returns them as stored. A vehicle or fence that is gone
 * (or of another tenant) is recorded as null rather than failing the batch; alerts of a tenant
 * that no longer exists are skipped.
 */
export async function insertAlerts(prisma: Tx, alerts: ReadonlyArray<NewAlert & { id: string }>, ttlSeconds: number): Promise<AlertRow[]> {
  if (alerts.length === 0) return [];
  const n = alerts.length;
  const col = <T>(pick: (a: NewAlert & { id: string }) => T) => {
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = pick(alerts[i]!);
    return out;
  };
  return prisma.$queryRaw<AlertRow[]>`
    WITH input AS (
      SELECT u.* FROM unnest(
        ${Array.from({ length: n }, (_, i) => i)}::int[], ${col((a) => a.id)}::uuid[], ${col((a) => a.tenantId)}::uuid[], ${col((a) => a.type)}::text[],
        ${col((a) => a.severity)}::text[], ${col((a) => a.message)}::text[], ${col((a) => a.vehicleId ?? null)}::uuid[],
        ${col((a) => a.geofenceId ?? null)}::uuid[], ${col((a) => a.at)}::float8[], ${col((a) => a.position?.lng ?? null)}::float8[],
        ${col((a) => a.position?.lat ?? null)}::float8[], ${col((a) => JSON.stringify(a.details ?? {}))}::jsonb[], ${col((a) => a.read === true)}::boolean[]
      ) AS u(ord, id, tenant_id, type, severity, message, vehicle_id, geofence_id, at, lng, lat, details, read)
    ),
    inserted AS (
      INSERT INTO alerts (id, tenant_id, type, severity, message, vehicle_id, geofence_id, at, geom, details, expires_at, read_at)
      SELECT i.id, i.tenant_id, i.type::"AlertType", i.severity::"Severity", i.message, v.id, g.id, to_timestamp(i.at / 1000.0),
             CASE WHEN i.lng IS NULL OR i.lat IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(i.lng, i.lat), 4326) END,
             i.details, now() + make_interval(secs => ${ttlSeconds}::float8), CASE WHEN i.read THEN now() END
      FROM input i
      JOIN tenants t ON t.id = i.tenant_id
      -- IS NOT DISTINCT FROM: a primary-key probe per row whatever the statistics say (insertGeofenceEvents)
      LEFT JOIN vehicles v ON v.id = i.vehicle_id AND v.tenant_id IS NOT DISTINCT FROM i.tenant_id
      LEFT JOIN geofences g ON g.id = i.geofence_id AND g.tenant_id IS NOT DISTINCT FROM i.tenant_id
      ORDER BY i.ord
      RETURNING *
    )
    SELECT ${COLUMNS} FROM inserted a ORDER BY a.created_at, a.at`;
}

/** The tenant's alerts matching `filter`, newest first, `limit` rows at most. */
export function listAlerts(prisma: Prisma, tenantId: string, filter: AlertsFilter, limit: number): Promise<AlertRow[]> {
  return prisma.$queryRaw<AlertRow[]>`
    SELECT ${COLUMNS} FROM alerts a
    WHERE ${P.join([live(tenantId), ...filterConditions(filter)], ' AND ')}
    ORDER BY a.created_at DESC, a.id DESC
    LIMIT ${limit}::int`;
}

/** Unread alerts of the tenant per severity (no filter). */
export async function unreadCounts(prisma: Prisma, tenantId: string): Promise<Record<AlertSeverity, number>> {
  const rows = await prisma.$queryRaw<Array<{ severity: AlertSeverity; count: number }>>`
    SELECT a.severity::text AS severity, count(*)::int AS count FROM alerts a
    WHERE ${live(tenantId)} AND a.read_at IS NULL
    GROUP BY a.severity`;
  const counts: Record<AlertSeverity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const row of rows) counts[row.severity] = row.count;
  return counts;
}

export async function findAlert(prisma: Prisma, tenantId: string, id: string): Promise<AlertRow | null> {
  const [row] = await prisma.$queryRaw<AlertRow[]>`SELECT ${COLUMNS} FROM alerts a WHERE ${live(tenantId)} AND a.id = ${id}::uuid`;
  return row ?? null;
}

/** Those of `ids` that are not (or no longer) alerts of the tenant, in the order given. */
export async function missingAlerts(prisma: Prisma, tenantId: string, ids: readonly string[]): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT w.id FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS w(id, ord)
    WHERE NOT EXISTS (SELECT 1 FROM alerts a WHERE ${live(tenantId)} AND a.id = w.id)
    ORDER BY w.ord`;
  return rows.map((r) => r.id);
}

export interface AlertChange {
  id: string;
  readAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

/**
 * Marks the target alerts read, or (with `acknowledgedBy`) acknowledged and read. Only alerts
 * that change are touched and returned: a read alert keeps its first read time, an acknowledged
 * one its first acknowledgement.
 */
export function markAlerts(prisma: Tx, tenantId: string, target: AlertTarget, acknowledgedBy: string | null): Promise<AlertChange[]> {
  const ack = acknowledgedBy !== null;
  return prisma.$queryRaw<AlertChange[]>`
    UPDATE alerts a SET
      read_at = COALESCE(a.read_at, now()),
      acknowledged_at = CASE WHEN ${ack}::boolean THEN COALESCE(a.acknowledged_at, now()) ELSE a.acknowledged_at END,
      acknowledged_by = CASE WHEN ${ack}::boolean AND a.acknowledged_at IS NULL THEN ${acknowledgedBy}::uuid ELSE a.acknowledged_by END
    WHERE ${targetCondition(tenantId, target)}
      AND (a.read_at IS NULL OR (${ack}::boolean AND a.acknowledged_at IS NULL))
    RETURNING a.id, a.read_at AS "readAt", a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy"`;
}

/** Deletes the target alerts softly (hidden at once, kept for undo); returns their ids. */
export async function deleteAlerts(prisma: Tx, tenantId: string, target: AlertTarget): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`UPDATE alerts a SET deleted_at = now() WHERE ${targetCondition(tenantId, target)} RETURNING a.id`;
  return rows.map((r) => r.id);
}

/**
 * Undoes a soft delete: those of `ids` of the tenant deleted less than `undoSeconds` ago (and not
 * expired) are visible again; returns them as they are now.
 */
export function restoreAlerts(prisma: Tx, tenantId: string, ids: readonly string[], undoSeconds: number): Promise<AlertRow[]> {
  return prisma.$queryRaw<AlertRow[]>`
    WITH restored AS (
      UPDATE alerts a SET deleted_at = NULL
      WHERE a.tenant_id = ${tenantId}::uuid AND a.id = ANY(${ids}::uuid[]) AND a.expires_at > now()
        AND a.deleted_at IS NOT NULL AND a.deleted_at > now() - make_interval(secs => ${undoSeconds}::float8)
      RETURNING *
    )
    SELECT ${COLUMNS} FROM restored a ORDER BY a.created_at DESC, a.id DESC`;
}

/** Removes for good the alerts (of every tenant) soft-deleted at least `undoSeconds` ago; returns how many. */
export function purgeDeletedAlerts(prisma: Prisma, undoSeconds: number): Promise<number> {
  return prisma.$executeRaw`DELETE FROM alerts a WHERE a.deleted_at IS NOT NULL AND a.deleted_at <= now() - make_interval(secs => ${undoSeconds}::float8)`;
}

/** Deletes expired alerts of every tenant (at most `limit`); returns them with their tenant. */
export function deleteExpiredAlerts(prisma: Prisma, limit: number): Promise<Array<{ id: string; tenantId: string }>> {
  return prisma.$queryRaw<Array<{ id: string; tenantId: string }>>`
    DELETE FROM alerts a
    WHERE a.id IN (SELECT e.id FROM alerts e WHERE e.expires_at <= now() ORDER BY e.expires_at LIMIT ${limit}::int)
    RETURNING a.id, a.tenant_id AS "tenantId"`;
}
