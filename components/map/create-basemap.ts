import * as maplibregl from 'maplibre-gl';
import { getSession } from '@/components/session';
import { OFFLINE_BASEMAP, type BasemapSettings } from './basemap-settings';
import { basemapStyle, SHIELD_IMAGE, showWaterOnceLandLoads } from './basemap-style';
import { pmtilesStyle, registerPmtilesProtocol } from './pmtiles-style';

/** Where the maps open before they fit their data. */
export const BERLIN: [number, number] = [13.4, 52.515];

/** MapLibre's worker, served from public/ (scripts/copy-assets.mjs), not from a CDN. */
const WORKER_URL = '/vendor/maplibre-gl-worker.mjs';

export type BasemapOptions = Omit<maplibregl.MapOptions, 'style' | 'attributionControl' | 'transformRequest'> & {
  /** What to draw (MAP_STYLE_URL, MAP_PMTILES or the offline street basemap). */
  basemap?: BasemapSettings;
  /**
   * The street tiles' URL template; default the signed-in user's tenant, the request carrying the
   * session's token. The rider page passes its share link's tiles (no login).
   */
  tilesUrl?: string;
  /** A scale bar beside the zoom buttons. */
  scale?: boolean;
};

/** A rounded white box with a grey border for road refs, stretchable around the text. */
function shieldImage(): { image: ImageData; options: Partial<maplibregl.StyleImageMetadata> } {
  const size = 16;
  const radius = 3;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Distance outside the rounded rectangle inset by `radius` (0 inside).
      const dx = Math.max(radius - x - 0.5, x + 0.5 - (size - radius), 0);
      const dy = Math.max(radius - y - 0.5, y + 0.5 - (size - radius), 0);
      const d = Math.hypot(dx, dy);
      if (d > radius) continue;
      const border = d > radius - 1.2;
      const i = (y * size + x) * 4;
      const [r, g, b] = border ? [120, 120, 120] : [255, 255, 255];
      data.set([r, g, b, 255], i);
    }
  }
  return {
    image: new ImageData(data, size, size),
    options: { pixelRatio: 1, stretchX: [[radius, size - radius]], stretchY: [[radius, size - radius]], content: [radius, radius, size - radius, size - radius] },
  };
}

/** Same-origin street tile requests carry the session's Bearer token (tiles are per tenant). */
function withSessionToken(url: string): maplibregl.RequestParameters {
  const session = url.startsWith(`${window.location.origin}/api/v1/tiles/`) ? getSession() : null;
  return session ? { url, headers: { Authorization: `Bearer ${session.token}` } } : { url };
}

/**
 * A MapLibre map as every GeoFleet map starts: the configured basemap (by default the offline
 * street map), compact attribution (© OpenStreetMap contributors, Natural Earth), zoom buttons
 * (and a scale bar) at the bottom right.
 */
export function createBasemap({ basemap = OFFLINE_BASEMAP, tilesUrl, scale = false, ...options }: BasemapOptions): maplibregl.Map {
  maplibregl.setWorkerUrl(WORKER_URL);
  const origin = window.location.origin;
  if (basemap.pmtiles && !basemap.styleUrl) registerPmtilesProtocol();
  const style = basemap.styleUrl ?? (basemap.pmtiles ? pmtilesStyle(origin) : basemapStyle(origin, { tilesUrl }));
  const map = new maplibregl.Map({ ...options, style, attributionControl: { compact: true }, transformRequest: withSessionToken });
  if (!basemap.styleUrl && !basemap.pmtiles) showWaterOnceLandLoads(map);
  // Images the style names but no sprite sheet provides: our ref shield, else a transparent pixel.
  map.setMissingStyleImageResolver((id) => {
    if (map.hasImage(id)) return;
    if (id === SHIELD_IMAGE) {
      const { image, options: meta } = shieldImage();
      map.addImage(id, image, meta);
    } else {
      map.addImage(id, { width: 1, height: 1, data: new Uint8Array(4) });
    }
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
  if (scale) map.addControl(new maplibregl.ScaleControl(), 'bottom-right');
  return map;
}
