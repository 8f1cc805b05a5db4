import type { TripDto, TripStatus } from '@/server/protocol/trips';

/**
 * The driver's trip card in words: which trip is "current", what the one big button says for the
 * next move, where the driver is heading, and how a refused move reads. Pure, for unit tests.
 */

/** The big button's words for each move forward along the flow. */
export const NEXT_STEP_LABELS: Readonly<Record<Exclude<TripStatus, 'PENDING' | 'CANCELLED'>, string>> = {
  EN_ROUTE: 'Start driving to pickup',
  ARRIVED: 'Arrived at pickup',
  IN_PROGRESS: 'Passenger on board: start trip',
  COMPLETED: 'Complete trip',
};

/** The move the big button makes: the server's allowed next state off the cancel branch; null when none. */
export function nextStep(trip: Pick<TripDto, 'allowedNext'>): { status: TripStatus; label: string } | null {
  const status = trip.allowedNext.find((s) => s !== 'CANCELLED');
  if (!status || status === 'PENDING') return null;
  return { status, label: NEXT_STEP_LABELS[status] };
}

export const canCancel = (trip: Pick<TripDto, 'allowedNext'>): boolean => trip.allowedNext.includes('CANCELLED');

/** What the driver is doing now, in a line, and which point matters (highlighted on the card). */
export const STAGES: Readonly<Record<TripStatus, { headline: string; target: 'pickup' | 'dropoff' | null }>> = {
  PENDING: { headline: 'New trip: head to the pickup', target: 'pickup' },
  EN_ROUTE: { headline: 'Driving to the pickup', target: 'pickup' },
  ARRIVED: { headline: 'At the pickup: wait for the passenger', target: 'pickup' },
  IN_PROGRESS: { headline: 'Passenger on board: drive to the dropoff', target: 'dropoff' },
  COMPLETED: { headline: 'Trip completed', target: null },
  CANCELLED: { headline: 'Trip cancelled', target: null },
};

/**
 * The driver's current trip among their active ones (newest first, as the API lists them): the
 * one on the vehicle assigned to them, else the newest; `others` counts the rest.
 */
export function currentTrip<T extends Pick<TripDto, 'vehicleId'>>(trips: readonly T[], vehicleId: string): { trip: T | null; others: number } {
  const trip = trips.find((t) => t.vehicleId === vehicleId) ?? trips[0] ?? null;
  return { trip, others: trip ? trips.length - 1 : 0 };
}

/** A refused or failed move as the card says it; `status` is the HTTP status (0: no answer). */
export function moveErrorText(status: number, serverMessage: string): string {
  if (status === 409) return `This trip was changed elsewhere. ${serverMessage}`;
  if (status === 404) return `This trip is no longer yours or was removed. ${serverMessage}`;
  return serverMessage;
}
