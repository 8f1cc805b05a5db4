'use client';

import { useState } from 'react';
import type { VehicleStore } from '@/components/map/vehicle-store';
import { useNow } from '@/components/ui/relative-time';
import type { RouteDto } from '@/server/protocol/routes';
import { RouteProgressBar } from './RouteProgressBar';

/**
 * The route widget on the map: one route's vehicles with their progress, status and ETA, live
 * from the store (`vehicle:route` and snapshots; refreshed every second). Choosing a vehicle
 * selects it on the map.
 */
export function RouteWidget({ store, routes, onSelectVehicle }: { store: VehicleStore; routes: readonly RouteDto[]; onSelectVehicle: (id: string) => void }) {
  const [open, setOpen] = useState(false);
  const driven = routes.filter((r) => r.properties.vehicleIds.length > 0);
  const [routeId, setRouteId] = useState<string | null>(null);
  const route = driven.find((r) => r.id === routeId) ?? driven[0] ?? null;
  const now = useNow(open ? 1000 : 60_000);

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="rounded-lg border border-slate-200 bg-white/95 px-3 py-1.5 text-xs font-semibold text-slate-800 shadow hover:bg-white"
        data-testid="route-widget-open"
      >
        Route progress
      </button>
    );
  }
  return (
    <section className="w-80 rounded-xl border border-slate-200 bg-white shadow-xl" data-testid="route-widget" aria-label="Route progress">
      <header className="flex items-center gap-2 border-b border-slate-100 px-3 py-2">
        <h2 className="whitespace-nowrap text-sm font-semibold text-slate-900">Route progress</h2>
        {driven.length > 0 && (
          <select
            aria-label="Route"
            value={route?.id ?? ''}
            onChange={(e) => setRouteId(e.target.value)}
            className="ml-auto min-w-0 max-w-[10rem] truncate rounded-md border border-slate-200 px-1 py-0.5 text-xs"
          >
            {driven.map((r) => (
              <option key={r.id} value={r.id}>
                {r.properties.name}
              </option>
            ))}
          </select>
        )}
        <button type="button" aria-label="Close route progress" onClick={() => setOpen(false)} className={`${driven.length ? '' : 'ml-auto'} rounded px-1 text-slate-400 hover:text-slate-800`}>
          ✕
        </button>
      </header>
      {!route ? (
        <p className="px-3 py-4 text-center text-xs text-slate-500">No route has vehicles assigned. Assign them in the route editor.</p>
      ) : (
        <ul className="max-h-80 divide-y divide-slate-100 overflow-y-auto" data-testid="route-widget-vehicles">
          {route.properties.vehicleIds.map((id) => {
            const progress = store.routeOf(id);
            const name = store.infoOf(id)?.name ?? 'Vehicle';
            return (
              <li key={id} className="px-3 py-2" data-vehicle-id={id}>
                <button type="button" onClick={() => onSelectVehicle(id)} className="mb-1 text-left text-xs font-semibold text-slate-900 hover:underline">
                  {name}
                </button>
                {progress && progress.routeId === route.id ? <RouteProgressBar progress={progress} now={now} compact /> : <p className="text-xs text-slate-500">No position on this route yet.</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
