import type { FeatureCollection } from 'geojson';

/**
 * The editor's export: the tenant's fences or routes as one GeoJSON FeatureCollection, each
 * feature as the API stores it (geometry, and properties with name, type, severity, radius, …),
 * so importing the file again recreates them as they were (import keeps FENCE_PROPERTY_KEYS).
 */
export function toFeatureCollection(items: ReadonlyArray<{ id: string; geometry: unknown; properties: object }>): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map((item) => ({ type: 'Feature', id: item.id, geometry: item.geometry as FeatureCollection['features'][number]['geometry'], properties: { ...item.properties } })),
  };
}

/** "geofences-2026-12-07.geojson" */
export function exportFileName(what: string, now = new Date()): string {
  return `${what}-${now.toISOString().slice(0, 10)}.geojson`;
}

/** Hands the collection to the browser as a file download. */
export function downloadGeoJson(fileName: string, collection: FeatureCollection): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(collection, null, 1)], { type: 'application/geo+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}
