import type { Metadata, Viewport } from 'next';
import { TrackView } from '@/components/track/TrackView';
import { basemapSettings } from '@/server/basemap/settings';

// MAP_STYLE_URL / MAP_PMTILES are read per request, so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Your trip · GeoFleet', robots: { index: false, follow: false }, referrer: 'no-referrer' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

/** The rider page: public, read-only, reached by the trip's share link. */
export default async function TrackPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  return <TrackView token={token} basemap={basemapSettings()} />;
}
