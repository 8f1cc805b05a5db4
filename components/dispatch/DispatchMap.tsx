'use client';

import type { GeoJSONSource, Map as MapLibreMap, Marker } from 'maplibre-gl';
import { useContext, useEffect, useRef, useState } from 'react';
import { BasemapContext } from '@/components/map/basemap-settings';
import { BERLIN, createBasemap } from '@/components/map/create-basemap';
import { PRIORITY_LABELS } from './format';
import type { DispatchRequestDto } from '@/server/protocol/dispatch';

const ROUTE_SOURCE = 'dispatch-route';
const PRIORITY_COLOR: Record<string, string> = { emergency: '#dc2626', high: '#ea580c', normal: '#0284c7', low: '#64748b' };

/**
 * The console's map: open requests as coloured pins (priority), the selected request's routed
 * path, the picked point, and a click that picks a location (when `picking`).
 */
export function DispatchMap({
  bbox,
  requests,
  selectedId,
  route,
  picked,
  picking,
  onPick,
  onSelect,
  onMap,
}: {
  bbox: [number, number, number, number] | null;
  requests: readonly DispatchRequestDto[];
  selectedId: string | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  picked: { lng: number; lat: number } | null;
  picking: boolean;
  onPick: (at: { lng: number; lat: number }) => void;
  onSelect: (id: string) => void;
  onMap?: (map: MapLibreMap | null) => void;
}) {
  const basemap = useContext(BasemapContext);
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const markers = useRef<Marker[]>([]);
  const pickMarker = useRef<Marker | null>(null);
  const pickingRef = useRef(picking);
  pickingRef.current = picking;
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;

  useEffect(() => {
    if (!container.current) return;
    const m = createBasemap({ container: container.current, basemap, center: BERLIN, zoom: 11, scale: true });
    m.on('load', () => {
      m.addSource(ROUTE_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      m.addLayer({ id: ROUTE_SOURCE, type: 'line', source: ROUTE_SOURCE, paint: { 'line-color': '#0284c7', 'line-width': 5, 'line-opacity': 0.85 }, layout: { 'line-cap': 'round', 'line-join': 'round' } });
      setMap(m);
      onMap?.(m);
    });
    m.on('click', (e) => {
      if (pickingRef.current) onPickRef.current({ lng: e.lngLat.lng, lat: e.lngLat.lat });
    });
    return () => {
      onMap?.(null);
      setMap(null);
      m.remove();
    };
    // One map per mount (and basemap): onMap is read once.
  }, [basemap]);

  useEffect(() => {
    if (map && bbox) map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]], { padding: 20, duration: 0 });
  }, [map, bbox]);

  useEffect(() => {
    if (map) map.getCanvas().style.cursor = picking ? 'crosshair' : '';
  }, [map, picking]);

  // Request pins.
  useEffect(() => {
    if (!map) return;
    let cancelled = false;
    void import('maplibre-gl').then(({ Marker }) => {
      if (cancelled) return;
      for (const m of markers.current) m.remove();
      markers.current = requests.map((r) => {
        const el = document.createElement('button');
        el.type = 'button';
        el.title = `${PRIORITY_LABELS[r.priority]}: ${r.serviceType} — ${r.location.label}`;
        el.setAttribute('aria-label', el.title);
        el.className = `block h-4 w-4 rounded-full border-2 border-white shadow ${r.id === selectedId ? 'ring-4 ring-sky-300' : ''}`;
        el.style.background = PRIORITY_COLOR[r.priority] ?? '#0284c7';
        el.addEventListener('click', (ev) => {
          ev.stopPropagation();
          onSelect(r.id);
        });
        return new Marker({ element: el }).setLngLat([r.location.lng, r.location.lat]).addTo(map);
      });
    });
    return () => {
      cancelled = true;
    };
  }, [map, requests, selectedId, onSelect]);

  // The picked point.
  useEffect(() => {
    if (!map) return;
    let cancelled = false;
    void import('maplibre-gl').then(({ Marker }) => {
      if (cancelled) return;
      pickMarker.current?.remove();
      pickMarker.current = picked ? new Marker({ color: '#0f766e' }).setLngLat([picked.lng, picked.lat]).addTo(map) : null;
    });
    return () => {
      cancelled = true;
    };
  }, [map, picked]);

  // The selected request's route.
  useEffect(() => {
    const source = map?.getSource(ROUTE_SOURCE) as GeoJSONSource | undefined;
    source?.setData(route ? { type: 'Feature', geometry: route, properties: {} } : { type: 'FeatureCollection', features: [] });
  }, [map, route]);

  return (
    <div className="relative h-full min-h-80 w-full overflow-hidden rounded-xl ring-1 ring-slate-200" data-testid="dispatch-map">
      <div ref={container} style={{ width: '100%', height: '100%' }} />
      {picking && (
        <p className="pointer-events-none absolute left-1/2 top-2 -translate-x-1/2 rounded-full bg-slate-900/85 px-3 py-1 text-xs text-white">Click the map to pick the location</p>
      )}
    </div>
  );
}
