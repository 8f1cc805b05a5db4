'use client';

import type { Layer } from '@deck.gl/core';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { createContext, useContext } from 'react';

/** Bottom to top. Each id belongs to one layer component in components/map/layers. */
export const LAYER_ORDER = ['geofences', 'routes', 'trail', 'driving', 'vehicles', 'selection', 'labels'] as const;
export type LayerId = (typeof LAYER_ORDER)[number];

/** The overlay's layer list, one slot per layer component; set() flushes once per task. */
export class LayerSlots {
  private readonly slots = new Map<LayerId, Layer | null>();
  private scheduled = false;

  constructor(private readonly overlay: MapboxOverlay) {}

  set(id: LayerId, layer: Layer | null): void {
    this.slots.set(id, layer);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(this.flush);
  }

  private readonly flush = () => {
    this.scheduled = false;
    const layers: Layer[] = [];
    for (const id of LAYER_ORDER) {
      const layer = this.slots.get(id);
      if (layer) layers.push(layer);
    }
    this.overlay.setProps({ layers });
  };
}

export interface MapHandle {
  map: MapLibreMap;
  layers: LayerSlots;
}

export const MapContext = createContext<MapHandle | null>(null);

export function useMapHandle(): MapHandle {
  const handle = useContext(MapContext);
  if (!handle) throw new Error('map layers must be rendered inside MapView');
  return handle;
}
