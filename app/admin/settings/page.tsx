import type { Metadata } from 'next';
import { SettingsSection } from '@/components/admin/console/SettingsSection';
import { basemapSettings } from '@/server/basemap/settings';

// MAP_STYLE_URL / MAP_PMTILES are read per request (the home area's map), so one build serves any basemap.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Settings · Admin · GeoFleet' };

export default function AdminSettings() {
  return <SettingsSection basemap={basemapSettings()} />;
}
