import { describe, expect, it } from 'vitest';
import { VehicleRegistry } from '../vehicles/registry';
import { normalizePositions, type Sender } from './normalize';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const V1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const V2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const V3 = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const NOW = Date.parse('2026-11-22T12:00:00Z');

function registry() {
  const r = new VehicleRegistry();
  r.set({ id: V1, tenantId: T1, deviceId: 'd1', deviceToken: 'tok1', driverId: 'driver-1', receptionEnabled: true, type: 'van', attributes: {} });
  r.set({ id: V2, tenantId: T1, deviceId: 'd2', deviceToken: 'tok2', driverId: null, receptionEnabled: false, type: 'van', attributes: {} });
  r.set({ id: V3, tenantId: T2, deviceId: 'd3', deviceToken: 'tok3', driverId: null, receptionEnabled: true, type: 'van', attributes: {} });
  return r;
}

const device: Sender = { kind: 'device', vehicleId: V1 };
const admin: Sender = { kind: 'user', principal: { userId: 'u', tenantId: T1, role: 'admin' } };
const ok = { lat: 52.5, lng: 13.4, timestamp: NOW - 1000 };

function one(input: unknown, sender: Sender = device) {
  return normalizePositions([input], sender, registry(), NOW);
}

describe('normalizePositions', () => {
  it('binds a device position to its vehicle and tenant, time as epoch ms', () => {
    const { positions, rejected } = one({ ...ok, timestamp: '2026-11-22T11:59:59Z', speed: 30, heading: 359.9, battery: 55 });
    expect(rejected).toEqual([]);
    expect(positions[0]).toMatchObject({ vehicleId: V1, tenantId: T1, ts: NOW - 1000, speed: 30, heading: 359.9, battery: 55, accuracy: null });
  });

  it.each([
    [{ ...ok, lat: 90.0001 }, 'lat'],
    [{ ...ok, lat: -91 }, 'lat'],
    [{ ...ok, lng: 180.5 }, 'lng'],
    [{ ...ok, lng: Number.NaN }, 'lng'],
    [{ ...ok, heading: 360 }, 'heading'],
    [{ ...ok, heading: -1 }, 'heading'],
    [{ ...ok, speed: -3 }, 'speed'],
    [{ ...ok, battery: 101 }, 'battery'],
    [{ ...ok, accuracy: -1 }, 'accuracy'],
    [{ ...ok, timestamp: 'yesterday' }, 'timestamp'],
    [{ ...ok, timestamp: NOW + 5 * 60_000 + 1 }, 'timestamp'],
    [{ ...ok, accelerometer: { x: 1, y: 2 } }, 'accelerometer.z'],
    [{ lng: 13.4, timestamp: NOW }, 'lat'],
    [{ ...ok, vehicleId: 'not-a-uuid' }, 'vehicleId'],
  ])('refuses %j naming %s', (input, field) => {
    const { positions, rejected } = one(input);
    expect(positions).toEqual([]);
    expect(rejected).toEqual([expect.objectContaining({ index: 0, code: 'VALIDATION_ERROR', field })]);
  });

  it('accepts the boundaries of every range', () => {
    const edge = { lat: -90, lng: 180, timestamp: NOW + 5 * 60_000, heading: 0, speed: 0, battery: 100, accuracy: 0 };
    expect(one(edge).rejected).toEqual([]);
  });

  it('refuses unknown fields and non-objects', () => {
    expect(one({ ...ok, colour: 'red' }).rejected[0]!.code).toBe('VALIDATION_ERROR');
    expect(one(null).rejected[0]!.code).toBe('VALIDATION_ERROR');
    expect(one([1, 2]).rejected[0]!.code).toBe('VALIDATION_ERROR');
  });

  it('keeps indexes of accepted and rejected items', () => {
    const result = normalizePositions([ok, { ...ok, lat: 100 }, ok], device, registry(), NOW);
    expect(result.indexes).toEqual([0, 2]);
    expect(result.rejected.map((r) => r.index)).toEqual([1]);
  });

  it('a device may not report for another vehicle', () => {
    expect(one({ ...ok, vehicleId: V2 }).rejected[0]).toMatchObject({ code: 'FORBIDDEN', field: 'vehicleId' });
  });

  it('a device whose vehicle was deleted is refused', () => {
    expect(normalizePositions([ok], { kind: 'device', vehicleId: '99999999-9999-4999-8999-999999999999' }, registry(), NOW).rejected[0]!.code).toBe('UNAUTHORIZED');
  });

  it('a user token needs a vehicleId of its own tenant', () => {
    expect(one(ok, admin).rejected[0]).toMatchObject({ code: 'VALIDATION_ERROR', field: 'vehicleId' });
    expect(one({ ...ok, vehicleId: V3 }, admin).rejected[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(one({ ...ok, vehicleId: V1 }, admin).positions[0]!.vehicleId).toBe(V1);
  });

  it('a driver reports for the assigned vehicle only; viewers never', () => {
    const driver: Sender = { kind: 'user', principal: { userId: 'driver-1', tenantId: T1, role: 'driver' } };
    expect(one(ok, driver).positions[0]!.vehicleId).toBe(V1);
    expect(one({ ...ok, vehicleId: V2 }, driver).rejected[0]!.code).toBe('FORBIDDEN');
    const unassigned: Sender = { kind: 'user', principal: { userId: 'driver-2', tenantId: T1, role: 'driver' } };
    expect(one(ok, unassigned).rejected[0]!.code).toBe('FORBIDDEN');
    const viewer: Sender = { kind: 'user', principal: { userId: 'v', tenantId: T1, role: 'viewer' } };
    expect(one({ ...ok, vehicleId: V1 }, viewer).rejected[0]!.code).toBe('FORBIDDEN');
  });

});
