'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Socket } from 'socket.io-client';
import { apiJson } from '@/components/ui/api-fetch';
import { useSocketEvent } from '@/components/ui/use-socket-event';
import { DISPATCH_EVENTS, type DriverStatus, type VehicleAvailabilityDto } from '@/server/protocol/dispatch';
import { TRIP_EVENTS } from '@/server/protocol/trips';

const KEY = ['driver-status'] as const;
/** A vehicle that stops reporting raises no event: the list is also fetched this often. */
const REFRESH_MS = 30_000;

export const DRIVER_STATUS_LABELS: Readonly<Record<DriverStatus, string>> = {
  ONLINE: 'Available',
  BUSY: 'Busy',
  ON_TRIP: 'On a trip',
  OFFLINE: 'Offline',
};

/** Stable, so the map is built once per fetch and not on every render of a panel. */
const byVehicle = (data: { vehicles: VehicleAvailabilityDto[] }) => new Map(data.vehicles.map((v) => [v.vehicleId, v.status]));

/** Every vehicle's driver status (GET /api/v1/dispatch/availability, one query for the panel and the map's filter); null until read or while not `enabled`. */
export function useDriverStatuses(enabled = true): ReadonlyMap<string, DriverStatus> | null {
  const query = useQuery({
    queryKey: KEY,
    queryFn: () => apiJson<{ vehicles: VehicleAvailabilityDto[] }>('/api/v1/dispatch/availability'),
    select: byVehicle,
    refetchInterval: REFRESH_MS,
    enabled,
  });
  return query.data ?? null;
}

/** The driver status of one vehicle. */
export function useDriverStatus(vehicleId: string): DriverStatus | null {
  return useDriverStatuses()?.get(vehicleId) ?? null;
}

/** Fetches the statuses again when a trip or a dispatch request changes (the live map's socket). */
export function useLiveDriverStatuses(socket: Socket | null): void {
  const client = useQueryClient();
  const refetch = () => void client.invalidateQueries({ queryKey: KEY });
  useSocketEvent(socket, TRIP_EVENTS.update, refetch);
  useSocketEvent(socket, DISPATCH_EVENTS.update, refetch);
}
