'use client';

import type { PickingInfo } from '@deck.gl/core';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import type { GeofenceDto } from '@/server/protocol/geofences';
import type { RouteDto } from '@/server/protocol/routes';
import { BERLIN, createBasemap } from './create-basemap';
import type { BasemapSettings } from './basemap-settings';
import { FENCE_LABELS, type FenceFlashes } from './fence-style';
import { GeofencesLayer, GEOFENCES_LAYER_ID } from './layers/GeofencesLayer';
import { LabelsLayer } from './layers/LabelsLayer';
import { RoutesLayer, ROUTES_LAYER_ID } from './layers/RoutesLayer';
import { SelectionLayer } from './layers/SelectionLayer';
import { TrailLayer, type TrailPoint } from './layers/TrailLayer';
import { VehiclesLayer, VEHICLES_LAYER_ID } from './layers/VehiclesLayer';
import { LayerSlots, MapContext, type MapHandle } from './map-context';
import { DrivingEventsLayer } from './layers/DrivingEventsLayer';
import type { LayerToggles } from './map-options';
import { setTestProjection } from './test-hooks';
import { useOpenOnHome } from './use-home-area';
import { STATUS_LABELS, type VehicleStore } from './vehicle-store';

const TOOLTIP_STYLE = {
  background: 'rgba(15, 23, 42, 0.94)',
  color: '#f8fafc',
  borderRadius: '8px',
  padding: '6px 10px',
  fontSize: '12px',
  lineHeight: '1.5',
  whiteSpace: 'pre',
};

/** [west, south, east, north] and zoom of the visible map. */
export type Viewport = { bbox: [number, number, number, number]; zoom: number };

export interface MapViewProps {
  store: VehicleStore;
  basemap: BasemapSettings;
  toggles: LayerToggles;
  fences: readonly GeofenceDto[];
  flashes: FenceFlashes;
  routes: readonly RouteDto[];
  selectedId: string | null;
  follow: boolean;
  onSelect: (id: string) => void;
  onFollowEnd: () => void;
  trail: readonly TrailPoint[] | undefined;
  trailMinutes: number;
  /** Fly to this vehicle whenever `nonce` changes. */
  focus: { id: string; nonce: number } | null;
  onViewport: (viewport: Viewport) => void;
  /** The MapLibre map once created (null when removed), for controls outside it (place search). */
  onMap?: (map: MapLibreMap | null) => void;
  /** Where the map opens (a view kept in the URL); unset → it fits the vehicles once. */
  initialView?: { center: [number, number]; zoom: number } | null;
}

function tooltipOf(store: VehicleStore, info: PickingInfo): string | null {
  if (info.layer?.id === VEHICLES_LAYER_ID) {
    const vehicle = store.read(info.index);
    if (!vehicle) return null;
    const speed = vehicle.speed === null ? 'speed unknown' : `${Math.round(vehicle.speed)} km/h`;
    return `${vehicle.info.name}${vehicle.info.plate ? ` · ${vehicle.info.plate}` : ''}\n${STATUS_LABELS[vehicle.status]} · ${speed}`;
  }
  if (info.layer?.id === GEOFENCES_LAYER_ID && info.object) {
    const p = (info.object as { properties: GeofenceDto['properties'] }).properties;
    return `${p.name}\n${FENCE_LABELS[p.type]} fence`;
  }
  if (info.layer?.id === ROUTES_LAYER_ID && info.object) {
    const p = (info.object as RouteDto).properties;
    const vehicles = p.vehicleIds.length === 1 ? '1 vehicle' : `${p.vehicleIds.length} vehicles`;
    return `${p.name}\nRoute · ${(p.lengthM / 1000).toFixed(1)} km · ${vehicles}`;
  }
  return null;
}

/**
 * MapLibre basemap with a deck.gl overlay (overlaid mode: deck's own canvas on top), and one
 * component per deck.gl layer. The view opens on the tenant's home area and fits the vehicles once, after the first data.
 */
export default function MapView(props: MapViewProps) {
  const { store, basemap } = props;
  const { styleUrl, pmtiles } = basemap;
  const containerRef = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<MapHandle | null>(null);
  const latest = useRef(props);
  latest.current = props;
  /** The view was fitted to the vehicles, or opened where a link said. */
  const fitted = useRef(false);
  useOpenOnHome(handle?.map ?? null, () => fitted.current);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const initial = latest.current.initialView;
    const map = createBasemap({ container, basemap: { styleUrl, pmtiles }, center: initial?.center ?? BERLIN, zoom: initial?.zoom ?? 11, scale: true });

    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      getTooltip: (info) => {
        const text = tooltipOf(store, info);
        return text ? { text, style: TOOLTIP_STYLE } : null;
      },
      onHover: (info) => {
        map.getCanvas().style.cursor = info.layer?.id === VEHICLES_LAYER_ID && info.index >= 0 ? 'pointer' : '';
      },
      onClick: (info) => {
        const vehicle = info.layer?.id === VEHICLES_LAYER_ID ? store.read(info.index) : null;
        if (vehicle) latest.current.onSelect(vehicle.info.id);
      },
    });
    map.addControl(overlay);
    setHandle({ map, layers: new LayerSlots(overlay) });
    latest.current.onMap?.(map);
    setTestProjection((lngLat) => {
      const p = map.project(lngLat);
      const box = container.getBoundingClientRect();
      return [box.left + p.x, box.top + p.y];
    });

    const reportViewport = () => {
      const b = map.getBounds();
      latest.current.onViewport({ bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], zoom: map.getZoom() });
    };
    map.on('moveend', reportViewport);
    map.once('load', reportViewport);

    fitted.current = Boolean(initial);
    const fitOnce = () => {
      const bounds = store.bounds();
      if (fitted.current || !bounds) return;
      fitted.current = true;
      map.fitBounds(bounds, { padding: 60, maxZoom: 14, duration: 0 });
    };
    fitOnce();
    const unsubscribe = store.onChange(fitOnce);

    return () => {
      unsubscribe();
      setTestProjection(null);
      setHandle(null);
      latest.current.onMap?.(null);
      map.remove(); // also removes the overlay control, which finalizes deck
    };
  }, [store, styleUrl, pmtiles]);

  // Search → fly to the vehicle where it is now.
  const focusNonce = props.focus?.nonce;
  useEffect(() => {
    const focus = latest.current.focus;
    if (!handle || !focus) return;
    const slot = store.slotOf(focus.id);
    if (slot === undefined) return;
    handle.map.flyTo({ center: store.drawnAt(slot), zoom: Math.max(handle.map.getZoom(), 15), duration: 900 });
  }, [handle, store, focusNonce]);

  const { toggles } = props;
  return (
    <div ref={containerRef} data-testid="live-map" style={{ width: '100%', height: '100%' }}>
      {handle && (
        <MapContext value={handle}>
          <GeofencesLayer fences={props.fences} flashes={props.flashes} visible={toggles.geofences} />
          <RoutesLayer routes={props.routes} visible={toggles.routes} />
          <TrailLayer store={store} id={props.selectedId} history={props.trail} minutes={props.trailMinutes} visible={toggles.trails} />
          <DrivingEventsLayer visible={toggles.drivingEvents} />
          <VehiclesLayer store={store} visible={toggles.vehicles} />
          <SelectionLayer store={store} id={props.selectedId} follow={props.follow} onFollowEnd={props.onFollowEnd} />
          <LabelsLayer store={store} visible={toggles.vehicles} />
        </MapContext>
      )}
    </div>
  );
}
