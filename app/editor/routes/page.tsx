import type { Metadata } from 'next';
import { RoutesEditorPage } from '@/components/editor/EditorPages';

export const metadata: Metadata = { title: 'Routes · GeoFleet' };

export default function Page() {
  return <RoutesEditorPage />;
}
