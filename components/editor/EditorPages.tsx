'use client';

import { BasemapContext, type BasemapSettings } from '@/components/map/basemap-settings';
import { EditorShell } from './EditorShell';
import { RoutesEditor } from './RoutesEditor';
import { ZonesEditor } from './ZonesEditor';

export function ZonesEditorPage({ basemap }: { basemap: BasemapSettings }) {
  return (
    <BasemapContext value={basemap}>
      <EditorShell tab="zones">{(session) => <ZonesEditor session={session} />}</EditorShell>
    </BasemapContext>
  );
}

export function RoutesEditorPage({ basemap }: { basemap: BasemapSettings }) {
  return (
    <BasemapContext value={basemap}>
      <EditorShell tab="routes">{(session) => <RoutesEditor session={session} />}</EditorShell>
    </BasemapContext>
  );
}
