import type { Metadata } from 'next';
import { SettingsSection } from '@/components/admin/console/SettingsSection';

export const metadata: Metadata = { title: 'Settings · Admin · GeoFleet' };

export default function AdminSettings() {
  return <SettingsSection />;
}
