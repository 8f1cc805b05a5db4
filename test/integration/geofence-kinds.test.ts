import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, DEMO, emitAck, FleetWatcher, login } from './client';
import { TENANT_B } from './context';

/** The five kinds of fences, end to end: REST → engine → dashboard events and the store. */
const closers: Array<{ close(): void }> = [];
afterAll(() => closers.forEach((s) => s.close()));

let admin: string;
let watcher: FleetWatcher;
const events: any[] = [];

/** A square of about 700 m × 1 km at (lng, lat) (south-west corner), away from other tests. */
const squareAt = (lng: number, lat: number) => [[[lng, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.009], [lng, lat + 0.009], [lng, lat]]];

async function vehicle(name: string): Promise<{ id: string; device: Socket }> {
  const created = await api('/api/v1/vehicles', { token: admin, body: { name, deviceId: `kinds-${name.toLowerCase().replace(/\W+/g, '-')}` } });
  expect(created.status).toBe(201);
  const device = await connect('/driver', created.body.vehicle.deviceToken);
  closers.push(device);
  return { id: created.body.vehicle.id, device };
}

async function fence(geometry: unknown, properties: Record<string, unknown>): Promise<any> {
  const created = await api('/api/v1/geofences', { token: admin, body: { type: 'Feature', geometry, properties } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.geofence;
}

const send = async (v: { device: Socket }, fix: Record<string, unknown>) =>
  expect((await emitAck<PositionsAck>(v.device, 'position', { accuracy: 5, ...fix })).accepted).toBe(1);
const settle = () => new Promise((r) => setTimeout(r, 400));
const of = (fenceId: string, vehicleId?: string) => events.filter((e) => e.geofenceId === fenceId && (!vehicleId || e.vehicleId === vehicleId));

beforeAll(async () => {
  admin = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  watcher = (await FleetWatcher.open(admin, { scope: 'fleet' })).watcher;
  closers.push(watcher);
  watcher.socket.on('geofence:event', (list: any[]) => events.push(...list));
});

describe('geofence kinds: validation', () => {
  it('refuses what the engine cannot evaluate, naming the field, and stores nothing', async () => {
    const before = (await api('/api/v1/geofences', { token: admin })).body.geofences.length;
    const poly = { type: 'Polygon', coordinates: squareAt(30, 50) };
    const refused = async (properties: Record<string, unknown>) => {
      const r = await api('/api/v1/geofences', { token: admin, body: { type: 'Feature', geometry: poly, properties: { name: 'Bad', ...properties } } });
      expect(r.status).toBe(400);
      return r.body.error;
    };
    expect(await refused({ kind: 'temporal', schedule: { timezone: 'Mars/Olympus', windows: [{ days: ['mon'], start: '08:00', end: '09:00' }] } }))
      .toMatchObject({ code: 'VALIDATION_ERROR', field: 'properties.schedule.timezone' });
    expect(await refused({ kind: 'conditional', rule: { '>': [{ var: 'speeed' }, 50] } })).toMatchObject({ field: 'properties.rule.>.0.var' });
    expect(await refused({ kind: 'conditional', rule: { launch: ['rockets'] } })).toMatchObject({ field: 'properties.rule' });
    const otherTenants = (await api('/api/v1/vehicles', { token: (await login(...DEMO.admin)).token })).body.vehicles[0].id;
    const dynamic = await api('/api/v1/geofences', {
      token: admin,
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: [30, 50] }, properties: { name: 'Bad', kind: 'dynamic', radius: 100, followVehicleId: otherTenants } },
    });
    expect(dynamic.status).toBe(400);
    expect(dynamic.body.error).toMatchObject({ field: 'properties.followVehicleId', message: expect.stringMatching(/not found/) });
    expect((await api('/api/v1/geofences', { token: admin })).body.geofences.length).toBe(before);
  });
});

describe('geofence kinds: evaluation', () => {
  it('conditional: applies only while its rule holds', async () => {
    const v = await vehicle('Rule runner');
    const f = await fence({ type: 'Polygon', coordinates: squareAt(21, 50) }, { name: 'Fast lane', kind: 'conditional', rule: { '>': [{ var: 'speed' }, 50] } });
    expect(f.properties).toMatchObject({ kind: 'conditional', rule: { '>': [{ var: 'speed' }, 50] } });
    const t = Date.now() - 10_000;
    await send(v, { lng: 21.005, lat: 50.004, timestamp: t, speed: 30 });
    await settle();
    expect(of(f.id)).toEqual([]);
    await send(v, { lng: 21.005, lat: 50.0041, timestamp: t + 1000, speed: 60 });
    await watcher.until(() => of(f.id).length > 0, 5000, 'enter');
    await send(v, { lng: 21.005, lat: 50.0042, timestamp: t + 2000, speed: 20 });
    await watcher.until(() => of(f.id).length > 1, 5000, 'exit');
    expect(of(f.id).map((e) => [e.type, e.at])).toEqual([['enter', t + 1000], ['exit', t + 2000]]);
  });

  it('temporal: evaluated against its schedule in its time zone', async () => {
    const v = await vehicle('Clock runner');
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const notToday = days[(new Date().getUTCDay() + 3) % 7];
    const open = await fence({ type: 'Polygon', coordinates: squareAt(23, 50) }, {
      name: 'Always open', kind: 'temporal', schedule: { timezone: 'UTC', windows: [{ days, start: '00:00', end: '24:00' }] },
    });
    const closed = await fence({ type: 'Polygon', coordinates: squareAt(23, 50) }, {
      name: 'Closed today', kind: 'temporal', schedule: { timezone: 'UTC', windows: [{ days: [notToday], start: '00:00', end: '24:00' }] },
    });
    await send(v, { lng: 23.005, lat: 50.004, timestamp: Date.now() - 1000 });
    await watcher.until(() => of(open.id).length > 0, 5000, 'enter');
    await settle();
    expect(of(open.id).map((e) => e.type)).toEqual(['enter']);
    expect(of(closed.id)).toEqual([]);
  });

  it('dynamic: a circle that follows its leader; the others enter and leave it', async () => {
    const leader = await vehicle('Escort leader');
    const follower = await vehicle('Escort follower');
    const f = await fence({ type: 'Point', coordinates: [24, 50] }, { name: 'Escort', kind: 'dynamic', radius: 200, followVehicleId: leader.id });
    const t = Date.now() - 10_000;
    await send(leader, { lng: 24.1, lat: 50.0, timestamp: t });
    await send(follower, { lng: 24.1015, lat: 50.0, timestamp: t + 1000 }); // ≈ 107 m from the leader
    await watcher.until(() => of(f.id).length > 0, 5000, 'enter');
    await send(leader, { lng: 24.2, lat: 50.0, timestamp: t + 2000 }); // the leader drives off
    await send(follower, { lng: 24.102, lat: 50.0, timestamp: t + 3000 });
    await watcher.until(() => of(f.id).length > 1, 5000, 'exit');
    expect(of(f.id).map((e) => [e.type, e.vehicleId])).toEqual([['enter', follower.id], ['exit', follower.id]]);
  });

  it('predictive: one predicted_enter with eta and confidence, live and stored', async () => {
    const v = await vehicle('Oracle runner');
    const f = await fence({ type: 'Polygon', coordinates: squareAt(25, 50) }, { name: 'Checkpoint ahead', type: 'CHECKPOINT', kind: 'predictive', windowMinutes: 5, confidenceThreshold: 0.3 });
    const t = Date.now() - 20_000;
    // heading east at 36 km/h along lat 50.004, from ~1.4 km west of the fence
    for (let i = 0; i < 6; i++) await send(v, { lng: 24.98 + i * 0.00014, lat: 50.004, timestamp: t + i * 1000, speed: 36, heading: 90 });
    await watcher.until(() => of(f.id).length > 0, 5000, 'predicted_enter');
    await settle();
    const predicted = of(f.id);
    expect(predicted).toHaveLength(1);
    expect(predicted[0]).toMatchObject({ type: 'predicted_enter', vehicleId: v.id });
    expect(predicted[0].etaSeconds).toBeGreaterThan(100);
    expect(predicted[0].etaSeconds).toBeLessThan(160);
    expect(predicted[0].confidence).toBeGreaterThanOrEqual(0.3);
    const stored = (await api(`/api/v1/geofence-events?geofenceId=${f.id}`, { token: admin })).body.events;
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ type: 'predicted_enter', etaSeconds: predicted[0].etaSeconds, confidence: predicted[0].confidence });
  });
});

describe('predictive fences and routes', () => {
  it('projects a vehicle along its assigned route, around a corner its heading alone would miss', async () => {
    const bus = await vehicle('Route runner');
    // east along lat 50.0 to lng 27.02, then north into the fence at [27.015–27.025, 50.01–50.019]
    const route = await api('/api/v1/routes', {
      token: admin,
      body: { type: 'Feature', geometry: { type: 'LineString', coordinates: [[26.99, 50.0], [27.02, 50.0], [27.02, 50.03]] }, properties: { name: 'Corner line' } },
    });
    expect(route.status, JSON.stringify(route.body)).toBe(201);
    expect((await api(`/api/v1/routes/${route.body.route.id}/vehicles`, { token: admin, method: 'PUT', body: { vehicleIds: [bus.id] } })).status).toBe(200);
    const f = await fence({ type: 'Polygon', coordinates: [[[27.015, 50.01], [27.025, 50.01], [27.025, 50.019], [27.015, 50.019], [27.015, 50.01]]] }, {
      name: 'Round the corner', kind: 'predictive', windowMinutes: 5, confidenceThreshold: 0.3,
    });
    const t = Date.now() - 20_000;
    for (let i = 0; i < 4; i++) await send(bus, { lng: 27.0 + i * 0.00014, lat: 50.0, timestamp: t + i * 1000, speed: 36, heading: 90 });
    await watcher.until(() => of(f.id).length > 0, 5000, 'predicted_enter along the route');
    // ≈ 1.4 km east + 1.1 km north at 10 m/s
    expect(of(f.id)[0]).toMatchObject({ type: 'predicted_enter', vehicleId: bus.id });
    expect(of(f.id)[0].etaSeconds).toBeGreaterThan(200);
    expect(of(f.id)[0].etaSeconds).toBeLessThan(300);
  });
});

describe('subscribe to one geofence', () => {
  it("delivers that fence's events only, lists who is inside, and is tenant-scoped", async () => {
    const v = await vehicle('Scope runner');
    const watched = await fence({ type: 'Polygon', coordinates: squareAt(26, 50) }, { name: 'Watched' });
    const other = await fence({ type: 'Polygon', coordinates: squareAt(26, 50) }, { name: 'Unwatched' });
    const t = Date.now() - 10_000;
    await send(v, { lng: 26.005, lat: 50.004, timestamp: t });
    await watcher.until(() => of(watched.id).length > 0 && of(other.id).length > 0, 5000, 'enter both');

    const socket = await connect('/fleet', admin);
    closers.push(socket);
    const seen: any[] = [];
    socket.on('geofence:event', (list: any[]) => seen.push(...list));
    const ack = await emitAck<any>(socket, 'subscribe', { scope: 'geofence', id: watched.id });
    expect(ack.ok).toBe(true);
    expect(ack.vehicles.map((x: any) => x.id)).toEqual([v.id]);

    await send(v, { lng: 26.05, lat: 50.004, timestamp: t + 1000 }); // leaves both
    await watcher.until(() => seen.length > 0, 5000, 'exit on the fence scope');
    await settle();
    expect(seen.map((e) => [e.type, e.geofenceId])).toEqual([['exit', watched.id]]);

    const rival = await connect('/fleet', (await login(...DEMO.admin)).token);
    closers.push(rival);
    expect(await emitAck<any>(rival, 'subscribe', { scope: 'geofence', id: watched.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
