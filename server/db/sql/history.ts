import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import type { MovementStop, MovementTrip } from '../../history/segment';

/**
 * Movement trips ("journeys"), stops, geofence visits and daily summaries (server/history,
 * docs/reports.md). Every write is one set-based statement per batch (`unnest` arrays), keyed so
 * that writing the same journey twice (a rebuild, a replay after restart) changes nothing.
 * Every read is scoped by tenant.
 */

export interface PlacedTrip extends MovementTrip {
  startPlace: string | null;
  endPlace: string | null;
}

export interface PlacedStop extends MovementStop {
  place: string | null;
}

/** A visit to write: complete (departedAt set) or just arrived. */
export interface VisitRow {
  tenantId: string;
  vehicleId: string;
  geofenceId: string;
  geofenceName: string | null;
  arrivedAt: number;
  departedAt: number | null;
}

/** A departure whose arrival was written earlier. */
export interface Departure {
  vehicleId: string;
  geofenceId: string;
  at: number;
}

const DAY_MS = 86_400_000;
export const isoDay = (ms: number): string => new Date(ms - (ms % DAY_MS)).toISOString().slice(0, 10);

export async function upsertTrips(prisma: Prisma, trips: readonly PlacedTrip[]): Promise<void> {
  if (trips.length === 0) return;
  const col = <T>(pick: (t: PlacedTrip) => T) => trips.map(pick);
  await prisma.$executeRaw`
    INSERT INTO vehicle_trips AS t (vehicle_id, start_ts, end_ts, tenant_id, driver_id, start_lng, start_lat, end_lng, end_lat,
                                    start_place, end_place, distance_m, driving_s, idle_s, max_speed_kmh, avg_speed_kmh, positions)
    SELECT DISTINCT ON (u.vehicle_id, u.start_ms) u.vehicle_id, to_timestamp(u.start_ms / 1000.0), to_timestamp(u.end_ms / 1000.0), u.tenant_id, u.driver_id,
           u.start_lng, u.start_lat, u.end_lng, u.end_lat, u.start_place, u.end_place, u.distance_m, u.driving_s, u.idle_s,
           u.max_speed_kmh, u.avg_speed_kmh, u.positions
    FROM unnest(${col((t) => t.vehicleId)}::uuid[], ${col((t) => t.startTs)}::float8[], ${col((t) => t.endTs)}::float8[],
                ${col((t) => t.tenantId)}::uuid[], ${col((t) => t.driverId)}::uuid[],
                ${col((t) => t.startLng)}::float8[], ${col((t) => t.startLat)}::float8[], ${col((t) => t.endLng)}::float8[], ${col((t) => t.endLat)}::float8[],
                ${col((t) => t.startPlace)}::text[], ${col((t) => t.endPlace)}::text[],
                ${col((t) => t.distanceM)}::float8[], ${col((t) => t.drivingS)}::float8[], ${col((t) => t.idleS)}::float8[],
                ${col((t) => t.maxSpeedKmh)}::float8[], ${col((t) => t.avgSpeedKmh)}::float8[], ${col((t) => t.positions)}::int[])
      AS u(vehicle_id, start_ms, end_ms, tenant_id, driver_id, start_lng, start_lat, end_lng, end_lat, start_place, end_place,
           distance_m, driving_s, idle_s, max_speed_kmh, avg_speed_kmh, positions)
    -- A vehicle deleted meanwhile takes its journeys with it.
    WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.id = u.vehicle_id)
    -- One row per key (the same journey twice in a batch would stop ON CONFLICT), in key order (no deadlocks).
    ORDER BY u.vehicle_id, u.start_ms
    ON CONFLICT (vehicle_id, start_ts) DO UPDATE SET
      end_ts = EXCLUDED.end_ts, driver_id = EXCLUDED.driver_id, end_lng = EXCLUDED.end_lng, end_lat = EXCLUDED.end_lat,
      start_place = coalesce(EXCLUDED.start_place, t.start_place), end_place = coalesce(EXCLUDED.end_place, t.end_place),
      distance_m = EXCLUDED.distance_m, driving_s = EXCLUDED.driving_s, idle_s = EXCLUDED.idle_s,
      max_speed_kmh = EXCLUDED.max_speed_kmh, avg_speed_kmh = EXCLUDED.avg_speed_kmh, positions = EXCLUDED.positions`;
}

export async function upsertStops(prisma: Prisma, stops: readonly PlacedStop[]): Promise<void> {
  if (stops.length === 0) return;
  const col = <T>(pick: (s: PlacedStop) => T) => stops.map(pick);
  await prisma.$executeRaw`
    INSERT INTO vehicle_stops AS s (vehicle_id, start_ts, end_ts, tenant_id, driver_id, lng, lat, place)
    SELECT DISTINCT ON (u.vehicle_id, u.start_ms) u.vehicle_id, to_timestamp(u.start_ms / 1000.0), to_timestamp(u.end_ms / 1000.0), u.tenant_id, u.driver_id, u.lng, u.lat, u.place
    FROM unnest(${col((s) => s.vehicleId)}::uuid[], ${col((s) => s.startTs)}::float8[], ${col((s) => s.endTs)}::float8[],
                ${col((s) => s.tenantId)}::uuid[], ${col((s) => s.driverId)}::uuid[], ${col((s) => s.lng)}::float8[], ${col((s) => s.lat)}::float8[],
                ${col((s) => s.place)}::text[])
      AS u(vehicle_id, start_ms, end_ms, tenant_id, driver_id, lng, lat, place)
    WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.id = u.vehicle_id)
    ORDER BY u.vehicle_id, u.start_ms
    ON CONFLICT (vehicle_id, start_ts) DO UPDATE SET
      end_ts = EXCLUDED.end_ts, driver_id = EXCLUDED.driver_id, place = coalesce(EXCLUDED.place, s.place)`;
}

/** Arrivals (with their departure when it is known) in one statement; then departures of earlier arrivals in another. */
export async function writeVisits(prisma: Prisma, visits: readonly VisitRow[], departures: readonly Departure[]): Promise<void> {
  if (visits.length > 0) {
    const col = <T>(pick: (v: VisitRow) => T) => visits.map(pick);
    await prisma.$executeRaw`
      INSERT INTO geofence_visits AS g (vehicle_id, geofence_id, arrived_at, departed_at, tenant_id, geofence_name)
      SELECT DISTINCT ON (u.vehicle_id, u.geofence_id, u.arrived_ms) u.vehicle_id, u.geofence_id, to_timestamp(u.arrived_ms / 1000.0),
             CASE WHEN u.departed_ms IS NULL THEN NULL ELSE to_timestamp(u.departed_ms / 1000.0) END, u.tenant_id, u.name
      FROM unnest(${col((v) => v.vehicleId)}::uuid[], ${col((v) => v.geofenceId)}::uuid[], ${col((v) => v.arrivedAt)}::float8[],
                  ${col((v) => v.departedAt)}::float8[], ${col((v) => v.tenantId)}::uuid[], ${col((v) => v.geofenceName)}::text[])
        AS u(vehicle_id, geofence_id, arrived_ms, departed_ms, tenant_id, name)
      WHERE EXISTS (SELECT 1 FROM vehicles v WHERE v.id = u.vehicle_id)
      ORDER BY u.vehicle_id, u.geofence_id, u.arrived_ms, u.departed_ms NULLS LAST
      ON CONFLICT (vehicle_id, geofence_id, arrived_at) DO UPDATE SET departed_at = coalesce(EXCLUDED.departed_at, g.departed_at)`;
  }
  if (departures.length > 0) {
    await prisma.$executeRaw`
      UPDATE geofence_visits g SET departed_at = to_timestamp(d.at_ms / 1000.0)
      FROM unnest(${departures.map((d) => d.vehicleId)}::uuid[], ${departures.map((d) => d.geofenceId)}::uuid[], ${departures.map((d) => d.at)}::float8[])
        AS d(vehicle_id, geofence_id, at_ms)
      WHERE g.vehicle_id = d.vehicle_id AND g.geofence_id = d.geofence_id AND g.departed_at IS NULL
        AND g.arrived_at <= to_timestamp(d.at_ms / 1000.0)`;
  }
}

export interface DayKey {
  tenantId: string;
  subjectId: string;
  /** YYYY-MM-DD (UTC). */
  day: string;
}

/**
 * Recomputes the daily summaries of the given vehicles' or drivers' days from the journeys,
 * stops and visits that started on them (so a summary always equals the sum of its journeys).
 */
export async function refreshDays(prisma: Prisma, kind: 'vehicle' | 'driver', keys: readonly DayKey[]): Promise<void> {
  if (keys.length === 0) return;
  const subject = P.raw(kind === 'vehicle' ? 'vehicle_id' : 'driver_id');
  const visits =
    kind === 'vehicle'
      ? P.sql`(SELECT count(*)::int FROM geofence_visits g WHERE g.vehicle_id = k.subject_id AND g.arrived_at >= k.t0 AND g.arrived_at < k.t1)`
      : P.sql`0`;
  await prisma.$executeRaw`
    WITH k AS (
      SELECT DISTINCT u.tenant_id, u.subject_id, u.day,
             (u.day::timestamp AT TIME ZONE 'UTC') AS t0, ((u.day + 1)::timestamp AT TIME ZONE 'UTC') AS t1
      FROM unnest(${keys.map((k) => k.tenantId)}::uuid[], ${keys.map((k) => k.subjectId)}::uuid[], ${keys.map((k) => k.day)}::date[])
        AS u(tenant_id, subject_id, day)
    )
    INSERT INTO history_days AS h (tenant_id, subject_kind, subject_id, day, trips, distance_m, driving_s, idle_s, max_speed_kmh, stops, stopped_s, visits)
    SELECT k.tenant_id, ${kind}::text, k.subject_id, k.day, t.trips, t.distance_m, t.driving_s, t.idle_s, t.max_speed_kmh,
           s.stops, s.stopped_s, ${visits}
    FROM k
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS trips, coalesce(sum(distance_m), 0) AS distance_m, coalesce(sum(driving_s), 0) AS driving_s,
             coalesce(sum(idle_s), 0) AS idle_s, coalesce(max(max_speed_kmh), 0) AS max_speed_kmh
      FROM vehicle_trips x WHERE x.${subject} = k.subject_id AND x.tenant_id = k.tenant_id AND x.start_ts >= k.t0 AND x.start_ts < k.t1
    ) t
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS stops, coalesce(sum(extract(epoch FROM x.end_ts - x.start_ts)), 0)::float8 AS stopped_s
      FROM vehicle_stops x WHERE x.${subject} = k.subject_id AND x.tenant_id = k.tenant_id AND x.start_ts >= k.t0 AND x.start_ts < k.t1
    ) s
    WHERE EXISTS (SELECT 1 FROM tenants WHERE id = k.tenant_id)
    ORDER BY 1, 3, 4
    ON CONFLICT (tenant_id, subject_kind, subject_id, day) DO UPDATE SET
      trips = EXCLUDED.trips, distance_m = EXCLUDED.distance_m, driving_s = EXCLUDED.driving_s, idle_s = EXCLUDED.idle_s,
      max_speed_kmh = EXCLUDED.max_speed_kmh, stops = EXCLUDED.stops, stopped_s = EXCLUDED.stopped_s, visits = EXCLUDED.visits`;
}

// ── rebuild ─────────────────────────────────────────────────────────────────────────────────

/** Deletes the derived rows that started in [from, to) (one tenant, or all). */
export async function deleteDerived(prisma: Prisma, from: number, to: number, tenantId: string | null): Promise<void> {
  const f = new Date(from).toISOString();
  const t = new Date(to).toISOString();
  const tenant = tenantId ? P.sql`AND tenant_id = ${tenantId}::uuid` : P.empty;
  await prisma.$executeRaw`DELETE FROM vehicle_trips WHERE start_ts >= ${f}::timestamptz AND start_ts < ${t}::timestamptz ${tenant}`;
  await prisma.$executeRaw`DELETE FROM vehicle_stops WHERE start_ts >= ${f}::timestamptz AND start_ts < ${t}::timestamptz ${tenant}`;
  await prisma.$executeRaw`DELETE FROM geofence_visits WHERE arrived_at >= ${f}::timestamptz AND arrived_at < ${t}::timestamptz ${tenant}`;
  await prisma.$executeRaw`DELETE FROM history_days WHERE day >= ${isoDay(from)}::date AND day <= ${isoDay(to - 1)}::date ${tenant}`;
}

/** Visits that started in [from, to), paired from the stored geofence events (enter → next exit). */
export async function rebuildVisits(prisma: Prisma, from: number, to: number, tenantId: string | null): Promise<number> {
  const f = new Date(from).toISOString();
  const t = new Date(to).toISOString();
  const tenant = tenantId ? P.sql`AND tenant_id = ${tenantId}::uuid` : P.empty;
  return prisma.$executeRaw`
    INSERT INTO geofence_visits (vehicle_id, geofence_id, arrived_at, departed_at, tenant_id, geofence_name)
    SELECT DISTINCT ON (e.vehicle_id, e.geofence_id, e.at)
           e.vehicle_id, e.geofence_id, e.at, CASE WHEN e.next_type = 'exit' THEN e.next_at END, e.tenant_id, g.name
    FROM (
      SELECT vehicle_id, geofence_id, tenant_id, type, at,
             lead(type) OVER w AS next_type, lead(at) OVER w AS next_at
      FROM geofence_events
      WHERE type IN ('enter', 'exit') AND at >= ${f}::timestamptz ${tenant}
      WINDOW w AS (PARTITION BY vehicle_id, geofence_id ORDER BY at, id)
    ) e
    LEFT JOIN geofences g ON g.id = e.geofence_id
    WHERE e.type = 'enter' AND e.at < ${t}::timestamptz
      AND EXISTS (SELECT 1 FROM vehicles v WHERE v.id = e.vehicle_id)
    ORDER BY e.vehicle_id, e.geofence_id, e.at
    ON CONFLICT (vehicle_id, geofence_id, arrived_at) DO UPDATE SET departed_at = EXCLUDED.departed_at`;
}

/** Every (tenant, subject, day) with derived rows in [from, to), for the summaries to recompute. */
export async function derivedDayKeys(prisma: Prisma, kind: 'vehicle' | 'driver', from: number, to: number, tenantId: string | null): Promise<DayKey[]> {
  const f = new Date(from).toISOString();
  const t = new Date(to).toISOString();
  const subject = P.raw(kind === 'vehicle' ? 'vehicle_id' : 'driver_id');
  const tenant = tenantId ? P.sql`AND tenant_id = ${tenantId}::uuid` : P.empty;
  const rows = await prisma.$queryRaw<Array<{ tenant_id: string; subject_id: string; day: string }>>`
    SELECT DISTINCT tenant_id, subject_id, day::text AS day FROM (
      SELECT tenant_id, ${subject} AS subject_id, (start_ts AT TIME ZONE 'UTC')::date AS day FROM vehicle_trips
        WHERE start_ts >= ${f}::timestamptz AND start_ts < ${t}::timestamptz AND ${subject} IS NOT NULL ${tenant}
      UNION ALL
      SELECT tenant_id, ${subject}, (start_ts AT TIME ZONE 'UTC')::date FROM vehicle_stops
        WHERE start_ts >= ${f}::timestamptz AND start_ts < ${t}::timestamptz AND ${subject} IS NOT NULL ${tenant}
      ${kind === 'vehicle' ? P.sql`UNION ALL SELECT tenant_id, vehicle_id, (arrived_at AT TIME ZONE 'UTC')::date FROM geofence_visits WHERE arrived_at >= ${f}::timestamptz AND arrived_at < ${t}::timestamptz ${tenant}` : P.empty}
    ) d`;
  return rows.map((r) => ({ tenantId: r.tenant_id, subjectId: r.subject_id, day: r.day }));
}

export interface HistoryPoint {
  vehicle_id: string;
  tenant_id: string;
  ts: number;
  lng: number;
  lat: number;
  speed: number | null;
  attributes: Record<string, unknown> | null;
}

/** One page of positions in [from, to) ordered by vehicle and time, after (vehicle, ts) = `after` (keyset). */
export function historyPage(
  prisma: Prisma,
  from: number,
  to: number,
  tenantId: string | null,
  after: { vehicleId: string; ts: number } | null,
  limit: number,
): Promise<HistoryPoint[]> {
  const tenant = tenantId ? P.sql`AND h.tenant_id = ${tenantId}::uuid` : P.empty;
  const keyset = after ? P.sql`AND (h.vehicle_id, h.ts) > (${after.vehicleId}::uuid, to_timestamp(${after.ts}::float8 / 1000.0))` : P.empty;
  return prisma.$queryRaw<HistoryPoint[]>`
    SELECT h.vehicle_id, h.tenant_id, round(extract(epoch FROM h.ts) * 1000)::float8 AS ts, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat,
           h.speed, h.attributes
    FROM position_history h
    WHERE h.ts >= ${new Date(from).toISOString()}::timestamptz AND h.ts < ${new Date(to).toISOString()}::timestamptz ${tenant} ${keyset}
    ORDER BY h.vehicle_id, h.ts
    LIMIT ${limit}::int`;
}
