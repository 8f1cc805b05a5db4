'use client';

import { TRIP_STATUS_LABELS } from '@/server/protocol/trips';
import { placeName, StatusBadge, StatusStepper } from './StatusStepper';
import { CreateTripForm } from './CreateTripForm';
import { ShareLink } from './ShareLink';
import { TripActions } from './TripActions';
import { useTrips } from './trip-api';

/**
 * Trip controls for one vehicle (the dashboard's vehicle panel, the trips page): its active trip
 * with status, advance/cancel buttons and rider link, or a form to create one. `readOnly` (viewers:
 * the server refuses their changes) shows the trip without buttons and no form.
 */
export function TripControls({ vehicleId, readOnly = false }: { vehicleId: string; readOnly?: boolean }) {
  const trips = useTrips({ vehicleId, active: true });
  if (trips.isPending) return <p className="text-xs text-slate-500">Loading trip…</p>;
  if (trips.isError) {
    return (
      <p role="alert" className="text-xs text-red-700">
        Could not load the trip: {trips.error.message}{' '}
        <button type="button" className="underline" onClick={() => void trips.refetch()}>
          Retry
        </button>
      </p>
    );
  }
  const trip = trips.data.trips[0];
  if (!trip && readOnly) {
    return (
      <p className="text-xs text-slate-500" data-testid="trip-controls">
        No active trip.
      </p>
    );
  }
  if (!trip) {
    return (
      <section className="space-y-2" data-testid="trip-controls">
        <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">No active trip · new trip</h3>
        <CreateTripForm vehicleId={vehicleId} />
      </section>
    );
  }
  return (
    <section className="space-y-3" data-testid="trip-controls">
      <div className="flex items-center justify-between gap-2">
        <StatusBadge status={trip.status} />
        {trip.share && <ShareLink share={trip.share} />}
      </div>
      <StatusStepper status={trip.status} timestamps={trip.timestamps} compact />
      <p className="text-xs text-slate-500">
        {TRIP_STATUS_LABELS[trip.status]} since {new Date(trip.timestamps[trip.status]!).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
      </p>
      <p className="text-xs text-slate-700">
        {placeName(trip.pickup)} → {placeName(trip.dropoff)} · {trip.driverName}
      </p>
      {!readOnly && <TripActions trip={trip} />}
    </section>
  );
}
