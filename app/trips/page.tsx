import type { Metadata } from 'next';
import { TripsPage } from '@/components/trips/TripsPage';

export const metadata: Metadata = { title: 'Trips · GeoFleet' };

export default function Trips() {
  return <TripsPage />;
}
