import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionsFrame, SubscribeAck } from '../../server/protocol/fleet';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, DEMO, emitAck, login } from './client';
import { TENANT_B } from './context';

const sockets: Socket[] = [];
const track = (s: Socket) => (sockets.push(s), s);
let admin: string;
let manager: string;
let adminB: string;
let fleetA: Socket;
let fleetB: Socket;
let vehicleA: any;
let vehicleB: any;

function nextFrame(socket: Socket, vehicleId: string, timeoutMs = 5000): Promise<PositionsFrame> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('positions', onFrame);
      reject(new Error(`no frame for ${vehicleId}`));
    }, timeoutMs);
    const onFrame = (frame: PositionsFrame) => {
      if (!frame.vehicles.some((v) => v.id === vehicleId)) return;
      clearTimeout(timer);
      socket.off('positions', onFrame);
      resolve(frame);
    };
    socket.on('positions', onFrame);
  });
}

function collectFrames(socket: Socket): PositionsFrame[] {
  const frames: PositionsFrame[] = [];
  socket.on('positions', (f: PositionsFrame) => frames.push(f));
  return frames;
}

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  // These tests send several live positions per vehicle in a row; the rate limit has its own test.
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  vehicleA = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Socket Van', deviceId: 'sock-a' } })).body.vehicle;
  vehicleB = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Socket Rival', deviceId: 'sock-b' } })).body.vehicle;
  fleetA = track(await connect('/fleet', manager));
  fleetB = track(await connect('/fleet', adminB));
});

afterAll(() => sockets.forEach((s) => s.close()));

describe('/fleet', () => {
  it('refuses a missing or bad token, and drivers', async () => {
    await expect(connect('/fleet', undefined)).rejects.toThrow('UNAUTHORIZED');
    await expect(connect('/fleet', 'garbage')).rejects.toThrow('UNAUTHORIZED');
    const driver = (await login(...DEMO.driver)).token;
    await expect(connect('/fleet', driver)).rejects.toThrow('FORBIDDEN');
  });

  it('subscribe answers with the tenant’s fleet only', async () => {
    const ackA = await emitAck<SubscribeAck>(fleetA, 'subscribe', { scope: 'fleet' });
    const ackB = await emitAck<SubscribeAck>(fleetB, 'subscribe', { scope: 'fleet' });
    if (!ackA.ok || !ackB.ok) throw new Error('subscribe failed');
    expect(ackA.vehicles.length).toBeGreaterThanOrEqual(200);
    expect(ackA.vehicles.filter((v) => v.live).length).toBeGreaterThanOrEqual(200);
    expect(ackA.vehicles.some((v) => v.id === vehicleB.id)).toBe(false);
    expect(ackB.vehicles.map((v) => v.id)).toContain(vehicleB.id);
    expect(ackB.vehicles.some((v) => v.id === vehicleA.id)).toBe(false);
  });

  it('refuses to subscribe to another tenant’s vehicle and validates the request', async () => {
    const foreign = await emitAck<SubscribeAck>(fleetA, 'subscribe', { scope: 'vehicle', id: vehicleB.id });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const invalid = await emitAck<SubscribeAck>(fleetA, 'subscribe', { scope: 'galaxy' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });
});

describe('/driver → database → /fleet', () => {
  it('a device token position is acknowledged, stored and streamed to its own tenant only', async () => {
    const device = track(await connect('/driver', vehicleB.deviceToken));
    const framesA = collectFrames(fleetA);
    const frame = nextFrame(fleetB, vehicleB.id);
    const ack = await emitAck<PositionsAck>(device, 'position', { lat: 52.52, lng: 13.405, timestamp: Date.now(), speed: 42, heading: 90, battery: 80 });
    expect(ack).toEqual({ accepted: 1, rejected: [] });
    // acknowledged means committed: the database has it right now
    const stored = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB });
    expect(stored.body.vehicle.state).toMatchObject({ lat: 52.52, lng: 13.405, speed: 42, heading: 90, battery: 80 });
    const received = (await frame).vehicles.find((v) => v.id === vehicleB.id)!;
    expect(received).toMatchObject({ lat: 52.52, lng: 13.405, speed: 42 });
    await new Promise((r) => setTimeout(r, 300));
    expect(framesA.flatMap((f) => f.vehicles).some((v) => v.id === vehicleB.id)).toBe(false);
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
    const ack = await emitAck<PositionsAck>(gateway, 'positions', [
      { vehicleId: vehicleA.id, lat: 52.51, lng: 13.39, timestamp: Date.now() },
      { vehicleId: vehicleB.id, lat: 52.51, lng: 13.39, timestamp: Date.now() },
      { lat: 52.51, lng: 13.39, timestamp: Date.now() },
    ]);
    expect(ack.accepted).toBe(1);
    expect(ack.rejected.map((r) => r.code)).toEqual(['NOT_FOUND', 'VALIDATION_ERROR']);
    const stateB = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB });
    expect(stateB.body.vehicle.state.lat).toBe(52.52);
  });

  it('an older position never overwrites the current state', async () => {
    const device = track(await connect('/driver', vehicleA.deviceToken));
    const now = Date.now();
    await emitAck(device, 'position', { lat: 52.6, lng: 13.5, timestamp: now });
    await emitAck(device, 'position', { lat: 52.4, lng: 13.3, timestamp: now - 60_000 });
    const state = (await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin })).body.vehicle.state;
    expect(state).toMatchObject({ lat: 52.6, lng: 13.5 });
  });

  it('refuses positions for a vehicle whose reception is disabled', async () => {
    const device = track(await connect('/driver', vehicleA.deviceToken));
    await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin, method: 'PATCH', body: { receptionEnabled: false } });
    const ack = await emitAck<PositionsAck>(device, 'position', { lat: 52.7, lng: 13.6, timestamp: Date.now() + 1000 });
    expect(ack).toMatchObject({ accepted: 0, rejected: [{ index: 0, code: 'RECEPTION_DISABLED' }] });
    await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin, method: 'PATCH', body: { receptionEnabled: true } });
    const state = (await api(`/api/v1/vehicles/${vehicleA.id}`, { token: admin })).body.vehicle.state;
    expect(state.lat).toBe(52.6);
  });

  it('refuses unknown tokens and viewers on /driver', async () => {
    await expect(connect('/driver', 'not-a-device-token')).rejects.toThrow('UNAUTHORIZED');
    const viewer = (await login(...DEMO.viewer)).token;
    await expect(connect('/driver', viewer)).rejects.toThrow('FORBIDDEN');
  });
});
