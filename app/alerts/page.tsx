import type { Metadata } from 'next';
import { AlertsPage } from '@/components/alerts/AlertsPage';

export const metadata: Metadata = { title: 'Alerts · GeoFleet' };

export default function Alerts() {
  return <AlertsPage />;
}
