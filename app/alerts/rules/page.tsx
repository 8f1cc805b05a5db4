import type { Metadata } from 'next';
import { AlertRulesPage } from '@/components/alerts/AlertRulesPage';

export const metadata: Metadata = { title: 'Alert rules · GeoFleet' };

export default function AlertRules() {
  return <AlertRulesPage />;
}
