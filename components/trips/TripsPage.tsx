'use client';

import { useState } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { CatalogLiveBadge } from '@/components/ui/CatalogLiveBadge';
import { useVehicles } from '@/components/ui/list-queries';
import { AppHeader } from '@/components/ui/AppHeader';
import type { PublicUser } from '@/server/protocol/auth';
import { TRIP_STATUSES, TRIP_STATUS_LABELS, type TripDto, type TripStatus } from '@/server/protocol/trips';
import { CreateTripForm } from './CreateTripForm';
import { ShareLink } from './ShareLink';
import { placeName, StatusBadge, StatusStepper } from './StatusStepper';
import { TripActions } from './TripActions';
import { TripControls } from './TripControls';
import { useTrips, type TripFilters } from './trip-api';

const SELECT = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';

/** /trips: the tenant's trips with filters, a create form and status buttons (admins and managers). */
export function TripsPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <TripsScreen user={session.user} token={session.token} />;
}

/** With one vehicle filtered, the side panel is that vehicle's trip controls (as in the dashboard's vehicle panel). */
function TripsScreen({ user, token }: { user: PublicUser; token: string }) {
  const [filters, setFilters] = useState<TripFilters>({ status: '', vehicleId: '' });
  const vehicles = useVehicles();
  const vehicle = filters.vehicleId ? vehicles.data?.find((v) => v.id === filters.vehicleId) : undefined;
  const mayManage = user.role === 'admin' || user.role === 'manager';

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page="trips" onSignOut={clearSession} status={<CatalogLiveBadge token={token} testId="trips-live-state" />} />
      <main className="mx-auto grid w-full max-w-7xl flex-1 gap-4 p-4 lg:grid-cols-[320px_1fr]">
        {mayManage && (
          <aside className="h-fit rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="trips-aside">
            {vehicle ? (
              <>
                <h2 className="mb-3 text-sm font-semibold">{vehicle.name}</h2>
                <TripControls vehicleId={vehicle.id} />
              </>
            ) : (
              <>
                <h2 className="mb-3 text-sm font-semibold">New trip</h2>
                <CreateTripForm />
              </>
            )}
          </aside>
        )}
        <TripList mayManage={mayManage} filters={filters} onFilters={setFilters} />
      </main>
    </div>
  );
}

function TripList({ mayManage, filters, onFilters: setFilters }: { mayManage: boolean; filters: TripFilters; onFilters: (f: TripFilters) => void }) {
  const trips = useTrips(filters);
  const vehicles = useVehicles();
  const activity = filters.active === undefined ? '' : String(filters.active);

  return (
    <section className="min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Trips">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="mr-auto text-sm font-semibold">
          Trips {trips.data && <span className="font-normal text-slate-500">· {trips.data.trips.length}{trips.data.truncated ? '+' : ''}</span>}
        </h2>
        <select aria-label="Status" className={SELECT} value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as TripStatus | '' })} data-testid="filter-status">
          <option value="">Any status</option>
          {TRIP_STATUSES.map((s) => (
            <option key={s} value={s}>
              {TRIP_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <select
          aria-label="Activity"
          className={SELECT}
          value={activity}
          onChange={(e) => setFilters({ ...filters, active: e.target.value === '' ? undefined : e.target.value === 'true' })}
          data-testid="filter-active"
        >
          <option value="">Active and finished</option>
          <option value="true">Active only</option>
          <option value="false">Finished only</option>
        </select>
        <select aria-label="Vehicle" className={`${SELECT} max-w-48`} value={filters.vehicleId} onChange={(e) => setFilters({ ...filters, vehicleId: e.target.value })} data-testid="filter-vehicle">
          <option value="">All vehicles</option>
          {vehicles.data?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      {trips.isPending ? (
        <p className="px-4 py-10 text-center text-sm text-slate-500">Loading trips…</p>
      ) : trips.isError ? (
        <div role="alert" className="px-4 py-10 text-center text-sm text-red-700">
          Could not load trips: {trips.error.message}{' '}
          <button type="button" className="font-medium underline" onClick={() => void trips.refetch()}>
            Retry
          </button>
        </div>
      ) : trips.data.trips.length === 0 ? (
        <p className="px-4 py-10 text-center text-sm text-slate-500" data-testid="trips-empty">
          No trips match these filters{mayManage ? ' — create one with the form.' : '.'}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="trip-list">
          {trips.data.trips.map((trip) => (
            <TripRow key={trip.id} trip={trip} mayManage={mayManage} />
          ))}
        </ul>
      )}
    </section>
  );
}

const km = (m: number) => (m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`);
const minutes = (s: number) => (s < 60 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

function TripRow({ trip, mayManage }: { trip: TripDto; mayManage: boolean }) {
  return (
    <li className="grid gap-3 px-4 py-3 md:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_17.5rem]" data-testid="trip-row" data-trip-id={trip.id}>
      <div className="min-w-0">
        <div className="flex items-center gap-2">
          <StatusBadge status={trip.status} />
          <span className="truncate text-sm font-medium">{trip.vehicleName}</span>
          <span className="truncate text-xs text-slate-500">· {trip.driverName}</span>
        </div>
        <p className="mt-1 truncate text-xs text-slate-600" title={`${trip.pickup.lat}, ${trip.pickup.lng} → ${trip.dropoff.lat}, ${trip.dropoff.lng}`}>
          {placeName(trip.pickup)} → {placeName(trip.dropoff)}
        </p>
        <p className="mt-0.5 text-[11px] text-slate-400">
          Created {new Date(trip.createdAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' })}
          {trip.distanceM !== null && ` · ${km(trip.distanceM)}`}
          {trip.durationS !== null && ` · ${minutes(trip.durationS)}`}
        </p>
      </div>
      <div className="self-center">
        <StatusStepper status={trip.status} timestamps={trip.timestamps} compact />
      </div>
      <div className="flex items-center justify-end gap-3">
        {trip.share && !trip.share.expiresAt && <ShareLink share={trip.share} />}
        {mayManage && <TripActions trip={trip} />}
      </div>
    </li>
  );
}
