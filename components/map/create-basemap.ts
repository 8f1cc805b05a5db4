import * as maplibregl from 'maplibre-gl';
import { basemapStyle, showWaterOnceLandLoads } from './basemap-style';

/** Where the maps open before they fit their data. */
export const BERLIN: [number, number] = [13.4, 52.515];

/** MapLibre's worker, served from public/ (scripts/copy-assets.mjs), not from a CDN. */
const WORKER_URL = '/vendor/maplibre-gl-worker.mjs';

export type BasemapOptions = Omit<maplibregl.MapOptions, 'style' | 'attributionControl'> & {
  /** MAP_STYLE_URL when set; otherwise the offline basemap. */
  styleUrl?: string | null;
  /** A scale bar beside the zoom buttons. */
  scale?: boolean;
};

/**
 * A MapLibre map as every GeoFleet map starts: the offline basemap (or the configured style),
 * compact attribution, zoom buttons (and a scale bar) at the bottom right.
 */
export function createBasemap({ styleUrl = null, scale = false, ...options }: BasemapOptions): maplibregl.Map {
  maplibregl.setWorkerUrl(WORKER_URL);
  const map = new maplibregl.Map({ ...options, style: styleUrl ?? basemapStyle(window.location.origin), attributionControl: { compact: true } });
  if (!styleUrl) showWaterOnceLandLoads(map);
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  if (scale) map.addControl(new maplibregl.ScaleControl(), 'bottom-right');
  return map;
}
