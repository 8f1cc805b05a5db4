'use client';

import { useState } from 'react';
import type { useVehicles } from '@/components/ui/list-queries';
import { matchesNameOrPlate } from '@/components/ui/vehicle-match';
import { inputClass } from './ui';

/** Vehicles to assign to a route: a searchable checklist; a vehicle on another route says which. */
export function VehiclePicker({
  vehicles,
  selected,
  onChange,
  routeOf,
}: {
  vehicles: ReturnType<typeof useVehicles>;
  selected: string[];
  onChange: (ids: string[]) => void;
  routeOf: (vehicleId: string) => string | null;
}) {
  const [query, setQuery] = useState('');
  const q = query.trim();
  const shown = (vehicles.data ?? []).filter((v) => matchesNameOrPlate(query, v));
  return (
    <div className="space-y-1" data-testid="vehicle-picker">
      <div className="flex items-baseline justify-between">
        <label htmlFor="route-vehicles" className="block text-xs font-medium text-slate-700">
          Assigned vehicles
        </label>
        <span className="text-xs text-slate-500">{selected.length} selected</span>
      </div>
      <input id="route-vehicles" type="search" placeholder="Filter by name or plate" className={inputClass} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="max-h-48 overflow-y-auto rounded-md border border-slate-200">
        {vehicles.isPending ? (
          <p className="p-2 text-xs text-slate-500">Loading vehicles…</p>
        ) : vehicles.isError ? (
          <p className="p-2 text-xs text-red-700">Could not load the vehicles: {vehicles.error.message}</p>
        ) : shown.length === 0 ? (
          <p className="p-2 text-xs text-slate-500">{q ? 'No vehicle matches.' : 'The tenant has no vehicles.'}</p>
        ) : (
          shown.map((v) => {
            const other = routeOf(v.id);
            const checked = selected.includes(v.id);
            return (
              <label key={v.id} className="flex items-center gap-2 px-2 py-1 text-xs hover:bg-slate-50">
                <input type="checkbox" className="accent-emerald-600" checked={checked} onChange={() => onChange(checked ? selected.filter((id) => id !== v.id) : [...selected, v.id])} />
                <span className="flex-1 truncate">
                  {v.name}
                  {v.plate ? <span className="text-slate-400"> · {v.plate}</span> : null}
                </span>
                {other && <span className="truncate text-amber-700" title="Assigning moves it to this route">on {other}</span>}
              </label>
            );
          })
        )}
      </div>
    </div>
  );
}
