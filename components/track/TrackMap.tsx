'use client';

import * as maplibregl from 'maplibre-gl';
import { useEffect, useRef } from 'react';
import { createBasemap } from '@/components/map/create-basemap';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import type { TrackDto } from '@/server/protocol/trips';

/** A teardrop pin with a letter; MapLibre positions the outer element with its own transform. */
function pin(label: string, color: string, testId: string): HTMLElement {
  const el = document.createElement('div');
  el.dataset.testid = testId;
  el.setAttribute('aria-label', testId.replace('-', ' '));
  el.style.cssText = 'width:30px;height:36px;display:flex;justify-content:center';
  const drop = document.createElement('div');
  drop.style.cssText = `width:28px;height:28px;border-radius:50% 50% 50% 0;transform:rotate(-45deg);background:${color};border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.35);display:flex;align-items:center;justify-content:center`;
  const text = document.createElement('span');
  text.textContent = label;
  text.style.cssText = 'transform:rotate(45deg);color:#fff;font:700 13px system-ui,sans-serif';
  drop.appendChild(text);
  el.appendChild(drop);
  return el;
}

function vehicleDot(): HTMLElement {
  const el = document.createElement('div');
  el.dataset.testid = 'vehicle-marker';
  el.setAttribute('aria-label', 'vehicle');
  el.style.cssText = 'width:20px;height:20px;border-radius:50%;background:#2563eb;border:3px solid #fff;box-shadow:0 0 0 6px rgba(37,99,235,.25),0 1px 4px rgba(0,0,0,.4)';
  return el;
}

/**
 * The rider's map: the offline basemap (or MAP_STYLE_URL), pickup and dropoff pins and the
 * vehicle, read-only. Fits all three once; afterwards only the vehicle marker moves.
 */
export default function TrackMap({ track, token, basemap }: { track: TrackDto; token: string; basemap: BasemapSettings }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const vehicleRef = useRef<maplibregl.Marker | null>(null);
  const { pickup, dropoff } = track;
  const { styleUrl, pmtiles } = basemap;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = createBasemap({ container, basemap: { styleUrl, pmtiles }, tilesUrl: `${window.location.origin}/api/v1/track/${encodeURIComponent(token)}/tiles/{z}/{x}/{y}.mvt`, center: [pickup.lng, pickup.lat], zoom: 13, dragRotate: false, pitchWithRotate: false });
    new maplibregl.Marker({ element: pin('P', '#059669', 'pickup-marker'), anchor: 'bottom' }).setLngLat([pickup.lng, pickup.lat]).addTo(map);
    new maplibregl.Marker({ element: pin('D', '#dc2626', 'dropoff-marker'), anchor: 'bottom' }).setLngLat([dropoff.lng, dropoff.lat]).addTo(map);
    mapRef.current = map;
    return () => {
      vehicleRef.current = null;
      mapRef.current = null;
      map.remove();
    };
  }, [pickup.lng, pickup.lat, dropoff.lng, dropoff.lat, styleUrl, pmtiles, token]);

  const position = track.vehicle.position;
  const fitted = useRef(false);
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    if (position) {
      if (!vehicleRef.current) vehicleRef.current = new maplibregl.Marker({ element: vehicleDot() }).setLngLat([position.lng, position.lat]).addTo(map);
      else vehicleRef.current.setLngLat([position.lng, position.lat]);
    }
    if (!fitted.current) {
      fitted.current = true;
      const bounds = new maplibregl.LngLatBounds([pickup.lng, pickup.lat], [pickup.lng, pickup.lat]).extend([dropoff.lng, dropoff.lat]);
      if (position) bounds.extend([position.lng, position.lat]);
      // From md up the status card floats over the map's left side: keep the points clear of it.
      const beside = map.getContainer().clientWidth >= 768 ? 440 : 40;
      map.fitBounds(bounds, { padding: { top: 60, bottom: 60, left: beside, right: 40 }, maxZoom: 15, duration: 0 });
    }
  }, [position, pickup.lng, pickup.lat, dropoff.lng, dropoff.lat]);

  return <div ref={containerRef} data-testid="track-map" style={{ width: '100%', height: '100%' }} />;
}
