import type { DomainEvent } from '../protocol/events';
import type { TripStatus } from '../protocol/trips';

/** What a trip's events say about it: enough to check, or rebuild, its state without the trips table. */
export interface ReplayedTrip {
  id: string;
  vehicleId: string | null;
  status: TripStatus;
  /** The version of the last event folded in. */
  version: number;
}

/**
 * Folds one trip's events (trip.created, then trip.status_changed…, in version order) into its
 * state. Throws when the stream is not a trip's history: a first event other than trip.created,
 * a gap in versions, or a status change from a state the trip was not in.
 */
export function replayTrip(events: readonly DomainEvent[]): ReplayedTrip | null {
  let trip = null as ReplayedTrip | null;
  for (const event of events) {
    if (event.aggregate.type !== 'trip') continue;
    const current = trip;
    if (current && event.version !== current.version + 1) throw new Error(`trip ${current.id}: version ${event.version} follows ${current.version}`);
    if (event.type === 'trip.created') {
      if (current) throw new Error(`trip ${current.id} created twice`);
      const after = (event as DomainEvent<'trip.created'>).data.after;
      trip = { id: event.aggregate.id, vehicleId: (after.vehicleId as string | undefined) ?? null, status: after.status as TripStatus, version: event.version };
    } else if (event.type === 'trip.status_changed') {
      if (!current) throw new Error(`trip ${event.aggregate.id}: status change before creation`);
      const { from, to } = (event as DomainEvent<'trip.status_changed'>).data;
      if (from !== current.status) throw new Error(`trip ${current.id}: change from ${from} while ${current.status}`);
      trip = { ...current, status: to as TripStatus, version: event.version };
    } else if (current) {
      trip = { ...current, version: event.version };
    }
  }
  return trip;
}
