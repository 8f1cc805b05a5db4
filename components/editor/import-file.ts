import { gpx, kml } from '@tmcw/togeojson';
import type { Feature, Geometry, Position } from 'geojson';
import type { LngLat } from './geometry';

/**
 * Reading GeoJSON, KML and GPX files into candidates for the editors. Parsing happens in the
 * browser (DOMParser for the XML formats); what becomes a fence or a route is decided by the pure
 * functions below, so the preview shows exactly what will be sent.
 */

export const IMPORT_ACCEPT = '.geojson,.json,.kml,.gpx,application/geo+json,application/vnd.google-earth.kml+xml,application/gpx+xml';

export type AreaGeometry = { type: 'Polygon'; coordinates: LngLat[][] } | { type: 'MultiPolygon'; coordinates: LngLat[][][] } | { type: 'Point'; coordinates: LngLat };

/** A fence to be: a polygon, multipolygon, or a GeoJSON Point with `radius` (meters) as a circle. */
export interface AreaCandidate {
  name: string;
  geometry: AreaGeometry;
  radius?: number;
  /** The fence properties the file carries (type, severity, alertOnEntry, …; see FENCE_PROPERTY_KEYS), kept as they are: the server checks them. */
  properties: Record<string, unknown>;
}

/**
 * Fence properties an import keeps from a file (the fields of a fence other than its name and
 * radius, which the candidate holds itself): a file exported by the editor comes back as it was.
 */
export const FENCE_PROPERTY_KEYS = [
  'type',
  'kind',
  'alertOnEntry',
  'alertOnExit',
  'severity',
  'hysteresisMeters',
  'dwellSeconds',
  'maxAccuracyMeters',
  'followVehicleId',
  'schedule',
  'rule',
  'timezone',
  'windowMinutes',
  'confidenceThreshold',
] as const;

function fenceProperties(feature: Feature): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const from = feature.properties ?? {};
  for (const key of FENCE_PROPERTY_KEYS) if (from[key] !== undefined && from[key] !== null) kept[key] = from[key];
  return kept;
}

export interface LineCandidate {
  name: string;
  coordinates: LngLat[];
  attributes: Record<string, unknown>;
}

/** The features of a .geojson/.json, .kml or .gpx file's text; throws an Error with a readable message. */
export function parseGeoFile(fileName: string, text: string, parseXml: (text: string) => Document): Feature[] {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if (extension === 'kml' || extension === 'gpx') {
    const doc = parseXml(text);
    if (doc.getElementsByTagName('parsererror').length > 0) throw new Error(`${fileName} is not a valid ${extension.toUpperCase()} file (XML could not be read)`);
    const collection = extension === 'kml' ? kml(doc) : gpx(doc);
    return collection.features.filter((f): f is Feature => f.geometry !== null);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${fileName} is not valid JSON (expected GeoJSON, KML or GPX)`);
  }
  const value = (json ?? {}) as { type?: unknown; features?: Feature[]; geometry?: Geometry | null; coordinates?: unknown };
  if (value.type === 'FeatureCollection' && Array.isArray(value.features)) return value.features.filter((f) => f && f.geometry);
  if (value.type === 'Feature' && value.geometry) return [value as Feature];
  if (typeof value.type === 'string' && value.coordinates !== undefined) return [{ type: 'Feature', geometry: value as Geometry, properties: {} }];
  throw new Error(`${fileName} holds no GeoJSON Feature, FeatureCollection or geometry`);
}

const lngLat = (p: Position): LngLat => [p[0]!, p[1]!];

function nameOf(feature: Feature, fallback: string): string {
  const name = feature.properties?.name ?? feature.properties?.title;
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 200) : fallback;
}

const baseName = (fileName: string) => fileName.replace(/\.[^.]+$/, '') || 'Imported';

/** Polygons, multipolygons and radius points of the features, as fences; other shapes are counted as skipped. */
export function areaCandidates(features: readonly Feature[], fileName: string): { candidates: AreaCandidate[]; skipped: number } {
  const candidates: AreaCandidate[] = [];
  let skipped = 0;
  features.forEach((feature, i) => {
    const name = nameOf(feature, `${baseName(fileName)} ${i + 1}`);
    const g = feature.geometry;
    const properties = fenceProperties(feature);
    if (g?.type === 'Polygon') candidates.push({ name, properties, geometry: { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(lngLat)) } });
    else if (g?.type === 'MultiPolygon') candidates.push({ name, properties, geometry: { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((r) => r.map(lngLat))) } });
    else if (g?.type === 'Point' && typeof feature.properties?.radius === 'number') {
      candidates.push({ name, properties, geometry: { type: 'Point', coordinates: lngLat(g.coordinates) }, radius: feature.properties.radius });
    } else skipped++;
  });
  return { candidates, skipped };
}

/** LineStrings (each part of a MultiLineString on its own: GPX track segments) as routes; other shapes skipped. */
export function lineCandidates(features: readonly Feature[], fileName: string): { candidates: LineCandidate[]; skipped: number } {
  const candidates: LineCandidate[] = [];
  let skipped = 0;
  features.forEach((feature, i) => {
    const name = nameOf(feature, `${baseName(fileName)} ${i + 1}`);
    const description = feature.properties?.desc ?? feature.properties?.description;
    const attributes = { source: fileName, ...(typeof description === 'string' && description ? { description } : {}) };
    const g = feature.geometry;
    if (g?.type === 'LineString') candidates.push({ name, coordinates: g.coordinates.map(lngLat), attributes });
    else if (g?.type === 'MultiLineString') {
      g.coordinates.forEach((part, j) => {
        candidates.push({ name: g.coordinates.length > 1 ? `${name} (part ${j + 1})` : name, coordinates: part.map(lngLat), attributes });
      });
    } else skipped++;
  });
  return { candidates, skipped };
}
