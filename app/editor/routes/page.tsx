import type { Metadata } from 'next';
import { basemapSettings } from '@/server/basemap/settings';
import { RoutesEditorPage } from '@/components/editor/EditorPages';

// MAP_STYLE_URL / MAP_PMTILES are read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Routes · GeoFleet' };

export default function Page() {
  return <RoutesEditorPage basemap={basemapSettings()} />;
}
