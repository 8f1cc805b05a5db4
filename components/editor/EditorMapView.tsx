'use client';

import { use, useEffect, useEffectEvent, useRef, useState } from 'react';
import { BasemapContext } from '@/components/map/basemap-settings';
import { useOpenOnHome } from '@/components/map/use-home-area';
import { EditorMap, type Draft } from './editor-map';
import { exposeEditorTestHooks } from './test-hooks';

/** Mounts an EditorMap and hands it to the page; MapLibre needs explicit 100 % sizes (see STACK-NOTES). */
export default function EditorMapView({
  editable,
  onReady,
  onDraftChange,
  onSavedClick,
}: {
  editable: boolean;
  onReady: (map: EditorMap | null) => void;
  onDraftChange: (draft: Draft | null) => void;
  onSavedClick: (id: string) => void;
}) {
  const { styleUrl, pmtiles } = use(BasemapContext);
  const containerRef = useRef<HTMLDivElement>(null);
  const [loadedMap, setLoadedMap] = useState<EditorMap | null>(null);
  // Ready once it shows where it will stay (the home area, or a shape): drawing before would draw elsewhere.
  const placed = useOpenOnHome(loadedMap?.map ?? null, () => loadedMap?.fitted ?? false);
  const ready = useEffectEvent(onReady);
  const draftChanged = useEffectEvent(onDraftChange);
  const savedClicked = useEffectEvent(onSavedClick);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new EditorMap(container, { basemap: { styleUrl, pmtiles }, editable, onDraftChange: (d) => draftChanged(d), onSavedClick: (id) => savedClicked(id) });
    let hideHooks: (() => void) | null | undefined = null;
    void map.ready.then(() => {
      if (hideHooks === undefined) return; // unmounted before the map loaded
      hideHooks = exposeEditorTestHooks(map);
      setLoadedMap(map);
      ready(map);
    });
    return () => {
      hideHooks?.();
      hideHooks = undefined;
      setLoadedMap(null);
      ready(null);
      map.destroy();
    };
  }, [editable, styleUrl, pmtiles]);

  return <div ref={containerRef} data-testid="editor-map" data-ready={loadedMap !== null && placed} style={{ width: '100%', height: '100%' }} />;
}
