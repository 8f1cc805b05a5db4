'use client';

import { PathLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import type { RouteDto } from '@/server/protocol/routes';
import { useMapHandle } from '../map-context';

export const ROUTES_LAYER_ID = 'routes';

/** '#2563eb' → [37, 99, 235, alpha] */
export function routeColor(hex: string, alpha = 210): [number, number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** The tenant's routes as lines in each route's color, under the vehicles (hover: name, length, vehicles). */
export function RoutesLayer({ routes, visible }: { routes: readonly RouteDto[]; visible: boolean }) {
  const { layers } = useMapHandle();

  useEffect(() => {
    if (!visible || routes.length === 0) {
      layers.set('routes', null);
      return;
    }
    layers.set(
      'routes',
      new PathLayer<RouteDto>({
        id: ROUTES_LAYER_ID,
        data: routes as RouteDto[],
        getPath: (r) => r.geometry.coordinates,
        getColor: (r) => routeColor(r.properties.color),
        getWidth: 4,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        pickable: true,
      }),
    );
    return () => layers.set('routes', null);
  }, [routes, visible, layers]);

  return null;
}
