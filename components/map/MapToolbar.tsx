'use client';

import { GEOFENCE_TYPES } from '@/server/protocol/geofences';
import { DRIVER_STATUSES, type DriverStatus } from '@/server/protocol/dispatch';
import { FENCE_COLORS, FENCE_LABELS } from './fence-style';
import type { LayerToggles } from './map-options';
import { DRIVER_STATUS_LABELS } from './use-driver-status';
import { STATUS_LABELS, STATUSES, type VehicleFilter, type VehicleStatus } from './vehicle-store';

const STATUS_DOT: Record<VehicleStatus, string> = {
  moving: 'bg-emerald-500',
  stopped: 'bg-amber-500',
  offRoute: 'bg-violet-500',
  offline: 'bg-slate-400',
};

const LAYER_LABELS: Array<[keyof LayerToggles, string]> = [
  ['vehicles', 'Vehicles'],
  ['geofences', 'Geofences'],
  ['routes', 'Routes'],
  ['trails', 'Trails'],
  ['drivingEvents', 'Driving events'],
];

/**
 * Over the map, top left: status filter chips (they are also the color key), vehicle type
 * filter and layer toggles.
 */
export function MapToolbar({
  filter,
  onFilter,
  types,
  toggles,
  onToggles,
  groups = [],
}: {
  filter: VehicleFilter;
  onFilter: (filter: VehicleFilter) => void;
  types: string[];
  /** Vehicle groups of the fleet (admin console); the select shows when there are any. */
  groups?: string[];
  toggles: LayerToggles;
  onToggles: (toggles: LayerToggles) => void;
}) {
  const toggleStatus = (status: VehicleStatus) => {
    const statuses = new Set(filter.statuses);
    if (statuses.has(status)) statuses.delete(status);
    else statuses.add(status);
    onFilter({ ...filter, statuses });
  };
  const type = filter.types.size === 1 ? [...filter.types][0]! : '';
  return (
    <div className="pointer-events-auto flex flex-wrap items-center gap-2 rounded-xl border border-slate-200 bg-white/95 px-2 py-1.5 text-xs shadow-md" data-testid="map-toolbar">
      <div className="flex gap-1" role="group" aria-label="Show vehicles by status">
        {STATUSES.map((status) => {
          const on = filter.statuses.has(status);
          return (
            <button
              key={status}
              type="button"
              aria-pressed={on}
              onClick={() => toggleStatus(status)}
              className={`flex items-center gap-1.5 rounded-full border px-2 py-0.5 font-medium transition ${on ? 'border-slate-300 bg-white text-slate-800' : 'border-transparent bg-slate-100 text-slate-400 line-through'}`}
            >
              <span className={`h-2.5 w-2.5 rounded-full ${STATUS_DOT[status]} ${on ? '' : 'opacity-40'}`} aria-hidden />
              {STATUS_LABELS[status]}
            </button>
          );
        })}
      </div>
      <select
        aria-label="Vehicle type"
        value={type}
        onChange={(e) => onFilter({ ...filter, types: new Set(e.target.value ? [e.target.value] : []) })}
        className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs capitalize text-slate-700"
      >
        <option value="">All types</option>
        {types.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </select>
      {(groups.length > 0 || filter.group) && (
        <select
          aria-label="Vehicle group"
          value={filter.group ?? ''}
          onChange={(e) => {
            const { group: _old, ...rest } = filter;
            onFilter(e.target.value ? { ...rest, group: e.target.value } : rest);
          }}
          className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
          data-testid="map-group-filter"
        >
          <option value="">All groups</option>
          {[...new Set([...groups, ...(filter.group ? [filter.group] : [])])].map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
      )}
      <select
        aria-label="Dispatch status"
        value={filter.dispatch ?? ''}
        onChange={(e) => {
          const { dispatch: _old, ...rest } = filter;
          onFilter(e.target.value ? { ...rest, dispatch: e.target.value as DriverStatus } : rest);
        }}
        className="rounded-md border border-slate-200 bg-white px-1.5 py-0.5 text-xs text-slate-700"
        data-testid="map-dispatch-filter"
      >
        <option value="">Any dispatch status</option>
        {DRIVER_STATUSES.map((s) => (
          <option key={s} value={s}>
            {DRIVER_STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <span className="h-4 w-px bg-slate-200" aria-hidden />
      <div className="flex items-center gap-2.5" role="group" aria-label="Layers">
        {LAYER_LABELS.map(([key, label]) => (
          <label key={key} className="flex cursor-pointer items-center gap-1 text-slate-700">
            <input type="checkbox" className="accent-slate-800" checked={toggles[key]} onChange={(e) => onToggles({ ...toggles, [key]: e.target.checked })} />
            {label}
          </label>
        ))}
      </div>
    </div>
  );
}

/** Key of the fence colors, bottom left, when fences are drawn. */
export function FenceLegend() {
  return (
    <div className="pointer-events-none absolute bottom-3 left-3 z-10 flex max-w-[calc(100%-1.5rem)] flex-wrap gap-x-3 gap-y-1 rounded-lg bg-white/90 px-3 py-1.5 text-xs text-slate-700 shadow" data-testid="fence-legend">
      <span className="font-medium text-slate-500">Fences</span>
      {GEOFENCE_TYPES.map((type) => (
        <span key={type} className="flex items-center gap-1.5">
          <span className="h-2.5 w-3.5 rounded-sm border" style={{ background: `rgba(${FENCE_COLORS[type].join(',')},0.25)`, borderColor: `rgb(${FENCE_COLORS[type].join(',')})` }} />
          {FENCE_LABELS[type]}
        </span>
      ))}
    </div>
  );
}
