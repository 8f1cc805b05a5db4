import { describe, expect, it } from 'vitest';
import { TRIP_FLOW, TRIP_STATUSES, TRIP_TRANSITIONS } from '@/server/protocol/trips';
import { canCancel, currentTrip, moveErrorText, nextStep, STAGES } from './trip-card';

describe('nextStep', () => {
  it('names the next state along the flow for each active state', () => {
    const labels = TRIP_FLOW.slice(0, -1).map((s) => nextStep({ allowedNext: [...TRIP_TRANSITIONS[s]] }));
    expect(labels).toEqual([
      { status: 'EN_ROUTE', label: 'Start driving to pickup' },
      { status: 'ARRIVED', label: 'Arrived at pickup' },
      { status: 'IN_PROGRESS', label: 'Passenger on board: start trip' },
      { status: 'COMPLETED', label: 'Complete trip' },
    ]);
  });

  it('offers nothing once the trip is final, and never CANCELLED as the big button', () => {
    expect(nextStep({ allowedNext: [] })).toBeNull();
    expect(nextStep({ allowedNext: ['CANCELLED'] })).toBeNull();
    expect(canCancel({ allowedNext: ['CANCELLED'] })).toBe(true);
    expect(canCancel({ allowedNext: [] })).toBe(false);
  });

  it('follows the server: the order of allowedNext does not matter', () => {
    expect(nextStep({ allowedNext: ['CANCELLED', 'ARRIVED'] })?.status).toBe('ARRIVED');
  });
});

describe('STAGES', () => {
  it('heads for the pickup until the passenger is on board, then for the dropoff', () => {
    expect(TRIP_STATUSES.map((s) => STAGES[s].target)).toEqual(['pickup', 'pickup', 'pickup', 'dropoff', null, null]);
  });
});

describe('currentTrip', () => {
  const trips = [{ id: 'new', vehicleId: 'other' }, { id: 'old', vehicleId: 'mine' }];
  it('prefers the trip on the assigned vehicle', () => {
    expect(currentTrip(trips, 'mine')).toEqual({ trip: trips[1], others: 1 });
  });
  it('else takes the newest', () => {
    expect(currentTrip(trips, 'none')).toEqual({ trip: trips[0], others: 1 });
  });
  it('is empty without trips', () => {
    expect(currentTrip([], 'mine')).toEqual({ trip: null, others: 0 });
  });
});

describe('moveErrorText', () => {
  it('says a 409 means the trip changed elsewhere and keeps the server message', () => {
    const text = moveErrorText(409, 'status: the trip is already ARRIVED; allowed next: IN_PROGRESS, CANCELLED');
    expect(text).toBe('This trip was changed elsewhere. status: the trip is already ARRIVED; allowed next: IN_PROGRESS, CANCELLED');
  });
  it('passes other messages through', () => {
    expect(moveErrorText(0, 'Cannot reach the server.')).toBe('Cannot reach the server.');
    expect(moveErrorText(404, 'trip x not found')).toMatch(/^This trip is no longer yours/);
  });
});
