import type { Metadata } from 'next';
import { WebhooksPage } from '@/components/admin/webhooks/WebhooksPage';

export const metadata: Metadata = { title: 'Webhooks · GeoFleet' };

export default function Webhooks() {
  return <WebhooksPage />;
}
