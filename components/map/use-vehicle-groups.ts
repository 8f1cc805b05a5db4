'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { vehiclesQuery } from '@/components/ui/list-queries';

const EMPTY = new Map<string, ReadonlySet<string>>();

/**
 * The fleet's vehicle groups (set in the admin console) → their vehicle ids, for the group
 * filters (live map, reports) and group alert rules. The same cached vehicle list as every other
 * vehicle picker (one request per page), read again every minute: groups change rarely.
 */
export function useVehicleGroups(): ReadonlyMap<string, ReadonlySet<string>> {
  const vehicles = useQuery({ ...vehiclesQuery, refetchInterval: 60_000 });
  return useMemo(() => {
    if (!vehicles.data) return EMPTY;
    const groups = new Map<string, Set<string>>();
    for (const v of vehicles.data) if (v.groupName) (groups.get(v.groupName) ?? groups.set(v.groupName, new Set()).get(v.groupName)!).add(v.id);
    return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
  }, [vehicles.data]);
}
