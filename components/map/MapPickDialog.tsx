'use client';

import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import { useContext, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { BasemapContext } from './basemap-settings';
import { BERLIN, createBasemap } from './create-basemap';
import { labelAt } from './label-at';
import { useOpenOnHome } from './use-home-area';

export interface PickedPlace {
  lng: number;
  lat: number;
  label: string;
}

/**
 * "Pick on the map" for forms that take a place (the trip form's pickup and dropoff): a dialog
 * with a map on the fleet's home area (or on the form's current point); a click puts a marker
 * there and names it from the tenant's map; "Use this point" hands it back. Escape cancels.
 */
export default function MapPickDialog({ title, initial, onPick, onClose }: { title: string; initial: { lng: number; lat: number } | null; onPick: (place: PickedPlace) => void; onClose: () => void }) {
  const basemap = useContext(BasemapContext);
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [picked, setPicked] = useState<PickedPlace | null>(null);
  const [naming, setNaming] = useState(false);
  const marker = useRef<Marker | null>(null);
  const placed = useOpenOnHome(map, () => initial !== null);

  useEffect(() => {
    if (!container.current) return;
    const m = createBasemap({ container: container.current, basemap, center: initial ? [initial.lng, initial.lat] : BERLIN, zoom: initial ? 15 : 11, scale: true });
    m.getCanvas().style.cursor = 'crosshair';
    let latest = 0;
    m.on('click', async (e) => {
      const at = { lng: e.lngLat.lng, lat: e.lngLat.lat };
      marker.current?.remove();
      marker.current = new Marker({ color: '#0f766e' }).setLngLat([at.lng, at.lat]).addTo(m);
      const ask = ++latest;
      setNaming(true);
      const label = await labelAt(at);
      if (ask !== latest) return; // a later click won
      setNaming(false);
      setPicked({ ...at, label });
    });
    m.once('load', () => setMap(m));
    return () => {
      setMap(null);
      m.remove();
    };
    // One map per dialog: `initial` is where it opens, read once.
  }, [basemap]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  // On the body: a form in a panel must not clip or offset the overlay.
  return createPortal(
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40 p-4" role="dialog" aria-modal="true" aria-label={title} data-testid="map-pick-dialog">
      <div className="w-full max-w-2xl overflow-hidden rounded-xl bg-white shadow-xl">
        <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
          <h2 className="text-sm font-semibold">{title}</h2>
          <button type="button" onClick={onClose} className="rounded px-2 py-1 text-sm text-slate-500 hover:bg-slate-100" aria-label="Close">
            ✕
          </button>
        </div>
        <div ref={container} className="h-80 w-full" style={{ height: '20rem' }} data-testid="map-pick-map" data-ready={map !== null && placed} />
        <div className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
          <p className="min-w-0 flex-1 truncate text-slate-600" data-testid="map-pick-place">
            {naming ? 'Looking up the place…' : picked ? picked.label : 'Click the map where it is.'}
          </p>
          <button type="button" onClick={onClose} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50">
            Cancel
          </button>
          <button
            type="button"
            disabled={!picked || naming}
            onClick={() => picked && onPick(picked)}
            className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50"
            data-testid="map-pick-use"
          >
            Use this point
          </button>
        </div>
      </div>
    </div>,
    document.body,
  );
}
