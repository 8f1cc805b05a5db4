import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../auth/tokens';
import { createLogger } from '../log';
import { FLEET_EVENTS, type PositionsFrame, type SnapshotFrame, type SubscribeAck } from '../protocol/fleet';
import type { Position } from '../protocol/position';
import { ConnectionLimiter } from './connection-limits';
import { FleetHub } from './fleet-hub';
import { LiveState } from './live-state';

const TENANT = '00000000-0000-4000-8000-000000000001';
const VEHICLE = '00000000-0000-4000-8000-0000000000a1';
const position = (lng: number, ts: number): Position => ({ tenantId: TENANT, vehicleId: VEHICLE, lat: 39.29, lng, ts, speed: 10, heading: 90, accuracy: null, altitude: null, battery: null, attributes: null });

/** A real Socket.IO server with the hub; each socket's backlog is set by the test (a slow client is hard to make on loopback). */
const http = createServer();
const ioServer = new Server(http);
const tokens = new TokenService('unit-test-secret-0123456789abcdefghijklmnop', '1h');
const live = new LiveState();
const backlog = new Map<string, number>();
const hub = new FleetHub(ioServer.of('/fleet'), {
  tokens,
  live,
  log: createLogger('silent', false),
  limits: { connections: new ConnectionLimiter(), perTenant: 3, messagesPerSecond: 10, slowBacklog: 8 },
  backlogOf: (s: ServerSocket) => backlog.get(s.id) ?? 0,
});
let url = '';
let token = '';
const clients: Socket[] = [];

function open(): Promise<Socket> {
  const socket = connectClient(`${url}/fleet`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
const serverSocketOf = (client: Socket) => ioServer.of('/fleet').sockets.get(client.id!)!;

beforeAll(async () => {
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  token = await tokens.sign({ userId: '00000000-0000-4000-8000-0000000000b1', tenantId: TENANT, role: 'viewer' });
  live.upsert(TENANT, { id: VEHICLE, name: 'Van', plate: null, type: 'van' });
});
afterAll(async () => {
  for (const c of clients) c.close();
  ioServer.close();
});

describe('FleetHub abuse limits', () => {
  it('slow client: deltas are dropped while it is behind, then one fresh snapshot replaces them', async () => {
    const slow = await open();
    const fast = await open();
    const frames = { slow: [] as PositionsFrame[], fast: [] as PositionsFrame[] };
    const snapshots: SnapshotFrame[] = [];
    slow.on(FLEET_EVENTS.positions, (f: PositionsFrame) => frames.slow.push(f));
    fast.on(FLEET_EVENTS.positions, (f: PositionsFrame) => frames.fast.push(f));
    slow.on(FLEET_EVENTS.snapshot, (s: SnapshotFrame) => snapshots.push(s));
    for (const c of [slow, fast]) expect((await c.emitWithAck(FLEET_EVENTS.subscribe, { scope: 'fleet' })) as SubscribeAck).toMatchObject({ ok: true });

    hub.publish([position(-76.61, 1000)], 1000);
    backlog.set(serverSocketOf(slow).id, 50); // far behind
    hub.publish([position(-76.6, 2000)], 2000);
    hub.publish([position(-76.59, 3000)], 3000);
    backlog.set(serverSocketOf(slow).id, 6); // drained a little: still above half the bound
    hub.publish([position(-76.58, 4000)], 4000);
    backlog.set(serverSocketOf(slow).id, 0); // caught up
    hub.publish([position(-76.57, 5000)], 5000);
    hub.publish([position(-76.56, 6000)], 6000);
    await new Promise((r) => setTimeout(r, 200));

    expect(frames.fast.map((f) => f.at)).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    expect(frames.slow.map((f) => f.at)).toEqual([1000, 6000]);
    expect(snapshots).toHaveLength(1);
    expect(snapshots[0]!.at).toBe(5000);
    expect(snapshots[0]!.vehicles[0]!.live).toMatchObject({ id: VEHICLE, lng: -76.57, ts: 5000 });
    slow.close();
    fast.close();
  });

  it('answers RATE_LIMITED acks once a socket sends faster than its budget, and keeps serving others', async () => {
    const flooder = await open();
    const calm = await open();
    const acks = await Promise.all(Array.from({ length: 100 }, () => flooder.emitWithAck(FLEET_EVENTS.subscribe, { scope: 'fleet' }) as Promise<SubscribeAck>));
    const limited = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED');
    expect(acks.filter((a) => a.ok)).toHaveLength(20); // burst: twice the 10/s budget
    expect(limited).toHaveLength(80);
    expect(await calm.emitWithAck(FLEET_EVENTS.subscribe, { scope: 'fleet' })).toMatchObject({ ok: true });
    flooder.close();
    calm.close();
  });

  it('refuses connections beyond the per-tenant limit with RATE_LIMITED, and frees the slot on disconnect', async () => {
    await new Promise((r) => setTimeout(r, 100)); // earlier sockets' disconnects
    const open3 = [await open(), await open(), await open()];
    const refused = await open().then(
      () => null,
      (error: Error & { data?: { code: string; message: string } }) => error,
    );
    expect(refused?.message).toBe('RATE_LIMITED');
    expect(refused?.data).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('this tenant') });
    open3[0]!.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await open();
    expect(again.connected).toBe(true);
    for (const s of [...open3, again]) s.close();
  });
});
