import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@/server/protocol/events';
import { matches, NO_FILTERS } from './activity-api';

const base = {
  id: 'e',
  seq: 9,
  tenantId: 't',
  type: 'geofence.changed',
  aggregate: { type: 'geofence', id: 'f1' },
  version: 2,
  at: '2026-12-06T10:00:00.000Z',
  actor: { kind: 'user', id: 'u1' },
  correlationId: null,
  causationId: null,
  data: { changes: {} },
} as DomainEvent;

describe('which live events join the activity list', () => {
  it('takes people\'s actions of the audit types only', () => {
    expect(matches(base, NO_FILTERS)).toBe(true);
    expect(matches({ ...base, actor: { kind: 'system' } }, NO_FILTERS)).toBe(false);
    expect(matches({ ...base, type: 'geofence.entered' }, NO_FILTERS)).toBe(false);
  });

  it('applies who, what, object and time like the server does', () => {
    expect(matches(base, { ...NO_FILTERS, who: 'u2' })).toBe(false);
    expect(matches(base, { ...NO_FILTERS, what: 'geofence.created' })).toBe(false);
    expect(matches(base, { ...NO_FILTERS, objectType: 'geofence', objectId: ' f1 ' })).toBe(true);
    expect(matches(base, { ...NO_FILTERS, objectType: 'vehicle' })).toBe(false);
    expect(matches(base, { ...NO_FILTERS, to: '2026-12-06T09:00' })).toBe(Date.parse('2026-12-06T09:00') > Date.parse(base.at));
    expect(matches(base, { ...NO_FILTERS, from: '2020-01-01T00:00' })).toBe(true);
  });
});
