'use client';

import { useState } from 'react';
import { placeName, StatusBadge, StatusStepper } from '@/components/trips/StatusStepper';
import { isFinalTripStatus, type TripDto, type TripPoint } from '@/server/protocol/trips';
import { canCancel, currentTrip, nextStep, STAGES } from './trip-card';
import { unreachable, useCurrentTrips } from './use-current-trip';
import { useOnline } from './use-driver-vehicle';

const CARD = 'rounded-2xl bg-white p-4 shadow-sm';
const time = (at: string | number) => new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });

/**
 * The driver's current trip: where to, the progress, ONE big button for the next state and a
 * cancel that asks first. State changes need the network (they are not queued); tracking does not.
 * With tracking off, an active trip asks for it: the rider and the dispatcher follow the phone.
 */
export function CurrentTripCard({
  userId,
  token,
  vehicleId,
  tracking,
  onStartTracking,
}: {
  userId: string;
  token: string;
  vehicleId: string;
  tracking: boolean;
  /** Null where this browser cannot track (no geolocation). */
  onStartTracking: (() => void) | null;
}) {
  const online = useOnline();
  const { trips, move } = useCurrentTrips(userId, token, online);
  const { trip, others } = currentTrip(trips.data ?? [], vehicleId);
  // The answer to the driver's last move: a trip that just ended leaves the list but is worth a line.
  const ended = move.data && !trip && isFinalTripStatus(move.data.status) ? move.data : null;
  const error = move.error?.message ?? null;
  // A failed refresh while a trip is shown: the trip may be out of date.
  const refreshProblem = trips.failureReason ?? trips.error;

  let body: React.ReactNode;
  if (trip) {
    body = (
      <TripBody
        key={`${trip.id}:${trip.status}`}
        trip={trip}
        onAssigned={trip.vehicleId === vehicleId}
        online={online}
        busy={move.isPending}
        onMove={(status) => move.mutate({ id: trip.id, status })}
        trackingPrompt={tracking ? null : onStartTracking}
      />
    );
  } else if (trips.data) {
    body = (
      <div data-testid="trip-empty">
        {ended && (
          <p className={`mb-2 rounded-xl px-3 py-2 text-sm font-medium ${ended.status === 'COMPLETED' ? 'bg-emerald-50 text-emerald-800' : 'bg-slate-100 text-slate-700'}`} data-testid="trip-ended">
            {ended.status === 'COMPLETED' ? 'Trip completed' : 'Trip cancelled'} at {time(ended.updatedAt)}: {placeName(ended.pickup)} → {placeName(ended.dropoff)}
          </p>
        )}
        <p className="text-lg font-semibold">No active trip</p>
        <p className="text-sm text-slate-500">
          {online ? 'A trip your dispatcher gives you shows up here by itself.' : 'Offline: a new trip shows up once the phone is back online.'}
        </p>
      </div>
    );
  } else if (!online || unreachable(trips.failureReason)) {
    body = (
      <p role="status" className="text-sm text-slate-600" data-testid="trip-waiting">
        {online ? 'Cannot reach the server' : 'Offline'}: your trip loads once the phone is back online. Tracking works offline.
      </p>
    );
  } else if (trips.isError) {
    body = (
      <div role="alert">
        <p className="text-sm text-red-700">Cannot load your trip: {trips.error.message}</p>
        <button type="button" onClick={() => void trips.refetch()} className="mt-2 rounded-lg bg-slate-800 px-4 py-2 text-sm font-semibold text-white">
          Try again
        </button>
      </div>
    );
  } else {
    body = (
      <p className="text-sm text-slate-500" aria-busy="true">
        Loading your trip…
      </p>
    );
  }

  return (
    <section className={CARD} data-testid="current-trip" data-status={trip?.status ?? 'none'} aria-label="Current trip">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-xs font-medium uppercase tracking-wide text-slate-500">Current trip</h2>
        {trip && <StatusBadge status={trip.status} />}
      </div>
      {error && (
        <div role="alert" className="mb-3 rounded-xl border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="trip-error">
          <p>{error}</p>
          <button type="button" onClick={() => move.reset()} className="mt-1 text-xs font-semibold underline">
            Dismiss
          </button>
        </div>
      )}
      {body}
      {trip && !online && (
        <p className="mt-3 text-xs text-slate-500" data-testid="trip-as-of">
          As of {time(trips.dataUpdatedAt)}, when the phone was last online.
        </p>
      )}
      {trip && refreshProblem && online && (
        <p className="mt-3 text-xs text-amber-800" data-testid="trip-stale">
          Not refreshed since {time(trips.dataUpdatedAt)}: {refreshProblem.message}
        </p>
      )}
      {others > 0 && (
        <p className="mt-3 text-xs text-slate-500">
          You have {others} more active trip{others === 1 ? '' : 's'} on other vehicles; the dispatcher can see them.
        </p>
      )}
    </section>
  );
}

function TripBody({
  trip,
  onAssigned,
  online,
  busy,
  onMove,
  trackingPrompt,
}: {
  trip: TripDto;
  onAssigned: boolean;
  online: boolean;
  busy: boolean;
  onMove: (status: TripDto['status']) => void;
  /** Tracking is off and can be started: the card asks for it. */
  trackingPrompt: (() => void) | null;
}) {
  const [confirming, setConfirming] = useState(false);
  const next = nextStep(trip);
  const stage = STAGES[trip.status];
  const disabled = busy || !online;
  return (
    <>
      <p className="text-xl font-semibold leading-snug" data-testid="trip-headline">
        {stage.headline}
      </p>
      {!onAssigned && <p className="text-sm text-slate-500">Vehicle: {trip.vehicleName}</p>}
      <dl className="mt-3 space-y-2">
        <Place kind="Pickup" point={trip.pickup} active={stage.target === 'pickup'} testId="trip-pickup" />
        <Place kind="Dropoff" point={trip.dropoff} active={stage.target === 'dropoff'} testId="trip-dropoff" />
      </dl>
      <div className="mt-4">
        <StatusStepper status={trip.status} timestamps={trip.timestamps} />
      </div>

      {trackingPrompt && (
        <div role="status" className="mt-4 rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="trip-tracking-prompt">
          <p>
            <strong className="font-semibold">Tracking is off:</strong> {TRACKING_PROMPT[trip.status] ?? TRACKING_PROMPT.default}
          </p>
          <button type="button" onClick={trackingPrompt} className="mt-2 h-11 w-full rounded-xl bg-emerald-600 font-semibold text-white active:bg-emerald-700">
            Track this trip
          </button>
        </div>
      )}

      {!online && (
        <p role="status" className="mt-4 rounded-xl border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900" data-testid="trip-offline">
          <strong className="font-semibold">Offline:</strong> the trip’s status cannot change until the phone is back online. Tracking works
          offline.
        </p>
      )}

      {confirming ? (
        <div className="mt-4 rounded-xl border border-red-200 bg-red-50 p-3" data-testid="trip-cancel-confirm">
          <p className="font-semibold text-red-900">Cancel this trip?</p>
          <p className="text-sm text-red-800">The rider and the dispatcher see it as cancelled. This cannot be undone.</p>
          <div className="mt-3 grid grid-cols-2 gap-2">
            <button type="button" onClick={() => setConfirming(false)} className="h-12 rounded-xl border border-slate-300 bg-white font-semibold text-slate-800">
              Keep trip
            </button>
            <button
              type="button"
              disabled={disabled}
              onClick={() => onMove('CANCELLED')}
              className="h-12 rounded-xl bg-red-600 font-semibold text-white active:bg-red-700 disabled:bg-slate-300"
            >
              {busy ? 'Cancelling…' : 'Yes, cancel trip'}
            </button>
          </div>
        </div>
      ) : (
        <div className="mt-4 space-y-2">
          {next && (
            <button
              type="button"
              disabled={disabled}
              onClick={() => onMove(next.status)}
              className="h-16 w-full rounded-xl bg-sky-700 px-3 text-lg font-semibold text-white shadow active:bg-sky-800 disabled:cursor-not-allowed disabled:bg-slate-300"
              data-testid="trip-next"
              data-next={next.status}
            >
              {busy ? 'Saving…' : next.label}
            </button>
          )}
          {canCancel(trip) && (
            <button
              type="button"
              disabled={disabled}
              onClick={() => setConfirming(true)}
              className="h-11 w-full rounded-xl border border-slate-300 text-sm font-semibold text-slate-600 active:bg-slate-50 disabled:opacity-50"
              data-testid="trip-cancel"
            >
              Cancel trip
            </button>
          )}
        </div>
      )}
    </>
  );
}

/** Why tracking matters at each stage, in the driver's words. */
const TRACKING_PROMPT: Partial<Record<TripDto['status'], string>> & { default: string } = {
  PENDING: 'start it before you set off, so the dispatcher and the rider see you coming.',
  EN_ROUTE: 'the rider cannot see you coming. Start it now.',
  ARRIVED: 'the rider cannot see where you are waiting. Start it now.',
  IN_PROGRESS: 'the trip’s route and arrival time are not recorded. Start it now.',
  default: 'start it so the dispatcher sees where you are.',
};

function Place({ kind, point, active, testId }: { kind: string; point: TripPoint; active: boolean; testId: string }) {
  return (
    <div className={`flex items-start gap-3 rounded-xl p-2.5 ${active ? 'bg-sky-50 ring-1 ring-sky-200' : ''}`} data-testid={testId} data-active={active}>
      <span className={`mt-1 h-3 w-3 shrink-0 rounded-full ${kind === 'Pickup' ? 'bg-sky-600' : 'bg-slate-800'}`} aria-hidden />
      <div className="min-w-0">
        <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{kind}</dt>
        <dd className={`break-words ${active ? 'text-lg font-semibold text-slate-900' : 'text-slate-700'}`}>{placeName(point)}</dd>
      </div>
    </div>
  );
}
