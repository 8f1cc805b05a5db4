import type { Metadata } from 'next';
import { DriversPage } from '@/components/drivers/DriversPage';

export const metadata: Metadata = { title: 'Drivers · GeoFleet' };

export default function Drivers() {
  return <DriversPage />;
}
