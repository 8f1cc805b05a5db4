import type { Prisma } from '../database';
import type { RoadSegmentRow } from '../../roads/graph/types';

/**
 * What the routing graph reads from the road network tables: a tenant's segments in one query,
 * geometry as WKB (ST_AsBinary) decoded here — a compact transfer that needs no JSON parsing.
 */

/** A road_segments row as queried: the graph's row with the line as WKB (oneway as stored). */
type SegmentRecord = Omit<RoadSegmentRow, 'coords' | 'oneway' | 'lengthM'> & { oneway: number; lengthM: number; wkb: Uint8Array };

export async function loadRoadSegments(prisma: Prisma, tenantId: string): Promise<RoadSegmentRow[]> {
  const records = await prisma.$queryRaw<SegmentRecord[]>`
    SELECT id::float8 AS id, way_id::float8 AS "wayId", name, ref, class, maxspeed_kmh::float8 AS "maxspeedKmh",
           oneway::int AS oneway, length_m AS "lengthM", ST_AsBinary(geom) AS wkb
    FROM road_segments WHERE tenant_id = ${tenantId}::uuid ORDER BY id`;
  return records.map((r) => ({
    id: Number(r.id),
    wayId: r.wayId == null ? null : Number(r.wayId),
    name: r.name,
    ref: r.ref,
    class: r.class,
    maxspeedKmh: r.maxspeedKmh == null ? null : Number(r.maxspeedKmh),
    oneway: r.oneway === 1 ? 1 : r.oneway === -1 ? -1 : 0,
    lengthM: Number(r.lengthM),
    coords: lineStringFromWkb(r.wkb),
  }));
}

/** Tenants that have imported a road network. */
export async function tenantsWithRoadNetwork(prisma: Prisma): Promise<string[]> {
  const rows = await prisma.$queryRaw<Array<{ tenantId: string }>>`SELECT tenant_id::text AS "tenantId" FROM road_networks ORDER BY tenant_id`;
  return rows.map((r) => r.tenantId);
}

/** Flat lng,lat coordinates of a 2-D WKB LineString (either byte order). */
export function lineStringFromWkb(wkb: Uint8Array): Float64Array {
  const view = new DataView(wkb.buffer, wkb.byteOffset, wkb.byteLength);
  const little = view.getUint8(0) === 1;
  const type = view.getUint32(1, little);
  if (type !== 2) throw new Error(`expected a WKB LineString (type 2), got type ${type}`);
  const n = view.getUint32(5, little);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n * 2; i++) out[i] = view.getFloat64(9 + i * 8, little);
  return out;
}
