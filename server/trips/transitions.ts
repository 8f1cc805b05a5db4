import { ApiError } from '../protocol/errors';
import { TRIP_FLOW, TRIP_TRANSITIONS, type TripConflictDetails, type TripStatus } from '../protocol/trips';

/**
 * The trip state machine, pure: which moves are allowed, the refusal that names the allowed
 * ones, and which timestamp column each state sets. The table itself is TRIP_TRANSITIONS in
 * server/protocol/trips.ts (shared with the UI).
 */

export function allowedNext(from: TripStatus): TripStatus[] {
  return [...TRIP_TRANSITIONS[from]];
}

export function canTransition(from: TripStatus, to: TripStatus): boolean {
  return TRIP_TRANSITIONS[from].includes(to);
}

/** The next state along the flow (the "advance" button), or null when final. */
export function nextInFlow(from: TripStatus): TripStatus | null {
  const i = (TRIP_FLOW as readonly TripStatus[]).indexOf(from);
  return i >= 0 && i < TRIP_FLOW.length - 1 ? TRIP_FLOW[i + 1]! : null;
}

/** 409 CONFLICT for a refused move: the message and `details.allowed` name the allowed states. */
export function transitionConflict(from: TripStatus, to: TripStatus): ApiError {
  const allowed = allowedNext(from);
  const why =
    from === to
      ? `the trip is already ${from}`
      : allowed.length === 0
        ? `${from} is final`
        : `cannot go from ${from} to ${to}`;
  const next = allowed.length === 0 ? 'no further transition is allowed' : `allowed next: ${allowed.join(', ')}`;
  const details: TripConflictDetails = { from, to, allowed };
  return new ApiError('CONFLICT', `status: ${why}; ${next}`, 'status', { ...details });
}

/** Throws transitionConflict unless `from → to` is allowed. */
export function assertTransition(from: TripStatus, to: TripStatus): void {
  if (!canTransition(from, to)) throw transitionConflict(from, to);
}

/** The column that records when a trip entered each state (PENDING: the creation time). */
export const STATUS_TIME_COLUMN: Readonly<Record<TripStatus, string>> = {
  PENDING: 'created_at',
  EN_ROUTE: 'en_route_at',
  ARRIVED: 'arrived_at',
  IN_PROGRESS: 'in_progress_at',
  COMPLETED: 'completed_at',
  CANCELLED: 'cancelled_at',
};
