'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useSyncExternalStore } from 'react';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { LoginResponse } from '@/server/protocol/auth';
import type { VehicleDto } from '@/server/protocol/vehicles';
import type { TenantDto } from '@/server/tenants/service';
import { recall, remember, type DriverVehicle } from './driver-memory';

/** Why the assignment could not be loaded; `unauthorized` means the token is no longer valid. */
export interface DriverLoadError {
  kind: 'unauthorized' | 'unreachable' | 'failed';
  message: string;
}

/** The page's reading of a failed request (the shared client's RequestError). */
function loadError(error: Error): DriverLoadError {
  const status = error instanceof RequestError ? error.status : -1;
  return { kind: status === 401 ? 'unauthorized' : status === 0 ? 'unreachable' : 'failed', message: error.message };
}

export interface DriverAssignment {
  /** null: no vehicle is assigned to this driver. */
  vehicle: DriverVehicle | null;
  rate: number;
}

/**
 * The vehicle assigned to the signed-in driver and the tenant's rate limit; remembered on the
 * phone, so the page works when it opens offline.
 */
export function useDriverAssignment(session: LoginResponse) {
  const userId = session.user.id;
  const remembered = useMemo(() => recall(userId), [userId]);
  // Offline, the remembered assignment serves; the query runs once the network is back.
  const online = useOnline();
  const query = useQuery({
    enabled: online,
    queryKey: ['driver-assignment', userId, session.token],
    queryFn: async (): Promise<DriverAssignment> => {
      const [{ vehicles }, { tenant }] = await Promise.all([
        apiJson<{ vehicles: VehicleDto[] }>('/api/v1/vehicles'),
        apiJson<{ tenant: TenantDto }>('/api/v1/tenant'),
      ]);
      const own = vehicles.find((v) => v.driverId === userId);
      const vehicle = own ? { id: own.id, name: own.name, plate: own.plate, type: own.type } : null;
      remember(userId, { vehicle, rate: tenant.vehicleRateLimit });
      return { vehicle, rate: tenant.vehicleRateLimit };
    },
    retry: (failures, error) => loadError(error).kind !== 'unauthorized' && failures < 2,
    refetchOnWindowFocus: false,
  });
  const assignment: DriverAssignment | null =
    query.data ?? (remembered.vehicle ? { vehicle: remembered.vehicle, rate: remembered.rate } : null);
  const error = query.error ? loadError(query.error) : null;
  return { assignment, error, loading: query.isPending && !assignment, offline: !online, refetch: query.refetch };
}

function subscribeOnline(notify: () => void): () => void {
  window.addEventListener('online', notify);
  window.addEventListener('offline', notify);
  return () => {
    window.removeEventListener('online', notify);
    window.removeEventListener('offline', notify);
  };
}

/** navigator.onLine, following the browser's online/offline events. */
export function useOnline(): boolean {
  return useSyncExternalStore(subscribeOnline, () => navigator.onLine, () => true);
}
