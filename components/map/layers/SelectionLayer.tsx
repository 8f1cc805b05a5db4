'use client';

import { ScatterplotLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import { useMapHandle } from '../map-context';
import type { VehicleStore } from '../vehicle-store';

/**
 * A ring around the selected vehicle, gliding with it. In follow mode the map is kept centered
 * on it; the first drag ends following (`onFollowEnd`).
 */
export function SelectionLayer({ store, id, follow, onFollowEnd }: { store: VehicleStore; id: string | null; follow: boolean; onFollowEnd: () => void }) {
  const { map, layers } = useMapHandle();

  useEffect(() => {
    if (!id) return;
    const at = new Float32Array(2);
    let raf = 0;
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const slot = store.slotOf(id);
      if (slot === undefined) {
        layers.set('selection', null);
        return;
      }
      const [lng, lat] = store.drawnAt(slot);
      if (at[0] === lng && at[1] === lat) return;
      at[0] = lng;
      at[1] = lat;
      layers.set(
        'selection',
        new ScatterplotLayer({
          id: 'selection',
          data: { length: 1, attributes: { getPosition: { value: at.slice(), size: 2 } } },
          radiusUnits: 'pixels',
          getRadius: 20,
          stroked: true,
          filled: true,
          getFillColor: [15, 23, 42, 40],
          getLineColor: [15, 23, 42, 230],
          lineWidthUnits: 'pixels',
          getLineWidth: 2.5,
        }),
      );
      if (follow) map.jumpTo({ center: [lng, lat] });
    };
    raf = requestAnimationFrame(tick);
    const stopFollowing = () => follow && onFollowEnd();
    map.on('dragstart', stopFollowing);
    return () => {
      cancelAnimationFrame(raf);
      map.off('dragstart', stopFollowing);
      layers.set('selection', null);
    };
  }, [store, id, follow, onFollowEnd, map, layers]);

  return null;
}
