import type { Metadata } from 'next';
import { RoadNetworkPage } from '@/components/admin/road-network/RoadNetworkPage';

export const metadata: Metadata = { title: 'Road network · GeoFleet' };

export default function RoadNetwork() {
  return <RoadNetworkPage />;
}
