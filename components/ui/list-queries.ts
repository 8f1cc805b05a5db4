'use client';

import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PublicUser } from '@/server/protocol/auth';
import type { GeofenceDto } from '@/server/protocol/geofences';
import type { RouteDto } from '@/server/protocol/routes';
import type { VehicleDto } from '@/server/protocol/vehicles';
import { apiJson } from './api-fetch';

/**
 * The tenant's fences, routes, vehicles and users: one key and one fetch each, shared by the
 * editors, the live map and the trips page (they share one TanStack cache).
 */
export const QUERY_KEYS = {
  geofences: ['geofences'],
  routes: ['routes'],
  vehicles: ['vehicles'],
  users: ['users'],
  /** Every trip list (each filter is its own key below this one). */
  trips: ['trips'],
} as const;

export const geofencesQuery = queryOptions({
  queryKey: QUERY_KEYS.geofences,
  queryFn: async () => (await apiJson<{ geofences: GeofenceDto[] }>('/api/v1/geofences')).geofences,
});

export const routesQuery = queryOptions({
  queryKey: QUERY_KEYS.routes,
  queryFn: async () => (await apiJson<{ routes: RouteDto[] }>('/api/v1/routes')).routes,
});

export const vehiclesQuery = queryOptions({
  queryKey: QUERY_KEYS.vehicles,
  queryFn: async () => (await apiJson<{ vehicles: VehicleDto[] }>('/api/v1/vehicles')).vehicles,
  staleTime: 60_000,
});

/** Users may be listed by admins and managers only: callers gate it with `enabled`. */
export const usersQuery = queryOptions({
  queryKey: QUERY_KEYS.users,
  queryFn: async () => (await apiJson<{ users: PublicUser[] }>('/api/v1/users')).users,
  staleTime: 5 * 60_000,
});

export const useGeofences = () => useQuery(geofencesQuery);
export const useRoutes = () => useQuery(routesQuery);
export const useVehicles = () => useQuery(vehiclesQuery);

type Named = { id: string; properties: { name: string } };

/** A cached list with `item` added or replaced, kept in name order. */
export function withItem<T extends Named>(list: readonly T[] | undefined, item: T): T[] {
  return [...(list ?? []).filter((x) => x.id !== item.id), item].sort((a, b) => a.properties.name.localeCompare(b.properties.name));
}

/** A cached list without the item `id`. */
export function withoutItem<T extends { id: string }>(list: readonly T[] | undefined, id: string): T[] {
  return (list ?? []).filter((x) => x.id !== id);
}
