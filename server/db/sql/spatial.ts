import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import type { Bbox, GeoJsonPolygon } from '../../protocol/spatial';

/**
 * Spatial reads over current vehicle states and position history. Every statement is scoped by
 * tenant and written so PostGIS can use the GIST index on `vehicle_states.geom`:
 *  - within: `geom && envelope` (the index; its float4 boxes are a hair loose) then exact
 *    coordinate bounds / `ST_Intersects(geom, polygon)`, both inclusive of the boundary;
 *  - nearby: a degree box around the circle (`geom && ST_Expand(point, dx, dy)`) narrows the
 *    candidates through the index, then `ST_DistanceSphere` (great-circle meters: PostGIS 3 uses
 *    the WGS 84 mean radius, 6371008.8 m, i.e. haversine) decides and orders;
 *  - nearest: `ORDER BY geom <-> point LIMIT k` walks the index (KNN) in planar degree order;
 *    the k-th candidate's exact distance bounds the true k nearest, which a second, exact pass
 *    within that radius orders by meters (degree order is not meter order away from the equator).
 * History reads use position_history's primary key (vehicle_id, ts) and partition pruning.
 * Each query is a `build…` function returning the statement (so the benchmark can EXPLAIN it)
 * and a runner. Parameters are always bound, never concatenated.
 */

/**
 * A radius no larger than the sphere ST_DistanceSphere measures on (PostGIS 3: 6371008.8 m; older
 * releases: 6370986 m): the smaller radius gives the wider search box, so no version loses points.
 */
export const POSTGIS_SPHERE_RADIUS_M = 6_370_986;

export interface SpatialVehicleRow {
  id: string;
  name: string;
  plate: string | null;
  type: string;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  ts: Date;
  distance?: number;
}

export interface HistoryRow {
  ts: Date;
  lng: number;
  lat: number;
  speed: number | null;
  heading: number | null;
  battery: number | null;
  accuracy: number | null;
  accel_x: number | null;
  accel_y: number | null;
  accel_z: number | null;
  gyro_x: number | null;
  gyro_y: number | null;
  gyro_z: number | null;
}

const point = (lng: number, lat: number) => P.sql`ST_SetSRID(ST_MakePoint(${lng}::float8, ${lat}::float8), 4326)`;

/**
 * The box (in degrees) around a circle of `radius` meters (SQL expression) at latitude `lat`:
 * ±δ in latitude and ±asin(sin δ / cos φ) in longitude, δ = radius / R; the whole longitude range
 * when the circle reaches a pole. A hair wider than exact so rounding never loses a point.
 */
function expandedPoint(lng: number, lat: number, radius: P.Sql): P.Sql {
  const delta = P.sql`((${radius}) / ${POSTGIS_SPHERE_RADIUS_M}::float8)`;
  return P.sql`ST_Expand(${point(lng, lat)},
    CASE WHEN ${delta} >= radians(90 - abs(${lat}::float8)) THEN 360
         ELSE degrees(asin(sin(${delta}) / cos(radians(${lat}::float8)))) * 1.000001 + 1e-9 END,
    degrees(${delta}) * 1.000001 + 1e-9)`;
}

const VEHICLE_COLUMNS = P.sql`v.id, v.name, v.plate, v.type, ST_X(s.geom) AS lng, ST_Y(s.geom) AS lat,
  s.speed, s.heading, s.battery, s.ts`;

/** Vehicles of `tenantId` whose position lies in the box (edges included), by name; `limit` rows at most. */
export function buildWithinBbox(tenantId: string, bbox: Bbox, limit: number): P.Sql {
  return P.sql`
    SELECT ${VEHICLE_COLUMNS}
    FROM vehicle_states s JOIN vehicles v ON v.id = s.vehicle_id
    WHERE s.tenant_id = ${tenantId}::uuid AND s.ts IS NOT NULL
      AND s.geom && ST_MakeEnvelope(${bbox.west}::float8, ${bbox.south}::float8, ${bbox.east}::float8, ${bbox.north}::float8, 4326)
      AND ST_X(s.geom) BETWEEN ${bbox.west}::float8 AND ${bbox.east}::float8
      AND ST_Y(s.geom) BETWEEN ${bbox.south}::float8 AND ${bbox.north}::float8
    ORDER BY v.name, v.id
    LIMIT ${limit}::int`;
}

export function withinBbox(prisma: Prisma, tenantId: string, bbox: Bbox, limit: number): Promise<SpatialVehicleRow[]> {
  return prisma.$queryRaw<SpatialVehicleRow[]>(buildWithinBbox(tenantId, bbox, limit));
}

const polygonGeometry = (polygon: GeoJsonPolygon) => P.sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(polygon)}::text), 4326)`;

/** PostGIS's reason why a polygon is invalid (e.g. "Self-intersection[13.4 52.5]"), or null when valid. */
export async function polygonInvalidReason(prisma: Prisma, polygon: GeoJsonPolygon): Promise<string | null> {
  const [row] = await prisma.$queryRaw<Array<{ valid: boolean; reason: string }>>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ${polygonGeometry(polygon)} AS g) AS input`;
  return !row || row.valid ? null : row.reason;
}

/** Vehicles of `tenantId` inside the polygon or on its boundary, by name. The polygon must be valid. */
export function buildWithinPolygon(tenantId: string, polygon: GeoJsonPolygon, limit: number): P.Sql {
  return P.sql`
    SELECT ${VEHICLE_COLUMNS}
    FROM vehicle_states s JOIN vehicles v ON v.id = s.vehicle_id
    WHERE s.tenant_id = ${tenantId}::uuid AND s.ts IS NOT NULL
      AND ST_Intersects(s.geom, ${polygonGeometry(polygon)})
    ORDER BY v.name, v.id
    LIMIT ${limit}::int`;
}

export function withinPolygon(prisma: Prisma, tenantId: string, polygon: GeoJsonPolygon, limit: number): Promise<SpatialVehicleRow[]> {
  return prisma.$queryRaw<SpatialVehicleRow[]>(buildWithinPolygon(tenantId, polygon, limit));
}

/** Vehicles of `tenantId` within `radius` meters of the point, nearest first, with `distance` in meters. */
export function buildNearby(tenantId: string, lng: number, lat: number, radius: number, limit: number): P.Sql {
  return P.sql`
    SELECT ${VEHICLE_COLUMNS}, ST_DistanceSphere(s.geom, ${point(lng, lat)}) AS distance
    FROM vehicle_states s JOIN vehicles v ON v.id = s.vehicle_id
    WHERE s.tenant_id = ${tenantId}::uuid AND s.ts IS NOT NULL
      AND s.geom && ${expandedPoint(lng, lat, P.sql`${radius}::float8`)}
      AND ST_DistanceSphere(s.geom, ${point(lng, lat)}) <= ${radius}::float8
    ORDER BY distance, v.id
    LIMIT ${limit}::int`;
}

export function nearby(prisma: Prisma, tenantId: string, lng: number, lat: number, radius: number, limit: number): Promise<SpatialVehicleRow[]> {
  return prisma.$queryRaw<SpatialVehicleRow[]>(buildNearby(tenantId, lng, lat, radius, limit));
}

/** The `k` vehicles of `tenantId` nearest to the point by great-circle distance, nearest first. */
export function buildNearest(tenantId: string, lng: number, lat: number, k: number): P.Sql {
  // KNN over the GIST index gives k candidates; the farthest of them (in meters) is a radius that
  // holds the true k nearest, which the exact pass finds through the same index.
  const bound = P.sql`(SELECT m FROM bound)`;
  return P.sql`
    WITH bound AS MATERIALIZED (
      SELECT max(ST_DistanceSphere(c.geom, ${point(lng, lat)})) AS m FROM (
        SELECT s.geom FROM vehicle_states s
        WHERE s.tenant_id = ${tenantId}::uuid AND s.geom IS NOT NULL AND s.ts IS NOT NULL
        ORDER BY s.geom <-> ${point(lng, lat)}
        LIMIT ${k}::int
      ) AS c
    )
    SELECT ${VEHICLE_COLUMNS}, ST_DistanceSphere(s.geom, ${point(lng, lat)}) AS distance
    FROM vehicle_states s JOIN vehicles v ON v.id = s.vehicle_id
    WHERE s.tenant_id = ${tenantId}::uuid AND s.ts IS NOT NULL
      AND s.geom && ${expandedPoint(lng, lat, bound)}
      AND ST_DistanceSphere(s.geom, ${point(lng, lat)}) <= ${bound}
    ORDER BY distance, v.id
    LIMIT ${k}::int`;
}

export function nearest(prisma: Prisma, tenantId: string, lng: number, lat: number, k: number): Promise<SpatialVehicleRow[]> {
  return prisma.$queryRaw<SpatialVehicleRow[]>(buildNearest(tenantId, lng, lat, k));
}

/** Positions of one vehicle of `tenantId` with from ≤ ts < to (epoch ms), oldest first; `limit` rows at most. */
export function buildVehicleHistory(tenantId: string, vehicleId: string, from: number, to: number, limit: number): P.Sql {
  return P.sql`
    SELECT h.ts, ST_X(h.geom) AS lng, ST_Y(h.geom) AS lat, h.speed, h.heading, h.battery, h.accuracy,
           h.accel_x, h.accel_y, h.accel_z, h.gyro_x, h.gyro_y, h.gyro_z
    FROM position_history h
    WHERE h.vehicle_id = ${vehicleId}::uuid AND h.tenant_id = ${tenantId}::uuid
      AND h.ts >= ${new Date(from).toISOString()}::timestamptz AND h.ts < ${new Date(to).toISOString()}::timestamptz
    ORDER BY h.ts
    LIMIT ${limit}::int`;
}

export function vehicleHistory(prisma: Prisma, tenantId: string, vehicleId: string, from: number, to: number, limit: number): Promise<HistoryRow[]> {
  return prisma.$queryRaw<HistoryRow[]>(buildVehicleHistory(tenantId, vehicleId, from, to, limit));
}

/** True when the vehicle exists in the tenant. */
export async function vehicleInTenant(prisma: Prisma, tenantId: string, vehicleId: string): Promise<boolean> {
  const rows = await prisma.$queryRaw<unknown[]>`
    SELECT 1 FROM vehicles WHERE id = ${vehicleId}::uuid AND tenant_id = ${tenantId}::uuid`;
  return rows.length > 0;
}
