import type { Metadata } from 'next';
import { VehiclesSection } from '@/components/admin/console/VehiclesSection';

export const metadata: Metadata = { title: 'Vehicles · Admin · GeoFleet' };

export default function AdminVehicles() {
  return <VehiclesSection />;
}
