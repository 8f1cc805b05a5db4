import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../protocol/events';
import { replayTrip } from './replay';

const ID = '44444444-4444-4444-8444-444444444444';
let seq = 0;
function event(type: DomainEvent['type'], version: number, data: unknown): DomainEvent {
  return {
    id: `e${++seq}`,
    seq,
    tenantId: 't',
    type,
    aggregate: { type: 'trip', id: ID },
    version,
    at: new Date().toISOString(),
    actor: { kind: 'user', id: 'u' },
    correlationId: null,
    causationId: null,
    data: data as DomainEvent['data'],
  };
}
const created = event('trip.created', 1, { after: { vehicleId: 'v', status: 'PENDING' } });
const move = (version: number, from: string, to: string) => event('trip.status_changed', version, { from, to, vehicleId: 'v' });

describe('replayTrip', () => {
  it('no events: no trip', () => {
    expect(replayTrip([])).toBeNull();
  });

  it('created, then each move: the status of the last move', () => {
    expect(replayTrip([created])).toEqual({ id: ID, vehicleId: 'v', status: 'PENDING', version: 1 });
    expect(replayTrip([created, move(2, 'PENDING', 'EN_ROUTE'), move(3, 'EN_ROUTE', 'CANCELLED')])).toEqual({ id: ID, vehicleId: 'v', status: 'CANCELLED', version: 3 });
  });

  it('refuses a history with a gap, a move from another state, or no creation', () => {
    expect(() => replayTrip([created, move(3, 'PENDING', 'EN_ROUTE')])).toThrow(/version 3 follows 1/);
    expect(() => replayTrip([created, move(2, 'ARRIVED', 'IN_PROGRESS')])).toThrow(/from ARRIVED while PENDING/);
    expect(() => replayTrip([move(1, 'PENDING', 'EN_ROUTE')])).toThrow(/before creation/);
  });
});
