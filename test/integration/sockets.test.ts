import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscribeAck } from '../../server/protocol/fleet';
import { FIELDS } from '../../server/protocol/fleet-frame';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, DEMO, emitAck, FleetWatcher, login } from './client';
import { TENANT_B } from './context';

const sockets: Array<{ close(): void }> = [];
const track = <T extends { close(): void }>(s: T) => (sockets.push(s), s);
let admin: string;
let manager: string;
let adminB: string;
let fleetA: FleetWatcher;
let fleetB: FleetWatcher;
let vehicleA: any;
let vehicleB: any;
let deviceB: Socket;

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  // These tests send several live positions per vehicle in a row; the rate limit has its own test.
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  vehicleA = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Socket Van', deviceId: 'sock-a' } })).body.vehicle;
  vehicleB = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Socket Rival', deviceId: 'sock-b' } })).body.vehicle;
  fleetA = track((await FleetWatcher.open(manager, { scope: 'fleet' })).watcher);
  fleetB = track((await FleetWatcher.open(adminB, { scope: 'fleet' })).watcher);
  deviceB = track(await connect('/driver', vehicleB.deviceToken));
});

afterAll(() => sockets.forEach((s) => s.close()));

const send = (device: Socket, position: object) => emitAck<PositionsAck>(device, 'position', position);

describe('/fleet subscriptions', () => {
  it('refuses a missing or bad token, and drivers', async () => {
    await expect(connect('/fleet', undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connect('/fleet', 'garbage')).rejects.toThrow('UNAUTHORIZED');
    const driver = (await login(...DEMO.driver)).token;
    await expect(connect('/fleet', driver)).rejects.toThrow('FORBIDDEN');
  });

  it('the fleet snapshot holds the tenant’s vehicles only, with idx and presence', async () => {
    const { ack: ackA } = await FleetWatcher.open(manager, { scope: 'fleet' }).then((r) => (track(r.watcher), r));
    const { ack: ackB } = await FleetWatcher.open(adminB, { scope: 'fleet' }).then((r) => (track(r.watcher), r));
    if (!ackA.ok || !ackB.ok) throw new Error('subscribe failed');
    expect(ackA.vehicles.length).toBeGreaterThanOrEqual(200);
    expect(ackA.vehicles.filter((v) => v.live).length).toBeGreaterThanOrEqual(200);
    expect(ackA.vehicles.every((v) => Number.isInteger(v.idx) && typeof v.online === 'boolean')).toBe(true);
    expect(ackA.vehicles.some((v) => v.id === vehicleB.id)).toBe(false);
    expect(ackB.vehicles.map((v) => v.id)).toContain(vehicleB.id);
    expect(ackB.vehicles.some((v) => v.id === vehicleA.id)).toBe(false);
    expect(JSON.stringify(ackA)).not.toContain('deviceToken');
  });

  it('refuses another tenant’s vehicle and invalid requests', async () => {
    const socket = track(await connect('/fleet', manager));
    expect(await emitAck<SubscribeAck>(socket, 'subscribe', { scope: 'vehicle', id: vehicleB.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await emitAck<SubscribeAck>(socket, 'subscribe', { scope: 'galaxy' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    expect(await emitAck<SubscribeAck>(socket, 'subscribe', { scope: 'viewport', bbox: [13, 53, 14, 52] })).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR', field: 'bbox' } });
  });
});

describe('/driver → database → /fleet', () => {
  it('a position is acknowledged once stored and streamed to its own tenant only, as a delta', async () => {
    const at = Date.now();
    const ack = await send(deviceB, { lat: 52.52, lng: 13.405, timestamp: at, speed: 42, heading: 90, battery: 80 });
    expect(ack).toEqual({ accepted: 1, rejected: [] });
    // acknowledged means committed: the database has it right now
    const stored = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB });
    expect(stored.body.vehicle.state).toMatchObject({ lat: 52.52, lng: 13.405, speed: 42, heading: 90, battery: 80 });
    await fleetB.until(() => fleetB.state.get(vehicleB.id)?.lat === 52.52, 5000, 'B frame');
    expect(fleetB.state.get(vehicleB.id)).toMatchObject({ lng: 13.405, speed: 42, heading: 90, battery: 80, ts: at });

    // the next position changes only lat and time: the frame carries only those
    const frames = fleetB.frames.length;
    await send(deviceB, { lat: 52.521, lng: 13.405, timestamp: at + 1000, speed: 42, heading: 90, battery: 80 });
    await fleetB.until(() => fleetB.state.get(vehicleB.id)?.lat === 52.521, 5000, 'delta frame');
    const delta = fleetB.frames.slice(frames).find((f) => f.v.length > 0)!;
    expect(delta.v).toEqual([expect.any(Number), FIELDS.lat | FIELDS.ts | FIELDS.relative, 1000, delta.at - (at + 1000)]);

    await new Promise((r) => setTimeout(r, 300));
    const idxB = [...fleetB.idOf].find(([, id]) => id === vehicleB.id)![0];
    expect(fleetA.mentionedIdx().has(idxB)).toBe(false);
  });

  it('the same (vehicle, timestamp) twice is accepted twice, stored and streamed once', async () => {
    const at = Date.now() + 2000;
    const frames = fleetB.frames.length;
    expect(await send(deviceB, { lat: 52.53, lng: 13.41, timestamp: at })).toEqual({ accepted: 1, rejected: [] });
    expect(await send(deviceB, { lat: 52.53, lng: 13.41, timestamp: at })).toEqual({ accepted: 1, rejected: [] });
    await new Promise((r) => setTimeout(r, 400));
    const idxB = [...fleetB.idOf].find(([, id]) => id === vehicleB.id)![0];
    const mentions = fleetB.frames.slice(frames).filter((f) => f.v[0] === idxB).length;
    expect(mentions).toBe(1);
  });

  it('rejects each invalid position with its index, code and field, and accepts the rest', async () => {
    const device = track(await connect('/driver', vehicleA.deviceToken));
    const now = Date.now();
    const ack = await emitAck<PositionsAck>(device, 'positions', [
      { lat: 52.5, lng: 13.4, timestamp: now },
      { lat: 95, lng: 13.4, timestamp: now },
      { lat: 52.5, lng: 13.4, timestamp: now + 3_600_000 },
      { lat: 52.5, lng: 13.4, timestamp: new Date(now).toISOString(), heading: 360 },
      { lat: '52', lng: 13.4, timestamp: now },
      { lat: 52.5, lng: 13.4, timestamp: now, vehicleId: vehicleB.id },
      'not an object',
    ]);
    expect(ack.accepted).toBe(1);
    expect(ack.rejected.map((r) => [r.index, r.code, r.field])).toEqual([
      [1, 'VALIDATION_ERROR', 'lat'],
      [2, 'VALIDATION_ERROR', 'timestamp'],
      [3, 'VALIDATION_ERROR', 'heading'],
      [4, 'VALIDATION_ERROR', 'lat'],
      [5, 'FORBIDDEN', 'vehicleId'],
      [6, 'VALIDATION_ERROR', undefined],
    ]);
    const notArray = await emitAck<PositionsAck>(device, 'positions', { lat: 1 });
    expect(notArray.accepted).toBe(0);
    expect(notArray.rejected[0]!.code).toBe('VALIDATION_ERROR');
  });

  it('an admin token reports for any vehicle of its tenant, never another tenant’s', async () => {
    const gateway = track(await connect('/driver', admin));
    const before = (await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state;
    const ack = await emitAck<PositionsAck>(gateway, 'positions', [
      { vehicleId: vehicleA.id, lat: 52.51, lng: 13.39, timestamp: Date.now() },
      { vehicleId: vehicleB.id, lat: 52.1, lng: 13.1, timestamp: Date.now() },
      { lat: 52.51, lng: 13.39, timestamp: Date.now() },
    ]);
    expect(ack.accepted).toBe(1);
    expect(ack.rejected.map((r) => r.code)).toEqual(['NOT_FOUND', 'VALIDATION_ERROR']);
    expect((await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state).toEqual(before);
  });

  it('an older position never overwrites the current state', async () => {
    const device = track(await connect('/driver', vehicleA.deviceToken));
    const now = Date.now() + 3000;
    await send(device, { lat: 52.6, lng: 13.5, timestamp: now });
    await send(device, { lat: 52.4, lng: 13.3, timestamp: now - 60_000 });
    const state = (await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin })).body.vehicle.state;
    expect(state).toMatchObject({ lat: 52.6, lng: 13.5 });
  });

  it('refuses positions for a vehicle whose reception is disabled, and for a disabled tenant', async () => {
    const device = track(await connect('/driver', vehicleA.deviceToken));
    expect((await api(`/api/v1/vehicles/${vehicleA.id}/reception`, { token: admin, method: 'PUT', body: { enabled: false } })).body).toEqual({ enabled: false });
    const ack = await send(device, { lat: 52.7, lng: 13.6, timestamp: Date.now() + 4000 });
    expect(ack).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'RECEPTION_DISABLED' }] });
    await api(`/api/v1/vehicles/${vehicleA.id}/reception`, { token: admin, method: 'PUT', body: { enabled: true } });
    expect((await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin })).body.vehicle.state.lat).toBe(52.6);

    expect((await api('/api/v1/reception', { token: adminB, method: 'PUT', body: { enabled: false } })).body).toEqual({ enabled: false });
    try {
      const refusedBefore = (await api('/api/v1/reception', { token: adminB })).body.refused;
      const refusedOfA = (await api('/api/v1/reception', { token: admin })).body.refused;
      expect((await send(deviceB, { lat: 52.7, lng: 13.6, timestamp: Date.now() + 4000 })).rejected[0]!.code).toBe('RECEPTION_DISABLED');
      // refusals are counted for the tenant, and only for it
      expect((await api('/api/v1/reception', { token: adminB })).body).toEqual({ enabled: false, refused: refusedBefore + 1 });
      expect((await api('/api/v1/reception', { token: admin })).body.refused).toBe(refusedOfA);
      expect((await api('/api/v1/reception', { token: manager, method: 'PUT', body: { enabled: false } })).status).toBe(403);
    } finally {
      await api('/api/v1/reception', { token: adminB, method: 'PUT', body: { enabled: true } });
    }
    expect((await send(deviceB, { lat: 52.7, lng: 13.6, timestamp: Date.now() + 4000 })).accepted).toBe(1);
  });

  it('limits live positions per vehicle but lets history replays through', async () => {
    const limited = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Limited', deviceId: 'limited-1' } })).body.vehicle;
    await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 1 } });
    try {
      const device = track(await connect('/driver', limited.deviceToken));
      const now = Date.now();
      const live = await emitAck<PositionsAck>(device, 'positions', [0, 1, 2, 3].map((i) => ({ lat: 52.5, lng: 13.4, timestamp: now - 400 + i * 100 })));
      expect(live.accepted).toBe(2); // a burst of two, then one per second
      expect(live.rejected.map((r) => r.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      const replay = await emitAck<PositionsAck>(device, 'positions', Array.from({ length: 20 }, (_, i) => ({ lat: 52.5, lng: 13.4, timestamp: now - 600_000 + i * 1000 })));
      expect(replay).toEqual({ accepted: 20, rejected: [] });
    } finally {
      await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
    }
  });

  it('refuses unknown tokens and viewers on /driver', async () => {
    await expect(connect('/driver', 'not-a-device-token')).rejects.toThrow('UNAUTHORIZED');
    const viewer = (await login(...DEMO.viewer)).token;
    await expect(connect('/driver', viewer)).rejects.toThrow('FORBIDDEN');
  });
});

describe('viewport and vehicle scopes', () => {
  it('a viewport gets vehicles inside it, introduces arrivals and reports departures', async () => {
    const roamer = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Roamer', deviceId: 'roamer-1' } })).body.vehicle;
    const device = track(await connect('/driver', roamer.deviceToken));
    const t = Date.now();
    await send(device, { lat: 10.5, lng: 10.5, timestamp: t - 3000 });
    const { watcher, ack } = await FleetWatcher.open(adminB, { scope: 'viewport', bbox: [10, 10, 11, 11] });
    track(watcher);
    if (!ack.ok) throw new Error('subscribe failed');
    expect(ack.vehicles.map((v) => v.id)).toEqual([roamer.id]);

    await send(device, { lat: 20, lng: 20, timestamp: t - 2000 }); // leaves
    await watcher.until(() => (watcher.frames.at(-1)?.out?.length ?? 0) > 0, 5000, 'departure');
    expect(watcher.state.has(roamer.id)).toBe(false);

    await send(device, { lat: 10.7, lng: 10.2, timestamp: t - 1000 }); // comes back
    await watcher.until(() => watcher.state.get(roamer.id)?.lat === 10.7, 5000, 'arrival');
    expect(watcher.frames.at(-1)!.n?.map((i) => i.id)).toEqual([roamer.id]);
    expect(watcher.mentionedIdx().size).toBe(1); // nothing else of the tenant was sent
  });

  it('a vehicle scope gets that vehicle only', async () => {
    const { watcher, ack } = await FleetWatcher.open(adminB, { scope: 'vehicle', id: vehicleB.id });
    track(watcher);
    if (!ack.ok) throw new Error('subscribe failed');
    expect(ack.vehicles).toHaveLength(1);
    await send(deviceB, { lat: 52.55, lng: 13.45, timestamp: Date.now() + 5000 });
    await watcher.until(() => watcher.state.get(vehicleB.id)?.lat === 52.55, 5000, 'vehicle frame');
    expect(watcher.mentionedIdx().size).toBe(1);
  });
});

describe('presence and reconnection', () => {
  it('a silent vehicle goes offline and comes back online with its next position', async () => {
    const quiet = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Quiet', deviceId: 'quiet-1' } })).body.vehicle;
    const device = track(await connect('/driver', quiet.deviceToken));
    await send(device, { lat: 52.5, lng: 13.4, timestamp: Date.now() });
    const statusOf = (status: string) => () => fleetB.statuses.some((s) => s.id === quiet.id && s.status === status);
    await fleetB.until(statusOf('online'), 5000, 'online');
    await fleetB.until(statusOf('offline'), 15_000, 'offline'); // OFFLINE_AFTER_S=5 in tests, swept every 5 s
    const count = fleetB.statuses.filter((s) => s.id === quiet.id).length;
    await send(device, { lat: 52.5, lng: 13.41, timestamp: Date.now() });
    await fleetB.until(() => fleetB.statuses.filter((s) => s.id === quiet.id).at(-1)?.status === 'online' && fleetB.statuses.filter((s) => s.id === quiet.id).length > count, 5000, 'online again');
  });

  it('a short drop resumes the subscription and replays the frames missed', async () => {
    const { watcher } = await FleetWatcher.open(adminB, { scope: 'fleet' }, true);
    track(watcher);
    // Recovery resumes after the last broadcast the client received: receive one first.
    await send(deviceB, { lat: 52.57, lng: 13.47, timestamp: Date.now() + 5500 });
    await watcher.until(() => watcher.state.get(vehicleB.id)?.lat === 52.57, 5000, 'first frame');
    await new Promise<void>((resolve) => {
      watcher.socket.once('disconnect', () => resolve());
      (watcher.socket.io.engine as unknown as { close(): void }).close();
    });
    await send(deviceB, { lat: 52.58, lng: 13.48, timestamp: Date.now() + 6000 });
    await new Promise<void>((resolve) => watcher.socket.once('connect', () => resolve()));
    expect(watcher.socket.recovered).toBe(true);
    await watcher.until(() => watcher.state.get(vehicleB.id)?.lat === 52.58, 5000, 'replayed frame');
  });
});

describe('socket queries', () => {
  it('answers spatial queries on /fleet within the caller’s tenant', async () => {
    const socket = track(await connect('/fleet', adminB));
    const state = (await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state;
    const nearest = await emitAck<any>(socket, 'query', { type: 'nearest', lng: state.lng, lat: state.lat, k: 1 });
    expect(nearest.vehicles[0]).toMatchObject({ id: vehicleB.id });
    expect(nearest.vehicles[0].distanceMeters).toBeLessThan(1);
    const fromA = await emitAck<any>(track(await connect('/fleet', manager)), 'query', { type: 'nearest', lng: state.lng, lat: state.lat, k: 5 });
    expect(fromA.vehicles.some((v: any) => v.id === vehicleB.id)).toBe(false);
    const invalid = await emitAck<any>(socket, 'query', { type: 'nearby', lng: 200, lat: 0, radius: 10 });
    expect(invalid.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'lng' });
  });
});

describe('fuzzed input on /driver', () => {
  it('answers every malformed payload with structured refusals and stores nothing', async () => {
    const device = track(await connect('/driver', vehicleB.deviceToken));
    const before = (await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state;
    const samples: unknown[] = [
      null, 0, -1, 'x', true, [], {}, { lat: null }, { lat: 1, lng: 1 }, { lat: 1, lng: 1, timestamp: -5 },
      { lat: 1e308, lng: 1, timestamp: Date.now() }, { lat: Number.MAX_VALUE, lng: -Infinity, timestamp: Date.now() },
      { lat: '1', lng: '2', timestamp: String(Date.now()) }, { lat: 1, lng: 1, timestamp: Date.now(), speed: 'fast' },
      JSON.parse(`{"lat":1,"lng":1,"timestamp":${Date.now()},"__proto__":{"admin":true}}`), { lat: 1, lng: 1, timestamp: Date.now(), constructor: 1 },
      { lat: 1, lng: 1, timestamp: Date.now(), attributes: 'nope' }, { lat: 1, lng: 1, timestamp: Date.now(), accelerometer: [1, 2, 3] },
      { lat: 1, lng: 1, timestamp: '2026-13-45T99:00:00Z' }, { lat: [1], lng: { x: 1 }, timestamp: {} },
      'a'.repeat(100_000), Array.from({ length: 50 }, () => ({ nested: { deeper: [null] } })),
    ];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 100; i++) {
      // random objects built from plausible and implausible keys and values
      const keys = ['lat', 'lng', 'timestamp', 'speed', 'heading', 'battery', 'vehicleId', 'zzz'];
      const values = [NaN, -1, 0, 91, 181, 360, 1e20, '', 'x', null, [], {}, Date.now() + 1e9, '2026-01-01', true];
      samples.push(Object.fromEntries(keys.filter(() => random() < 0.6).map((k) => [k, values[Math.floor(random() * values.length)]])));
    }
    for (const [i, sample] of samples.entries()) {
      const one = await emitAck<PositionsAck>(device, 'position', sample);
      expect(one.accepted, `sample ${i}: ${JSON.stringify(sample)?.slice(0, 80)}`).toBe(0);
      expect(one.rejected[0], `sample ${i}`).toMatchObject({ index: 0, code: expect.any(String), message: expect.any(String) });
    }
    const batch = await emitAck<PositionsAck>(device, 'positions', samples.slice(0, 1000));
    expect(batch.accepted).toBe(0);
    expect(batch.rejected).toHaveLength(samples.length);
    const tooMany = await emitAck<PositionsAck>(device, 'positions', Array.from({ length: 1001 }, () => ({ lat: 1, lng: 1, timestamp: Date.now() })));
    expect(tooMany.rejected[0]!.code).toBe('VALIDATION_ERROR');
    expect((await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state).toEqual(before);
    expect((await api('/api/health')).status).toBe(200);
  });

  it('a viewport over another tenant’s vehicles sees none of them', async () => {
    const state = (await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB })).body.vehicle.state;
    const box: [number, number, number, number] = [state.lng - 0.5, state.lat - 0.5, state.lng + 0.5, state.lat + 0.5];
    const { watcher, ack } = await FleetWatcher.open(manager, { scope: 'viewport', bbox: box });
    track(watcher);
    if (!ack.ok) throw new Error('subscribe failed');
    expect(ack.vehicles.some((v) => v.id === vehicleB.id)).toBe(false);
    await send(deviceB, { lat: state.lat + 0.001, lng: state.lng, timestamp: Date.now() + 7000 });
    await new Promise((r) => setTimeout(r, 400));
    const idxB = [...fleetB.idOf].find(([, id]) => id === vehicleB.id)![0];
    expect(watcher.mentionedIdx().has(idxB)).toBe(false);
  });
});
