'use client';

import { GeoJsonLayer } from '@deck.gl/layers';
import { useEffect, useMemo } from 'react';
import type { GeofenceDto } from '@/server/protocol/geofences';
import { drawableFences, FENCE_COLORS, FLASH_MS, flashLevel, type FenceFeature, type FenceFlashes } from '../fence-style';
import { useMapHandle } from '../map-context';

export const GEOFENCES_LAYER_ID = 'geofences';
const FILL_ALPHA = 38;

/**
 * The tenant's fences, read-only, colored by type; a fence flashes for FLASH_MS after a breach.
 * While any fence flashes, the layer is refreshed every animation frame (colors only); flashes
 * arrive through `flashes.onFlash`, not through React.
 */
export function GeofencesLayer({ fences, flashes, visible }: { fences: readonly GeofenceDto[]; flashes: FenceFlashes; visible: boolean }) {
  const { layers } = useMapHandle();
  const features = useMemo(() => drawableFences(fences), [fences]);

  useEffect(() => {
    if (!visible) {
      layers.set('geofences', null);
      return;
    }
    let raf = 0;
    const draw = (now: number) => {
      const fill = (f: FenceFeature): [number, number, number, number] => {
        const [r, g, b] = FENCE_COLORS[f.properties.type];
        return [r, g, b, FILL_ALPHA + Math.round(160 * flashLevel(flashes.started.get(f.properties.id), now))];
      };
      layers.set(
        'geofences',
        new GeoJsonLayer<FenceFeature['properties']>({
          id: GEOFENCES_LAYER_ID,
          data: features as never,
          filled: true,
          stroked: true,
          getFillColor: fill as never,
          getLineColor: ((f: FenceFeature) => [...FENCE_COLORS[f.properties.type], 220]) as never,
          lineWidthUnits: 'pixels',
          getLineWidth: ((f: FenceFeature) => (flashLevel(flashes.started.get(f.properties.id), now) > 0 ? 3 : 1.5)) as never,
          updateTriggers: { getFillColor: now, getLineWidth: now },
          pickable: true,
        }),
      );
    };
    const tick = (now: number) => {
      raf = 0;
      draw(now);
      let active = false;
      for (const started of flashes.started.values()) if (now - started < FLASH_MS) active = true;
      if (active) raf = requestAnimationFrame(tick);
    };
    tick(performance.now());
    const stop = flashes.onFlash(() => {
      if (!raf) raf = requestAnimationFrame(tick);
    });
    return () => {
      stop();
      cancelAnimationFrame(raf);
    };
  }, [features, flashes, visible, layers]);

  useEffect(() => () => layers.set('geofences', null), [layers]);

  return null;
}
