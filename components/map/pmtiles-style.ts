import { layers, namedFlavor } from '@protomaps/basemaps';
import * as maplibregl from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import type { StyleSpecification } from 'maplibre-gl';
import { GLYPHS_PATH } from './basemap-style';

/** Where the server serves MAP_PMTILES (with HTTP range requests). */
export const PMTILES_PATH = '/basemap.pmtiles';

let registered = false;

/** MapLibre reads `pmtiles://` URLs through the pmtiles library's protocol (range requests). */
export function registerPmtilesProtocol(): void {
  if (registered) return;
  registered = true;
  maplibregl.addProtocol('pmtiles', new Protocol().tile);
}

/**
 * A Protomaps basemap (light flavour, English labels) over the operator's .pmtiles file, with the
 * glyphs this server generates (the style's fonts are Noto Sans Regular / Medium / Italic). POI
 * icons need Protomaps' sprite sheet, which is not shipped: the POI layer is left out.
 */
export function pmtilesStyle(origin: string): StyleSpecification {
  const flavor = { ...namedFlavor('light'), pois: undefined };
  return {
    version: 8,
    name: 'GeoFleet PMTiles',
    glyphs: `${origin}${GLYPHS_PATH}`,
    sources: {
      protomaps: {
        type: 'vector',
        url: `pmtiles://${origin}${PMTILES_PATH}`,
        attribution: '<a href="https://protomaps.com" target="_blank" rel="noopener">Protomaps</a> © <a href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener">OpenStreetMap</a> contributors',
      },
    },
    layers: layers('protomaps', flavor, { lang: 'en' }),
  };
}
