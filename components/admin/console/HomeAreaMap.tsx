'use client';

import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { BERLIN, createBasemap } from '@/components/map/create-basemap';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import type { HomeArea } from '@/server/protocol/home-area';

const SOURCE = 'home-area';

const outline = (a: HomeArea | null) => ({
  type: 'FeatureCollection' as const,
  features: a
    ? [{ type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[a[0], a[1]], [a[2], a[1]], [a[2], a[3]], [a[0], a[3]], [a[0], a[1]]]] } }]
    : [],
});

/**
 * The settings page's map: the home area as a rectangle (dashed while it is only the road
 * network's extent), fitted whenever it changes; the admin pans and zooms to pick a new one.
 */
export default function HomeAreaMap({ basemap, area, dashed, onMap }: { basemap: BasemapSettings; area: HomeArea | null; dashed: boolean; onMap: (map: MapLibreMap | null) => void }) {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const report = useRef(onMap);
  report.current = onMap;

  useEffect(() => {
    if (!container.current) return;
    const m = createBasemap({ container: container.current, basemap, center: BERLIN, zoom: 9, scale: true });
    m.on('load', () => {
      m.addSource(SOURCE, { type: 'geojson', data: outline(null) });
      m.addLayer({ id: `${SOURCE}-fill`, type: 'fill', source: SOURCE, paint: { 'fill-color': '#059669', 'fill-opacity': 0.08 } });
      // Solid when set, dashed when only the road network's extent: two layers, one shown.
      m.addLayer({ id: `${SOURCE}-solid`, type: 'line', source: SOURCE, paint: { 'line-color': '#059669', 'line-width': 2.5 } });
      m.addLayer({ id: `${SOURCE}-dashed`, type: 'line', source: SOURCE, paint: { 'line-color': '#059669', 'line-width': 2.5, 'line-dasharray': [2, 1.5] } });
      setMap(m);
      report.current(m);
    });
    return () => {
      report.current(null);
      setMap(null);
      m.remove();
    };
  }, [basemap]);

  useEffect(() => {
    if (!map) return;
    (map.getSource(SOURCE) as GeoJSONSource | undefined)?.setData(outline(area));
    map.setLayoutProperty(`${SOURCE}-solid`, 'visibility', dashed ? 'none' : 'visible');
    map.setLayoutProperty(`${SOURCE}-dashed`, 'visibility', dashed ? 'visible' : 'none');
    if (area) map.fitBounds([[area[0], area[1]], [area[2], area[3]]], { padding: 24, duration: 0 });
    // What is drawn, once it is (journeys wait for it before a screenshot).
    const drawn = area ? (dashed ? 'dashed' : 'solid') : 'none';
    map.once('idle', () => container.current?.setAttribute('data-outline', drawn));
    map.triggerRepaint();
  }, [map, area, dashed]);

  return <div ref={container} className="h-64 w-full overflow-hidden rounded-md ring-1 ring-slate-200" data-testid="home-area-map" data-ready={map !== null} style={{ height: '16rem' }} />;
}
