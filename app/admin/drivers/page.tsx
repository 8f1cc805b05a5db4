import type { Metadata } from 'next';
import { DriversSection } from '@/components/admin/console/DriversSection';

export const metadata: Metadata = { title: 'Drivers · Admin · GeoFleet' };

export default function AdminDrivers() {
  return <DriversSection />;
}
