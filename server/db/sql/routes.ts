import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import type { RouteGeometryInput, RouteInputProperties } from '../../protocol/routes';
import type { Tx } from './events';
import type { GeometryProblem } from './geofences';

/**
 * Routes and their vehicle assignments. Geometry goes in as GeoJSON (ST_GeomFromGeoJSON, SRID
 * 4326) and comes out as GeoJSON; `length_m` is a generated column (ST_Length on geography).
 * Every statement is scoped by tenant; parameters are bound, never concatenated.
 */

export interface RouteRow {
  id: string;
  name: string;
  color: string;
  /** ST_AsGeoJSON of the stored LineString. */
  geometry: string;
  lengthM: number;
  attributes: unknown;
  stops: unknown;
  vehicleIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

const SELECT_COLUMNS = P.sql`
  r.id, r.name, r.color, ST_AsGeoJSON(r.geom) AS geometry, r.length_m AS "lengthM", r.attributes, r.stops,
  ARRAY(SELECT a.vehicle_id::text FROM route_assignments a WHERE a.route_id = r.id ORDER BY a.vehicle_id) AS "vehicleIds",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const lineString = (geometry: RouteGeometryInput) => P.sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326)`;

/** Why PostGIS finds the line invalid (e.g. "Too few points in geometry component" at a location), or null. */
export async function lineProblem(prisma: Prisma, geometry: RouteGeometryInput): Promise<GeometryProblem | null> {
  const [row] = await prisma.$queryRaw<Array<{ valid: boolean; reason: string | null; lng: number | null; lat: number | null }>>`
    SELECT d.valid, d.reason, ST_X(d.location) AS lng, ST_Y(d.location) AS lat FROM ST_IsValidDetail(${lineString(geometry)}) AS d`;
  if (!row || row.valid) return null;
  return { reason: row.reason ?? 'invalid geometry', location: row.lng === null || row.lat === null ? null : [row.lng, row.lat] };
}

export async function insertRoute(prisma: Tx, tenantId: string, geometry: RouteGeometryInput, p: RouteInputProperties): Promise<RouteRow> {
  const [row] = await prisma.$queryRaw<RouteRow[]>`
    WITH inserted AS (
      INSERT INTO routes (id, tenant_id, name, color, geom, attributes, stops)
      VALUES (gen_random_uuid(), ${tenantId}::uuid, ${p.name}::text, ${p.color}::text, ${lineString(geometry)}, ${JSON.stringify(p.attributes)}::jsonb, ${JSON.stringify(p.stops)}::jsonb)
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM inserted r`;
  return row!;
}

/** Replaces a route's line and properties; null when the tenant has no such route. */
export async function updateRoute(prisma: Tx, tenantId: string, id: string, geometry: RouteGeometryInput, p: RouteInputProperties): Promise<RouteRow | null> {
  const [row] = await prisma.$queryRaw<RouteRow[]>`
    WITH updated AS (
      UPDATE routes SET name = ${p.name}::text, color = ${p.color}::text, geom = ${lineString(geometry)},
                        attributes = ${JSON.stringify(p.attributes)}::jsonb, stops = ${JSON.stringify(p.stops)}::jsonb, updated_at = now()
      WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid
      RETURNING *
    )
    SELECT ${SELECT_COLUMNS} FROM updated r`;
  return row ?? null;
}

/**
 * Deletes a route (its assignments cascade); returns it as it was (with the vehicles it had),
 * null when the tenant has none by that id.
 */
export async function deleteRoute(prisma: Tx, tenantId: string, id: string): Promise<RouteRow | null> {
  // The data-modifying CTE sees the snapshot before the delete, so the assignments are still there.
  const [row] = await prisma.$queryRaw<RouteRow[]>`
    WITH deleted AS (DELETE FROM routes WHERE id = ${id}::uuid AND tenant_id = ${tenantId}::uuid RETURNING *)
    SELECT ${SELECT_COLUMNS} FROM deleted r`;
  return row ?? null;
}

/**
 * A route of `tenantId`, or null. `lock` (inside a transaction) holds the row until it commits,
 * so a change reads the state it replaces (its audit event's `before`).
 */
export async function findRoute(prisma: Tx, tenantId: string, id: string, lock = false): Promise<RouteRow | null> {
  const [row] = await prisma.$queryRaw<RouteRow[]>`
    SELECT ${SELECT_COLUMNS} FROM routes r WHERE r.id = ${id}::uuid AND r.tenant_id = ${tenantId}::uuid ${lock ? P.sql`FOR UPDATE OF r` : P.empty}`;
  return row ?? null;
}

/** The tenant's routes among `ids` (in no particular order; ids of other tenants or gone are left out). */
export function findRoutes(prisma: Tx, tenantId: string, ids: readonly string[]): Promise<RouteRow[]> {
  return prisma.$queryRaw<RouteRow[]>`SELECT ${SELECT_COLUMNS} FROM routes r WHERE r.id = ANY(${ids}::uuid[]) AND r.tenant_id = ${tenantId}::uuid`;
}

export function listRoutes(prisma: Prisma, tenantId: string): Promise<RouteRow[]> {
  return prisma.$queryRaw<RouteRow[]>`SELECT ${SELECT_COLUMNS} FROM routes r WHERE r.tenant_id = ${tenantId}::uuid ORDER BY r.name, r.id`;
}

/** Every tenant's routes (start-up: what predictive geofences follow). */
export function allRoutes(prisma: Prisma): Promise<RouteRow[]> {
  return prisma.$queryRaw<RouteRow[]>`SELECT ${SELECT_COLUMNS} FROM routes r`;
}

/** The ids among `vehicleIds` that are NOT vehicles of the tenant. */
export async function foreignVehicles(prisma: Prisma, tenantId: string, vehicleIds: readonly string[]): Promise<string[]> {
  if (vehicleIds.length === 0) return [];
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT u.id::text AS id FROM unnest(${vehicleIds as string[]}::uuid[]) AS u(id)
    WHERE NOT EXISTS (SELECT 1 FROM vehicles v WHERE v.id = u.id AND v.tenant_id = ${tenantId}::uuid)`;
  return rows.map((r) => r.id);
}

/** A vehicle that `setRouteVehicles` took from another route. */
export interface MovedVehicle {
  vehicleId: string;
  fromRouteId: string;
}

/**
 * Makes `vehicleIds` exactly the vehicles of route `routeId`, inside the caller's transaction `tx`:
 * others lose the route, these are moved here from any other route. Returns the vehicles moved
 * from OTHER routes, with the route each left (so those routes' watchers and audit can be told).
 */
export async function setRouteVehicles(tx: Tx, tenantId: string, routeId: string, vehicleIds: readonly string[]): Promise<MovedVehicle[]> {
  const ids = vehicleIds as string[];
  await tx.$executeRaw`
    DELETE FROM route_assignments WHERE route_id = ${routeId}::uuid AND tenant_id = ${tenantId}::uuid AND NOT (vehicle_id = ANY(${ids}::uuid[]))`;
  return tx.$queryRaw<MovedVehicle[]>`
    WITH previous AS (
      SELECT a.vehicle_id, a.route_id FROM route_assignments a
      WHERE a.vehicle_id = ANY(${ids}::uuid[]) AND a.tenant_id = ${tenantId}::uuid
    ),
    upserted AS (
      INSERT INTO route_assignments (vehicle_id, route_id, tenant_id, assigned_at)
      SELECT v.id, ${routeId}::uuid, ${tenantId}::uuid, now() FROM vehicles v
      WHERE v.id = ANY(${ids}::uuid[]) AND v.tenant_id = ${tenantId}::uuid
      ON CONFLICT (vehicle_id) DO UPDATE SET route_id = EXCLUDED.route_id, assigned_at = EXCLUDED.assigned_at
      WHERE route_assignments.route_id <> EXCLUDED.route_id
    )
    SELECT p.vehicle_id::text AS "vehicleId", p.route_id::text AS "fromRouteId" FROM previous p
    WHERE p.route_id <> ${routeId}::uuid ORDER BY p.vehicle_id`;
}
