import type { Metadata, Viewport } from 'next';
import { DriverApp } from '@/components/driver/DriverApp';

export const metadata: Metadata = {
  title: 'Driver · GeoFleet',
  description: 'Report your vehicle’s position, online or offline',
  manifest: '/manifest.webmanifest',
  appleWebApp: { capable: true, title: 'GeoFleet Driver', statusBarStyle: 'black-translucent' },
  icons: { icon: '/icon.png', apple: '/icons/apple-touch-icon.png' },
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  viewportFit: 'cover',
  themeColor: '#0f172a',
};

// Static: the same HTML shell for every driver, which the service worker keeps for offline starts.
export default function DriverPage() {
  return <DriverApp />;
}
