'use client';

import { MapboxOverlay } from '@deck.gl/mapbox';
import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { basemapStyle, showWaterOnceLandLoads } from './basemap-style';
import type { VehicleStore } from './vehicle-store';
import { vehiclesLayer, vehicleTooltip } from './vehicles-layer';

const BERLIN: [number, number] = [13.4, 52.515];
const WORKER_URL = '/vendor/maplibre-gl-worker.mjs';

const TOOLTIP_STYLE = {
  background: 'rgba(15, 23, 42, 0.92)',
  color: '#f8fafc',
  borderRadius: '8px',
  padding: '6px 10px',
  fontSize: '12px',
  lineHeight: '1.5',
  whiteSpace: 'pre',
};

/**
 * MapLibre basemap with a deck.gl overlay (overlaid mode: deck's own canvas on top).
 * Store changes are coalesced into at most one layer update per animation frame; React does
 * not re-render for positions. The view fits the vehicles once, after the first data.
 */
export default function MapView({ store, styleUrl }: { store: VehicleStore; styleUrl: string | null }) {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    maplibregl.setWorkerUrl(WORKER_URL);
    const map = new maplibregl.Map({
      container,
      style: styleUrl ?? basemapStyle(window.location.origin),
      center: BERLIN,
      zoom: 11,
      attributionControl: { compact: true },
    });
    if (!styleUrl) showWaterOnceLandLoads(map);
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new maplibregl.ScaleControl(), 'bottom-right');

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [vehiclesLayer(store)],
      getTooltip: (info) => {
        const text = vehicleTooltip(store, info);
        return text ? { text, style: TOOLTIP_STYLE } : null;
      },
      onHover: (info) => {
        map.getCanvas().style.cursor = info.index >= 0 ? 'pointer' : '';
      },
    });
    map.addControl(overlay);

    let fitted = false;
    const fitOnce = () => {
      const bounds = store.bounds();
      if (fitted || !bounds) return;
      fitted = true;
      map.fitBounds(bounds, { padding: 60, maxZoom: 14, duration: 0 });
    };

    let frame = 0;
    const render = () => {
      frame = 0;
      fitOnce();
      overlay.setProps({ layers: [vehiclesLayer(store)] });
    };
    const unsubscribe = store.onChange(() => {
      if (!frame) frame = requestAnimationFrame(render);
    });
    render();

    return () => {
      unsubscribe();
      cancelAnimationFrame(frame);
      map.remove(); // also removes the overlay control, which finalizes deck
    };
  }, [store, styleUrl]);

  return <div ref={containerRef} data-testid="live-map" style={{ width: '100%', height: '100%' }} />;
}
