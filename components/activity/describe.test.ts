import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@/server/protocol/events';
import { AUDIT_TYPES, beforeAfter, describeChanges, describeEvent, formatValue, objectLink } from './describe';
import { EVENT_CATALOGUE } from '@/server/protocol/events';

function event(type: DomainEvent['type'], data: Record<string, unknown>, aggregateType = EVENT_CATALOGUE[type].aggregate): DomainEvent {
  return {
    id: 'e1',
    seq: 1,
    tenantId: 't',
    type,
    aggregate: { type: aggregateType, id: 'a1' },
    version: 1,
    at: '2026-12-06T10:00:00.000Z',
    actor: { kind: 'user', id: 'u1' },
    correlationId: null,
    causationId: null,
    data,
  } as DomainEvent;
}

describe('activity wording', () => {
  it('says what changed on a geofence, field by field, strings quoted', () => {
    const e = event('geofence.changed', { name: 'Depot North', changes: { name: { before: 'A', after: 'B' }, severity: { before: 'medium', after: 'high' } } });
    expect(describeEvent(e)).toBe("changed geofence Depot North: name 'A' → 'B', severity 'medium' → 'high'");
  });

  it('names created and deleted objects from their recorded state', () => {
    expect(describeEvent(event('vehicle.created', { after: { name: 'Van 7' } }))).toBe('created vehicle Van 7');
    expect(describeEvent(event('route.deleted', { name: 'Loop', before: {} }))).toBe('deleted route Loop');
    expect(describeEvent(event('trip.created', { after: {} }))).toBe('created a trip');
  });

  it('words the special cases', () => {
    expect(describeEvent(event('alert.acknowledged', {}))).toBe('acknowledged an alert');
    expect(describeEvent(event('alert.deleted', { reason: 'expired' }))).toBe('an alert expired');
    expect(describeEvent(event('trip.status_changed', { from: 'PENDING', to: 'EN_ROUTE', vehicleId: null }))).toBe('moved a trip from Pending to En route');
    expect(describeEvent(event('reception.changed', { enabled: false }))).toBe('turned position reception off for the organisation');
    expect(describeEvent(event('tenant.updated', { changes: { vehicleRateLimit: { before: 1, after: 2 } } }))).toBe('changed the organisation settings: vehicleRateLimit 1 → 2');
    expect(describeEvent(event('user.created', { name: 'Ann', after: {} }))).toBe('added user Ann');
  });

  it('shortens long values and long change lists', () => {
    expect(formatValue('x'.repeat(60))).toHaveLength(42);
    expect(formatValue(null)).toBe('—');
    expect(formatValue([1, 2])).toBe('[1,2]');
    expect(formatValue(Array.from({ length: 30 }, (_, i) => i))).toBe('[30 items]');
    const changes = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f'].map((k) => [k, { before: 1, after: 2 }]));
    expect(describeChanges(changes)).toBe('a 1 → 2, b 1 → 2, c 1 → 2, d 1 → 2, and 2 more');
  });

  it('splits a change set into before and after objects for the detail view', () => {
    const e = event('vehicle.updated', { changes: { name: { before: 'a', after: 'b' } } });
    expect(beforeAfter(e)).toEqual({ before: { name: 'a' }, after: { name: 'b' } });
    expect(beforeAfter(event('alert.read', {}))).toBeNull();
    expect(beforeAfter(event('geofence.created', { after: { name: 'Z' } }))).toEqual({ before: null, after: { name: 'Z' } });
  });

  it('links to where the object lives, and not to deleted ones', () => {
    expect(objectLink(event('geofence.changed', { changes: {} }))?.href).toBe('/editor/zones');
    expect(objectLink(event('route.created', { after: {} }))?.href).toBe('/editor/routes');
    expect(objectLink(event('trip.status_changed', { to: 'done' }))?.href).toBe('/trips');
    expect(objectLink(event('vehicle.updated', { changes: {} }))?.href).toBe('/map');
    expect(objectLink(event('geofence.deleted', { before: {} }))).toBeNull();
  });

  it('has a wording for every audit type that is not the raw type name', () => {
    for (const type of AUDIT_TYPES) {
      const data = type.endsWith('.created') ? { after: {} } : type.endsWith('.deleted') ? { before: {}, reason: 'user' } : { changes: {}, to: 'x', enabled: true };
      expect(describeEvent(event(type, data))).not.toContain(type);
    }
  });
});
