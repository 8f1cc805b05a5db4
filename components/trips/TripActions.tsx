'use client';

import { TRIP_STATUS_LABELS, type TripDto } from '@/server/protocol/trips';
import { useMoveTrip } from './trip-api';

/** Advance and cancel buttons for one trip: exactly the moves the server would allow now. */
export function TripActions({ trip, onMoved }: { trip: TripDto; onMoved?: (trip: TripDto) => void }) {
  const move = useMoveTrip();
  const advance = trip.allowedNext.find((s) => s !== 'CANCELLED');
  const canCancel = trip.allowedNext.includes('CANCELLED');
  if (!advance && !canCancel) return null;
  const busy = move.isPending;
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-1.5">
        {advance && (
          <button
            type="button"
            disabled={busy}
            onClick={() => move.mutate({ id: trip.id, status: advance }, { onSuccess: onMoved })}
            className="rounded-md bg-emerald-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-emerald-700 disabled:opacity-50"
            data-testid="trip-advance"
          >
            {busy && move.variables?.status === advance ? 'Saving…' : `Mark ${TRIP_STATUS_LABELS[advance].toLowerCase()}`}
          </button>
        )}
        {canCancel && (
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              if (window.confirm(`Cancel the trip of ${trip.vehicleName}?`)) move.mutate({ id: trip.id, status: 'CANCELLED' }, { onSuccess: onMoved });
            }}
            className="rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:border-red-400 hover:text-red-700 disabled:opacity-50"
            data-testid="trip-cancel"
          >
            Cancel
          </button>
        )}
      </div>
      {move.error && (
        <p role="alert" className="max-w-xs text-right text-xs text-red-700">
          {move.error.message}
        </p>
      )}
    </div>
  );
}
