import type { Metadata } from 'next';
import { basemapSettings } from '@/server/basemap/settings';
import { ZonesEditorPage } from '@/components/editor/EditorPages';

// MAP_STYLE_URL / MAP_PMTILES are read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Geofences · GeoFleet' };

export default function Page() {
  return <ZonesEditorPage basemap={basemapSettings()} />;
}
