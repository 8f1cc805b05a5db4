import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, DEMO, emitAck, login } from './client';

/**
 * What the driver page (/driver) relies on: a driver's own JWT on the /driver socket reports for
 * the assigned vehicle only, and a phone's offline queue replayed in one batch is stored once
 * per fix, in order, even under the tenant's live rate limit.
 */
const sockets: Array<{ close(): void }> = [];
let manager: string;
let admin: string;
let driver: { token: string; user: { id: string } };
let vehicleId: string;
let otherVehicleId: string;
let originalRate: number;

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  driver = await login(...DEMO.driver);
  const { vehicles } = (await api('/api/v1/vehicles', { token: manager })).body as { vehicles: Array<{ id: string; driverId: string | null }> };
  vehicleId = vehicles.find((v) => v.driverId === driver.user.id)!.id;
  otherVehicleId = vehicles.find((v) => v.driverId === null)!.id;
  originalRate = (await api('/api/v1/tenant', { token: admin })).body.tenant.vehicleRateLimit;
  // The demo tenant's default: one live position per second per vehicle.
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 1 } });
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: originalRate } });
});

async function history(from: number, to: number): Promise<Array<{ ts: number; lat: number; accuracy: number }>> {
  const result = await api(`/api/v1/vehicles/${vehicleId}/history?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`, { token: manager });
  expect(result.status).toBe(200);
  return result.body.features
    .filter((f: any) => f.properties.kind === 'position')
    .map((f: any) => ({ ts: Date.parse(f.properties.ts), lat: f.geometry.coordinates[1], accuracy: f.properties.accuracy }));
}

describe('a driver’s phone on /driver', () => {
  it('reports for the assigned vehicle with the driver’s own token, and for no other', async () => {
    const phone = await connect('/driver', driver.token);
    sockets.push(phone);
    const at = Date.now() - 90_000;
    const ack = await emitAck<PositionsAck>(phone, 'positions', [{ lat: 52.51, lng: 13.39, timestamp: at, accuracy: 4, speed: 20, heading: 90 }]);
    expect(ack).toEqual({ accepted: 1, rejected: [] });
    expect(await history(at, at + 1)).toEqual([{ ts: at, lat: 52.51, accuracy: 4 }]);

    const explicit = await emitAck<PositionsAck>(phone, 'positions', [{ vehicleId, lat: 52.51, lng: 13.39, timestamp: at + 1000 }]);
    expect(explicit.accepted).toBe(1);
    const foreign = await emitAck<PositionsAck>(phone, 'positions', [{ vehicleId: otherVehicleId, lat: 52.51, lng: 13.39, timestamp: at + 2000 }]);
    expect(foreign.rejected).toEqual([{ index: 0, code: 'FORBIDDEN', message: 'a driver may report for the assigned vehicle only', field: 'vehicleId' }]);
  });

  it('a driver drives one vehicle: a second assignment is refused and changes nothing', async () => {
    const refused = await api(`/api/v1/vehicles/${otherVehicleId}`, { token: admin, method: 'PATCH', body: { driverId: driver.user.id } });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'CONFLICT', field: 'driverId' });
    expect((await api(`/api/v1/vehicles/${otherVehicleId}`, { token: admin })).body.vehicle.driverId).toBeNull();
  });

  it('stores a replayed offline queue of 1 Hz fixes in one batch, once per fix and in order, despite the live limit', async () => {
    const phone = await connect('/driver', driver.token);
    sockets.push(phone);
    const first = Date.now() - 45_000;
    // 40 fixes the phone took 1 s apart in a dead zone, all younger than a minute
    const queued = Array.from({ length: 40 }, (_, i) => ({ vehicleId, lat: 52.52 + i / 10_000, lng: 13.4, timestamp: first + i * 1000, accuracy: 6 }));
    expect(await emitAck<PositionsAck>(phone, 'positions', queued)).toEqual({ accepted: 40, rejected: [] });
    // (the window may also hold the position the demo seed stored when the server started)
    const stored = await history(first, first + 40_000);
    const sent = new Set(queued.map((p) => p.timestamp));
    const ours = stored.filter((p) => sent.has(p.ts));
    expect(ours.map((p) => p.ts)).toEqual(queued.map((p) => p.timestamp));
    expect(ours.map((p) => p.lat)).toEqual(queued.map((p) => p.lat));

    // The ack got lost: the phone sends the same batch again; nothing is stored twice.
    await emitAck<PositionsAck>(phone, 'positions', queued);
    expect(await history(first, first + 40_000)).toEqual(stored);

    // Fixes closer together than the limit (by their own clock) are still refused after a burst.
    const fast = Array.from({ length: 6 }, (_, i) => ({ lat: 52.6, lng: 13.4, timestamp: Date.now() - 3000 + i * 100 }));
    const ack = await emitAck<PositionsAck>(phone, 'positions', fast);
    expect(ack.rejected.every((r) => r.code === 'RATE_LIMITED')).toBe(true);
    expect(ack.rejected.length).toBeGreaterThanOrEqual(4);
  });

  it('a driver without a vehicle is told so on every position', async () => {
    const email = `unassigned.${Date.now()}@demo.geofleet.dev`;
    expect((await api('/api/v1/users', { token: admin, body: { email, name: 'Una Assigned', password: 'password-1', role: 'driver' } })).status).toBe(201);
    const phone = await connect('/driver', (await login(email, 'password-1')).token);
    sockets.push(phone);
    const ack = await emitAck<PositionsAck>(phone, 'positions', [{ lat: 52.5, lng: 13.4, timestamp: Date.now() }]);
    expect(ack).toEqual({ accepted: 0, rejected: [{ index: 0, code: 'FORBIDDEN', message: 'no vehicle is assigned to this driver' }] });
  });
});
