import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  FilterSpecification,
  LayerSpecification,
  Map as MapLibreMap,
  MapSourceDataEvent,
  StyleSpecification,
} from 'maplibre-gl';

/** GeoJSON tiles are cut up to this zoom and overzoomed beyond: the data is 1:50m anyway. */
const SOURCE_MAX_ZOOM = 9;
/** The street tiles' zoom range (server/basemap/tile-rules.ts: TILE_MIN_ZOOM, TILE_MAX_ZOOM). */
const STREETS_MIN_ZOOM = 8;
const STREETS_MAX_ZOOM = 16;
const WATER = '#aad3df';
const LAND = '#f2efe9';
const OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors';
/** Glyph PBFs generated at install time from Noto Sans (scripts/build-glyphs.ts). */
export const GLYPHS_PATH = '/fonts/{fontstack}/{range}.pbf';
const REGULAR = ['Noto Sans Regular'];
const MEDIUM = ['Noto Sans Medium'];
const BOLD = ['Noto Sans Bold'];
const ITALIC = ['Noto Sans Italic'];
/** The image behind road refs (drawn by createBasemap on request: no sprite sheet to fetch). */
export const SHIELD_IMAGE = 'geofleet-shield';

/** The tenant's street tiles, by default the signed-in user's (the request carries the token). */
export const STREET_TILES_PATH = '/api/v1/tiles/{z}/{x}/{y}.mvt';

type Stops = Array<[number, number]>;
/** Road widths (px) grow exponentially with zoom, as the ground they cover does. */
const widthBy = (stops: Stops): ExpressionSpecification => ['interpolate', ['exponential', 1.5], ['zoom'], ...stops.flat()];

interface RoadGroup {
  id: string;
  classes: string[];
  color: string;
  casing: string;
  minzoom: number;
  width: Stops;
  dash?: number[];
}

/** From the least to the most important, in drawing order (later groups on top). */
const ROAD_GROUPS: RoadGroup[] = [
  { id: 'path', classes: ['footway', 'path', 'cycleway', 'bridleway', 'steps', 'corridor', 'track'], color: '#b7a99a', casing: '', minzoom: 14, width: [[14, 0.6], [16, 1.2], [18, 2]], dash: [2, 1.5] },
  { id: 'service', classes: ['service', 'pedestrian', 'living_street', 'busway'], color: '#ffffff', casing: '#d3cbc0', minzoom: 14, width: [[14, 0.8], [16, 3], [18, 8]] },
  { id: 'minor', classes: ['residential', 'unclassified', 'road'], color: '#ffffff', casing: '#cdc4b8', minzoom: 12, width: [[12, 0.6], [14, 2.4], [16, 7], [18, 18]] },
  { id: 'tertiary', classes: ['tertiary', 'tertiary_link'], color: '#ffffff', casing: '#bfb5a8', minzoom: 11, width: [[11, 0.7], [13, 2], [14, 3.4], [16, 9], [18, 22]] },
  { id: 'secondary', classes: ['secondary', 'secondary_link'], color: '#f7f3b7', casing: '#c3b66f', minzoom: 10, width: [[10, 0.8], [12, 1.8], [14, 4], [16, 10], [18, 24]] },
  { id: 'primary', classes: ['primary', 'primary_link'], color: '#fcd6a4', casing: '#d0a06a', minzoom: 9, width: [[9, 0.8], [12, 2.2], [14, 4.6], [16, 11], [18, 26]] },
  { id: 'trunk', classes: ['trunk', 'trunk_link'], color: '#f9b29c', casing: '#cf8b73', minzoom: 8, width: [[8, 0.8], [12, 2.6], [14, 5], [16, 12], [18, 28]] },
  { id: 'motorway', classes: ['motorway', 'motorway_link'], color: '#e892a2', casing: '#c2687b', minzoom: 8, width: [[8, 1], [12, 2.8], [14, 5.4], [16, 12], [18, 28]] },
];

const inClasses = (classes: string[]): ExpressionSpecification => ['in', ['get', 'class'], ['literal', classes]];
const isLink: ExpressionSpecification = ['in', '_link', ['get', 'class']];
/** Links (ramps) are drawn at 60 % of their road's width. */
const roadWidth = (group: RoadGroup): DataDrivenPropertyValueSpecification<number> =>
  group.id === 'motorway' || group.id === 'trunk' || group.id === 'primary'
    ? (['interpolate', ['exponential', 1.5], ['zoom'], ...group.width.flatMap(([z, w]) => [z, ['case', isLink, w * 0.6, w]])] as ExpressionSpecification)
    : widthBy(group.width);

function roadLayers(): { casings: LayerSpecification[]; fills: LayerSpecification[] } {
  const casings: LayerSpecification[] = [];
  const fills: LayerSpecification[] = [];
  for (const group of ROAD_GROUPS) {
    const base = { source: 'streets', 'source-layer': 'roads', minzoom: group.minzoom, filter: inClasses(group.classes) } as const;
    if (group.casing) {
      casings.push({
        ...base,
        id: `road-${group.id}-casing`,
        type: 'line',
        minzoom: Math.max(group.minzoom, 12),
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': group.casing, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 14, 1, 18, 1.5], 'line-gap-width': roadWidth(group) },
      });
    }
    fills.push({
      ...base,
      id: `road-${group.id}`,
      type: 'line',
      layout: group.dash ? { 'line-join': 'round' } : { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': group.color, 'line-width': roadWidth(group), ...(group.dash ? { 'line-dasharray': group.dash } : {}) },
    });
  }
  return { casings, fills };
}

const HALO = { 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.4, 'text-halo-blur': 0.3 } as const;

/** Street names along the lines, refs in boxes, places, water and points of interest. */
function labelLayers(): LayerSpecification[] {
  const named: ExpressionSpecification = ['has', 'name'];
  return [
    {
      id: 'water-line-label',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'water',
      minzoom: 13,
      filter: ['all', named, ['==', ['geometry-type'], 'LineString']],
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': ITALIC, 'text-size': 12, 'text-letter-spacing': 0.05 },
      paint: { 'text-color': '#4a7fa0', 'text-halo-color': 'rgba(255,255,255,0.7)', 'text-halo-width': 1 },
    },
    {
      id: 'water-label',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'water_names',
      layout: { 'text-field': ['get', 'name'], 'text-font': ITALIC, 'text-size': ['interpolate', ['linear'], ['zoom'], 12, 11, 16, 14], 'text-max-width': 8, 'text-letter-spacing': 0.05 },
      paint: { 'text-color': '#4a7fa0', 'text-halo-color': 'rgba(255,255,255,0.7)', 'text-halo-width': 1 },
    },
    {
      id: 'road-label-minor',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'roads',
      minzoom: 14,
      filter: ['all', named, inClasses(['residential', 'unclassified', 'road', 'living_street', 'service', 'pedestrian', 'tertiary', 'tertiary_link'])],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10.5, 16, 12.5, 18, 14],
        'text-padding': 2,
        'symbol-spacing': 300,
      },
      paint: { 'text-color': '#474747', ...HALO },
    },
    {
      id: 'road-label-major',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'roads',
      minzoom: 12,
      filter: ['all', named, inClasses(['motorway', 'trunk', 'primary', 'secondary'])],
      layout: {
        'symbol-placement': 'line',
        'text-field': ['get', 'name'],
        'text-font': MEDIUM,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 10.5, 16, 13, 18, 15],
        'text-padding': 2,
        'symbol-spacing': 350,
      },
      paint: { 'text-color': '#3a3a3a', ...HALO },
    },
    {
      id: 'road-shield',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'roads',
      minzoom: 10,
      filter: ['all', ['has', 'ref'], inClasses(['motorway', 'trunk', 'primary'])],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 400,
        // One ref of "I 95;US 40", shortened: the box stays small.
        'text-field': ['slice', ['get', 'ref'], 0, ['coalesce', ['index-of', ';', ['get', 'ref']], 12]],
        'text-font': BOLD,
        'text-size': 10,
        'text-rotation-alignment': 'viewport',
        'icon-image': SHIELD_IMAGE,
        'icon-text-fit': 'both',
        'icon-text-fit-padding': [1, 3, 1, 3],
        'icon-rotation-alignment': 'viewport',
      },
      paint: { 'text-color': '#333333' },
    },
    {
      id: 'poi-label',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'pois',
      minzoom: 16,
      layout: { 'text-field': ['get', 'name'], 'text-font': REGULAR, 'text-size': 11, 'text-max-width': 8, 'text-padding': 4 },
      paint: { 'text-color': '#6b5d52', ...HALO },
    },
    {
      id: 'place-label',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'places',
      filter: ['!', ['in', ['get', 'kind'], ['literal', ['city', 'town']]]],
      layout: {
        'text-field': ['case', ['==', ['get', 'kind'], 'village'], ['get', 'name'], ['upcase', ['get', 'name']]],
        'text-font': MEDIUM,
        'text-size': ['match', ['get', 'kind'], 'suburb', 13, 'bay', 12, 11],
        'text-letter-spacing': ['match', ['get', 'kind'], 'village', 0, 0.1],
        'text-max-width': 7,
        'text-padding': 6,
      },
      paint: { 'text-color': ['match', ['get', 'kind'], 'bay', '#4a7fa0', '#6e6878'], 'text-halo-color': 'rgba(255,255,255,0.85)', 'text-halo-width': 1.6 },
    },
    {
      id: 'place-label-city',
      type: 'symbol',
      source: 'streets',
      'source-layer': 'places',
      filter: ['in', ['get', 'kind'], ['literal', ['city', 'town']]],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 13, 14, 22],
        'text-max-width': 7,
      },
      paint: { 'text-color': '#333333', 'text-halo-color': 'rgba(255,255,255,0.85)', 'text-halo-width': 1.8 },
    },
  ];
}

/**
 * The street map: OSM landuse, parks, water, buildings (z15+) and roads by class with casings,
 * then labels, all from the tenant's vector tiles (`tilesUrl`).
 */
function streetLayers(): LayerSpecification[] {
  const { casings, fills } = roadLayers();
  const polygon: FilterSpecification = ['==', ['geometry-type'], 'Polygon'];
  return [
    {
      id: 'landuse',
      type: 'fill',
      source: 'streets',
      'source-layer': 'landuse',
      filter: ['==', ['get', 'class'], 'landuse'],
      paint: {
        'fill-color': [
          'match',
          ['get', 'kind'],
          ['industrial', 'railway', 'port', 'garages'],
          '#ebe5ee',
          ['commercial', 'retail'],
          '#f5e6e3',
          ['residential'],
          '#ece9e2',
          ['construction', 'brownfield'],
          '#e6e2d0',
          '#eceae4',
        ],
      },
    },
    {
      id: 'park',
      type: 'fill',
      source: 'streets',
      'source-layer': 'landuse',
      filter: ['==', ['get', 'class'], 'park'],
      paint: {
        'fill-color': ['match', ['get', 'kind'], ['forest', 'wood'], '#add19e', ['pitch', 'playground'], '#aae0cb', ['cemetery'], '#c6dcc0', '#c8facc'],
        'fill-opacity': 0.85,
      },
    },
    { id: 'water-area', type: 'fill', source: 'streets', 'source-layer': 'water', filter: polygon, paint: { 'fill-color': WATER } },
    {
      id: 'water-line',
      type: 'line',
      source: 'streets',
      'source-layer': 'water',
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': WATER, 'line-width': ['interpolate', ['exponential', 1.4], ['zoom'], 10, 0.6, 14, 2, 18, 8] },
    },
    {
      id: 'building',
      type: 'fill',
      source: 'streets',
      'source-layer': 'buildings',
      minzoom: 15,
      paint: { 'fill-color': '#dfd8cf', 'fill-outline-color': '#cbc2b7', 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 15, 0.5, 16, 1] },
    },
    ...casings,
    ...fills,
    ...labelLayers(),
  ];
}

export interface BasemapStyleOptions {
  /** Street tiles URL template; default the signed-in user's tenant (STREET_TILES_PATH). */
  tilesUrl?: string;
}

/**
 * Offline basemap: the Natural Earth world (water background, land, country borders from files
 * that scripts/copy-assets.mjs generates into public/basemap) under the tenant's street map
 * (vector tiles from its imported OpenStreetMap data, drawn z8+ where it has data), labels in
 * Noto Sans from glyphs this server generates. Nothing is fetched from the web.
 */
export function basemapStyle(origin: string, options: BasemapStyleOptions = {}): StyleSpecification {
  return {
    version: 8,
    name: 'GeoFleet offline',
    glyphs: `${origin}${GLYPHS_PATH}`,
    sources: {
      land: {
        type: 'geojson',
        data: `${origin}/basemap/countries.geojson`,
        maxzoom: SOURCE_MAX_ZOOM,
        attribution: 'Natural Earth',
      },
      borders: { type: 'geojson', data: `${origin}/basemap/borders.geojson`, maxzoom: SOURCE_MAX_ZOOM },
      roads: { type: 'geojson', data: `${origin}/basemap/roads.geojson` },
      streets: {
        type: 'vector',
        tiles: [options.tilesUrl ?? `${origin}${STREET_TILES_PATH}`],
        minzoom: STREETS_MIN_ZOOM,
        maxzoom: STREETS_MAX_ZOOM,
        attribution: OSM_ATTRIBUTION,
      },
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
      // The demo fleet's Berlin streets, for context where a tenant has imported nothing.
      {
        id: 'roads-casing',
        type: 'line',
        source: 'roads',
        minzoom: 8,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': '#d6d3d1', 'line-width': 0.6, 'line-gap-width': ['interpolate', ['exponential', 1.6], ['zoom'], 9, 1.5, 16, 14] },
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
      ...streetLayers(),
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
