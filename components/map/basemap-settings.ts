import { createContext } from 'react';

/**
 * Which basemap every GeoFleet map draws, decided on the server per request (MAP_STYLE_URL,
 * MAP_PMTILES) and handed to the page: one build serves any basemap.
 */
export interface BasemapSettings {
  /** MAP_STYLE_URL: an external MapLibre style for every map. */
  styleUrl: string | null;
  /** MAP_PMTILES is set: draw the server's /basemap.pmtiles with the Protomaps style. */
  pmtiles: boolean;
}

/** The default: the Natural Earth world under the tenant's street tiles. */
export const OFFLINE_BASEMAP: BasemapSettings = { styleUrl: null, pmtiles: false };

/** For maps deep in a page's tree (the editors): the page provides what its server read. */
export const BasemapContext = createContext<BasemapSettings>(OFFLINE_BASEMAP);
