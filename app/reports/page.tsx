import type { Metadata } from 'next';
import { ReportsPage } from '@/components/reports/ReportsPage';

export const metadata: Metadata = { title: 'Reports · GeoFleet' };

export default function Reports() {
  return <ReportsPage />;
}
