import { describe, expect, it } from 'vitest';
import { ApiError } from '../protocol/errors';
import { FINAL_TRIP_STATUSES, isFinalTripStatus, TRIP_FLOW, TRIP_STATUSES, type TripStatus } from '../protocol/trips';
import { allowedNext, assertTransition, canTransition, nextInFlow, STATUS_TIME_COLUMN, transitionConflict } from './transitions';

const ALLOWED = new Set([
  'PENDING>EN_ROUTE',
  'EN_ROUTE>ARRIVED',
  'ARRIVED>IN_PROGRESS',
  'IN_PROGRESS>COMPLETED',
  'PENDING>CANCELLED',
  'EN_ROUTE>CANCELLED',
  'ARRIVED>CANCELLED',
  'IN_PROGRESS>CANCELLED',
]);

describe('trip transitions', () => {
  it('allow exactly one step along the flow, or CANCELLED from a non-final state (all 36 pairs)', () => {
    for (const from of TRIP_STATUSES) {
      for (const to of TRIP_STATUSES) {
        expect(canTransition(from, to), `${from} → ${to}`).toBe(ALLOWED.has(`${from}>${to}`));
      }
    }
  });

  it('final states allow nothing; every other state allows its next step and CANCELLED', () => {
    for (const s of TRIP_STATUSES) {
      if (isFinalTripStatus(s)) expect(allowedNext(s)).toEqual([]);
      else expect(allowedNext(s)).toEqual([nextInFlow(s), 'CANCELLED']);
    }
    expect([...FINAL_TRIP_STATUSES].sort()).toEqual(['CANCELLED', 'COMPLETED']);
  });

  it('nextInFlow walks PENDING to COMPLETED and stops', () => {
    const walked: TripStatus[] = ['PENDING'];
    for (let s = nextInFlow('PENDING'); s; s = nextInFlow(s)) walked.push(s);
    expect(walked).toEqual([...TRIP_FLOW]);
    expect(nextInFlow('CANCELLED')).toBeNull();
  });

  it('a refusal is a 409 CONFLICT on `status` naming the allowed states in the message and details', () => {
    const error = transitionConflict('EN_ROUTE', 'COMPLETED');
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(409);
    expect(error.toBody()).toEqual({
      error: {
        code: 'CONFLICT',
        field: 'status',
        message: 'status: cannot go from EN_ROUTE to COMPLETED; allowed next: ARRIVED, CANCELLED',
        details: { from: 'EN_ROUTE', to: 'COMPLETED', allowed: ['ARRIVED', 'CANCELLED'] },
      },
    });
    expect(transitionConflict('CANCELLED', 'EN_ROUTE').message).toBe('status: CANCELLED is final; no further transition is allowed');
    expect(transitionConflict('ARRIVED', 'ARRIVED').message).toMatch(/^status: the trip is already ARRIVED; allowed next: IN_PROGRESS, CANCELLED$/);
  });

  it('assertTransition throws for refused moves only', () => {
    expect(() => assertTransition('PENDING', 'EN_ROUTE')).not.toThrow();
    expect(() => assertTransition('COMPLETED', 'CANCELLED')).toThrow(/COMPLETED is final/);
  });

  it('every state has its own timestamp column', () => {
    expect(new Set(Object.values(STATUS_TIME_COLUMN)).size).toBe(TRIP_STATUSES.length);
  });
});
