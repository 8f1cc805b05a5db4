'use client';

import { MapboxOverlay } from '@deck.gl/mapbox';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { BERLIN, createBasemap } from '@/components/map/create-basemap';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { useOpenOnHome } from '@/components/map/use-home-area';
import { formatDuration } from '@/components/reports/format';
import { boundsOf, fullPath, positionAt, trailAt, type ReplayData, type ReplayEvent, type ReplayStop } from './replay-data';

/** The playback clock, read every animation frame (outside React state: no re-render per frame). */
export interface ReplayClock {
  t: number;
  /** Time under the pointer on the speed chart (a ghost marker on the map), or null. */
  hoverT: number | null;
  trailMinutes: number;
  follow: boolean;
}

const TOOLTIP_STYLE = { background: '#0f172a', color: '#fff', fontSize: '12px', padding: '4px 8px', borderRadius: '4px' };
/** Marker colours by what happened: fence entries and exits violet, driving events red, alerts amber. */
const EVENT_COLOR: Record<string, [number, number, number]> = { geofence: [124, 58, 237], driving: [220, 38, 38], alert: [217, 119, 6] };

/**
 * The replay map: each vehicle's whole route faint, its recent trail bright, its interpolated
 * position as a dot, and its stops as markers with their durations (deck.gl over MapLibre,
 * overlaid mode). Layers are rebuilt from the clock on each animation frame; the static route
 * layer keeps its data object so deck.gl does not re-upload it.
 */
export default function ReplayMap({ basemap, data, clock }: { basemap: BasemapSettings; data: ReplayData | null; clock: { current: ReplayClock } }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<{ map: MapLibreMap; overlay: MapboxOverlay } | null>(null);
  const [mapInstance, setMapInstance] = useState<MapLibreMap | null>(null);
  useOpenOnHome(mapInstance, () => fittedFor.current !== null);
  /** The load the map was last fitted to (fitted once per load, not per chunk). */
  const fittedFor = useRef<string | null>(null);
  const { styleUrl, pmtiles } = basemap;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = createBasemap({ container, basemap: { styleUrl, pmtiles }, center: BERLIN, zoom: 11, scale: true });
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      getTooltip: (info) => {
        const event = info.layer?.id === 'replay-events' ? (info.object as ReplayEvent | undefined) : undefined;
        if (event) return { text: `${event.label}\n${new Date(event.at).toISOString().slice(11, 19)} UTC`, style: TOOLTIP_STYLE };
        const stop = info.layer?.id === 'replay-stops' ? (info.object as ReplayStop | undefined) : undefined;
        return stop ? { text: `Stopped ${formatDuration(stop.durationS)}\n${new Date(stop.startAt).toISOString().slice(11, 16)}–${new Date(stop.endAt).toISOString().slice(11, 16)} UTC`, style: TOOLTIP_STYLE } : null;
      },
    });
    map.addControl(overlay);
    mapRef.current = { map, overlay };
    setMapInstance(map);
    return () => {
      mapRef.current = null;
      setMapInstance(null);
      map.remove();
    };
  }, [styleUrl, pmtiles]);

  useEffect(() => {
    const handle = mapRef.current;
    if (!handle || !data || data.tracks.length === 0) return;
    const load = `${data.start}-${data.end}-${data.tracks.map((tr) => tr.id).join()}`;
    const bounds = fittedFor.current === load ? null : boundsOf(data);
    fittedFor.current = load;
    if (bounds) handle.map.fitBounds([[bounds[0], bounds[1]], [bounds[2], bounds[3]]], { padding: 60, maxZoom: 16, duration: 0 });
    const routes = data.tracks.map((tr) => ({ color: tr.color, path: fullPath(tr) }));
    const colorOf = new Map(data.tracks.map((tr) => [tr.id, tr.color]));
    const routeLayer = new PathLayer({ id: 'replay-routes', data: routes, getPath: (d) => d.path, getColor: (d) => [d.color[0], d.color[1], d.color[2], 70], widthUnits: 'pixels', getWidth: 3, jointRounded: true, capRounded: true });
    const stopsLayer = new ScatterplotLayer<ReplayStop>({
      id: 'replay-stops',
      data: data.stops,
      getPosition: (s) => [s.lng, s.lat],
      getFillColor: [255, 255, 255],
      getLineColor: (s) => colorOf.get(s.vehicleId) ?? [15, 23, 42],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      radiusUnits: 'pixels',
      getRadius: 7,
      pickable: true,
    });
    const eventsLayer = new ScatterplotLayer<ReplayEvent>({
      id: 'replay-events',
      data: data.events,
      getPosition: (e) => [e.lng, e.lat],
      getFillColor: (e) => EVENT_COLOR[e.type.split('.')[0]!] ?? EVENT_COLOR.driving!,
      getLineColor: [255, 255, 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
      radiusUnits: 'pixels',
      getRadius: 5,
      pickable: true,
    });
    let frame = 0;
    let lastKey = '';
    let lastFollow = 0;
    const draw = () => {
      frame = requestAnimationFrame(draw);
      const c = clock.current;
      const key = `${c.t}|${c.hoverT}|${c.trailMinutes}|${c.follow}`;
      if (key === lastKey) return;
      lastKey = key;
      const now = data.tracks.flatMap((tr) => {
        const p = positionAt(tr, c.t);
        return p ? [{ color: tr.color, name: tr.name, ...p }] : [];
      });
      const trails = data.tracks.map((tr) => ({ color: tr.color, path: trailAt(tr, c.t, c.trailMinutes * 60_000) }));
      const ghost = c.hoverT === null ? [] : data.tracks.flatMap((tr) => positionAt(tr, c.hoverT!) ?? []);
      handle.overlay.setProps({
        layers: [
          routeLayer,
          new PathLayer({ id: 'replay-trails', data: trails, getPath: (d) => d.path, getColor: (d) => d.color, widthUnits: 'pixels', getWidth: 5, jointRounded: true, capRounded: true }),
          stopsLayer,
          eventsLayer,
          new ScatterplotLayer({ id: 'replay-ghost', data: ghost, getPosition: (p) => [p.lng, p.lat], getFillColor: [15, 23, 42, 90], radiusUnits: 'pixels', getRadius: 9 }),
          new ScatterplotLayer({
            id: 'replay-vehicles',
            data: now,
            getPosition: (p) => [p.lng, p.lat],
            getFillColor: (p) => p.color,
            getLineColor: [255, 255, 255],
            stroked: true,
            lineWidthUnits: 'pixels',
            getLineWidth: 2,
            radiusUnits: 'pixels',
            getRadius: 8,
          }),
        ],
      });
      // Follow: keep the first vehicle in view, re-centred at most twice a second.
      if (c.follow && now[0] && performance.now() - lastFollow > 500) {
        lastFollow = performance.now();
        handle.map.easeTo({ center: [now[0].lng, now[0].lat], duration: 400 });
      }
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, [data, clock]);

  return <div ref={containerRef} data-testid="replay-map" style={{ width: '100%', height: '100%' }} />;
}
