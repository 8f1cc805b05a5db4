import { ApiError } from '../protocol/errors';

/**
 * What one vector tile of the street basemap holds at each zoom: which road classes, which
 * places, the smallest polygon worth drawing, how much to simplify. Pure, so the rules are
 * tested without a database and the SQL (server/db/sql/tiles.ts) only binds their numbers.
 */

/** Coordinates per tile side (the MVT default); MapLibre draws a tile 512 px wide. */
export const TILE_EXTENT = 4096;
/** Geometry kept beyond the tile edge, in tile units, so lines and labels join across tiles. */
export const TILE_BUFFER = 64;
/** The deepest zoom the server cuts; MapLibre overzooms these tiles beyond it. */
export const TILE_MAX_ZOOM = 16;
/** Below this zoom the street tiles are not requested: the Natural Earth world is enough. */
export const TILE_MIN_ZOOM = 8;
/** Web Mercator's half circumference (EPSG:3857 bounds are ±this in x and y). */
export const MERCATOR_HALF = 20037508.342789244;

export interface TileCoord {
  z: number;
  x: number;
  y: number;
}

/**
 * `z`, `x` and `y` of a `/tiles/{z}/{x}/{y}.mvt` path; VALIDATION_ERROR (with the field) for
 * anything that is not a tile of the pyramid, so clients get a structured 400.
 */
export function parseTileCoord(z: string, x: string, y: string): TileCoord {
  const match = /^(\d{1,10})\.(mvt|pbf)$/.exec(y);
  if (!/^\d{1,2}$/.test(z)) throw new ApiError('VALIDATION_ERROR', `zoom must be an integer 0–22, got "${z}"`, 'z');
  const zoom = Number(z);
  if (zoom > 22) throw new ApiError('VALIDATION_ERROR', `zoom must be an integer 0–22, got ${zoom}`, 'z');
  const size = 2 ** zoom;
  if (!/^\d{1,10}$/.test(x) || Number(x) >= size) {
    throw new ApiError('VALIDATION_ERROR', `x must be an integer 0–${size - 1} at zoom ${zoom}, got "${x}"`, 'x');
  }
  if (!match || Number(match[1]) >= size) {
    throw new ApiError('VALIDATION_ERROR', `y must be an integer 0–${size - 1} at zoom ${zoom} followed by .mvt or .pbf, got "${y}"`, 'y');
  }
  return { z: zoom, x: Number(x), y: Number(match[1]) };
}

/** The tile's box in EPSG:3857 meters: [xmin, ymin, xmax, ymax] (y grows north). */
export function tileBounds({ z, x, y }: TileCoord): [number, number, number, number] {
  const size = (2 * MERCATOR_HALF) / 2 ** z;
  const xmin = -MERCATOR_HALF + x * size;
  const ymax = MERCATOR_HALF - y * size;
  return [xmin, ymax - size, xmin + size, ymax];
}

/** The tile's box in degrees [west, south, east, north], widened by `buffer` tile units. */
export function tileLngLatBounds(tile: TileCoord, buffer = 0): [number, number, number, number] {
  const [xmin, ymin, xmax, ymax] = tileBounds(tile);
  const pad = ((xmax - xmin) * buffer) / TILE_EXTENT;
  const lng = (m: number) => (Math.max(-MERCATOR_HALF, Math.min(MERCATOR_HALF, m)) / MERCATOR_HALF) * 180;
  const lat = (m: number) => {
    const clamped = Math.max(-MERCATOR_HALF, Math.min(MERCATOR_HALF, m));
    return (Math.atan(Math.exp((clamped / MERCATOR_HALF) * Math.PI)) * 360) / Math.PI - 90;
  };
  return [lng(xmin - pad), lat(ymin - pad), lng(xmax + pad), lat(ymax + pad)];
}

/** Road classes (OSM highway values) by the zoom they appear from: the hierarchy of a city map. */
const ROAD_MIN_ZOOM: Record<string, number> = {
  motorway: 8,
  trunk: 8,
  primary: 9,
  motorway_link: 10,
  trunk_link: 10,
  secondary: 10,
  primary_link: 11,
  tertiary: 11,
  secondary_link: 12,
  tertiary_link: 12,
  residential: 12,
  unclassified: 12,
  living_street: 13,
  pedestrian: 13,
  road: 13,
  busway: 13,
  service: 14,
  track: 14,
  footway: 15,
  path: 15,
  cycleway: 15,
  bridleway: 15,
  steps: 15,
  corridor: 16,
};

/** Road classes drawn at zoom `z` (every known class from z16; unknown classes never). */
export function roadClassesAt(z: number): string[] {
  return Object.entries(ROAD_MIN_ZOOM)
    .filter(([, min]) => z >= min)
    .map(([cls]) => cls);
}

const PLACE_MIN_ZOOM: Record<string, number> = {
  city: 8,
  town: 9,
  village: 11,
  suburb: 11,
  quarter: 12,
  neighbourhood: 13,
  hamlet: 13,
  locality: 14,
  island: 12,
  islet: 14,
  square: 15,
};

/** Place kinds (OSM place values) labelled at zoom `z`. */
export function placeKindsAt(z: number): string[] {
  return Object.entries(PLACE_MIN_ZOOM)
    .filter(([, min]) => z >= min)
    .map(([kind]) => kind);
}

/** Layers that only appear from a zoom on (the others from TILE_MIN_ZOOM). */
export const LAYER_MIN_ZOOM = { buildings: 15, pois: 15, water_names: 12 } as const;

/** Degrees per pixel of a 512-px tile at zoom `z`. */
function degreesPerPixel(z: number): number {
  return 360 / (512 * 2 ** z);
}

/**
 * The smallest polygon (in square degrees, as PostGIS measures a 4326 geometry) worth drawing at
 * zoom `z`: about `pixels`² screen pixels. Below z16 a 2×2 px lake or park is noise.
 */
export function minPolygonArea(z: number, pixels = 2): number {
  return (degreesPerPixel(z) * pixels) ** 2;
}

/**
 * Douglas–Peucker tolerance in EPSG:3857 meters for zoom `z`: a quarter pixel, invisible on screen
 * and enough to drop most vertices of long ways at low zoom (the tile grid snaps the rest).
 */
export function simplifyTolerance(z: number): number {
  return (2 * MERCATOR_HALF) / 2 ** z / 512 / 4;
}

/** Everything the tile query binds for one tile. */
export interface TilePlan {
  tile: TileCoord;
  bounds: [number, number, number, number];
  /** Degree box of the tile plus its buffer, for the `geom && box` index lookups. */
  box: [number, number, number, number];
  roadClasses: string[];
  placeKinds: string[];
  minArea: number;
  tolerance: number;
  buildings: boolean;
  pois: boolean;
  waterNames: boolean;
}

export function planTile(tile: TileCoord): TilePlan {
  return {
    tile,
    bounds: tileBounds(tile),
    box: tileLngLatBounds(tile, TILE_BUFFER),
    roadClasses: roadClassesAt(tile.z),
    placeKinds: placeKindsAt(tile.z),
    minArea: tile.z >= TILE_MAX_ZOOM ? 0 : minPolygonArea(tile.z),
    tolerance: simplifyTolerance(tile.z),
    buildings: tile.z >= LAYER_MIN_ZOOM.buildings,
    pois: tile.z >= LAYER_MIN_ZOOM.pois,
    waterNames: tile.z >= LAYER_MIN_ZOOM.water_names,
  };
}
