'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { apiJson } from '@/components/ui/api-fetch';
import type { VehicleDto } from '@/server/protocol/vehicles';

const EMPTY = new Map<string, ReadonlySet<string>>();

/**
 * The fleet's vehicle groups (set in the admin console) → their vehicle ids, for the live map's
 * group filter. Groups change rarely: read from REST, refreshed every minute.
 */
export function useVehicleGroups(): ReadonlyMap<string, ReadonlySet<string>> {
  const vehicles = useQuery({
    queryKey: ['vehicle-groups'],
    queryFn: async () => (await apiJson<{ vehicles: VehicleDto[] }>('/api/v1/vehicles')).vehicles,
    refetchInterval: 60_000,
    staleTime: 30_000,
  });
  return useMemo(() => {
    if (!vehicles.data) return EMPTY;
    const groups = new Map<string, Set<string>>();
    for (const v of vehicles.data) if (v.groupName) (groups.get(v.groupName) ?? groups.set(v.groupName, new Set()).get(v.groupName)!).add(v.id);
    return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
  }, [vehicles.data]);
}
