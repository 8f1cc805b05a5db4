import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import type { DispatchPlace, RequestStatus } from '../../protocol/dispatch';
import type { Tx } from './events';

/**
 * Dispatch requests and settings. Places are PostGIS points (SRID 4326); every statement is
 * scoped by tenant except the scheduler's scan for due work; parameters are bound.
 */

export interface DispatchRow {
  id: string;
  tenantId: string;
  kind: string;
  priority: string;
  status: RequestStatus;
  serviceType: string;
  emergencyType: string | null;
  severity: number | null;
  lng: number;
  lat: number;
  locationLabel: string;
  locationSource: string;
  dropoffLng: number | null;
  dropoffLat: number | null;
  dropoffLabel: string | null;
  dropoffSource: string | null;
  capabilities: string[];
  capacity: number | null;
  estimatedDurationMin: number | null;
  notes: string | null;
  scheduledTime: Date | null;
  windowMin: number | null;
  recurrence: string | null;
  seriesStart: Date | null;
  rolledForward: boolean;
  dispatchAt: Date;
  vehicleId: string | null;
  vehicleName: string | null;
  tripId: string | null;
  offerExpiresAt: Date | null;
  etaS: number | null;
  distanceM: number | null;
  score: number | null;
  route: unknown;
  reason: string | null;
  retryAt: Date | null;
  declinedVehicleIds: string[];
  attempts: number;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const SELECT = P.sql`
  SELECT d.id, d.tenant_id AS "tenantId", d.kind, d.priority, d.status, d.service_type AS "serviceType",
         d.emergency_type AS "emergencyType", d.severity,
         ST_X(d.location) AS lng, ST_Y(d.location) AS lat, d.location_label AS "locationLabel", d.location_source AS "locationSource",
         ST_X(d.dropoff) AS "dropoffLng", ST_Y(d.dropoff) AS "dropoffLat", d.dropoff_label AS "dropoffLabel", d.dropoff_source AS "dropoffSource",
         d.capabilities, d.capacity, d.estimated_duration_min AS "estimatedDurationMin", d.notes,
         d.scheduled_time AS "scheduledTime", d.window_min AS "windowMin",
         d.recurrence, d.series_start AS "seriesStart", d.rolled_forward AS "rolledForward", d.dispatch_at AS "dispatchAt",
         d.vehicle_id AS "vehicleId", v.name AS "vehicleName", d.trip_id AS "tripId", d.offer_expires_at AS "offerExpiresAt",
         d.eta_s AS "etaS", d.distance_m AS "distanceM", d.score, d.route, d.reason, d.retry_at AS "retryAt",
         d.declined_vehicle_ids::text[] AS "declinedVehicleIds", d.attempts, d.created_by AS "createdBy",
         d.created_at AS "createdAt", d.updated_at AS "updatedAt"
  FROM dispatch_requests d LEFT JOIN vehicles v ON v.id = d.vehicle_id`;

const point = (p: { lng: number; lat: number }) => P.sql`ST_SetSRID(ST_MakePoint(${p.lng}::float8, ${p.lat}::float8), 4326)`;

export interface NewDispatchRow {
  id: string;
  tenantId: string;
  kind: string;
  priority: string;
  serviceType: string;
  emergencyType: string | null;
  severity: number | null;
  location: DispatchPlace;
  dropoff: DispatchPlace | null;
  capabilities: string[];
  capacity: number | null;
  estimatedDurationMin: number | null;
  notes: string | null;
  scheduledTime: Date | null;
  windowMin: number | null;
  recurrence: string | null;
  seriesStart: Date | null;
  dispatchAt: Date;
  createdBy: string;
}

export async function insertRequest(tx: Tx, r: NewDispatchRow): Promise<DispatchRow> {
  await tx.$executeRaw`
    INSERT INTO dispatch_requests (id, tenant_id, kind, priority, service_type, emergency_type, severity, location, location_label, location_source,
      dropoff, dropoff_label, dropoff_source, capabilities, capacity, estimated_duration_min, notes, scheduled_time, window_min, recurrence, series_start, dispatch_at, created_by)
    VALUES (${r.id}::uuid, ${r.tenantId}::uuid, ${r.kind}, ${r.priority}, ${r.serviceType}, ${r.emergencyType}::text, ${r.severity}::int,
      ${point(r.location)}, ${r.location.label}, ${r.location.source},
      ${r.dropoff ? point(r.dropoff) : P.sql`NULL`}, ${r.dropoff?.label ?? null}::text, ${r.dropoff?.source ?? null}::text,
      ${r.capabilities}::text[], ${r.capacity}::int, ${r.estimatedDurationMin}::int, ${r.notes}::text, ${r.scheduledTime}::timestamptz, ${r.windowMin}::int,
      ${r.recurrence}::text, ${r.seriesStart}::timestamptz, ${r.dispatchAt}::timestamptz, ${r.createdBy}::uuid)`;
  return (await findRequest(tx, r.tenantId, r.id))!;
}

export async function findRequest(prisma: Tx | Prisma, tenantId: string, id: string): Promise<DispatchRow | null> {
  const [row] = await prisma.$queryRaw<DispatchRow[]>`${SELECT} WHERE d.tenant_id = ${tenantId}::uuid AND d.id = ${id}::uuid`;
  return row ?? null;
}

/** Newest first; open requests (`open`) by priority, then age. */
export async function listRequests(prisma: Prisma, tenantId: string, f: { statuses?: readonly string[]; open?: boolean; limit: number }): Promise<DispatchRow[]> {
  const statuses = f.statuses ?? (f.open ? ['QUEUED', 'OFFERED', 'DEFERRED'] : null);
  const order = f.open
    ? P.sql`ORDER BY CASE d.priority WHEN 'emergency' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END DESC, d.created_at`
    : P.sql`ORDER BY d.created_at DESC`;
  return prisma.$queryRaw<DispatchRow[]>`${SELECT}
    WHERE d.tenant_id = ${tenantId}::uuid AND (${statuses}::text[] IS NULL OR d.status = ANY(${statuses}::text[]))
    ${order} LIMIT ${f.limit}`;
}

/** Tenants with work due now: queued and due, deferred and due for retry, offers expired. */
export async function tenantsWithDueWork(prisma: Prisma, now: Date): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ tenantId: string }[]>`
    SELECT DISTINCT tenant_id::text AS "tenantId" FROM dispatch_requests
    WHERE status IN ('QUEUED', 'OFFERED', 'DEFERRED')
      AND ((status = 'QUEUED' AND dispatch_at <= ${now}::timestamptz)
        OR (status = 'DEFERRED' AND retry_at <= ${now}::timestamptz)
        OR (status = 'OFFERED' AND offer_expires_at <= ${now}::timestamptz))`;
  return rows.map((r) => r.tenantId);
}

/** A tenant's open requests (every status the scheduler looks at). */
export async function openRequests(prisma: Prisma, tenantId: string): Promise<DispatchRow[]> {
  return listRequests(prisma, tenantId, { open: true, limit: 10_000 });
}

/** Requests assigned (accepted) whose trip has not started: the vehicle is BUSY with them. */
export async function assignedNotStarted(prisma: Prisma, tenantId: string): Promise<{ id: string; vehicleId: string; tripId: string; priority: string }[]> {
  return prisma.$queryRaw<{ id: string; vehicleId: string; tripId: string; priority: string }[]>`
    SELECT d.id::text AS id, d.vehicle_id::text AS "vehicleId", d.trip_id::text AS "tripId", d.priority FROM dispatch_requests d JOIN trips t ON t.id = d.trip_id
    WHERE d.tenant_id = ${tenantId}::uuid AND d.status = 'ASSIGNED' AND t.status = 'PENDING'`;
}

export interface Transition {
  status: RequestStatus;
  vehicleId?: string | null;
  tripId?: string | null;
  offerExpiresAt?: Date | null;
  etaS?: number | null;
  distanceM?: number | null;
  score?: number | null;
  route?: unknown;
  reason?: string | null;
  retryAt?: Date | null;
  declineVehicle?: string | null;
  attempt?: boolean;
  dispatchAt?: Date;
}

/**
 * Moves a request from `from` (one of) to `t.status`, setting the given fields (fields left
 * undefined keep their value). Null when the request is no longer in `from` (someone else moved
 * it first).
 */
export async function transition(tx: Tx | Prisma, tenantId: string, id: string, from: readonly RequestStatus[], t: Transition): Promise<DispatchRow | null> {
  const set = (col: string, value: unknown, cast: string) => (value === undefined ? P.empty : P.sql`, ${P.raw(`"${col}"`)} = ${value}::${P.raw(cast)}`);
  const updated = await tx.$executeRaw`
    UPDATE dispatch_requests SET status = ${t.status}, updated_at = now()
      ${set('vehicle_id', t.vehicleId, 'uuid')} ${set('trip_id', t.tripId, 'uuid')} ${set('offer_expires_at', t.offerExpiresAt, 'timestamptz')}
      ${set('eta_s', t.etaS, 'float8')} ${set('distance_m', t.distanceM, 'float8')} ${set('score', t.score, 'float8')}
      ${t.route === undefined ? P.empty : P.sql`, route = ${t.route === null ? null : JSON.stringify(t.route)}::jsonb`}
      ${set('reason', t.reason, 'text')} ${set('retry_at', t.retryAt, 'timestamptz')} ${set('dispatch_at', t.dispatchAt, 'timestamptz')}
      ${t.declineVehicle ? P.sql`, declined_vehicle_ids = array_append(declined_vehicle_ids, ${t.declineVehicle}::uuid)` : P.empty}
      ${t.attempt ? P.sql`, attempts = attempts + 1` : P.empty}
    WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid AND status = ANY(${[...from]}::text[])`;
  return updated === 0 ? null : findRequest(tx, tenantId, id);
}

/** Wakes a tenant's deferred requests (a vehicle freed up): retried on the next round. */
export async function wakeDeferred(prisma: Prisma, tenantId: string, now: Date): Promise<number> {
  return prisma.$executeRaw`UPDATE dispatch_requests SET retry_at = ${now}::timestamptz WHERE tenant_id = ${tenantId}::uuid AND status = 'DEFERRED' AND retry_at > ${now}::timestamptz`;
}

/** Vehicles of the tenant with a trip that is not final, and the trip's status. */
export async function activeTrips(prisma: Prisma, tenantId: string): Promise<{ vehicleId: string; status: string }[]> {
  return prisma.$queryRaw<{ vehicleId: string; status: string }[]>`SELECT vehicle_id::text AS "vehicleId", status::text AS status FROM trips WHERE tenant_id = ${tenantId}::uuid AND status NOT IN ('COMPLETED', 'CANCELLED')`;
}

/** Per vehicle, seconds on trips (started, not pending) within the last `windowS` seconds. */
export async function tripSeconds(prisma: Prisma, tenantId: string, now: Date, windowS: number): Promise<Map<string, number>> {
  const rows = await prisma.$queryRaw<{ vehicleId: string; s: number }[]>`
    SELECT vehicle_id::text AS "vehicleId",
           sum(extract(epoch FROM (least(coalesce(completed_at, cancelled_at, ${now}::timestamptz), ${now}::timestamptz)
               - greatest(en_route_at, ${now}::timestamptz - make_interval(secs => ${windowS}::float8)))))::float8 AS s
    FROM trips
    WHERE tenant_id = ${tenantId}::uuid AND en_route_at IS NOT NULL
      AND coalesce(completed_at, cancelled_at, ${now}::timestamptz) > ${now}::timestamptz - make_interval(secs => ${windowS}::float8)
    GROUP BY 1`;
  return new Map(rows.map((r) => [r.vehicleId, Math.max(0, r.s)]));
}

export async function loadSettings(prisma: Prisma, tenantId: string): Promise<unknown | null> {
  const [row] = await prisma.$queryRaw<{ weights: unknown }[]>`SELECT weights FROM dispatch_settings WHERE tenant_id = ${tenantId}::uuid`;
  return row?.weights ?? null;
}

export async function saveSettings(tx: Tx, tenantId: string, weights: unknown): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO dispatch_settings (tenant_id, weights, updated_at) VALUES (${tenantId}::uuid, ${JSON.stringify(weights)}::jsonb, now())
    ON CONFLICT (tenant_id) DO UPDATE SET weights = EXCLUDED.weights, updated_at = now()`;
}

/** Marks a recurring occurrence as having queued the next one (false when another round did first). */
export async function markRolledForward(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  return (await tx.$executeRaw`UPDATE dispatch_requests SET rolled_forward = true WHERE tenant_id = ${tenantId}::uuid AND id = ${id}::uuid AND NOT rolled_forward`) === 1;
}
