import type { Prisma } from '../database';
import type { GeocodeSource } from '../../roads/geocode';
import { lineStringFromWkb } from './road-graph';

/**
 * What the geocoder reads for one tenant: named road segments (geometry as WKB), addresses, and
 * named places and POIs (a point on the surface of areas), in three queries.
 */
export async function loadGeocodeSource(prisma: Prisma, tenantId: string): Promise<GeocodeSource> {
  const streets = await prisma.$queryRaw<Array<{ name: string; class: string; wkb: Uint8Array }>>`
    SELECT name, class, ST_AsBinary(geom) AS wkb FROM road_segments
    WHERE tenant_id = ${tenantId}::uuid AND name IS NOT NULL AND name <> '' ORDER BY id`;
  const addresses = await prisma.$queryRaw<
    Array<{ housenumber: string | null; street: string | null; postcode: string | null; city: string | null; name: string | null; lng: number; lat: number }>
  >`
    SELECT housenumber, street, postcode, city, name, ST_X(geom) AS lng, ST_Y(geom) AS lat FROM addresses
    WHERE tenant_id = ${tenantId}::uuid AND housenumber IS NOT NULL AND street IS NOT NULL ORDER BY id`;
  const features = await prisma.$queryRaw<Array<{ layer: 'place' | 'poi'; kind: string; name: string; lng: number; lat: number }>>`
    SELECT layer, kind, name, ST_X(p) AS lng, ST_Y(p) AS lat
    FROM (SELECT id, layer, kind, name, CASE WHEN GeometryType(geom) = 'POINT' THEN geom ELSE ST_PointOnSurface(geom) END AS p
          FROM map_features WHERE tenant_id = ${tenantId}::uuid AND layer IN ('place', 'poi') AND name IS NOT NULL AND name <> '') f
    ORDER BY id`;
  return {
    streets: streets.map((s) => ({ name: s.name, class: s.class, coords: lineStringFromWkb(s.wkb) })),
    addresses: addresses.map((a) => ({ ...a, lng: Number(a.lng), lat: Number(a.lat) })),
    features: features.map((f) => ({ ...f, lng: Number(f.lng), lat: Number(f.lat) })),
  };
}
