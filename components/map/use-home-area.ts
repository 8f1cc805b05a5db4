'use client';

import { useQuery } from '@tanstack/react-query';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useEffect, useRef, useState } from 'react';
import { apiJson } from '@/components/ui/api-fetch';
import type { HomeArea } from '@/server/protocol/home-area';
import type { TenantDto } from '@/server/tenants/service';

/** The signed-in user's tenant (GET /api/v1/tenant): one cache entry for the maps and the admin console. */
export const TENANT_QUERY_KEY = ['tenant'] as const;

export function useTenantSettings() {
  return useQuery({ queryKey: TENANT_QUERY_KEY, queryFn: async () => (await apiJson<{ tenant: TenantDto }>('/api/v1/tenant')).tenant, staleTime: 60_000 });
}

/** Where the tenant's maps open: the home area an admin set, else the road network's extent; null while loading or when there is neither. */
const areaOf = (tenant: TenantDto | undefined): HomeArea | null => tenant?.homeArea ?? tenant?.roadsArea ?? null;

export function useHomeArea(): HomeArea | null {
  return areaOf(useTenantSettings().data);
}

/**
 * Moves `map` to the home area once, as soon as both are there, unless the map already shows
 * something better: `settled()` says so (the page fitted its data, or opened on a link's view), or
 * the user has moved it. Maps are created before the tenant is read, at a fixed default place.
 * Returns whether that is decided (moved, kept, or the tenant has no home area at all).
 */
export function useOpenOnHome(map: MapLibreMap | null, settled: () => boolean): boolean {
  const tenant = useTenantSettings();
  const area = areaOf(tenant.data);
  const [decided, setDecided] = useState(false);
  const userMoved = useRef(false);
  const done = useRef(false);
  const isSettled = useRef(settled);
  isSettled.current = settled;

  useEffect(() => {
    if (!map) return;
    const onMove = (event: { originalEvent?: unknown }) => {
      if (event.originalEvent) userMoved.current = true;
    };
    map.on('movestart', onMove);
    return () => void map.off('movestart', onMove);
  }, [map]);

  useEffect(() => {
    // Decided once the tenant is read (or could not be: the map stays where it is).
    if (!map || done.current || (!area && !tenant.isSuccess && !tenant.isError)) return;
    done.current = true;
    if (area && !userMoved.current && !isSettled.current()) map.fitBounds([[area[0], area[1]], [area[2], area[3]]], { padding: 20, duration: 0 });
    setDecided(true);
  }, [map, area, tenant.isSuccess, tenant.isError]);
  return decided;
}
