import type { Metadata } from 'next';
import { ActivityPage } from '@/components/activity/ActivityPage';

export const metadata: Metadata = { title: 'Activity · GeoFleet' };

export default function Activity() {
  return <ActivityPage />;
}
