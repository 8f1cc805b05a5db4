import { fromVectorTileJs, type VectorTileFeatureLike, type VectorTileLayerLike } from '@maplibre/vt-pbf';
import { TILE_EXTENT } from './tile-rules';

/**
 * Mapbox Vector Tile encoding in JavaScript, for databases whose PostGIS cannot run ST_AsMVT (the
 * embedded PGlite build lacks protobuf-c). Input: features already clipped, scaled to tile
 * coordinates (0…extent, y down), snapped to integers and with exterior rings clockwise on screen
 * (server/db/sql/tiles.ts does that in PostGIS); the protobuf writing is @maplibre/vt-pbf's.
 */

type Position = number[];
export type TileGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: TileGeometry[] };

export interface TileFeature {
  layer: string;
  geometry: TileGeometry;
  properties: Record<string, string | number | boolean>;
}

interface XY {
  x: number;
  y: number;
}
interface Part {
  type: 1 | 2 | 3;
  rings: XY[][];
}

const xy = (p: Position): XY => ({ x: Math.round(p[0] ?? 0), y: Math.round(p[1] ?? 0) });

/** The geometry as MVT parts (one per geometry type present), dropping degenerate pieces. */
export function toParts(geometry: TileGeometry): Part[] {
  switch (geometry.type) {
    case 'Point':
      return [{ type: 1, rings: [[xy(geometry.coordinates)]] }];
    case 'MultiPoint':
      return geometry.coordinates.length ? [{ type: 1, rings: [geometry.coordinates.map(xy)] }] : [];
    case 'LineString':
    case 'MultiLineString': {
      const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
      const rings = lines.filter((line) => line.length >= 2).map((line) => line.map(xy));
      return rings.length ? [{ type: 2, rings }] : [];
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      // A polygon whose exterior collapsed at this zoom is dropped with its holes.
      const rings = polygons.filter((polygon) => polygon[0] && polygon[0].length >= 4).flatMap((polygon) => polygon.filter((ring) => ring.length >= 4).map((ring) => ring.map(xy)));
      return rings.length ? [{ type: 3, rings }] : [];
    }
    case 'GeometryCollection': {
      const byType = new Map<1 | 2 | 3, XY[][]>();
      for (const part of geometry.geometries.flatMap(toParts)) byType.set(part.type, [...(byType.get(part.type) ?? []), ...part.rings]);
      return [...byType].map(([type, rings]) => ({ type, rings }));
    }
  }
}

/** One MVT (protobuf bytes) with a layer per distinct `layer` of the features, in `order`. */
export function encodeTile(features: TileFeature[], order: readonly string[], extent = TILE_EXTENT): Uint8Array {
  const byLayer = new Map<string, VectorTileFeatureLike[]>();
  for (const feature of features) {
    for (const part of toParts(feature.geometry)) {
      const list = byLayer.get(feature.layer) ?? [];
      list.push({
        type: part.type,
        properties: feature.properties,
        id: undefined,
        extent,
        // vt-pbf reads only x and y of each point.
        loadGeometry: () => part.rings as never,
      });
      byLayer.set(feature.layer, list);
    }
  }
  const layers: Record<string, VectorTileLayerLike> = {};
  const names = [...order.filter((name) => byLayer.has(name)), ...[...byLayer.keys()].filter((name) => !order.includes(name))];
  for (const name of names) {
    const list = byLayer.get(name)!;
    layers[name] = { version: 2, name, extent, length: list.length, feature: (i) => list[i]! };
  }
  return names.length ? fromVectorTileJs({ layers }) : new Uint8Array(0);
}
