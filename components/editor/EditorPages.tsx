'use client';

import { EditorShell } from './EditorShell';
import { RoutesEditor } from './RoutesEditor';
import { ZonesEditor } from './ZonesEditor';

export function ZonesEditorPage() {
  return <EditorShell tab="zones">{(session) => <ZonesEditor session={session} />}</EditorShell>;
}

export function RoutesEditorPage() {
  return <EditorShell tab="routes">{(session) => <RoutesEditor session={session} />}</EditorShell>;
}
