'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Socket } from 'socket.io-client';
import { apiJson } from '@/components/ui/api-fetch';
import { QUERY_KEYS, usersQuery } from '@/components/ui/list-queries';
import { useSocketEvent } from '@/components/ui/use-socket-event';
import type { PublicUser } from '@/server/protocol/auth';
import { TRIP_EVENTS, type CreateTripRequest, type TripDto, type TripListResult, type TripStatus } from '@/server/protocol/trips';

export interface TripFilters {
  status?: TripStatus | '';
  vehicleId?: string;
  active?: boolean;
}

function query(filters: TripFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set('status', filters.status);
  if (filters.vehicleId) params.set('vehicleId', filters.vehicleId);
  if (filters.active !== undefined) params.set('active', String(filters.active));
  return params.toString();
}

/**
 * Trips matching the filters. Not polled: the page's socket refetches every trip list on
 * `trip:update` (useCatalogLive on /trips, useLiveTrips on the live map).
 */
export function useTrips(filters: TripFilters) {
  return useQuery({
    queryKey: [...QUERY_KEYS.trips, filters],
    queryFn: () => apiJson<TripListResult>(`/api/v1/trips?${query(filters)}`),
  });
}

/** Refetches the trip lists when a trip changes anywhere in the tenant (the live map's socket). */
export function useLiveTrips(socket: Socket | null): void {
  const client = useQueryClient();
  useSocketEvent(socket, TRIP_EVENTS.update, () => void client.invalidateQueries({ queryKey: QUERY_KEYS.trips }));
}

/** The tenant's users with the driver role (admins and managers may list users). */
export function useDrivers() {
  return useQuery({ ...usersQuery, select: (users: PublicUser[]) => users.filter((u) => u.role === 'driver') });
}

export function useCreateTrip() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateTripRequest) => (await apiJson<{ trip: TripDto }>('/api/v1/trips', { body: input })).trip,
    onSuccess: () => client.invalidateQueries({ queryKey: QUERY_KEYS.trips }),
  });
}

export function useMoveTrip() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, status }: { id: string; status: TripStatus }) =>
      (await apiJson<{ trip: TripDto }>(`/api/v1/trips/${id}/status`, { body: { status } })).trip,
    onSettled: () => client.invalidateQueries({ queryKey: QUERY_KEYS.trips }),
  });
}
