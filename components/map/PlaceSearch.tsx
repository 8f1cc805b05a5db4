'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Map as MapLibreMap, Marker } from 'maplibre-gl';
import { useEffect, useId, useRef, useState } from 'react';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { GeocodeResponse, GeocodeResultDto } from '@/server/protocol/geocode';

const DEBOUNCE_MS = 250;
const LIMIT = 8;
const KIND_LABEL: Record<GeocodeResultDto['kind'], string> = { address: 'Address', street: 'Street', place: 'Place', poi: 'Place of interest' };
const KIND_ICON: Record<GeocodeResultDto['kind'], string> = { address: '⌂', street: '═', place: '◎', poi: '•' };

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** The query for a search text: results near where the map looks (centre rounded to ≈1 km, so panning reuses the cache). */
export function geocodeQueryOptions(text: string, near: [number, number] | null) {
  const nearParam = near ? `&near=${near[0].toFixed(2)},${near[1].toFixed(2)}` : '';
  return {
    queryKey: ['geocode', text, nearParam] as const,
    queryFn: ({ signal }: { signal: AbortSignal }) => apiJson<GeocodeResponse>(`/api/v1/geocode?q=${encodeURIComponent(text)}&limit=${LIMIT}${nearParam}`, { signal }),
    staleTime: 5 * 60_000,
    retry: (count: number, error: Error) => !(error instanceof RequestError && error.status > 0 && error.status < 500) && count < 1,
  };
}

/** Moves the map to a result: a street's extent, else its point. */
export function showOnMap(map: MapLibreMap, hit: GeocodeResultDto): void {
  const [w, s, e, n] = hit.bbox ?? [hit.lng, hit.lat, hit.lng, hit.lat];
  if (hit.bbox && (e - w > 0.0005 || n - s > 0.0005)) {
    map.fitBounds([[w, s], [e, n]], { padding: 80, maxZoom: 17, duration: 900 });
  } else {
    map.flyTo({ center: [hit.lng, hit.lat], zoom: Math.max(map.getZoom(), 17), duration: 900 });
  }
}

/**
 * Address and place search over the tenant's imported map (GET /api/v1/geocode), as a combobox:
 * typing queries after a short pause, ↑/↓ move through the results, Enter chooses, Escape closes
 * (and clears when closed). Choosing flies the map there and marks the spot.
 */
export function PlaceSearch({
  map,
  variant = 'dark',
  onChoose,
  width,
}: {
  map: MapLibreMap | null;
  variant?: 'dark' | 'light';
  onChoose?: (hit: GeocodeResultDto) => void;
  /** Width classes (default: a fixed width for the map's corner; `w-full` in a form). */
  width?: string;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const near = useRef<[number, number] | null>(null);
  const marker = useRef<Marker | null>(null);
  const query = useDebounced(text.trim(), DEBOUNCE_MS);
  const enabled = query.length >= 2;
  const result = useQuery({ ...geocodeQueryOptions(query, near.current), enabled, placeholderData: keepPreviousData });
  const results = enabled ? (result.data?.results ?? []) : [];
  const typing = text.trim() !== query;

  useEffect(
    () => () => {
      marker.current?.remove();
    },
    [],
  );
  useEffect(() => setActive(0), [result.data]);

  const choose = (hit: GeocodeResultDto) => {
    setText(hit.label);
    setOpen(false);
    onChoose?.(hit);
    if (!map) return;
    showOnMap(map, hit);
    void import('maplibre-gl').then(({ Marker }) => {
      marker.current?.remove();
      marker.current = new Marker({ color: '#0f766e' }).setLngLat([hit.lng, hit.lat]).addTo(map);
    });
  };

  const showList = open && text.trim().length >= 2;
  const dark = variant === 'dark';
  const status = (() => {
    if (!showList) return null;
    if (result.isError) {
      const err = result.error;
      const noNetwork = err instanceof RequestError && err.code === 'NOT_FOUND';
      return { tone: 'error', text: noNetwork ? 'No road network imported for this fleet yet.' : `Search failed: ${err.message}` };
    }
    if (typing || (result.isFetching && results.length === 0) || !enabled) return { tone: 'muted', text: 'Searching…' };
    if (results.length === 0) return { tone: 'muted', text: `No address or place matches “${text.trim()}”` };
    return null;
  })();

  return (
    <div className={`relative ${width ?? (dark ? 'w-72' : 'w-80')}`} data-testid="place-search">
      <input
        type="search"
        role="combobox"
        aria-expanded={showList && results.length > 0}
        aria-controls={`${id}-results`}
        aria-activedescendant={showList && results[active] ? `${id}-option-${active}` : undefined}
        aria-autocomplete="list"
        aria-label="Search address or place"
        placeholder="Search address or place…"
        value={text}
        onChange={(e) => {
          if (map && !open) {
            const c = map.getCenter();
            near.current = [c.lng, c.lat];
          }
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && results.length) {
            e.preventDefault();
            setOpen(true);
            setActive((a) => (a + 1) % results.length);
          } else if (e.key === 'ArrowUp' && results.length) {
            e.preventDefault();
            setActive((a) => (a - 1 + results.length) % results.length);
          } else if (e.key === 'Enter') {
            const hit = results[active] ?? results[0];
            if (showList && hit && !typing) {
              e.preventDefault();
              choose(hit);
            }
          } else if (e.key === 'Escape') {
            if (showList) setOpen(false);
            else setText('');
          }
        }}
        className={
          dark
            ? 'w-full rounded-md border border-slate-700 bg-slate-800 px-3 py-1 text-sm text-white placeholder:text-slate-400 outline-none focus:border-emerald-500'
            : 'w-full rounded-lg border border-slate-300 bg-white/95 px-3 py-1.5 text-sm text-slate-900 shadow-md placeholder:text-slate-400 outline-none focus:border-teal-600'
        }
      />
      {showList && (
        <div className="absolute left-0 right-0 top-full z-30 mt-1 overflow-hidden rounded-lg border border-slate-200 bg-white text-sm text-slate-800 shadow-xl">
          {status && (
            <p role="status" className={`px-3 py-2 ${status.tone === 'error' ? 'text-red-700' : 'text-slate-500'}`}>
              {status.text}
            </p>
          )}
          {!status && (
            <ul id={`${id}-results`} role="listbox" aria-label="Addresses and places" className="max-h-80 overflow-y-auto py-1">
              {results.map((hit, i) => (
                <li
                  key={`${hit.kind}:${hit.label}:${hit.lng}:${hit.lat}`}
                  id={`${id}-option-${i}`}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => e.preventDefault()}
                  onMouseMove={() => i !== active && setActive(i)}
                  onClick={() => choose(hit)}
                  className={`flex cursor-pointer items-start gap-2 px-3 py-1.5 ${i === active ? 'bg-teal-50' : ''}`}
                >
                  <span className="mt-0.5 w-4 shrink-0 text-center text-slate-400" aria-hidden>
                    {KIND_ICON[hit.kind]}
                  </span>
                  <span className="min-w-0 flex-1">
                    <span className="block truncate font-medium">{hit.label}</span>
                    <span className="block text-xs text-slate-500">
                      {KIND_LABEL[hit.kind]}
                      {hit.category ? ` · ${hit.category.replace(/_/g, ' ')}` : ''}
                      {hit.kind === 'address' && hit.name ? ` · ${hit.name}` : ''}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
