import type { Metadata } from 'next';
import { ZonesEditorPage } from '@/components/editor/EditorPages';

export const metadata: Metadata = { title: 'Geofences · GeoFleet' };

export default function Page() {
  return <ZonesEditorPage />;
}
