import { describe, expect, it } from 'vitest';
import { parseOrThrow } from '../protocol/errors';
import { diff, eventsQuery, typeSelected, type NewEvent } from '../protocol/events';
import { observeAll, type Stage } from './stage';
import { uuid7 } from './uuid7';

const event = (type: NewEvent['type'], at: number, aggregateId = 'v1'): NewEvent =>
  ({ tenantId: 't1', type, aggregateId, at, actor: { kind: 'system' }, data: {} }) as unknown as NewEvent;

describe('uuid7', () => {
  it('is a version 7 uuid whose text order is creation order, also within one millisecond', () => {
    const ids = [uuid7(1_800_000_000_000), uuid7(1_800_000_000_000), uuid7(1_800_000_000_000), uuid7(1_800_000_000_001)];
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4);
    expect(parseInt(ids[0]!.replace(/-/g, '').slice(0, 12), 16)).toBe(1_800_000_000_000);
  });
});

describe('observeAll', () => {
  it("merges the stages' events in position-time order, keeping each stage's order for equal times", () => {
    const fence: Stage = { name: 'fence', observe: () => [event('geofence.entered', 2), event('geofence.exited', 5)] };
    const route: Stage = { name: 'route', observe: () => [event('route.deviated', 3), event('route.rejoined', 5)] };
    const none: Stage = { name: 'none', observe: () => [] };
    expect(observeAll([fence, none, route], []).map((e) => e.type)).toEqual(['geofence.entered', 'route.deviated', 'geofence.exited', 'route.rejoined']);
    expect(observeAll([none], [])).toEqual([]);
  });
});

describe('diff', () => {
  it('lists only the fields whose values changed, as before/after, deep-compared', () => {
    const before = { name: 'Van 1', attributes: { speedLimitKmh: 80 }, plate: null, type: 'van' };
    const after = { name: 'Van 1', attributes: { speedLimitKmh: 90 }, plate: 'B-1', type: 'van' };
    expect(diff(before, after)).toEqual({ attributes: { before: { speedLimitKmh: 80 }, after: { speedLimitKmh: 90 } }, plate: { before: null, after: 'B-1' } });
    expect(diff(before, after, ['name', 'type'])).toEqual({});
  });
});

describe('event queries', () => {
  it('take known types and prefixes, cursors and an order', () => {
    const q = parseOrThrow(eventsQuery, { types: 'geofence.*, vehicle.updated', after: '41', order: 'asc', limit: '5' });
    expect(q).toMatchObject({ types: ['geofence.*', 'vehicle.updated'], after: 41, order: 'asc', limit: 5 });
    expect(parseOrThrow(eventsQuery, {})).toMatchObject({ order: 'desc', limit: 100 });
    expect(typeSelected(q.types, 'geofence.entered')).toBe(true);
    expect(typeSelected(q.types, 'vehicle.created')).toBe(false);
    expect(typeSelected(undefined, 'vehicle.created')).toBe(true);
  });

  it('refuse unknown types, bad cursors, limits out of range and unknown parameters, naming the field', () => {
    const field = (input: Record<string, string>) => {
      try {
        parseOrThrow(eventsQuery, input);
        return null;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(field({ types: 'vehicle.exploded' })).toBe('types');
    expect(field({ types: 'nothing.*' })).toBe('types');
    expect(field({ after: '-1' })).toBe('after');
    expect(field({ before: 'abc' })).toBe('before');
    expect(field({ limit: '0' })).toBe('limit');
    expect(field({ limit: '1001' })).toBe('limit');
    expect(field({ order: 'up' })).toBe('order');
    expect(field({ aggregateType: 'planet' })).toBe('aggregateType');
    expect(field({ from: '2026-12-06T10:00:00Z', to: '2026-12-06T09:00:00Z' })).toBe('to');
    expect(() => parseOrThrow(eventsQuery, { colour: 'red' })).toThrow(/colour/);
  });
});
