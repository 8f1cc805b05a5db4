import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import type { Tx } from './events';
import type { GeofenceEventType, GeofenceGeometryInput, GeofenceInputProperties, GeofenceType, Severity } from '../../protocol/geofences';

/**
 * Geofences, their events and the engine's memberships. Geometry goes in as GeoJSON
 * (ST_GeomFromGeoJSON, SRID 4326, always ST_Multi) and comes out as GeoJSON (ST_AsGeoJSON);
 * a circle is stored as its exact center and radius plus a polygon: the geography buffer
 * (meters on the spheroid) with 32 segments per quarter, cast back to geometry. Every statement
 * is scoped by tenant; parameters are bound, never concatenated.
 */

/** Segments per quarter circle of a stored circle polygon (128 in all: area within 0.05 % of πr²). */
export const CIRCLE_QUAD_SEGMENTS = 32;

export interface GeofenceRow {
  id: string;
  tenantId: string;
  name: string;
  type: GeofenceType;
  kind: string;
  /** ST_AsGeoJSON of the stored geometry (a single polygon as Polygon). */
  geometry: string;
  centerLng: number | null;
  centerLat: number | null;
  radiusM: number | null;
  alertOnEntry: boolean;
  alertOnExit: boolean;
  severity: Severity;
  hysteresisM: number;
  dwellS: number;
  maxAccuracyM: number;
  options: unknown;
  areaM2: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface GeometryProblem {
  reason: string;
  /** Where PostGIS found the problem, [lng, lat], when it says. */
  location: [number, number] | null;
}

const SELECT_COLUMNS = P.sql`
  g.id, g.tenant_id AS "tenantId", g.name, g.type::text AS type, g.kind,
  ST_AsGeoJSON(CASE WHEN ST_NumGeometries(g.geom) = 1 THEN ST_GeometryN(g.geom, 1) ELSE g.geom END) AS geometry,
  ST_X(g.center) AS "centerLng", ST_Y(g.center) AS "centerLat", g.radius_m AS "radiusM",
  g.alert_on_entry AS "alertOnEntry", g.alert_on_exit AS "alertOnExit", g.severity::text AS severity,
  g.hysteresis_m AS "hysteresisM", g.dwell_s AS "dwellS", g.max_accuracy_m AS "maxAccuracyM", g.options,
  ST_Area(g.geom::geography) AS "areaM2", g.created_at AS "createdAt", g.updated_at AS "updatedAt"`;

/** The stored MultiPolygon of a geometry as clients send it (Point = circle center, `radius` meters). */
function storedGeometry(geometry: GeofenceGeometryInput, radius: number | undefined): P.Sql {
  if (geometry.type === 'Point') {
    const [lng, lat] = geometry.coordinates;
    return P.sql`ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)::geography,
      ${radius ?? 0}::float8, ${`quad_segs=${CIRCLE_QUAD_SEGMENTS}`}::text)::geometry)`;
  }
  return P.sql`ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326))`;
}

function center(geometry: GeofenceGeometryInput): P.Sql {
  if (geometry.type !== 'Point') return P.sql`NULL::geometry`;
  const [lng, lat] = geometry.coordinates;
  return P.sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)`;
}

/**
 * Why PostGIS finds the geometry invalid (ST_IsValidDetail: e.g. "Self-intersection" at a
 * location), or null when it is valid. For a circle, its polygon is checked.
 */
export async function geometryProblem(prisma: Prisma, geometry: GeofenceGeometryInput, radius: number | undefined): Promise<GeometryProblem | null> {
  const [row] = await prisma.$queryRaw<Array<{ valid: boolean; reason: string | null; lng: number | null; lat: number | null }>>`
    SELECT d.valid, d.reason, ST_X(d.location) AS lng, ST_Y(d.location) AS lat
    FROM ST_IsValidDetail(${storedGeometry(geometry, radius)}) AS d`;
  if (!row || row.valid) return null;
  return { reason: row.reason ?? 'invalid geometry', location: row.lng === null || row.lat === null ? null : [row.lng, row.lat] };
}

/** Inserts a fence of `tenantId`; returns it as stored. */
export async function insertGeofence(prisma: Tx, tenantId: string, geometry: GeofenceGeometryInput, p: GeofenceInputProperties, options: object = {}): Promise<GeofenceRow> {
  const [row] = await prisma.$queryRaw<GeofenceRow[]>`
    WITH inserted AS (
      INSERT INTO geofences (id, tenant_id, name, type, kind, geom, center, radius_m, alert_on_entry, alert_on_exit,
                             severity, hysteresis_m, dwell_s, max_accuracy_m, options)
      VALUES (gen_random_uuid(), ${tenantId}::uuid, ${p.name}::text, ${p.type}::"GeofenceType", ${p.kind}::text, ${storedGeometry(geometry, p.radius)},
              ${center(geometry)}, ${geometry.type === 'Point' ? (p.radius ?? null) : null}::float8, ${p.alertOnEntry}::boolean, ${p.alertOnExit}::boolean,
              ${p.severity}::"Severity", ${p.hysteresisMeters}::float8, ${p.dwellSeconds}::float8, ${p.maxAccuracyMeters}::float8,
              ${JSON.stringify(options)}::jsonb)
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM inserted g`;
  return row!;
}

/** Replaces geometry and properties of a fence of `tenantId`; null when there is no such fence. */
export async function updateGeofence(
  prisma: Tx,
  tenantId: string,
  id: string,
  geometry: GeofenceGeometryInput,
  p: GeofenceInputProperties,
  options: object = {},
): Promise<GeofenceRow | null> {
  const [row] = await prisma.$queryRaw<GeofenceRow[]>`
    WITH updated AS (
      UPDATE geofences SET
        name = ${p.name}::text, type = ${p.type}::"GeofenceType", kind = ${p.kind}::text, geom = ${storedGeometry(geometry, p.radius)},
        center = ${center(geometry)}, radius_m = ${geometry.type === 'Point' ? (p.radius ?? null) : null}::float8,
        alert_on_entry = ${p.alertOnEntry}::boolean, alert_on_exit = ${p.alertOnExit}::boolean, severity = ${p.severity}::"Severity",
        hysteresis_m = ${p.hysteresisMeters}::float8, dwell_s = ${p.dwellSeconds}::float8, max_accuracy_m = ${p.maxAccuracyMeters}::float8,
        options = ${JSON.stringify(options)}::jsonb, updated_at = now()
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM updated g`;
  return row ?? null;
}

/** Deletes a fence of `tenantId` (its events and memberships cascade); returns it as it was, null when there is none. */
export async function deleteGeofence(prisma: Tx, tenantId: string, id: string): Promise<GeofenceRow | null> {
  const [row] = await prisma.$queryRaw<GeofenceRow[]>`
    WITH deleted AS (DELETE FROM geofences WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid RETURNING *)
    SELECT ${SELECT_COLUMNS} FROM deleted g`;
  return row ?? null;
}

/**
 * A fence of `tenantId`, or null. `lock` (inside a transaction) holds the row until it commits,
 * so a change reads the state it replaces (its audit event's `before`).
 */
export async function findGeofence(prisma: Tx, tenantId: string, id: string, lock = false): Promise<GeofenceRow | null> {
  const [row] = await prisma.$queryRaw<GeofenceRow[]>`
    SELECT ${SELECT_COLUMNS} FROM geofences g WHERE g.id = ${id}::uuid AND g.tenant_id = ${tenantId}::uuid ${lock ? P.sql`FOR UPDATE OF g` : P.empty}`;
  return row ?? null;
}

/** Fences of one tenant by name. */
export function listGeofences(prisma: Prisma, tenantId: string): Promise<GeofenceRow[]> {
  return prisma.$queryRaw<GeofenceRow[]>`
    SELECT ${SELECT_COLUMNS} FROM geofences g WHERE g.tenant_id = ${tenantId}::uuid ORDER BY g.name, g.id`;
}

/** Every tenant's fences (engine start-up). */
export function allGeofences(prisma: Prisma): Promise<GeofenceRow[]> {
  return prisma.$queryRaw<GeofenceRow[]>`SELECT ${SELECT_COLUMNS} FROM geofences g ORDER BY g.tenant_id, g.id`;
}

// ── events ──────────────────────────────────────────────────────────────────────────────────

export interface NewGeofenceEvent {
  tenantId: string;
  geofenceId: string;
  vehicleId: string;
  type: GeofenceEventType;
  /** Position time, epoch ms. */
  at: number;
  lng: number;
  lat: number;
  etaSeconds?: number | null;
  confidence?: number | null;
}

/**
 * Appends events in ONE statement (unnest). Events whose fence or vehicle is gone, or not of the
 * event's tenant, are skipped rather than failing the batch. Returns how many were stored.
 *
 * The tenant checks below (and in `saveMemberships`, and in alerts' insert) are written
 * `IS NOT DISTINCT FROM` on purpose: with `=`, PostgreSQL puts the input's, the fence's and the
 * vehicle's tenant_id in one equivalence class, may then look vehicles up by `tenant_id` instead
 * of by primary key, and when its statistics still count a few vehicles per tenant (just after a
 * bulk import; always on the embedded database, which has no autovacuum) it did: every row
 * scanned the tenant's whole fleet (9 M rows filtered, 1.2 s for one 1,850-row save at 10,000
 * vehicles). `IS NOT DISTINCT FROM` is no index condition, so each row is one primary-key probe.
 */
export async function insertGeofenceEvents(prisma: Prisma, events: readonly NewGeofenceEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const n = events.length;
  const ord = new Array<number>(n);
  const tenants = new Array<string>(n);
  const fences = new Array<string>(n);
  const vehicles = new Array<string>(n);
  const types = new Array<string>(n);
  const at = new Array<number>(n);
  const lng = new Array<number>(n);
  const lat = new Array<number>(n);
  const eta = new Array<number | null>(n);
  const confidence = new Array<number | null>(n);
  events.forEach((e, i) => {
    ord[i] = i;
    tenants[i] = e.tenantId;
    fences[i] = e.geofenceId;
    vehicles[i] = e.vehicleId;
    types[i] = e.type;
    at[i] = e.at;
    lng[i] = e.lng;
    lat[i] = e.lat;
    eta[i] = e.etaSeconds ?? null;
    confidence[i] = e.confidence ?? null;
  });
  return prisma.$executeRaw`
    INSERT INTO geofence_events (tenant_id, geofence_id, vehicle_id, type, at, geom, eta_s, confidence)
    SELECT u.tenant_id, u.geofence_id, u.vehicle_id, u.type::"GeofenceEventType", to_timestamp(u.at / 1000.0),
           ST_SetSRID(ST_MakePoint(u.lng, u.lat), 4326), u.eta_s, u.confidence
    FROM unnest(${ord}::int[], ${tenants}::uuid[], ${fences}::uuid[], ${vehicles}::uuid[], ${types}::text[], ${at}::float8[],
                ${lng}::float8[], ${lat}::float8[], ${eta}::float8[], ${confidence}::float8[])
         AS u(ord, tenant_id, geofence_id, vehicle_id, type, at, lng, lat, eta_s, confidence)
    JOIN geofences g ON g.id = u.geofence_id AND g.tenant_id IS NOT DISTINCT FROM u.tenant_id
    JOIN vehicles v ON v.id = u.vehicle_id AND v.tenant_id IS NOT DISTINCT FROM u.tenant_id
    ORDER BY u.ord`;
}

export interface GeofenceEventRow {
  id: bigint;
  type: GeofenceEventType;
  geofenceId: string;
  vehicleId: string;
  at: Date;
  lng: number;
  lat: number;
  etaS: number | null;
  confidence: number | null;
  createdAt: Date;
}

export interface GeofenceEventFilter {
  geofenceId?: string;
  vehicleId?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  limit: number;
}

/** Events of `tenantId` matching the filter, newest first; `limit` rows at most. */
export function listGeofenceEvents(prisma: Prisma, tenantId: string, f: GeofenceEventFilter): Promise<GeofenceEventRow[]> {
  const conditions = [P.sql`e.tenant_id = ${tenantId}::uuid`];
  if (f.geofenceId) conditions.push(P.sql`e.geofence_id = ${f.geofenceId}::uuid`);
  if (f.vehicleId) conditions.push(P.sql`e.vehicle_id = ${f.vehicleId}::uuid`);
  if (f.from !== undefined) conditions.push(P.sql`e.at >= ${new Date(f.from).toISOString()}::timestamptz`);
  if (f.to !== undefined) conditions.push(P.sql`e.at < ${new Date(f.to).toISOString()}::timestamptz`);
  return prisma.$queryRaw<GeofenceEventRow[]>`
    SELECT e.id, e.type::text AS type, e.geofence_id AS "geofenceId", e.vehicle_id AS "vehicleId", e.at,
           ST_X(e.geom) AS lng, ST_Y(e.geom) AS lat, e.eta_s AS "etaS", e.confidence, e.created_at AS "createdAt"
    FROM geofence_events e
    WHERE ${P.join(conditions, ' AND ')}
    ORDER BY e.at DESC, e.id DESC
    LIMIT ${f.limit}::int`;
}

// ── memberships ─────────────────────────────────────────────────────────────────────────────

export interface MembershipRow {
  vehicleId: string;
  geofenceId: string;
  tenantId: string;
  state: unknown;
}

/** Every stored membership (engine start-up). */
export function allMemberships(prisma: Prisma): Promise<MembershipRow[]> {
  return prisma.$queryRaw<MembershipRow[]>`
    SELECT vehicle_id AS "vehicleId", geofence_id AS "geofenceId", tenant_id AS "tenantId", state FROM geofence_memberships`;
}

/**
 * Writes memberships in ONE statement: `state` null deletes the pair, anything else upserts it.
 * Pairs whose fence or vehicle is gone are skipped.
 */
export async function saveMemberships(prisma: Prisma, rows: ReadonlyArray<{ vehicleId: string; geofenceId: string; tenantId: string; state: unknown }>): Promise<void> {
  if (rows.length === 0) return;
  const vehicles = rows.map((r) => r.vehicleId);
  const fences = rows.map((r) => r.geofenceId);
  const tenants = rows.map((r) => r.tenantId);
  const states = rows.map((r) => (r.state === null || r.state === undefined ? null : JSON.stringify(r.state)));
  await prisma.$executeRaw`
    WITH input AS (
      SELECT DISTINCT ON (u.vehicle_id, u.geofence_id) u.*
      FROM unnest(${vehicles}::uuid[], ${fences}::uuid[], ${tenants}::uuid[], ${states}::jsonb[]) WITH ORDINALITY
           AS u(vehicle_id, geofence_id, tenant_id, state, ord)
      ORDER BY u.vehicle_id, u.geofence_id, u.ord DESC
    ),
    removed AS (
      DELETE FROM geofence_memberships m USING input i
      WHERE i.state IS NULL AND m.vehicle_id = i.vehicle_id AND m.geofence_id = i.geofence_id
    )
    INSERT INTO geofence_memberships (vehicle_id, geofence_id, tenant_id, state, updated_at)
    SELECT i.vehicle_id, i.geofence_id, i.tenant_id, i.state, now()
    FROM input i
    JOIN geofences g ON g.id = i.geofence_id AND g.tenant_id IS NOT DISTINCT FROM i.tenant_id
    JOIN vehicles v ON v.id = i.vehicle_id AND v.tenant_id IS NOT DISTINCT FROM i.tenant_id
    WHERE i.state IS NOT NULL
    ON CONFLICT (vehicle_id, geofence_id) DO UPDATE SET state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`;
}
