import type { Metadata } from 'next';
import { DispatchPage } from '@/components/dispatch/DispatchPage';

export const metadata: Metadata = { title: 'Dispatch · GeoFleet' };

export default function Dispatch() {
  return <DispatchPage />;
}
