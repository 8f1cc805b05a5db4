import type { Map as MapLibreMap, MapSourceDataEvent, StyleSpecification } from 'maplibre-gl';

/** GeoJSON tiles are cut up to this zoom and overzoomed beyond: the data is 1:50m anyway. */
const SOURCE_MAX_ZOOM = 9;
const WATER = '#c9dfea';
const LAND = '#f3f1ec';

/**
 * Offline basemap: water background, land and country borders from files that
 * scripts/copy-assets.mjs generates into public/basemap, plus a few major Berlin roads
 * (app/basemap/roads.geojson) for context at city zoom. No glyphs, sprites or text layers,
 * so nothing is fetched from the web.
 */
export function basemapStyle(origin: string): StyleSpecification {
  return {
    version: 8,
    name: 'GeoFleet offline',
    sources: {
      land: {
        type: 'geojson',
        data: `${origin}/basemap/countries.geojson`,
        maxzoom: SOURCE_MAX_ZOOM,
        attribution: 'Natural Earth',
      },
      borders: { type: 'geojson', data: `${origin}/basemap/borders.geojson`, maxzoom: SOURCE_MAX_ZOOM },
      roads: { type: 'geojson', data: `${origin}/basemap/roads.geojson` },
    },
    layers: [
      // Land-colored until the land polygons are in: see showWaterOnceLandLoads.
      { id: 'water', type: 'background', paint: { 'background-color': LAND } },
      { id: 'land', type: 'fill', source: 'land', paint: { 'fill-color': LAND } },
      {
        id: 'borders',
        type: 'line',
        source: 'borders',
        paint: {
          'line-color': '#a8a29e',
          'line-width': ['interpolate', ['linear'], ['zoom'], 2, 0.5, 8, 1.5],
          'line-dasharray': [3, 2],
        },
      },
      {
        id: 'roads',
        type: 'line',
        source: 'roads',
        minzoom: 8,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': '#ffffff',
          'line-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, 1.5, 16, 14],
        },
      },
      {
        id: 'roads-casing',
        type: 'line',
        source: 'roads',
        minzoom: 8,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#d6d3d1', 'line-width': 0.6, 'line-gap-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, 1.5, 16, 14] },
      },
    ],
  };
}

/**
 * The land file is ≈1 MB and takes a moment to load and tile: until then an inland view
 * would look like open sea. The background turns to water once the land tiles in view are in.
 */
export function showWaterOnceLandLoads(map: MapLibreMap): void {
  const onData = (event: MapSourceDataEvent) => {
    if (event.sourceId !== 'land' || !map.isSourceLoaded('land')) return;
    map.setPaintProperty('water', 'background-color', WATER);
    map.off('sourcedata', onData);
  };
  map.on('sourcedata', onData);
}
