import type { Metadata } from 'next';
import { LiveMap } from '@/components/map/LiveMap';
import { basemapSettings } from '@/server/basemap/settings';

// MAP_STYLE_URL / MAP_PMTILES are read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Live map · GeoFleet' };

export default function MapPage() {
  return <LiveMap basemap={basemapSettings()} />;
}
