import { ScatterplotLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { VehicleStore } from './vehicle-store';

export const VEHICLES_LAYER_ID = 'vehicles';

/**
 * The vehicles as one ScatterplotLayer over the store's typed arrays. Called at most once per
 * animation frame after the store changed: the fresh `data` object (and fresh subarray views)
 * tell deck.gl to re-upload the attributes, with no per-vehicle JavaScript accessors.
 */
export function vehiclesLayer(store: VehicleStore): ScatterplotLayer {
  const n = store.count;
  return new ScatterplotLayer({
    id: VEHICLES_LAYER_ID,
    data: {
      length: n,
      version: store.version,
      attributes: {
        getPosition: { value: store.positions.subarray(0, n * 2), size: 2 },
        getFillColor: { value: store.colors.subarray(0, n * 4), size: 4, normalized: true },
      },
    },
    radiusUnits: 'pixels',
    getRadius: 5,
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.5,
    getLineColor: [255, 255, 255, 230],
    pickable: true,
    autoHighlight: true,
    highlightColor: [15, 23, 42, 200],
  });
}

/** Hover text of a picked vehicle, or null. */
export function vehicleTooltip(store: VehicleStore, info: PickingInfo): string | null {
  if (info.layer?.id !== VEHICLES_LAYER_ID || info.index < 0 || info.index >= store.count) return null;
  const vehicle = store.infos[info.index]!;
  const speed = store.speeds[info.index]!;
  return [
    vehicle.name,
    vehicle.plate ?? 'no plate',
    Number.isNaN(speed) ? 'speed unknown' : `${Math.round(speed)} km/h`,
  ].join('\n');
}
