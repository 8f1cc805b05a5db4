import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import { TILE_BUFFER, TILE_EXTENT, type TilePlan } from '../../basemap/tile-rules';

/**
 * The street basemap's vector tiles from a tenant's road_segments and map_features. One statement
 * per tile selects every layer's features (index lookups `geom && box` on the GIST indexes, scoped
 * by tenant), simplified for the zoom in EPSG:3857, then either
 *  - `tileMvt`: encodes them in PostGIS with ST_AsMVTGeom / ST_AsMVT (PostGIS built with
 *    protobuf-c: the apt packages are), or
 *  - `tileFeatures`: clips and scales them to tile coordinates in PostGIS and returns GeoJSON rows
 *    for server/basemap/mvt-encode.ts — for the embedded PGlite PostGIS, built without protobuf-c
 *    ("ST_AsMVTGeom: Compiled without protobuf-c support").
 * Both read the same selection, so both give the same layers, features and properties.
 */

export const TILE_LAYERS = ['water', 'landuse', 'roads', 'buildings', 'water_names', 'places', 'pois'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

const props = (pairs: Record<string, P.Sql>) =>
  P.sql`jsonb_strip_nulls(jsonb_build_object(${P.join(
    Object.entries(pairs).map(([key, value]) => P.sql`${key}::text, ${value}`),
    ', ',
  )}))`;

/** `layer`, `geom` (3857, simplified) and `props` (jsonb) of every feature the tile shows. */
function selection(tenantId: string, plan: TilePlan): P.Sql {
  const [west, south, east, north] = plan.box;
  const box = P.sql`ST_MakeEnvelope(${west}::float8, ${south}::float8, ${east}::float8, ${north}::float8, 4326)`;
  const simplified = P.sql`ST_Simplify(ST_Transform(geom, 3857), ${plan.tolerance}::float8, true)`;
  const point = P.sql`ST_Transform(CASE WHEN GeometryType(geom) = 'POINT' THEN geom ELSE ST_PointOnSurface(geom) END, 3857)`;
  const large = P.sql`(ST_Dimension(geom) < 2 OR ST_Area(geom) >= ${plan.minArea}::float8)`;
  const features = (layer: string) => P.sql`FROM map_features WHERE tenant_id = ${tenantId}::uuid AND layer = ${layer} AND geom && ${box}`;
  const parts: P.Sql[] = [
    P.sql`SELECT 'water' AS layer, ${simplified} AS geom, ${props({ kind: P.sql`kind`, name: P.sql`name` })} AS props
      ${features('water')} AND ${large}`,
    P.sql`SELECT 'landuse', ${simplified}, ${props({ class: P.sql`layer`, kind: P.sql`kind`, name: P.sql`name` })}
      FROM map_features WHERE tenant_id = ${tenantId}::uuid AND layer IN ('park', 'landuse') AND geom && ${box} AND ${large}`,
    P.sql`SELECT 'roads', ${simplified}, ${props({ class: P.sql`class`, name: P.sql`name`, ref: P.sql`ref`, oneway: P.sql`NULLIF(oneway, 0)` })}
      FROM road_segments WHERE tenant_id = ${tenantId}::uuid AND geom && ${box} AND class = ANY(${plan.roadClasses}::text[])`,
    P.sql`SELECT 'places', ${point}, ${props({ kind: P.sql`kind`, name: P.sql`name` })}
      ${features('place')} AND name IS NOT NULL AND kind = ANY(${plan.placeKinds}::text[])`,
  ];
  if (plan.buildings) {
    parts.push(P.sql`SELECT 'buildings', ${simplified}, ${props({ kind: P.sql`kind` })} ${features('building')} AND ${large}`);
  }
  if (plan.pois) {
    parts.push(P.sql`SELECT 'pois', ${point}, ${props({ kind: P.sql`kind`, name: P.sql`name` })} ${features('poi')} AND name IS NOT NULL`);
  }
  if (plan.waterNames) {
    // One label point per named water area big enough to hold its name (≈ 40×40 px).
    parts.push(P.sql`SELECT 'water_names', ${point}, ${props({ kind: P.sql`kind`, name: P.sql`name` })}
      ${features('water')} AND name IS NOT NULL AND ST_Dimension(geom) = 2 AND ST_Area(geom) >= ${plan.minArea * 400}::float8`);
  }
  return P.join(parts, ' UNION ALL ');
}

const envelope = (plan: TilePlan) => {
  const [xmin, ymin, xmax, ymax] = plan.bounds;
  return P.sql`ST_MakeEnvelope(${xmin}::float8, ${ymin}::float8, ${xmax}::float8, ${ymax}::float8, 3857)`;
};

/** The whole tile encoded by PostGIS (empty bytes when nothing is in it). */
export async function tileMvt(prisma: Prisma, tenantId: string, plan: TilePlan): Promise<Uint8Array> {
  const layers = TILE_LAYERS.map(
    (layer) => P.sql`COALESCE((SELECT ST_AsMVT(m, ${layer}, ${TILE_EXTENT}::int, 'geom') FROM (
      SELECT geom, props FROM mvt WHERE layer = ${layer} AND geom IS NOT NULL) m), ''::bytea)`,
  );
  const rows = await prisma.$queryRaw<Array<{ tile: Uint8Array }>>`
    WITH features AS (${selection(tenantId, plan)}),
    mvt AS (
      SELECT layer, ST_AsMVTGeom(geom, ${envelope(plan)}, ${TILE_EXTENT}::int, ${TILE_BUFFER}::int, true) AS geom, props
      FROM features
    )
    SELECT ${P.join(layers, ' || ')} AS tile`;
  return rows[0]?.tile ?? new Uint8Array(0);
}

export interface TileFeatureRow {
  layer: TileLayer;
  /** GeoJSON geometry in tile coordinates (0…4096, y down), integers. */
  geometry: string;
  props: Record<string, string | number>;
}

/** The tile's features in tile coordinates, clipped to the tile plus its buffer. */
export async function tileFeatures(prisma: Prisma, tenantId: string, plan: TilePlan): Promise<TileFeatureRow[]> {
  const [xmin, ymin, xmax, ymax] = plan.bounds;
  const scale = TILE_EXTENT / (xmax - xmin);
  const pad = TILE_BUFFER / scale;
  const clip = P.sql`ST_MakeEnvelope(${xmin - pad}::float8, ${ymin - pad}::float8, ${xmax + pad}::float8, ${ymax + pad}::float8, 3857)`;
  // Exterior rings clockwise before y is flipped: MVT wants them clockwise on screen (y down).
  return prisma.$queryRaw<TileFeatureRow[]>`
    WITH features AS (${selection(tenantId, plan)}),
    clipped AS (
      SELECT layer, props,
        ST_SnapToGrid(ST_TransScale(ST_ForcePolygonCW(ST_ClipByBox2D(geom, ${clip})),
          ${-xmin}::float8, ${-ymax}::float8, ${scale}::float8, ${-scale}::float8), 1) AS geom
      FROM features
    )
    SELECT layer, ST_AsGeoJSON(geom, 0) AS geometry, props FROM clipped WHERE NOT ST_IsEmpty(geom)`;
}

/** Whether this database encodes MVT itself (false on PostGIS without protobuf-c). */
export async function supportsMvt(prisma: Prisma): Promise<boolean> {
  try {
    await prisma.$queryRaw`SELECT ST_AsMVT(t, 'probe', 4096, 'geom') FROM (
      SELECT ST_AsMVTGeom(ST_MakePoint(1, 1), ST_MakeEnvelope(0, 0, 2, 2), 4096, 0, true) AS geom) t`;
    return true;
  } catch {
    return false;
  }
}

/** When the tenant's road network was last imported (null: never), to notice imports by other processes. */
export async function networkImportedAt(prisma: Prisma, tenantId: string): Promise<number | null> {
  const rows = await prisma.$queryRaw<Array<{ at: Date }>>`SELECT imported_at AS at FROM road_networks WHERE tenant_id = ${tenantId}::uuid`;
  return rows[0]?.at.getTime() ?? null;
}
