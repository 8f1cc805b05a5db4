import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import { isFinalTripStatus, type TripPointInput, type TripStatus } from '../../protocol/trips';
import { STATUS_TIME_COLUMN } from '../../trips/transitions';
import type { Tx } from './events';

/**
 * Trips. Pickup and dropoff are PostGIS points (SRID 4326). Every statement is scoped by tenant
 * (the public track lookup by its unguessable token); parameters are bound, never concatenated.
 */

export interface TripRow {
  id: string;
  tenantId: string;
  vehicleId: string;
  vehicleName: string;
  vehiclePlate: string | null;
  driverId: string;
  driverName: string;
  pickupLng: number;
  pickupLat: number;
  pickupLabel: string | null;
  dropoffLng: number;
  dropoffLat: number;
  dropoffLabel: string | null;
  routeId: string | null;
  status: TripStatus;
  enRouteAt: Date | null;
  arrivedAt: Date | null;
  inProgressAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  distanceM: number | null;
  durationS: number | null;
  shareToken: string;
  shareExpiresAt: Date | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_COLUMNS = P.sql`
  t.id, t.tenant_id AS "tenantId", t.vehicle_id AS "vehicleId", v.name AS "vehicleName", v.plate AS "vehiclePlate",
  t.driver_id AS "driverId", u.name AS "driverName",
  ST_X(t.pickup) AS "pickupLng", ST_Y(t.pickup) AS "pickupLat", t.pickup_label AS "pickupLabel",
  ST_X(t.dropoff) AS "dropoffLng", ST_Y(t.dropoff) AS "dropoffLat", t.dropoff_label AS "dropoffLabel",
  t.route_id AS "routeId", t.status::text AS status,
  t.en_route_at AS "enRouteAt", t.arrived_at AS "arrivedAt", t.in_progress_at AS "inProgressAt",
  t.completed_at AS "completedAt", t.cancelled_at AS "cancelledAt",
  t.distance_m AS "distanceM", t.duration_s AS "durationS",
  t.share_token AS "shareToken", t.share_expires_at AS "shareExpiresAt",
  t.created_by AS "createdBy", t.created_at AS "createdAt", t.updated_at AS "updatedAt"`;

const JOINS = P.sql`JOIN vehicles v ON v.id = t.vehicle_id JOIN users u ON u.id = t.driver_id`;

const point = (p: TripPointInput) => P.sql`ST_SetSRID(ST_MakePoint(${p.lng}::float8, ${p.lat}::float8), 4326)`;

/** Name of the partial unique index that allows one active trip per vehicle. */
export const ONE_ACTIVE_PER_VEHICLE = 'trips_one_active_per_vehicle';

export interface NewTrip {
  tenantId: string;
  vehicleId: string;
  driverId: string;
  pickup: TripPointInput;
  dropoff: TripPointInput;
  routeId: string | null;
  shareToken: string;
  createdBy: string;
}

/** Inserts a PENDING trip; a second active trip of the vehicle violates ONE_ACTIVE_PER_VEHICLE. */
export async function insertTrip(prisma: Tx, t: NewTrip): Promise<TripRow> {
  const [row] = await prisma.$queryRaw<TripRow[]>`
    WITH t AS (
      INSERT INTO trips (id, tenant_id, vehicle_id, driver_id, pickup, pickup_label, dropoff, dropoff_label, route_id, share_token, created_by)
      VALUES (gen_random_uuid(), ${t.tenantId}::uuid, ${t.vehicleId}::uuid, ${t.driverId}::uuid, ${point(t.pickup)}, ${t.pickup.label ?? null}::text,
              ${point(t.dropoff)}, ${t.dropoff.label ?? null}::text, ${t.routeId}::uuid, ${t.shareToken}::text, ${t.createdBy}::uuid)
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM t ${JOINS}`;
  return row!;
}

export async function findTrip(prisma: Prisma, tenantId: string, id: string): Promise<TripRow | null> {
  const [row] = await prisma.$queryRaw<TripRow[]>`
    SELECT ${SELECT_COLUMNS} FROM trips t ${JOINS} WHERE t.id = ${id}::uuid AND t.tenant_id = ${tenantId}::uuid`;
  return row ?? null;
}

/** The trip a share token opens, while the link has not expired. */
export async function findTripByShareToken(prisma: Prisma, token: string): Promise<TripRow | null> {
  const [row] = await prisma.$queryRaw<TripRow[]>`
    SELECT ${SELECT_COLUMNS} FROM trips t ${JOINS}
    WHERE t.share_token = ${token}::text AND (t.share_expires_at IS NULL OR t.share_expires_at > now())`;
  return row ?? null;
}

export interface TripFilter {
  statuses?: TripStatus[];
  vehicleId?: string;
  driverId?: string;
  /** true: non-final only; false: final only. */
  active?: boolean;
  limit: number;
}

/** Trips of a tenant, newest first. */
export function listTrips(prisma: Prisma, tenantId: string, f: TripFilter): Promise<TripRow[]> {
  return prisma.$queryRaw<TripRow[]>`
    SELECT ${SELECT_COLUMNS} FROM trips t ${JOINS}
    WHERE t.tenant_id = ${tenantId}::uuid
      AND (${f.statuses ?? null}::text[] IS NULL OR t.status::text = ANY(${f.statuses ?? null}::text[]))
      AND (${f.vehicleId ?? null}::uuid IS NULL OR t.vehicle_id = ${f.vehicleId ?? null}::uuid)
      AND (${f.driverId ?? null}::uuid IS NULL OR t.driver_id = ${f.driverId ?? null}::uuid)
      AND (${f.active ?? null}::boolean IS NULL OR (t.status NOT IN ('COMPLETED', 'CANCELLED')) = ${f.active ?? null}::boolean)
    ORDER BY t.created_at DESC, t.id
    LIMIT ${f.limit}`;
}

/**
 * Moves a trip from `from` to `to` in one statement, stamping the state's time; null when the
 * trip is not (any longer) in `from` (a concurrent move won). On COMPLETED it also stores the
 * distance — the geography length of the vehicle's positions ordered by time between EN_ROUTE
 * (or creation) and completion — and the duration from the first state after PENDING. On a final
 * state the share link gets its expiry: the state's time + `graceSeconds`.
 */
export async function transitionTrip(
  prisma: Tx,
  tenantId: string,
  id: string,
  from: TripStatus,
  to: TripStatus,
  graceSeconds: number,
): Promise<TripRow | null> {
  const column = P.raw(`"${STATUS_TIME_COLUMN[to]}"`);
  const final = isFinalTripStatus(to);
  const completion =
    to === 'COMPLETED'
      ? P.sql`,
        distance_m = (
          SELECT COALESCE(ST_Length(ST_MakeLine(h.geom ORDER BY h.ts)::geography), 0)
          FROM position_history h
          WHERE h.vehicle_id = trips.vehicle_id AND h.tenant_id = trips.tenant_id
            AND h.ts >= COALESCE(trips.en_route_at, trips.created_at) AND h.ts <= now()),
        duration_s = EXTRACT(EPOCH FROM now() - COALESCE(trips.en_route_at, trips.arrived_at, trips.in_progress_at, now()))`
      : P.empty;
  const expiry = final ? P.sql`, share_expires_at = now() + make_interval(secs => ${graceSeconds}::float8)` : P.empty;
  const [row] = await prisma.$queryRaw<TripRow[]>`
    WITH t AS (
      UPDATE trips SET status = ${to}::"TripStatus", ${column} = now(), updated_at = now() ${completion} ${expiry}
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid AND status = ${from}::"TripStatus"
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM t ${JOINS}`;
  return row ?? null;
}

export interface RecentMovement {
  /** Mean reported speed (km/h) of the window, null when none was reported. */
  avgSpeedKmh: number | null;
  /** Geography length (m) of the window's track and its time span (s). */
  lengthM: number;
  spanS: number;
}

/** The vehicle's positions in the `windowS` seconds up to its newest position `lastTs` (epoch ms). */
export async function recentMovement(prisma: Prisma, tenantId: string, vehicleId: string, lastTs: number, windowS: number): Promise<RecentMovement> {
  const [row] = await prisma.$queryRaw<Array<{ avgSpeedKmh: number | null; lengthM: number | null; spanS: number | null }>>`
    SELECT avg(h.speed) AS "avgSpeedKmh",
           ST_Length(ST_MakeLine(h.geom ORDER BY h.ts)::geography) AS "lengthM",
           EXTRACT(EPOCH FROM max(h.ts) - min(h.ts))::float8 AS "spanS"
    FROM position_history h
    WHERE h.vehicle_id = ${vehicleId}::uuid AND h.tenant_id = ${tenantId}::uuid
      AND h.ts > to_timestamp(${lastTs}::float8 / 1000) - make_interval(secs => ${windowS}::float8)
      AND h.ts <= to_timestamp(${lastTs}::float8 / 1000)`;
  return { avgSpeedKmh: row?.avgSpeedKmh ?? null, lengthM: row?.lengthM ?? 0, spanS: row?.spanS ?? 0 };
}

/** A trip that already ran (the demo seed's history): COMPLETED, with its times, distance and duration. */
export async function insertCompletedTrip(prisma: Tx, t: NewTrip & { startedAt: Date; completedAt: Date; distanceM: number }): Promise<void> {
  const arrived = new Date(t.startedAt.getTime() + (t.completedAt.getTime() - t.startedAt.getTime()) / 2);
  await prisma.$executeRaw`
    INSERT INTO trips (id, tenant_id, vehicle_id, driver_id, pickup, pickup_label, dropoff, dropoff_label, route_id, share_token, created_by,
                       status, en_route_at, arrived_at, in_progress_at, completed_at, distance_m, duration_s, share_expires_at, created_at, updated_at)
    VALUES (gen_random_uuid(), ${t.tenantId}::uuid, ${t.vehicleId}::uuid, ${t.driverId}::uuid, ${point(t.pickup)}, ${t.pickup.label ?? null}::text,
            ${point(t.dropoff)}, ${t.dropoff.label ?? null}::text, ${t.routeId}::uuid, ${t.shareToken}::text, ${t.createdBy}::uuid,
            'COMPLETED'::"TripStatus", ${t.startedAt}::timestamptz, ${arrived}::timestamptz, ${arrived}::timestamptz, ${t.completedAt}::timestamptz,
            ${t.distanceM}::float8, ${(t.completedAt.getTime() - t.startedAt.getTime()) / 1000}::float8, ${t.completedAt}::timestamptz,
            ${t.startedAt}::timestamptz, ${t.completedAt}::timestamptz)`;
}
