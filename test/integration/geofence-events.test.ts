import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, emitAck, FleetWatcher, login } from './client';
import { TENANT_B } from './context';

/** Fences drawn over REST are evaluated on every position: events reach dashboards and the store. */
const sockets: Array<{ close(): void }> = [];
afterAll(() => sockets.forEach((s) => s.close()));

let adminB: string;
let device: Socket;
let vehicle: any;
let fence: any;
let watcher: FleetWatcher;
const events: any[] = [];

// A 1 km square far from every other test's vehicles.
const square = [[[20.0, 50.0], [20.014, 50.0], [20.014, 50.009], [20.0, 50.009], [20.0, 50.0]]];

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  vehicle = (await api('/api/v1/vehicles', { token: adminB, body: { name: 'Fence Runner', deviceId: 'fence-runner' } })).body.vehicle;
  watcher = (await FleetWatcher.open(adminB, { scope: 'fleet' })).watcher;
  sockets.push(watcher);
  watcher.socket.on('geofence:event', (list: any[]) => events.push(...list));
  device = await connect('/driver', vehicle.deviceToken);
  sockets.push(device);
});

const send = (lng: number, lat: number, ts: number) => emitAck<PositionsAck>(device, 'position', { lng, lat, timestamp: ts, accuracy: 5 });

describe('geofence evaluation in the pipeline', () => {
  it('a new fence applies at once: entering and leaving it produce events, live and stored', async () => {
    const changed = new Promise<any>((resolve) => watcher.socket.once('geofence:changed', resolve));
    const created = await api('/api/v1/geofences', {
      token: adminB,
      body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: { name: 'Depot square', type: 'DEPOT' } },
    });
    expect(created.status).toBe(201);
    fence = created.body.geofence ?? created.body;
    expect((await changed).id).toBe(fence.id);

    const t = Date.now() - 10_000;
    expect((await send(19.99, 50.004, t)).accepted).toBe(1); // outside
    expect((await send(20.007, 50.004, t + 1000)).accepted).toBe(1); // inside
    await watcher.until(() => events.some((e) => e.type === 'enter' && e.vehicleId === vehicle.id), 5000, 'enter');
    expect((await send(20.007, 50.0045, t + 2000)).accepted).toBe(1); // still inside: nothing new
    expect((await send(20.03, 50.004, t + 3000)).accepted).toBe(1); // outside again
    await watcher.until(() => events.some((e) => e.type === 'exit' && e.vehicleId === vehicle.id), 5000, 'exit');
    const mine = events.filter((e) => e.vehicleId === vehicle.id);
    expect(mine.map((e) => [e.type, e.geofenceId, e.at])).toEqual([
      ['enter', fence.id, t + 1000],
      ['exit', fence.id, t + 3000],
    ]);

    // stored too (written just after the broadcast)
    await new Promise((r) => setTimeout(r, 300));
    const stored = await api(`/api/v1/geofence-events?geofenceId=${fence.id}`, { token: adminB });
    expect(stored.status).toBe(200);
    const list = stored.body.events ?? stored.body;
    expect(list.map((e: any) => e.type).sort()).toEqual(['enter', 'exit']);
  });

  it('a fast vehicle passing through between two fixes produces a cross; a replayed duplicate nothing', async () => {
    const before = events.length;
    const t = Date.now() - 5_000;
    await send(20.05, 50.004, t); // still east of the square, where the last test left it
    await send(19.99, 50.004, t + 1000); // both outside, the segment cuts the square
    await watcher.until(() => events.slice(before).some((e) => e.type === 'cross'), 5000, 'cross');
    await send(19.99, 50.004, t + 1000); // the same fix again (an offline replay)
    await new Promise((r) => setTimeout(r, 400));
    expect(events.slice(before).filter((e) => e.vehicleId === vehicle.id).map((e) => e.type)).toEqual(['cross']);
  });

  it('a deleted fence stops producing events', async () => {
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'DELETE' })).status).toBe(204);
    const before = events.length;
    const t = Date.now() - 2_000;
    await send(20.007, 50.004, t);
    await new Promise((r) => setTimeout(r, 400));
    expect(events.length).toBe(before);
  });
});
