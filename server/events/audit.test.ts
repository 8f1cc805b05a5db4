import { describe, expect, it } from 'vitest';
import { auditedVehicle } from '../vehicles/service';
import { Audit, auditedFeature, changesOf, featureChanges, geometryForEvent, MAX_EVENT_GEOMETRY_CHARS, withoutSecrets } from './audit';
import { auditedUser } from '../users/service';

const principal = { userId: '11111111-1111-4111-8111-111111111111', tenantId: '22222222-2222-4222-8222-222222222222', role: 'admin' as const };

const vehicleRow = {
  id: '33333333-3333-4333-8333-333333333333',
  tenantId: principal.tenantId,
  name: 'Van 1',
  plate: 'GF-1',
  type: 'van',
  deviceId: 'dev-1',
  deviceToken: 'secret-device-token-abcdefghijklmnop',
  driverId: null,
  receptionEnabled: true,
  attributes: { speedLimitKmh: 80 },
  groupName: 'North depot',
  createdAt: new Date('2026-12-01T00:00:00Z'),
};

describe('secrets never reach an event', () => {
  it('a vehicle carries its fields but not its device token (nor tenant, id or creation time)', () => {
    const fields = auditedVehicle(vehicleRow);
    expect(fields).toEqual({ name: 'Van 1', plate: 'GF-1', type: 'van', deviceId: 'dev-1', driverId: null, receptionEnabled: true, attributes: { speedLimitKmh: 80 }, groupName: 'North depot' });
    expect(JSON.stringify(fields)).not.toContain(vehicleRow.deviceToken);
  });

  it('a user carries email, name and role but not the password hash', () => {
    const user = { id: 'u', tenantId: 't', email: 'a@b.example', name: 'A', role: 'viewer', passwordHash: '$argon2id$v=19$secret', createdAt: new Date() };
    expect(auditedUser(user)).toEqual({ email: 'a@b.example', name: 'A', role: 'viewer' });
  });

  it('a rotated device token is not a change; the other changes are', () => {
    const after = { ...vehicleRow, name: 'Van 2', deviceToken: 'rotated-token' };
    expect(changesOf(vehicleRow, after)).toEqual({ name: { before: 'Van 1', after: 'Van 2' } });
    expect(changesOf(vehicleRow, after, ['deviceToken', 'name'])).toEqual({ name: { before: 'Van 1', after: 'Van 2' } });
    expect(changesOf({ passwordHash: 'a' }, { passwordHash: 'b' })).toEqual({});
  });

  it('password, password hash, device token and share token are stripped; everything else kept', () => {
    expect(withoutSecrets({ password: 'p', passwordHash: 'h', deviceToken: 'd', shareToken: 's', name: 'n', token: 'kept: not one of ours' })).toEqual({
      name: 'n',
      token: 'kept: not one of ours',
    });
  });
});

describe('Audit', () => {
  it('gives every event of one request the same user actor and correlation id, and another request another id', () => {
    const audit = new Audit(principal);
    const a = audit.event('vehicle.deleted', 'v1', { before: {} });
    const b = audit.event('reception.changed', principal.tenantId, { enabled: false });
    expect(a.actor).toEqual({ kind: 'user', id: principal.userId });
    expect(a.tenantId).toBe(principal.tenantId);
    expect(a.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(b.correlationId).toBe(a.correlationId);
    expect(new Audit(principal).event('vehicle.deleted', 'v1', { before: {} }).correlationId).not.toBe(a.correlationId);
  });
});

const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
/** A ring with enough vertices to pass MAX_EVENT_GEOMETRY_CHARS. */
function hugeRing(): { type: string; coordinates: number[][][] } {
  const n = 5000;
  const ring = Array.from({ length: n }, (_, i) => [10 + Math.cos((2 * Math.PI * i) / n) * 0.5, 50 + Math.sin((2 * Math.PI * i) / n) * 0.25]);
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

describe('geometries in events', () => {
  it('keeps an ordinary geometry as it is', () => {
    expect(geometryForEvent(square)).toBe(square);
  });

  it('summarizes a huge one as type, vertex count and bounding box', () => {
    const huge = hugeRing();
    expect(JSON.stringify(huge).length).toBeGreaterThan(MAX_EVENT_GEOMETRY_CHARS);
    const summary = geometryForEvent(huge) as { type: string; summarized: boolean; vertices: number; bbox: number[] };
    expect(summary).toMatchObject({ type: 'Polygon', summarized: true, vertices: 5001 });
    expect(summary.bbox[0]).toBeCloseTo(9.5);
    expect(summary.bbox[1]).toBeCloseTo(49.75);
    expect(summary.bbox[2]).toBeCloseTo(10.5);
    expect(summary.bbox[3]).toBeCloseTo(50.25);
  });

  it('a feature carries geometry and what a person set, not derived properties', () => {
    const fence = { geometry: square, properties: { name: 'Depot', severity: 'info', areaM2: 12, createdAt: 'x', updatedAt: 'y' } };
    expect(auditedFeature(fence, ['areaM2', 'createdAt', 'updatedAt'])).toEqual({ geometry: square, name: 'Depot', severity: 'info' });
  });

  it('a change of derived properties only is no change; a huge geometry change is compared whole and summarized', () => {
    const derived = ['areaM2', 'updatedAt'];
    const before = { geometry: hugeRing(), properties: { name: 'Border', areaM2: 1, updatedAt: 'a' } };
    expect(featureChanges(before, { ...before, properties: { name: 'Border', areaM2: 2, updatedAt: 'b' } }, derived)).toEqual({});
    const moved = hugeRing();
    moved.coordinates[0]![10] = [10.9, 50.9]; // one vertex: same count, wider box
    const changes = featureChanges(before, { geometry: moved, properties: before.properties }, derived);
    expect(Object.keys(changes)).toEqual(['geometry']);
    expect(changes.geometry!.before).toMatchObject({ summarized: true, vertices: 5001 });
    expect((changes.geometry!.after as { bbox: number[] }).bbox[2]).toBeCloseTo(10.9);
  });
});
