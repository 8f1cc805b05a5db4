import type { Prisma } from '../database';
import type { Tx } from './events';

/**
 * A tenant's road network and map data (road_networks, road_segments, map_features,
 * addresses). Rows go in set-based: one INSERT … SELECT FROM unnest(arrays) per batch, with the
 * geometry as WKT built by ST_GeomFromText in SQL. Every statement is scoped by tenant.
 */

export interface RoadSegmentRow {
  wayId: number | null;
  name: string | null;
  ref: string | null;
  class: string;
  maxspeedKmh: number | null;
  oneway: -1 | 0 | 1;
  /** LINESTRING(…) in lon lat */
  wkt: string;
}

export interface MapFeatureRow {
  layer: string;
  kind: string;
  name: string | null;
  /** POINT(…), POLYGON((…)) or MULTILINESTRING((…),…) (an area to build) in lon lat */
  wkt: string;
}

export interface AddressRow {
  housenumber: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  name: string | null;
  lon: number;
  lat: number;
}

export interface StoredRoadNetwork {
  source: string;
  importedAt: Date;
  summary: unknown;
}

/** Advisory lock class of road network imports (the second key is the tenant's hash). */
const IMPORT_LOCK = 7_260_112;

/** Serializes imports of one tenant until the transaction ends. */
export async function lockRoadNetwork(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${IMPORT_LOCK}::int, hashtext(${tenantId}::text))`;
}

/** Removes the tenant's segments, features and addresses (the road_networks row stays until replaced). */
export async function deleteRoadNetworkRows(tx: Tx, tenantId: string): Promise<void> {
  await tx.$executeRaw`DELETE FROM road_segments WHERE tenant_id = ${tenantId}::uuid`;
  await tx.$executeRaw`DELETE FROM map_features WHERE tenant_id = ${tenantId}::uuid`;
  await tx.$executeRaw`DELETE FROM addresses WHERE tenant_id = ${tenantId}::uuid`;
}

export async function insertRoadSegments(tx: Tx, tenantId: string, rows: readonly RoadSegmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO road_segments (tenant_id, way_id, name, ref, class, maxspeed_kmh, oneway, geom)
    SELECT ${tenantId}::uuid, u.way_id, u.name, u.ref, u.class, u.maxspeed_kmh, u.oneway, ST_GeomFromText(u.wkt, 4326)
    FROM unnest(
      ${rows.map((r) => r.wayId)}::bigint[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.ref)}::text[],
      ${rows.map((r) => r.class)}::text[], ${rows.map((r) => r.maxspeedKmh)}::real[], ${rows.map((r) => r.oneway)}::smallint[],
      ${rows.map((r) => r.wkt)}::text[]
    ) AS u(way_id, name, ref, class, maxspeed_kmh, oneway, wkt)`;
}

/**
 * Inserts features; returns how many. A MULTILINESTRING (a multipolygon relation's member ways)
 * becomes its area with ST_BuildArea (inner rings as holes); one that closes no area is skipped.
 */
export async function insertMapFeatures(tx: Tx, tenantId: string, rows: readonly MapFeatureRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return tx.$executeRaw`
    INSERT INTO map_features (tenant_id, layer, kind, name, geom)
    SELECT ${tenantId}::uuid, f.layer, f.kind, f.name, f.geom
    FROM (
      SELECT u.layer, u.kind, u.name,
             CASE WHEN u.wkt LIKE 'MULTILINESTRING%' THEN ST_BuildArea(ST_GeomFromText(u.wkt, 4326)) ELSE ST_GeomFromText(u.wkt, 4326) END AS geom
      FROM unnest(${rows.map((r) => r.layer)}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.wkt)}::text[])
        AS u(layer, kind, name, wkt)
    ) f
    WHERE f.geom IS NOT NULL AND NOT ST_IsEmpty(f.geom)`;
}

/**
 * The sea from the coastline, as water features ("sea") within the extent `bbox`: the extent is
 * split along the merged coastline, and a piece is sea when a point just right of a coastline
 * segment on its edge lies inside it (OSM draws coastlines with the land on their left). A
 * coastline that does not cross the extent (cut short by the extract) splits nothing, and
 * nothing is added. Returns how many features were added.
 */
export async function insertSeaFromCoastline(tx: Tx, tenantId: string, coastlinesWkt: string, bbox: readonly [number, number, number, number]): Promise<number> {
  const [w, s, e, n] = bbox;
  return tx.$executeRaw`
    WITH coast AS (SELECT ST_LineMerge(ST_Union(ST_GeomFromText(${coastlinesWkt}, 4326))) AS g),
    segments AS (SELECT d.geom AS s FROM coast, ST_DumpSegments(coast.g) AS d),
    pieces AS (
      SELECT d.geom AS p
      FROM coast, ST_Dump(ST_Split(ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326), coast.g)) AS d
    )
    INSERT INTO map_features (tenant_id, layer, kind, name, geom)
    SELECT ${tenantId}::uuid, 'water', 'sea', NULL, p FROM pieces
    WHERE EXISTS (
      SELECT 1 FROM segments,
        LATERAL (SELECT ST_X(ST_EndPoint(s)) - ST_X(ST_StartPoint(s)) AS dx, ST_Y(ST_EndPoint(s)) - ST_Y(ST_StartPoint(s)) AS dy, ST_LineInterpolatePoint(s, 0.5) AS mid) v
      WHERE (v.dx <> 0 OR v.dy <> 0)
        AND ST_DWithin(v.mid, ST_Boundary(p), 1e-8)
        AND ST_Contains(p, ST_Translate(v.mid, 1e-6 * v.dy / sqrt(v.dx * v.dx + v.dy * v.dy), -1e-6 * v.dx / sqrt(v.dx * v.dx + v.dy * v.dy)))
    )`;
}

export async function insertAddresses(tx: Tx, tenantId: string, rows: readonly AddressRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.$executeRaw`
    INSERT INTO addresses (tenant_id, housenumber, street, postcode, city, name, geom)
    SELECT ${tenantId}::uuid, u.housenumber, u.street, u.postcode, u.city, u.name, ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326)
    FROM unnest(
      ${rows.map((r) => r.housenumber)}::text[], ${rows.map((r) => r.street)}::text[], ${rows.map((r) => r.postcode)}::text[],
      ${rows.map((r) => r.city)}::text[], ${rows.map((r) => r.name)}::text[], ${rows.map((r) => r.lon)}::float8[], ${rows.map((r) => r.lat)}::float8[]
    ) AS u(housenumber, street, postcode, city, name, lon, lat)`;
}

/** Kilometres of road by class, as stored (length_m is ST_Length on the spheroid). */
export async function roadKmByClass(tx: Tx, tenantId: string): Promise<Record<string, number>> {
  const rows = await tx.$queryRaw<Array<{ class: string; km: number }>>`
    SELECT class, sum(length_m) / 1000.0 AS km FROM road_segments WHERE tenant_id = ${tenantId}::uuid GROUP BY class ORDER BY class`;
  return Object.fromEntries(rows.map((r) => [r.class, Number(r.km)]));
}

/** Inserts or replaces the tenant's road_networks row. */
export async function upsertRoadNetwork(tx: Tx, tenantId: string, source: string, summary: object, bbox: readonly [number, number, number, number]): Promise<void> {
  const [w, s, e, n] = bbox;
  await tx.$executeRaw`
    INSERT INTO road_networks (tenant_id, source, imported_at, summary, bbox)
    VALUES (${tenantId}::uuid, ${source}::text, now(), ${JSON.stringify(summary)}::jsonb,
            ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326))
    ON CONFLICT (tenant_id) DO UPDATE SET source = excluded.source, imported_at = excluded.imported_at, summary = excluded.summary, bbox = excluded.bbox`;
}

/** The tenant's road network row, or null before the first import. */
export async function selectRoadNetwork(prisma: Prisma | Tx, tenantId: string): Promise<StoredRoadNetwork | null> {
  const [row] = await prisma.$queryRaw<StoredRoadNetwork[]>`
    SELECT source, imported_at AS "importedAt", summary FROM road_networks WHERE tenant_id = ${tenantId}::uuid`;
  return row ?? null;
}
