import type { Metadata } from 'next';
import { LiveMap } from '@/components/map/LiveMap';

// MAP_STYLE_URL is read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Live map · GeoFleet' };

export default function MapPage() {
  return <LiveMap styleUrl={process.env.MAP_STYLE_URL || null} />;
}
