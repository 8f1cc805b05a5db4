'use client';

import Link from 'next/link';
import { useQuery } from '@tanstack/react-query';
import { TodayDriving } from '@/components/drivers/TodayDriving';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { authFetch } from '@/components/session';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { ReverseGeocodeResponse } from '@/server/protocol/geocode';
import { usersQuery } from '@/components/ui/list-queries';
import { relativeTime, useNow } from '@/components/ui/relative-time';
import type { Role } from '@/server/protocol/auth';
import type { GeofenceDto } from '@/server/protocol/geofences';
import type { RouteDto } from '@/server/protocol/routes';
import type { VehicleDto } from '@/server/protocol/vehicles';
import { RouteProgressBar } from '@/components/routes/RouteProgressBar';
import { compileFences, fencesAt } from './current-fences';
import { FENCE_COLORS } from './fence-style';
import { TRAIL_MINUTES } from './map-options';
import { metersBetween, streetLabel } from './street-label';
import { DRIVER_STATUS_LABELS, useDriverStatus } from './use-driver-status';
import { STATUS_LABELS, type VehicleStatus, type VehicleStore } from './vehicle-store';

const STATUS_PILL: Record<VehicleStatus, string> = {
  moving: 'bg-emerald-100 text-emerald-800',
  stopped: 'bg-amber-100 text-amber-800',
  offRoute: 'bg-violet-100 text-violet-800',
  offline: 'bg-slate-200 text-slate-700',
};
const DRIVER_STATUS_PILL = { ONLINE: 'bg-emerald-50 text-emerald-800', BUSY: 'bg-amber-50 text-amber-800', ON_TRIP: 'bg-sky-50 text-sky-800', OFFLINE: 'bg-slate-100 text-slate-600' } as const;
const COMPASS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];
const HISTORY_HOURS = 24;

function Reading({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <div>
      <dt className="text-[11px] font-medium text-slate-500">{label}</dt>
      <dd className="text-sm font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** Name of the vehicle's driver: admins and managers may list users, others see whether one is assigned. */
function useDriverName(vehicleId: string, role: Role): { name: string; loading: boolean } {
  const vehicle = useQuery({ queryKey: ['vehicle', vehicleId], queryFn: () => apiJson<{ vehicle: VehicleDto }>(`/api/v1/vehicles/${vehicleId}`).then((r) => r.vehicle) });
  const mayListUsers = role === 'admin' || role === 'manager';
  const users = useQuery({ ...usersQuery, enabled: mayListUsers && !!vehicle.data?.driverId });
  if (vehicle.isPending) return { name: '…', loading: true };
  if (vehicle.isError) return { name: 'unavailable', loading: false };
  const driverId = vehicle.data.driverId;
  if (!driverId) return { name: 'None assigned', loading: false };
  if (!mayListUsers) return { name: 'Assigned', loading: false };
  return { name: users.data?.find((u) => u.id === driverId)?.name ?? '…', loading: users.isPending };
}

/** A vehicle that moved less than this (m) keeps its street: no new reverse lookup. */
const STREET_REFRESH_M = 30;

/**
 * The street under the vehicle (GET /api/v1/geocode/reverse), looked up again only when it has
 * moved more than STREET_REFRESH_M from where it was last looked up; null when the tenant has no
 * road network (the line is then hidden).
 */
function useStreet(lng: number | undefined, lat: number | undefined, heading: number | null): { text: string; muted: boolean } | null {
  const [anchor, setAnchor] = useState<[number, number] | null>(null);
  useEffect(() => {
    if (lng === undefined || lat === undefined) return;
    if (!anchor || metersBetween(anchor[0], anchor[1], lng, lat) > STREET_REFRESH_M) setAnchor([Math.round(lng * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6]);
  }, [lng, lat, anchor]);
  const reverse = useQuery({
    queryKey: ['geocode-reverse', anchor?.[0], anchor?.[1]],
    queryFn: ({ signal }) => apiJson<ReverseGeocodeResponse>(`/api/v1/geocode/reverse?lng=${anchor![0]}&lat=${anchor![1]}`, { signal }),
    enabled: anchor !== null,
    staleTime: Infinity,
    retry: false,
  });
  if (reverse.isError) return reverse.error instanceof RequestError && reverse.error.code === 'NOT_FOUND' ? null : { text: 'unavailable', muted: true };
  if (!reverse.data) return { text: '…', muted: true };
  const label = streetLabel(reverse.data, heading);
  return label ? { text: label, muted: false } : { text: 'Not on a mapped street', muted: true };
}

async function downloadHistory(id: string, name: string): Promise<void> {
  const to = new Date();
  const from = new Date(to.getTime() - HISTORY_HOURS * 3_600_000);
  const response = await authFetch(`/api/v1/vehicles/${id}/history?from=${from.toISOString()}&to=${to.toISOString()}&limit=100000`);
  if (!response.ok) throw new Error(`history: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: `${name.replace(/[^\w-]+/g, '_')}-${HISTORY_HOURS}h.geojson` });
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The selected vehicle: identity, live readings (refreshed every second from the store, not
 * from React state), current geofences, trail length, follow mode and its history.
 */
export function VehiclePanel({
  store,
  id,
  role,
  fences,
  follow,
  onFollow,
  trailMinutes,
  onTrailMinutes,
  onClose,
  tripControls,
  routes = [],
}: {
  store: VehicleStore;
  id: string;
  role: Role;
  fences: readonly GeofenceDto[];
  follow: boolean;
  onFollow: (follow: boolean) => void;
  trailMinutes: number;
  onTrailMinutes: (minutes: number) => void;
  onClose: () => void;
  /** The vehicle's trip (components/trips/TripControls.tsx), under the readings. */
  tripControls?: ReactNode;
  /** The tenant's routes (the name of the one this vehicle drives). */
  routes?: readonly RouteDto[];
}) {
  const now = useNow(1000);
  const vehicle = store.read(store.slotOf(id));
  const compiled = useMemo(() => compileFences(fences), [fences]);
  const inside = vehicle ? fencesAt(compiled, vehicle.lng, vehicle.lat) : [];
  const driver = useDriverName(id, role);
  const driverStatus = useDriverStatus(id);
  const street = useStreet(vehicle?.lng, vehicle?.lat, vehicle?.heading ?? null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const routeProgress = store.routeOf(id);
  const routeName = routeProgress ? (routes.find((r) => r.id === routeProgress.routeId)?.properties.name ?? 'Assigned route') : null;

  return (
    <aside className="absolute bottom-3 left-3 top-16 z-10 h-fit max-h-[calc(100%-5rem)] w-80 overflow-y-auto rounded-xl border border-slate-200 bg-white shadow-xl" data-testid="vehicle-panel" aria-label="Vehicle details">
      <header className="flex items-start gap-2 border-b border-slate-100 px-4 py-3">
        <div className="min-w-0 flex-1">
          <h2 className="truncate text-base font-semibold text-slate-900" data-testid="vehicle-name">
            {vehicle?.info.name ?? 'Vehicle'}
          </h2>
          <p className="mt-0.5 flex items-center gap-2 text-xs text-slate-500">
            {vehicle?.info.plate && <span className="rounded border border-slate-300 px-1 font-mono text-slate-700">{vehicle.info.plate}</span>}
            <span className="capitalize">{vehicle?.info.type}</span>
          </p>
        </div>
        {vehicle && <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${STATUS_PILL[vehicle.status]}`} data-testid="vehicle-status" data-status={vehicle.status}>{STATUS_LABELS[vehicle.status]}</span>}
        <button type="button" aria-label="Close vehicle details" onClick={onClose} className="-mr-1 rounded px-1 text-slate-400 hover:text-slate-800">
          ✕
        </button>
      </header>

      {!vehicle ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500" role="status">
          No live position for this vehicle on the map right now.
        </p>
      ) : (
        <div className="space-y-3 px-4 py-3">
          <dl className="grid grid-cols-3 gap-x-3 gap-y-2">
            <Reading testId="vehicle-speed" label="Speed" value={vehicle.speed === null ? '—' : `${Math.round(vehicle.speed)} km/h`} />
            <Reading
              testId="vehicle-heading"
              label="Heading"
              value={vehicle.heading === null ? '—' : `${Math.round(vehicle.heading)}° ${COMPASS[Math.round(vehicle.heading / 45) % 8]}`}
            />
            <Reading testId="vehicle-battery" label="Battery" value={vehicle.battery === null ? '—' : `${Math.round(vehicle.battery)} %`} />
            <Reading testId="vehicle-updated" label="Last update" value={<span title={new Date(vehicle.ts).toLocaleString()}>{relativeTime(vehicle.ts, now)}</span>} />
            <div className="col-span-2">
              <Reading testId="vehicle-driver" label="Driver" value={<span className={driver.loading ? 'text-slate-400' : ''}>{driver.name}</span>} />
            </div>
            {driverStatus && (
              <div>
                <Reading
                  testId="driver-status"
                  label="Dispatch"
                  value={
                    <span className={`rounded px-1.5 py-0.5 text-xs ${DRIVER_STATUS_PILL[driverStatus]}`} data-status={driverStatus} title="Available, busy (an offer or a trip given), on a trip, or offline">
                      {DRIVER_STATUS_LABELS[driverStatus]}
                    </span>
                  }
                />
              </div>
            )}
            {street && (
              <div className="col-span-3">
                <Reading testId="vehicle-street" label="Street" value={<span className={street.muted ? 'font-normal text-slate-400' : ''}>{street.text}</span>} />
              </div>
            )}
          </dl>

          {routeProgress && (
            <div data-testid="vehicle-route">
              <p className="mb-1 text-[11px] font-medium text-slate-500">
                Route <span className="font-semibold text-slate-800">{routeName}</span>
              </p>
              <RouteProgressBar progress={routeProgress} now={now} />
            </div>
          )}

          <div>
            <p className="text-[11px] font-medium text-slate-500">In geofences</p>
            <div className="mt-1 flex flex-wrap gap-1" data-testid="vehicle-fences">
              {inside.length === 0 && <span className="text-xs text-slate-500">None</span>}
              {inside.map((fence) => (
                <span key={fence.id} className="rounded-full border px-2 py-0.5 text-xs font-medium" style={{ borderColor: `rgb(${FENCE_COLORS[fence.properties.type].join(',')})` }}>
                  {fence.properties.name}
                </span>
              ))}
            </div>
          </div>

          <div className="flex items-center gap-2 text-xs">
            <label className="flex items-center gap-1.5 text-slate-600">
              Trail
              <select value={trailMinutes} onChange={(e) => onTrailMinutes(Number(e.target.value))} className="rounded-md border border-slate-200 px-1 py-0.5">
                {TRAIL_MINUTES.map((m) => (
                  <option key={m} value={m}>
                    {m < 60 ? `${m} min` : `${m / 60} h`}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              aria-pressed={follow}
              onClick={() => onFollow(!follow)}
              className={`ml-auto rounded-md px-2.5 py-1 font-medium ${follow ? 'bg-slate-900 text-white' : 'border border-slate-300 text-slate-700 hover:bg-slate-50'}`}
            >
              {follow ? 'Following' : 'Follow'}
            </button>
            <button
              type="button"
              onClick={() => {
                setHistoryError(null);
                downloadHistory(id, vehicle.info.name).catch(() => setHistoryError('The history could not be downloaded.'));
              }}
              className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50"
              title={`Positions of the last ${HISTORY_HOURS} h as GeoJSON`}
            >
              History
            </button>
            {role !== 'driver' && (
              <Link href={`/replay?vehicles=${id}`} className="rounded-md border border-slate-300 px-2.5 py-1 font-medium text-slate-700 hover:bg-slate-50" title="Play back this vehicle's movement" data-testid="vehicle-replay">
                Replay
              </Link>
            )}
          </div>
          {historyError && (
            <p role="alert" className="text-xs text-red-700">
              {historyError}
            </p>
          )}
        </div>
      )}

      {role !== 'driver' && (
        <div className="border-t border-slate-100" data-slot="driving">
          <TodayDriving vehicleId={id} />
        </div>
      )}

      {tripControls && <div className="border-t border-slate-100 px-4 py-3" data-slot="trip-controls">{tripControls}</div>}
    </aside>
  );
}
