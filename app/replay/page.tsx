import type { Metadata } from 'next';
import { ReplayPage } from '@/components/replay/ReplayPage';
import { basemapSettings } from '@/server/basemap/settings';

// MAP_STYLE_URL / MAP_PMTILES are read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Replay · GeoFleet' };

export default function Replay() {
  return <ReplayPage basemap={basemapSettings()} />;
}
