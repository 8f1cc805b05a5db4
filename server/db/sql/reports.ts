import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';

/**
 * Report reads (server/history/reports.ts, docs/reports.md). Every statement is scoped by the
 * caller's tenant; list reports page by keyset (time, then vehicle) so exports stream any number
 * of rows in bounded memory.
 */
export interface ReportFilter {
  tenantId: string;
  from: number;
  to: number;
  vehicleIds?: string[] | undefined;
  driverIds?: string[] | undefined;
  geofenceIds?: string[] | undefined;
  vehicleType?: string | undefined;
  vehicleGroup?: string | null | undefined;
  types?: string[] | undefined;
}

/** Keyset position: the last row's time (epoch ms) and vehicle (or id). */
export interface Cursor {
  ts: number;
  key: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const list = (ids: string[] | undefined) => (ids && ids.length > 0 ? ids : null);
/** Whether the filter narrows by anything about the vehicle itself (its type or group). */
const byVehicleFacts = (f: ReportFilter) => Boolean(f.vehicleType || f.vehicleGroup);

/** The vehicle filters on alias `v` (vehicles) and the row's `vehicle_id` column `col`. */
function vehicleFilter(f: ReportFilter, col: P.Sql): P.Sql {
  return P.sql`
    AND (${list(f.vehicleIds)}::uuid[] IS NULL OR ${col} = ANY(${list(f.vehicleIds)}::uuid[]))
    AND (${f.vehicleType ?? null}::text IS NULL OR v.type = ${f.vehicleType ?? null}::text)
    AND (${f.vehicleGroup ?? null}::text IS NULL OR v.group_name = ${f.vehicleGroup ?? null}::text)`;
}

export interface TripReportRow {
  vehicle_id: string;
  vehicle_name: string;
  driver_id: string | null;
  driver_name: string | null;
  start_ms: number;
  end_ms: number;
  start_lng: number;
  start_lat: number;
  end_lng: number;
  end_lat: number;
  start_place: string | null;
  end_place: string | null;
  distance_m: number;
  driving_s: number;
  idle_s: number;
  max_speed_kmh: number;
  avg_speed_kmh: number;
}

export function tripRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<TripReportRow[]> {
  const keyset = after ? P.sql`AND (t.start_ts, t.vehicle_id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::uuid)` : P.empty;
  return prisma.$queryRaw<TripReportRow[]>`
    SELECT t.vehicle_id, v.name AS vehicle_name, t.driver_id, u.name AS driver_name,
           round(extract(epoch FROM t.start_ts) * 1000)::float8 AS start_ms, round(extract(epoch FROM t.end_ts) * 1000)::float8 AS end_ms,
           t.start_lng, t.start_lat, t.end_lng, t.end_lat, t.start_place, t.end_place,
           t.distance_m, t.driving_s, t.idle_s, t.max_speed_kmh, t.avg_speed_kmh
    FROM vehicle_trips t
    JOIN vehicles v ON v.id = t.vehicle_id
    LEFT JOIN users u ON u.id = t.driver_id
    WHERE t.tenant_id = ${f.tenantId}::uuid AND t.start_ts >= ${iso(f.from)}::timestamptz AND t.start_ts < ${iso(f.to)}::timestamptz
      ${vehicleFilter(f, P.sql`t.vehicle_id`)}
      AND (${list(f.driverIds)}::uuid[] IS NULL OR t.driver_id = ANY(${list(f.driverIds)}::uuid[]))
      ${keyset}
    ORDER BY t.start_ts, t.vehicle_id
    LIMIT ${limit}::int`;
}

export interface StopReportRow {
  vehicle_id: string;
  vehicle_name: string;
  driver_name: string | null;
  start_ms: number;
  end_ms: number;
  lng: number;
  lat: number;
  place: string | null;
}

export function stopRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<StopReportRow[]> {
  const keyset = after ? P.sql`AND (s.start_ts, s.vehicle_id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::uuid)` : P.empty;
  return prisma.$queryRaw<StopReportRow[]>`
    SELECT s.vehicle_id, v.name AS vehicle_name, u.name AS driver_name,
           round(extract(epoch FROM s.start_ts) * 1000)::float8 AS start_ms, round(extract(epoch FROM s.end_ts) * 1000)::float8 AS end_ms,
           s.lng, s.lat, s.place
    FROM vehicle_stops s
    JOIN vehicles v ON v.id = s.vehicle_id
    LEFT JOIN users u ON u.id = s.driver_id
    WHERE s.tenant_id = ${f.tenantId}::uuid AND s.start_ts >= ${iso(f.from)}::timestamptz AND s.start_ts < ${iso(f.to)}::timestamptz
      ${vehicleFilter(f, P.sql`s.vehicle_id`)}
      AND (${list(f.driverIds)}::uuid[] IS NULL OR s.driver_id = ANY(${list(f.driverIds)}::uuid[]))
      ${keyset}
    ORDER BY s.start_ts, s.vehicle_id
    LIMIT ${limit}::int`;
}

export interface VisitReportRow {
  vehicle_id: string;
  vehicle_name: string;
  geofence_id: string;
  geofence_name: string | null;
  arrived_ms: number;
  departed_ms: number | null;
}

export function visitRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<VisitReportRow[]> {
  const keyset = after ? P.sql`AND (g.arrived_at, g.vehicle_id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::uuid)` : P.empty;
  return prisma.$queryRaw<VisitReportRow[]>`
    SELECT g.vehicle_id, v.name AS vehicle_name, g.geofence_id, coalesce(f.name, g.geofence_name) AS geofence_name,
           round(extract(epoch FROM g.arrived_at) * 1000)::float8 AS arrived_ms,
           CASE WHEN g.departed_at IS NULL THEN NULL ELSE round(extract(epoch FROM g.departed_at) * 1000)::float8 END AS departed_ms
    FROM geofence_visits g
    JOIN vehicles v ON v.id = g.vehicle_id
    LEFT JOIN geofences f ON f.id = g.geofence_id
    WHERE g.tenant_id = ${f.tenantId}::uuid AND g.arrived_at >= ${iso(f.from)}::timestamptz AND g.arrived_at < ${iso(f.to)}::timestamptz
      ${vehicleFilter(f, P.sql`g.vehicle_id`)}
      AND (${list(f.geofenceIds)}::uuid[] IS NULL OR g.geofence_id = ANY(${list(f.geofenceIds)}::uuid[]))
      ${keyset}
    ORDER BY g.arrived_at, g.vehicle_id
    LIMIT ${limit}::int`;
}

export interface FenceEventReportRow {
  id: string;
  at_ms: number;
  type: string;
  vehicle_id: string;
  vehicle_name: string;
  geofence_id: string;
  geofence_name: string | null;
  lng: number;
  lat: number;
  eta_s: number | null;
}

/** Entries, exits, pass-throughs and expected entries (geofence_events), by time then row; `types` narrows the kinds. */
export function fenceEventRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<FenceEventReportRow[]> {
  const keyset = after ? P.sql`AND (e.at, e.id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::bigint)` : P.empty;
  const kinds = f.types && f.types.length > 0 ? P.sql`AND e.type::text = ANY(${f.types}::text[])` : P.empty;
  return prisma.$queryRaw<FenceEventReportRow[]>`
    SELECT e.id::text AS id, round(extract(epoch FROM e.at) * 1000)::float8 AS at_ms, e.type::text AS type,
           e.vehicle_id, v.name AS vehicle_name, e.geofence_id, g.name AS geofence_name,
           ST_X(e.geom) AS lng, ST_Y(e.geom) AS lat, e.eta_s
    FROM geofence_events e
    JOIN vehicles v ON v.id = e.vehicle_id
    LEFT JOIN geofences g ON g.id = e.geofence_id
    WHERE e.tenant_id = ${f.tenantId}::uuid AND e.at >= ${iso(f.from)}::timestamptz AND e.at < ${iso(f.to)}::timestamptz
      ${vehicleFilter(f, P.sql`e.vehicle_id`)}
      AND (${list(f.geofenceIds)}::uuid[] IS NULL OR e.geofence_id = ANY(${list(f.geofenceIds)}::uuid[]))
      ${kinds}
      ${keyset}
    ORDER BY e.at, e.id
    LIMIT ${limit}::int`;
}

export interface AlertReportRow {
  id: string;
  at_ms: number;
  type: string;
  severity: string;
  message: string;
  vehicle_id: string | null;
  vehicle_name: string | null;
}

export function alertRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<AlertReportRow[]> {
  const keyset = after ? P.sql`AND (a.at, a.id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::uuid)` : P.empty;
  const vehicles = list(f.vehicleIds) || byVehicleFacts(f) ? vehicleFilter(f, P.sql`a.vehicle_id`) : P.empty;
  return prisma.$queryRaw<AlertReportRow[]>`
    SELECT a.id, round(extract(epoch FROM a.at) * 1000)::float8 AS at_ms, a.type::text AS type, a.severity::text AS severity, a.message,
           a.vehicle_id, v.name AS vehicle_name
    FROM alerts a
    LEFT JOIN vehicles v ON v.id = a.vehicle_id
    WHERE a.tenant_id = ${f.tenantId}::uuid AND a.at >= ${iso(f.from)}::timestamptz AND a.at < ${iso(f.to)}::timestamptz
      ${vehicles}
      ${keyset}
    ORDER BY a.at, a.id
    LIMIT ${limit}::int`;
}

export interface EventReportRow {
  id: string;
  at_ms: number;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  vehicle_name: string | null;
  data: Record<string, unknown>;
}

export function eventRows(prisma: Prisma, f: ReportFilter, after: Cursor | null, limit: number): Promise<EventReportRow[]> {
  const keyset = after ? P.sql`AND (e.at, e.id) > (to_timestamp(${after.ts}::float8 / 1000.0), ${after.key}::uuid)` : P.empty;
  const exact = (f.types ?? []).filter((t) => !t.endsWith('*'));
  const prefixes = (f.types ?? []).filter((t) => t.endsWith('*')).map((t) => `${t.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const types =
    exact.length + prefixes.length > 0 ? P.sql`AND (e.type = ANY(${exact}::text[]) OR e.type LIKE ANY(${prefixes}::text[]))` : P.empty;
  // Named vehicles by id (their events outlive them); a type or group needs the vehicle as it is now.
  const vehicles = list(f.vehicleIds) ? P.sql`AND e.aggregate_type = 'vehicle' AND e.aggregate_id = ANY(${list(f.vehicleIds)}::text[])` : P.empty;
  const facts = byVehicleFacts(f) ? P.sql`AND v.id IS NOT NULL ${vehicleFilter({ ...f, vehicleIds: undefined }, P.sql`v.id`)}` : P.empty;
  return prisma.$queryRaw<EventReportRow[]>`
    SELECT e.id, round(extract(epoch FROM e.at) * 1000)::float8 AS at_ms, e.type, e.aggregate_type, e.aggregate_id,
           v.name AS vehicle_name, e.data
    FROM domain_events e
    LEFT JOIN vehicles v ON e.aggregate_type = 'vehicle' AND v.id::text = e.aggregate_id
    WHERE e.tenant_id = ${f.tenantId}::uuid AND e.at >= ${iso(f.from)}::timestamptz AND e.at < ${iso(f.to)}::timestamptz
      ${types} ${vehicles} ${facts} ${keyset}
    ORDER BY e.at, e.id
    LIMIT ${limit}::int`;
}

export interface SummarySubjectRow {
  id: string;
  name: string | null;
  trips: number;
  distance_m: number;
  driving_s: number;
  idle_s: number;
  max_speed_kmh: number;
  stops: number;
  stopped_s: number;
  visits: number;
  alerts: number;
  driving_events: number;
}

/** A summary row per vehicle, per driver, or per vehicle group. */
export type SummaryGroupBy = 'vehicle' | 'driver' | 'group';
/** The daily rows a summary reads: a group's are its vehicles'. */
const kindOf = (groupBy: SummaryGroupBy) => (groupBy === 'driver' ? 'driver' : 'vehicle');
/** A vehicle's group (alias `v`) as a group row's id: its name, '' for none. */
const groupKey = P.sql`coalesce(nullif(v.group_name, ''), '')`;

/** The daily summaries of [from, to) summed per subject (`d`), and the driving events counted per subject (`e`). */
function dailyTotals(f: ReportFilter, kind: 'vehicle' | 'driver'): P.Sql {
  const fromDay = iso(f.from).slice(0, 10);
  const toDay = iso(f.to - 1).slice(0, 10);
  return P.sql`
    d AS (
      SELECT h.subject_id, sum(h.trips)::int AS trips, sum(h.distance_m)::float8 AS distance_m, sum(h.driving_s)::float8 AS driving_s,
             sum(h.idle_s)::float8 AS idle_s, max(h.max_speed_kmh)::float8 AS max_speed_kmh, sum(h.stops)::int AS stops,
             sum(h.stopped_s)::float8 AS stopped_s, sum(h.visits)::int AS visits
      FROM history_days h
      WHERE h.tenant_id = ${f.tenantId}::uuid AND h.subject_kind = ${kind}::text AND h.day >= ${fromDay}::date AND h.day <= ${toDay}::date
      GROUP BY h.subject_id
    ),
    e AS (
      SELECT k.subject_id, sum(k.harsh_brake + k.harsh_acceleration + k.harsh_corner + k.speeding + k.idle + k.possible_collision)::int AS n
      FROM driving_days k
      WHERE k.tenant_id = ${f.tenantId}::uuid AND k.subject_kind = ${kind}::text AND k.day >= ${fromDay}::date AND k.day <= ${toDay}::date
      GROUP BY k.subject_id
    )`;
}

/**
 * Per vehicle (or driver): the daily summaries of [from, to) summed, with alerts and driving events counted.
 * Per group: the same of the group's vehicles (as they are grouped now) summed — one row for every group
 * among the vehicles the filter selects, idle ones with zeros, and one for those without a group (name null, id ''), last.
 */
export function summaryRows(prisma: Prisma, f: ReportFilter, groupBy: SummaryGroupBy): Promise<SummarySubjectRow[]> {
  if (groupBy === 'group') return summaryGroupRows(prisma, f);
  const subjects =
    groupBy === 'vehicle'
      ? P.sql`SELECT v.id, v.name FROM vehicles v WHERE v.tenant_id = ${f.tenantId}::uuid ${vehicleFilter(f, P.sql`v.id`)}`
      : P.sql`SELECT u.id, u.name FROM users u WHERE u.tenant_id = ${f.tenantId}::uuid AND (${list(f.driverIds)}::uuid[] IS NULL OR u.id = ANY(${list(f.driverIds)}::uuid[]))`;
  const alerts =
    groupBy === 'vehicle'
      ? P.sql`(SELECT count(*)::int FROM alerts a WHERE a.tenant_id = ${f.tenantId}::uuid AND a.vehicle_id = s.id AND a.at >= ${iso(f.from)}::timestamptz AND a.at < ${iso(f.to)}::timestamptz)`
      : P.sql`0`;
  return prisma.$queryRaw<SummarySubjectRow[]>`
    WITH s AS (${subjects}),
    ${dailyTotals(f, groupBy)}
    SELECT s.id, s.name, coalesce(d.trips, 0) AS trips, coalesce(d.distance_m, 0) AS distance_m, coalesce(d.driving_s, 0) AS driving_s,
           coalesce(d.idle_s, 0) AS idle_s, coalesce(d.max_speed_kmh, 0) AS max_speed_kmh, coalesce(d.stops, 0) AS stops,
           coalesce(d.stopped_s, 0) AS stopped_s, coalesce(d.visits, 0) AS visits, ${alerts} AS alerts, coalesce(e.n, 0) AS driving_events
    FROM s LEFT JOIN d ON d.subject_id = s.id LEFT JOIN e ON e.subject_id = s.id
    -- Vehicles named in the filter, or the whole group asked for, are listed even when idle; otherwise only those with something to report.
    WHERE d.subject_id IS NOT NULL OR e.subject_id IS NOT NULL OR ${groupBy === 'vehicle' && (list(f.vehicleIds) !== null || Boolean(f.vehicleGroup))}::boolean
    ORDER BY s.name, s.id`;
}

/** Per vehicle group: the per-vehicle sums of the selected vehicles added up by the group each is in. */
function summaryGroupRows(prisma: Prisma, f: ReportFilter): Promise<SummarySubjectRow[]> {
  return prisma.$queryRaw<SummarySubjectRow[]>`
    WITH s AS (SELECT v.id, nullif(v.group_name, '') AS grp FROM vehicles v WHERE v.tenant_id = ${f.tenantId}::uuid ${vehicleFilter(f, P.sql`v.id`)}),
    ${dailyTotals(f, 'vehicle')},
    a AS (
      SELECT a.vehicle_id, count(*)::int AS n
      FROM alerts a
      WHERE a.tenant_id = ${f.tenantId}::uuid AND a.at >= ${iso(f.from)}::timestamptz AND a.at < ${iso(f.to)}::timestamptz AND a.vehicle_id IN (SELECT id FROM s)
      GROUP BY a.vehicle_id
    )
    SELECT coalesce(s.grp, '') AS id, s.grp AS name, coalesce(sum(d.trips), 0)::int AS trips, coalesce(sum(d.distance_m), 0)::float8 AS distance_m,
           coalesce(sum(d.driving_s), 0)::float8 AS driving_s, coalesce(sum(d.idle_s), 0)::float8 AS idle_s,
           coalesce(max(d.max_speed_kmh), 0)::float8 AS max_speed_kmh, coalesce(sum(d.stops), 0)::int AS stops,
           coalesce(sum(d.stopped_s), 0)::float8 AS stopped_s, coalesce(sum(d.visits), 0)::int AS visits,
           coalesce(sum(a.n), 0)::int AS alerts, coalesce(sum(e.n), 0)::int AS driving_events
    FROM s LEFT JOIN d ON d.subject_id = s.id LEFT JOIN e ON e.subject_id = s.id LEFT JOIN a ON a.vehicle_id = s.id
    GROUP BY s.grp
    ORDER BY s.grp IS NULL, s.grp`;
}

/**
 * The subjects of a summary's chart and heat, on the column `col` holding a vehicle (or driver) id:
 * vehicles and drivers by id; groups by their key (the vehicles the filter selects that are in them).
 */
function subjectsIn(f: ReportFilter, groupBy: SummaryGroupBy, subjectIds: string[], col: P.Sql): P.Sql {
  if (groupBy !== 'group') return P.sql`AND ${col} = ANY(${subjectIds}::uuid[])`;
  return P.sql`AND ${col} IN (SELECT v.id FROM vehicles v WHERE v.tenant_id = ${f.tenantId}::uuid ${vehicleFilter(f, P.sql`v.id`)} AND ${groupKey} = ANY(${subjectIds}::text[]))`;
}

export interface SummaryDayRow {
  day: string;
  distance_m: number;
  driving_s: number;
  trips: number;
}

/** The selected vehicles' (or drivers', or groups' vehicles') distance, driving time and journeys per day. */
export function summaryDays(prisma: Prisma, f: ReportFilter, groupBy: SummaryGroupBy, subjectIds: string[]): Promise<SummaryDayRow[]> {
  return prisma.$queryRaw<SummaryDayRow[]>`
    SELECT h.day::text AS day, sum(h.distance_m)::float8 AS distance_m, sum(h.driving_s)::float8 AS driving_s, sum(h.trips)::int AS trips
    FROM history_days h
    WHERE h.tenant_id = ${f.tenantId}::uuid AND h.subject_kind = ${kindOf(groupBy)}::text
      AND h.day >= ${iso(f.from).slice(0, 10)}::date AND h.day <= ${iso(f.to - 1).slice(0, 10)}::date
      ${subjectsIn(f, groupBy, subjectIds, P.sql`h.subject_id`)}
    GROUP BY h.day ORDER BY h.day`;
}

export interface SummaryHourRow {
  hour: number;
  trips: number;
  driving_s: number;
}

/** Journeys and driving time by the UTC hour they started in (the activity heat). */
export function summaryHours(prisma: Prisma, f: ReportFilter, groupBy: SummaryGroupBy, subjectIds: string[]): Promise<SummaryHourRow[]> {
  const subject = P.raw(groupBy === 'driver' ? 't.driver_id' : 't.vehicle_id');
  return prisma.$queryRaw<SummaryHourRow[]>`
    SELECT extract(hour FROM t.start_ts AT TIME ZONE 'UTC')::int AS hour, count(*)::int AS trips, sum(t.driving_s)::float8 AS driving_s
    FROM vehicle_trips t
    WHERE t.tenant_id = ${f.tenantId}::uuid AND t.start_ts >= ${iso(f.from)}::timestamptz AND t.start_ts < ${iso(f.to)}::timestamptz
      ${subjectsIn(f, groupBy, subjectIds, subject)}
    GROUP BY 1 ORDER BY 1`;
}

export interface TrackPoint {
  vehicle_id: string;
  ts: number;
  lng: number;
  lat: number;
  speed: number | null;
  altitude: number | null;
}

/** Positions of the tenant's `vehicleIds` with from ≤ ts < to and ts ≥ `since` (epoch ms), by time then vehicle. */
export function trackPoints(prisma: Prisma, tenantId: string, vehicleIds: string[], from: number, to: number, since: number | null, limit: number): Promise<TrackPoint[]> {
  const keyset = since !== null ? P.sql`AND h.ts >= to_timestamp(${since}::float8 / 1000.0)` : P.empty;
  const order = P.sql`h.ts, h.vehicle_id`;
  return prisma.$queryRaw<TrackPoint[]>`
    SELECT h.vehicle_id, round(extract(epoch FROM h.ts) * 1000)::float8 AS ts, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, h.speed, h.altitude
    FROM position_history h
    WHERE h.tenant_id = ${tenantId}::uuid AND h.vehicle_id = ANY(${vehicleIds}::uuid[])
      AND h.ts >= ${iso(from)}::timestamptz AND h.ts < ${iso(to)}::timestamptz ${keyset}
    ORDER BY ${order}
    LIMIT ${limit}::int`;
}

/**
 * Replay chunk: for each of the tenant's `vehicleIds`, its first `perVehicle` positions with
 * max(from, since) ≤ ts < to — one index range scan per vehicle on position_history's primary key
 * (vehicle_id, ts), so a chunk costs the same at the start and the end of a day — merged by time.
 */
export function replayPoints(prisma: Prisma, tenantId: string, vehicleIds: string[], from: number, to: number, since: number | null, perVehicle: number): Promise<TrackPoint[]> {
  const start = iso(Math.max(from, since ?? from));
  return prisma.$queryRaw<TrackPoint[]>`
    SELECT h.vehicle_id, h.ts, h.lng, h.lat, h.speed, h.altitude
    FROM unnest(${vehicleIds}::uuid[]) AS v(id)
    CROSS JOIN LATERAL (
      SELECT p.vehicle_id, round(extract(epoch FROM p.ts) * 1000)::float8 AS ts, ST_X(p.geom) AS lng, ST_Y(p.geom) AS lat, p.speed, p.altitude
      FROM position_history p
      WHERE p.vehicle_id = v.id AND p.tenant_id = ${tenantId}::uuid
        AND p.ts >= ${start}::timestamptz AND p.ts < ${iso(to)}::timestamptz
      ORDER BY p.ts
      LIMIT ${perVehicle}::int
    ) h
    ORDER BY h.ts, h.vehicle_id`;
}

export interface ReplayAlertRow {
  id: string;
  at_ms: number;
  vehicle_id: string;
  severity: string;
  message: string;
  lng: number;
  lat: number;
}

/**
 * Alerts raised about these vehicles in [from, to) (from the event log, which keeps them after
 * the alerts expire), each where its vehicle was then: its last position at or before the alert
 * (within 15 minutes; one without is left out).
 */
export function replayAlerts(prisma: Prisma, tenantId: string, vehicleIds: string[], from: number, to: number, limit: number): Promise<ReplayAlertRow[]> {
  return prisma.$queryRaw<ReplayAlertRow[]>`
    SELECT e.id, round(extract(epoch FROM e.at) * 1000)::float8 AS at_ms, (e.data->>'vehicleId') AS vehicle_id,
           coalesce(e.data->>'severity', '') AS severity, coalesce(e.data->>'message', '') AS message, p.lng, p.lat
    FROM domain_events e
    CROSS JOIN LATERAL (
      SELECT ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat
      FROM position_history h
      WHERE h.vehicle_id = (e.data->>'vehicleId')::uuid AND h.tenant_id = ${tenantId}::uuid
        AND h.ts <= e.at AND h.ts > e.at - interval '15 minutes'
      ORDER BY h.ts DESC
      LIMIT 1
    ) p
    WHERE e.tenant_id = ${tenantId}::uuid AND e.type = 'alert.raised'
      AND e.at >= ${iso(from)}::timestamptz AND e.at < ${iso(to)}::timestamptz
      AND e.data->>'vehicleId' = ANY(${vehicleIds}::text[])
    ORDER BY e.at
    LIMIT ${limit}::int`;
}

/** The tenant's vehicles among `ids` (id and name), in the order asked. */
export async function vehiclesNamed(prisma: Prisma, tenantId: string, ids: string[]): Promise<Array<{ id: string; name: string }>> {
  const rows = await prisma.$queryRaw<Array<{ id: string; name: string }>>`
    SELECT id, name FROM vehicles WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
