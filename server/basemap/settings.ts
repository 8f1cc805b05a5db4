import type { BasemapSettings } from '@/components/map/basemap-settings';

/**
 * The basemap the pages hand to their maps, read per request (as MAP_STYLE_URL always was) so one
 * build serves any configuration. MAP_STYLE_URL wins over MAP_PMTILES.
 */
export function basemapSettings(env: NodeJS.ProcessEnv = process.env): BasemapSettings {
  return { styleUrl: env.MAP_STYLE_URL || null, pmtiles: Boolean(env.MAP_PMTILES) };
}
