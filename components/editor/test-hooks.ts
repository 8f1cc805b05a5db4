import type { EditorMap } from './editor-map';

/** For e2e journeys that draw over a known place: on `window.__geofleetEditor` while an editor map exists. */
export interface EditorTestHooks {
  /** Shows [west, south, east, north] (no animation), resolved once the map has settled. */
  showBounds(bounds: [number, number, number, number]): Promise<void>;
  /** Viewport pixel (as mouse clicks take it) of a [lng, lat] on the editor map. */
  clientPointOf(lngLat: [number, number]): [number, number];
  /** The map's centre [lng, lat]. */
  center(): [number, number];
}

declare global {
  interface Window {
    __geofleetEditor?: EditorTestHooks;
  }
}

export function exposeEditorTestHooks(editor: EditorMap): () => void {
  const map = editor.map;
  window.__geofleetEditor = {
    showBounds: (bounds) =>
      new Promise((resolve) => {
        map.once('idle', () => resolve());
        map.fitBounds(bounds, { padding: 60, duration: 0 });
        map.triggerRepaint();
      }),
    clientPointOf: (lngLat) => {
      const point = map.project(lngLat);
      const box = map.getContainer().getBoundingClientRect();
      return [box.left + point.x, box.top + point.y];
    },
    center: () => map.getCenter().toArray(),
  };
  return () => {
    delete window.__geofleetEditor;
  };
}
