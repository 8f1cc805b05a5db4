'use client';

import { IconLayer } from '@deck.gl/layers';
import { useEffect, useRef } from 'react';
import { recordSpan } from '../live-perf';
import { useMapHandle } from '../map-context';
import type { VehicleStore } from '../vehicle-store';
import { VEHICLE_ICON, VEHICLE_ICON_MAPPING, vehicleIconAtlas } from './vehicle-icon';

export const VEHICLES_LAYER_ID = 'vehicles';

/** Marker size in pixels by zoom: small dots for a whole country, clear arrows in a street. */
const sizeForZoom = (zoom: number) => (zoom < 9 ? 14 : zoom < 12 ? 22 : 32);

type Attr = { value: Float32Array | Uint8Array; size: number; normalized?: boolean };

/**
 * The vehicles as one IconLayer over the store's typed arrays (binary attributes, no accessor
 * per vehicle). Its own animation-frame loop glides the positions and hands deck.gl a new
 * positions view only when something moved; colors, angles and sizes are re-sent only when the
 * store says they changed. Nothing here goes through React state.
 */
export function VehiclesLayer({ store, visible }: { store: VehicleStore; visible: boolean }) {
  const { map, layers } = useMapHandle();
  const visibleRef = useRef(visible);
  visibleRef.current = visible;

  useEffect(() => {
    const atlas = vehicleIconAtlas();
    let raf = 0;
    let seenStyle = -1, seenMembership = -1, seenCount = -1, seenSize = 0, shown = !visibleRef.current;
    let colors: Attr | null = null, angles: Attr | null = null, sizes: Attr | null = null;
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const start = performance.now();
      const moved = store.advance(Date.now());
      if (!visibleRef.current) {
        if (shown) layers.set('vehicles', null);
        shown = false;
        return;
      }
      const n = store.count;
      const size = sizeForZoom(map.getZoom());
      const restyled = store.styleVersion !== seenStyle || store.membershipVersion !== seenMembership || n !== seenCount;
      if (!moved && !restyled && shown && size === seenSize) return;
      if (restyled || !colors) {
        colors = { value: store.colors.subarray(0, n * 4), size: 4, normalized: true };
        angles = { value: store.angles.subarray(0, n), size: 1 };
        sizes = { value: store.sizes.subarray(0, n), size: 1 };
        seenStyle = store.styleVersion;
        seenMembership = store.membershipVersion;
        seenCount = n;
      }
      seenSize = size;
      shown = true;
      layers.set(
        'vehicles',
        new IconLayer({
          id: VEHICLES_LAYER_ID,
          data: {
            length: n,
            attributes: {
              getPosition: { value: store.renderPositions.subarray(0, n * 2), size: 2 },
              getColor: colors,
              getAngle: angles!,
              getSize: sizes!,
            },
          },
          // deck.gl's typings want a Texture or URL; an image source (canvas) is accepted at run time.
          iconAtlas: atlas as never,
          iconMapping: VEHICLE_ICON_MAPPING,
          getIcon: VEHICLE_ICON as never, // one pre-packed icon for all: a constant, not an accessor
          sizeUnits: 'pixels',
          sizeScale: size,
          billboard: false,
          pickable: true,
          autoHighlight: true,
          highlightColor: [15, 23, 42, 220],
        }),
      );
      recordSpan('frame', start);
    };
    raf = requestAnimationFrame(tick);
    return () => {
      cancelAnimationFrame(raf);
      layers.set('vehicles', null);
    };
  }, [store, map, layers]);

  return null;
}
