'use client';

import { useQuery } from '@tanstack/react-query';
import { apiJson } from '@/components/ui/api-fetch';
import type { TrailPoint } from './layers/TrailLayer';

interface HistoryCollection {
  features: Array<{ geometry: { type: string; coordinates: number[] } | null; properties: { kind: string; ts?: string } }>;
}

/** The vehicle's stored positions over the last `minutes` (the live ones are added by the layer). */
export function useTrail(id: string | null, minutes: number, enabled: boolean) {
  return useQuery({
    queryKey: ['trail', id, minutes],
    enabled: !!id && enabled,
    staleTime: Infinity,
    gcTime: 60_000,
    queryFn: async (): Promise<TrailPoint[]> => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const from = new Date(Date.now() - minutes * 60_000).toISOString();
      const history = await apiJson<HistoryCollection>(`/api/v1/vehicles/${id}/history?from=${from}&to=${to}&limit=20000`);
      const points: TrailPoint[] = [];
      for (const f of history.features) {
        if (f.properties.kind !== 'position' || f.geometry?.type !== 'Point' || !f.properties.ts) continue;
        points.push([f.geometry.coordinates[0]!, f.geometry.coordinates[1]!, Date.parse(f.properties.ts)]);
      }
      return points;
    },
  });
}
