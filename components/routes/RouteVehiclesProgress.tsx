'use client';

import { useQuery } from '@tanstack/react-query';
import { apiJson } from '@/components/ui/api-fetch';
import { useNow } from '@/components/ui/relative-time';
import type { RouteStatusResponse } from '@/server/protocol/route-progress';
import { RouteProgressBar } from './RouteProgressBar';

/** How often the editor asks again (it has no fleet subscription of its own). */
const REFRESH_MS = 5_000;

/** The route editor's view of a route's assigned vehicles: progress, status and ETA (GET /api/v1/routes/:id/status). */
export function RouteVehiclesProgress({ routeId, nameOf }: { routeId: string; nameOf: (vehicleId: string) => string }) {
  const now = useNow(REFRESH_MS);
  const status = useQuery({
    queryKey: ['route-status', routeId],
    queryFn: ({ signal }) => apiJson<RouteStatusResponse>(`/api/v1/routes/${routeId}/status`, { signal }),
    refetchInterval: REFRESH_MS,
  });
  return (
    <div data-testid="route-vehicles-progress">
      <p className="text-xs font-medium text-slate-700">Assigned vehicles on the route</p>
      {status.isError && <p className="text-xs text-red-700">Progress unavailable: {status.error.message}</p>}
      {status.data && status.data.vehicles.length === 0 && <p className="text-xs text-slate-500">No vehicle is assigned, or none has reported a position yet.</p>}
      <ul className="mt-1 space-y-2">
        {status.data?.vehicles.map((v) => (
          <li key={v.vehicleId}>
            <p className="text-xs font-semibold text-slate-800">{nameOf(v.vehicleId)}</p>
            <RouteProgressBar progress={v} now={now} />
          </li>
        ))}
      </ul>
      {status.data && status.data.stops.length > 0 && (
        <p className="mt-2 text-xs text-slate-500">
          Stops: {status.data.stops.map((s) => s.name).join(' → ')}
        </p>
      )}
    </div>
  );
}
