'use client';

import { ScatterplotLayer } from '@deck.gl/layers';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiJson } from '@/components/ui/api-fetch';
import type { DrivingEventDto } from '@/server/protocol/driving';
import { useMapHandle } from '../map-context';

export const DRIVING_LAYER_ID = 'driving-events';

const COLOR: Record<'low' | 'medium' | 'high', [number, number, number, number]> = {
  low: [252, 211, 77, 230],
  medium: [249, 115, 22, 235],
  high: [220, 38, 38, 240],
};

/** Today's driving events (harsh manoeuvres, speeding, idling) as dots by severity, under the vehicles; off by default. */
export function DrivingEventsLayer({ visible }: { visible: boolean }) {
  const { layers } = useMapHandle();
  const day = new Date().toISOString().slice(0, 10);
  const events = useQuery({
    queryKey: ['driving-events', 'map', day],
    queryFn: () => apiJson<{ events: DrivingEventDto[] }>(`/api/v1/driving-events?from=${day}T00:00:00Z&limit=1000`),
    enabled: visible,
    refetchInterval: 30_000,
  });
  const data = events.data?.events;

  useEffect(() => {
    if (!visible || !data || data.length === 0) {
      layers.set('driving', null);
      return;
    }
    layers.set(
      'driving',
      new ScatterplotLayer<DrivingEventDto>({
        id: DRIVING_LAYER_ID,
        data,
        getPosition: (e) => [e.data.position.lng, e.data.position.lat],
        getFillColor: (e) => COLOR[e.data.severity],
        getLineColor: [255, 255, 255, 255],
        getRadius: 6,
        radiusUnits: 'pixels',
        stroked: true,
        lineWidthMinPixels: 1.5,
      }),
    );
    return () => layers.set('driving', null);
  }, [data, visible, layers]);

  return null;
}
