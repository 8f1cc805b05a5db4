'use client';

import { PathLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import { useMapHandle } from '../map-context';
import type { VehicleStore } from '../vehicle-store';

/** [lng, lat, ts (epoch ms)] */
export type TrailPoint = [number, number, number];

const CHECK_MS = 500;

/**
 * The selected vehicle's trail over the last `minutes`: its stored history, extended with the
 * positions received live since, older points dropped. Rebuilt only when a new position came.
 */
export function TrailLayer({ store, id, history, minutes, visible }: { store: VehicleStore; id: string | null; history: readonly TrailPoint[] | undefined; minutes: number; visible: boolean }) {
  const { layers } = useMapHandle();

  useEffect(() => {
    if (!id || !visible || !history) {
      layers.set('trail', null);
      return;
    }
    const points: TrailPoint[] = [...history];
    const draw = () => {
      const horizon = Date.now() - minutes * 60_000;
      while (points.length > 0 && points[0]![2] < horizon) points.shift();
      layers.set(
        'trail',
        new PathLayer<TrailPoint[]>({
          id: 'trail',
          data: [points],
          getPath: (p) => p.map(([lng, lat]) => [lng, lat] as [number, number]),
          getColor: [15, 23, 42, 190],
          getWidth: 4,
          widthUnits: 'pixels',
          capRounded: true,
          jointRounded: true,
        }),
      );
    };
    draw();
    const timer = setInterval(() => {
      const vehicle = store.read(store.slotOf(id));
      const last = points[points.length - 1];
      if (!vehicle || (last && last[2] >= vehicle.ts)) return;
      points.push([vehicle.lng, vehicle.lat, vehicle.ts]);
      draw();
    }, CHECK_MS);
    return () => {
      clearInterval(timer);
      layers.set('trail', null);
    };
  }, [store, id, history, minutes, visible, layers]);

  return null;
}
