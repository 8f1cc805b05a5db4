import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDeletedEvent, AlertDto, AlertListResult, AlertReadEvent, AlertRestoredEvent } from '../../server/protocol/alerts';
import { api, connect, DEMO, fetchJson, login, waitUntil } from './client';
import { TENANT_B } from './context';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * Alerts end to end on the shared server, in tenant B (so the demo tenant can prove isolation):
 * sources raise them from positions sent over REST, dashboards get them live, REST lists,
 * marks, acknowledges and deletes them with the roles and errors of the contract.
 */
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

const suffix = Date.now().toString(36);
let adminB: string;
let managerB: { token: string; id: string };
let viewerB: string;
let adminDemo: string;
const vehicles: Record<'fence' | 'speed' | 'plain' | 'battery' | 'ghost', any> = {} as never;
let fence: any;
const live = { alerts: [] as AlertDto[], read: [] as AlertReadEvent[], deleted: [] as AlertDeletedEvent[], restored: [] as AlertRestoredEvent[] };

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Positions for one vehicle over REST (admin JWT), one second apart, ending a little before now. */
async function send(vehicle: any, fixes: Array<Partial<{ lng: number; lat: number; speed: number; battery: number }>>): Promise<void> {
  const t0 = Date.now() - 60_000;
  sent[vehicle.id] = Math.max(sent[vehicle.id] ?? 0, t0) + 1;
  const body = fixes.map((f, i) => ({ vehicleId: vehicle.id, lng: 21.5, lat: 50.5, timestamp: sent[vehicle.id]! + i * 1000, accuracy: 5, ...f }));
  sent[vehicle.id]! += fixes.length * 1000;
  const result = await api('/api/v1/positions', { token: adminB, body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  expect(result.body.accepted).toBe(fixes.length);
}
const sent: Record<string, number> = {};

const alertsOf = async (query: string, token = adminB): Promise<AlertListResult> => {
  const result = await api(`/api/v1/alerts?${query}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
};
const liveFor = (vehicleId: string, type: string) => live.alerts.filter((a) => a.vehicleId === vehicleId && a.type === type);

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  adminDemo = (await login(...DEMO.admin)).token;
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  for (const role of ['manager', 'viewer'] as const) {
    const created = await api('/api/v1/users', { token: adminB, body: { email: `${role}-${suffix}@rival.example`, name: `Alert ${role}`, password: `${role}-password-1`, role } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  const manager = await login(`manager-${suffix}@rival.example`, 'manager-password-1');
  managerB = { token: manager.token, id: manager.user.id };
  viewerB = (await login(`viewer-${suffix}@rival.example`, 'viewer-password-1')).token;
  const specs = {
    fence: { name: 'Alert Runner' },
    speed: { name: 'Speedster', attributes: { speedLimitKmh: 80 } },
    plain: { name: 'Plain Van' },
    battery: { name: 'Low Cell' },
    ghost: { name: 'Ghost' },
  };
  for (const [key, spec] of Object.entries(specs)) {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { ...spec, deviceId: `alerts-${key}-${suffix}` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    vehicles[key as keyof typeof vehicles] = created.body.vehicle;
  }
  const dashboard = await connect('/fleet', adminB);
  sockets.push(dashboard);
  dashboard.on('alert', (a: AlertDto) => live.alerts.push(a));
  dashboard.on('alert:read', (e: AlertReadEvent) => live.read.push(e));
  dashboard.on('alert:deleted', (e: AlertDeletedEvent) => live.deleted.push(e));
  dashboard.on('alert:restored', (e: AlertRestoredEvent) => live.restored.push(e));
  const ack = await dashboard.timeout(10_000).emitWithAck('subscribe', { scope: 'fleet' });
  expect(ack.ok).toBe(true);
});

// A 1 km square far from every other test's vehicles.
const square = [[[21.0, 51.0], [21.014, 51.0], [21.014, 51.009], [21.0, 51.009], [21.0, 51.0]]];

describe('geofence alerts', () => {
  let entry: AlertDto;

  it('entering a restricted zone raises a high alert that arrives live and is listed', async () => {
    const created = await api('/api/v1/geofences', {
      token: adminB,
      body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: { name: `Apron ${suffix}`, type: 'RESTRICTED_ZONE', alertOnExit: false } },
    });
    expect(created.status).toBe(201);
    fence = created.body.geofence;
    expect(fence.properties.severity).toBe('high');

    await send(vehicles.fence, [{ lng: 20.99, lat: 51.004 }, { lng: 21.007, lat: 51.004 }]);
    entry = await waitUntil(() => liveFor(vehicles.fence.id, 'geofence_violation')[0], 'the live alert');
    expect(entry).toMatchObject({
      type: 'geofence_violation',
      severity: 'high',
      message: `Alert Runner entered Apron ${suffix} (restricted zone)`,
      vehicleId: vehicles.fence.id,
      geofenceId: fence.id,
      position: { lng: 21.007, lat: 51.004 },
      details: { event: 'enter', fenceName: `Apron ${suffix}`, fenceType: 'RESTRICTED_ZONE' },
      readAt: null,
      acknowledgedAt: null,
      acknowledgedBy: null,
    });
    expect(Date.parse(entry.expiresAt) - Date.parse(entry.createdAt)).toBe(24 * 3600 * 1000);

    const listed = await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation`);
    expect(listed.alerts).toEqual([entry]);
    expect(listed.truncated).toBe(false);
    expect(listed.unread.high).toBeGreaterThanOrEqual(1);
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: viewerB })).body.alert).toEqual(entry);
  });

  it('leaving a fence without alertOnExit raises nothing; entering again raises again', async () => {
    await send(vehicles.fence, [{ lng: 21.03, lat: 51.004 }]);
    await pause(500);
    expect(liveFor(vehicles.fence.id, 'geofence_violation')).toHaveLength(1);
    await send(vehicles.fence, [{ lng: 21.007, lat: 51.005 }]);
    await waitUntil(() => liveFor(vehicles.fence.id, 'geofence_violation').length === 2, 'the second entry');
  });

  it('filters by severity, type, read, vehicle, time and limit', async () => {
    // (the vehicle also goes offline while this runs: that alert is another type)
    const v = `vehicleId=${vehicles.fence.id}&type=geofence_violation`;
    const count = async (q: string) => (await alertsOf(`${v}&${q}`)).alerts.length;
    expect(await count('severity=high')).toBe(2);
    expect(await count('severity=low,critical')).toBe(0);
    expect((await alertsOf(`vehicleId=${vehicles.fence.id}&type=speed_violation,low_battery`)).alerts).toEqual([]);
    expect(await count('read=false')).toBe(2);
    expect(await count('read=true')).toBe(0);
    expect(await count(`geofenceId=${fence.id}`)).toBe(2);
    expect(await count(`from=${Date.now() + 60_000}`)).toBe(0);
    expect(await count(`from=${encodeURIComponent(new Date(Date.now() - 120_000).toISOString())}&to=${Date.now() + 1000}`)).toBe(2);
    const first = await alertsOf(`${v}&limit=1`);
    expect(first.truncated).toBe(true);
    expect(first.alerts[0]!.createdAt >= entry.createdAt).toBe(true); // newest first
    expect(first.alerts[0]!.id).not.toBe(entry.id);
  });

  it('mark read (manager) sets readAt once and tells dashboards with alert:read', async () => {
    const before = (await alertsOf('limit=1')).unread.high;
    const marked = await api(`/api/v1/alerts/${entry.id}`, { token: managerB.token, method: 'PATCH', body: { read: true } });
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    expect(marked.body.alert.readAt).toEqual(expect.any(String));
    expect(marked.body.alert.acknowledgedAt).toBeNull();
    const event = await waitUntil(() => live.read.find((e) => e.ids.includes(entry.id)), 'alert:read');
    expect(event).toEqual({ ids: [entry.id], readAt: marked.body.alert.readAt });
    expect((await alertsOf('limit=1')).unread.high).toBe(before - 1);
    expect((await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation&read=true`)).alerts.map((a) => a.id)).toEqual([entry.id]);

    // again: nothing changes, nothing is announced
    const again = await api(`/api/v1/alerts/${entry.id}`, { token: managerB.token, method: 'PATCH', body: { read: true } });
    expect(again.body.alert.readAt).toBe(marked.body.alert.readAt);
    await pause(200);
    expect(live.read.filter((e) => e.ids.includes(entry.id))).toHaveLength(1);
  });

  it('acknowledge records who and when, keeps the first read time, and marks unread alerts read too', async () => {
    const [second] = liveFor(vehicles.fence.id, 'geofence_violation').filter((a) => a.id !== entry.id);
    const readAt = (await api(`/api/v1/alerts/${entry.id}`, { token: adminB })).body.alert.readAt;
    const bulk = await api('/api/v1/alerts', { token: managerB.token, method: 'PATCH', body: { ids: [entry.id, second!.id], acknowledged: true } });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
    expect(bulk.body.ids.sort()).toEqual([entry.id, second!.id].sort());
    const [a, b] = await Promise.all([entry.id, second!.id].map(async (id) => (await api(`/api/v1/alerts/${id}`, { token: viewerB })).body.alert as AlertDto));
    expect(a).toMatchObject({ readAt, acknowledgedBy: managerB.id });
    expect(b).toMatchObject({ acknowledgedBy: managerB.id, acknowledgedAt: a!.acknowledgedAt, readAt: a!.acknowledgedAt });
    const events = await waitUntil(() => {
      const mine = live.read.filter((e) => e.acknowledgedBy === managerB.id);
      return mine.flatMap((e) => e.ids).length === 2 && mine;
    }, 'alert:read with the acknowledgement');
    expect(events.every((e) => e.acknowledgedAt === a!.acknowledgedAt)).toBe(true);
    expect((await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation&acknowledged=false`)).alerts).toEqual([]);
  });

  it('viewers read but cannot change; drivers get none of it; admins and managers can', async () => {
    for (const [method, body] of [['PATCH', { read: true }], ['DELETE', undefined]] as const) {
      const refused = await api(`/api/v1/alerts/${entry.id}`, { token: viewerB, method, body });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect((await api('/api/v1/alerts', { token: viewerB, method: 'DELETE', body: { ids: 'all' } })).status).toBe(403);
    const driver = (await login(...DEMO.driver)).token;
    expect((await api('/api/v1/alerts?limit=1', { token: driver })).status).toBe(403);
    expect((await api('/api/v1/alerts', { token: driver, method: 'PATCH', body: { ids: 'all', read: true } })).status).toBe(403);
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: viewerB })).status).toBe(200); // nothing was deleted
  });

  it("another tenant's alert is NOT_FOUND everywhere", async () => {
    for (const [method, body] of [['GET', undefined], ['PATCH', { read: true }], ['DELETE', undefined]] as const) {
      const result = await api(`/api/v1/alerts/${entry.id}`, { token: adminDemo, method, body });
      expect(result.status).toBe(404);
      expect(result.body.error.code).toBe('NOT_FOUND');
    }
    const bulk = await api('/api/v1/alerts', { token: adminDemo, method: 'DELETE', body: { ids: [entry.id] } });
    expect(bulk.status).toBe(404);
    expect(bulk.body.error.field).toBe('ids.0');
    expect((await api(`/api/v1/alerts?vehicleId=${vehicles.fence.id}`, { token: adminDemo })).status).toBe(404);
    const demoList = await alertsOf('limit=1000', adminDemo);
    expect(demoList.alerts.some((a) => a.vehicleId === vehicles.fence.id)).toBe(false);
    // "all" in the demo tenant cannot reach tenant B's alerts
    expect((await api('/api/v1/alerts', { token: adminDemo, method: 'PATCH', body: { ids: 'all', read: true } })).status).toBe(200);
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: adminB })).status).toBe(200);
  });

  it('bad filters and bodies are VALIDATION_ERROR naming the field; nothing changes', async () => {
    const cases: Array<[string, string]> = [
      ['severity=urgent', 'severity'],
      ['type=fire', 'type'],
      ['read=maybe', 'read'],
      ['vehicleId=42', 'vehicleId'],
      ['from=yesterday', 'from'],
      ['limit=0', 'limit'],
      ['sort=asc', ''],
    ];
    for (const [query, field] of cases) {
      const result = await api(`/api/v1/alerts?${query}`, { token: viewerB });
      expect(result.status, query).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_ERROR');
      if (field) expect(result.body.error.field).toBe(field);
      expect(result.body.error.message).toContain(query.split('=')[0] === 'sort' ? 'unknown field sort' : `${field}:`);
    }
    const bodies: Array<[unknown, string]> = [
      [{ ids: 'all', read: false }, 'read'],
      [{ ids: [entry.id, 'nope'], read: true }, 'ids.1'],
      [{ ids: 'some', read: true }, 'ids'],
      [{ ids: [entry.id] }, ''],
    ];
    for (const [body, field] of bodies) {
      const result = await api('/api/v1/alerts?severity=high', { token: managerB.token, method: 'PATCH', body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_ERROR');
      if (field) expect(result.body.error.field).toBe(field);
    }
    const bad = await api('/api/v1/alerts?severity=urgent', { token: managerB.token, method: 'DELETE', body: { ids: 'all' } });
    expect(bad.status).toBe(400);
    const missing = await api('/api/v1/alerts', { token: managerB.token, method: 'DELETE', body: { ids: [entry.id, '00000000-0000-4000-8000-000000000000'] } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'ids.1' });
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: adminB })).status).toBe(200); // the valid id was not deleted
    expect((await api('/api/v1/alerts/not-an-id', { token: adminB })).status).toBe(404);
  });

  it('undo: deleted alerts come back within the undo time, announced and audited; all or nothing', async () => {
    const entries = (await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation`)).alerts;
    expect(entries.length).toBeGreaterThanOrEqual(2);
    const ids = [entries[0]!.id];
    const deleted = await api('/api/v1/alerts', { token: managerB.token, method: 'DELETE', body: { ids } });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expect(deleted.body.ids.sort()).toEqual([...ids].sort());
    const undoMs = Date.parse(deleted.body.undoUntil) - Date.now();
    expect(undoMs).toBeGreaterThan(5_000); // ALERT_UNDO_SECONDS defaults to 10
    expect(undoMs).toBeLessThanOrEqual(10_000);
    const hidden = await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation`);
    expect(hidden.alerts.map((a) => a.id)).not.toContain(ids[0]);

    // a viewer may not undo; an id that was not deleted makes the whole undo a CONFLICT naming it
    expect((await api('/api/v1/alerts/restore', { token: viewerB, body: { ids } })).status).toBe(403);
    const mixed = await api('/api/v1/alerts/restore', { token: managerB.token, body: { ids: [ids[0], entries[1]!.id] } });
    expect(mixed.status).toBe(409);
    expect(mixed.body.error).toMatchObject({ code: 'CONFLICT', field: 'ids.1' });
    expect((await api(`/api/v1/alerts/${ids[0]}`, { token: adminB })).status).toBe(404); // still deleted
    const bad = await api('/api/v1/alerts/restore', { token: managerB.token, body: { ids: ['nope'] } });
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'ids.0' });
    // another tenant cannot bring them back
    expect((await api('/api/v1/alerts/restore', { token: adminDemo, body: { ids } })).status).toBe(409);

    const restored = await api('/api/v1/alerts/restore', { token: managerB.token, body: { ids } });
    expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    expect(restored.body.alerts.map((a: AlertDto) => a.id).sort()).toEqual([...ids].sort());
    await waitUntil(() => live.restored.some((e) => e.alerts.some((a) => a.id === ids[0])), 'alert:restored');
    expect((await api(`/api/v1/alerts/${ids[0]}`, { token: adminB })).status).toBe(200);
    const log = await api(`/api/v1/events?aggregateId=${ids[0]}&order=asc`, { token: adminB });
    expect(log.body.events.map((e: any) => e.type)).toEqual(expect.arrayContaining(['alert.raised', 'alert.deleted', 'alert.restored']));
    const restoredEvent = log.body.events.find((e: any) => e.type === 'alert.restored');
    expect(restoredEvent.actor).toEqual({ kind: 'user', id: managerB.id });
  });

  it('delete (one, then many) tells dashboards with alert:deleted', async () => {
    const removed = await api(`/api/v1/alerts/${entry.id}`, { token: managerB.token, method: 'DELETE' });
    expect(removed.status).toBe(204);
    await waitUntil(() => live.deleted.some((e) => e.ids.includes(entry.id)), 'alert:deleted');
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: adminB })).status).toBe(404);
    expect((await api(`/api/v1/alerts/${entry.id}`, { token: adminB, method: 'DELETE' })).status).toBe(404);

    const rest = await api(`/api/v1/alerts?vehicleId=${vehicles.fence.id}&type=geofence_violation`, { token: adminB, method: 'DELETE', body: { ids: 'all' } });
    expect(rest.status).toBe(200);
    expect(rest.body.ids).toHaveLength(1);
    await waitUntil(() => live.deleted.some((e) => e.ids.includes(rest.body.ids[0])), 'alert:deleted for the bulk delete');
    expect((await alertsOf(`vehicleId=${vehicles.fence.id}&type=geofence_violation`)).alerts).toEqual([]);
  });
});

describe('position alerts', () => {
  it("speeding raises once per episode, at the vehicle's own limit or the tenant-wide one", async () => {
    await send(vehicles.speed, [{ speed: 60 }, { speed: 90 }, { speed: 100 }, { speed: 95 }]);
    const [first] = await waitUntil(() => liveFor(vehicles.speed.id, 'speed_violation').length > 0 && liveFor(vehicles.speed.id, 'speed_violation'), 'speed alert');
    expect(first).toMatchObject({ severity: 'medium', message: "Speedster is speeding: 90 km/h where the vehicle's limit is 80 km/h", details: { speedKmh: 90, limitKmh: 80, limitSource: 'vehicle' } });
    await pause(300);
    expect(liveFor(vehicles.speed.id, 'speed_violation')).toHaveLength(1);
    await send(vehicles.speed, [{ speed: 70 }, { speed: 85 }, { speed: 81 }]); // ended, then a new episode
    await waitUntil(() => liveFor(vehicles.speed.id, 'speed_violation').length === 2, 'the second episode');
    await pause(300);
    expect(liveFor(vehicles.speed.id, 'speed_violation').map((a) => a.details.speedKmh)).toEqual([90, 85]);

    await send(vehicles.plain, [{ speed: 100 }, { speed: 119 }, { speed: 125 }, { speed: 130 }]);
    const plain = await waitUntil(() => liveFor(vehicles.plain.id, 'speed_violation')[0], 'default-limit alert');
    expect(plain.details).toEqual({ speedKmh: 125, limitKmh: 120, limitSource: 'tenant' });

    // a changed limit applies at once
    expect((await api(`/api/v1/vehicles/${vehicles.plain.id}`, { token: adminB, method: 'PATCH', body: { attributes: { speedLimitKmh: 60 } } })).status).toBe(200);
    await send(vehicles.plain, [{ speed: 50 }, { speed: 70 }]);
    await waitUntil(() => liveFor(vehicles.plain.id, 'speed_violation').length === 2, 'alert at the new limit');
    expect(liveFor(vehicles.plain.id, 'speed_violation')[1]!.details).toEqual({ speedKmh: 70, limitKmh: 60, limitSource: 'vehicle' });
    expect((await alertsOf(`vehicleId=${vehicles.speed.id}&type=speed_violation`)).alerts).toHaveLength(2);
  });

  it('a low battery raises once per episode, re-armed above the threshold + 5', async () => {
    await send(vehicles.battery, [{ battery: 50 }, { battery: 14 }, { battery: 10 }, { battery: 16 }, { battery: 12 }]);
    await waitUntil(() => liveFor(vehicles.battery.id, 'low_battery').length > 0, 'battery alert');
    await pause(300);
    expect(liveFor(vehicles.battery.id, 'low_battery').map((a) => a.details.battery)).toEqual([14]);
    await send(vehicles.battery, [{ battery: 21 }, { battery: 13 }]);
    await waitUntil(() => liveFor(vehicles.battery.id, 'low_battery').length === 2, 'the second battery episode');
    expect(liveFor(vehicles.battery.id, 'low_battery')[1]).toMatchObject({ severity: 'medium', message: 'Low Cell battery is low: 13 % (below 15 %)' });
  });

  it('a vehicle that goes silent raises vehicle_offline once', async () => {
    await send(vehicles.ghost, [{}]);
    // OFFLINE_AFTER_S=5 in the harness, presence swept every 5 s
    const [offline] = await waitUntil(() => liveFor(vehicles.ghost.id, 'vehicle_offline').length > 0 && liveFor(vehicles.ghost.id, 'vehicle_offline'), 'offline alert', 20_000);
    expect(offline).toMatchObject({ severity: 'medium', position: { lng: 21.5, lat: 50.5 } });
    expect(offline!.message).toMatch(/^Ghost went offline: no position for \d+ s$/);
    await pause(6000); // another sweep: still offline, no second alert
    expect(liveFor(vehicles.ghost.id, 'vehicle_offline')).toHaveLength(1);
    expect((await alertsOf(`vehicleId=${vehicles.ghost.id}&type=vehicle_offline`)).alerts).toHaveLength(1);
  }, 40_000);
});

describe('expiry', () => {
  // Its own server with a TTL of 3.6 s (ALERT_TTL_HOURS may be fractional).
  let server: RunningServer | null = null;
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await fresh?.drop();
  });

  it('an expired alert disappears from reads and is announced as deleted', async () => {
    fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    server = await startServer(serverEnv(tempDir('alerts-ttl'), fresh?.url, { ALERT_TTL_HOURS: '0.001' }));
    const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: DEMO.admin[0], password: DEMO.admin[1] } });
    const [vehicle] = (await fetchJson(server.url, '/api/v1/vehicles', { token })).vehicles;
    const dashboard = io(`${server.url}/fleet`, { auth: { token }, transports: ['websocket'], forceNew: true });
    sockets.push(dashboard);
    const raised: AlertDto[] = [];
    const deleted: string[] = [];
    dashboard.on('alert', (a: AlertDto) => raised.push(a));
    dashboard.on('alert:deleted', (e: AlertDeletedEvent) => deleted.push(...e.ids));
    expect((await dashboard.timeout(10_000).emitWithAck('subscribe', { scope: 'fleet' })).ok).toBe(true);

    const ack = await fetchJson(server.url, '/api/v1/positions', { token, body: { vehicleId: vehicle.id, lng: 13.4, lat: 52.5, timestamp: Date.now(), speed: 200 } });
    expect(ack.accepted).toBe(1);
    const alert = await waitUntil(() => raised.find((a) => a.vehicleId === vehicle.id && a.type === 'speed_violation'), 'speed alert');
    expect(Date.parse(alert.expiresAt) - Date.parse(alert.createdAt)).toBe(3600);
    const listed = await fetchJson(server.url, `/api/v1/alerts?vehicleId=${vehicle.id}`, { token });
    expect(listed.alerts.map((a: AlertDto) => a.id)).toContain(alert.id);

    await waitUntil(() => deleted.includes(alert.id), 'alert:deleted by expiry', 10_000);
    const after = await fetchJson(server.url, `/api/v1/alerts?vehicleId=${vehicle.id}`, { token });
    expect(after.alerts.map((a: AlertDto) => a.id)).not.toContain(alert.id);
    expect((await fetchJson(server.url, `/api/v1/alerts/${alert.id}`, { token })).error.code).toBe('NOT_FOUND');
  }, 180_000);

  it('a deleted alert cannot be restored after ALERT_UNDO_SECONDS (removed for good)', async () => {
    await server?.stop('SIGKILL');
    server = await startServer(serverEnv(tempDir('alerts-undo'), fresh?.url, { ALERT_UNDO_SECONDS: '1' }));
    const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: DEMO.admin[0], password: DEMO.admin[1] } });
    const [vehicle] = (await fetchJson(server.url, '/api/v1/vehicles', { token })).vehicles;
    // slow first: the vehicle's speeding episode from the test before (same database) ends, a new one begins
    const slowThenFast = [{ speed: 5, timestamp: Date.now() - 1000 }, { speed: 200, timestamp: Date.now() }].map((f) => ({ vehicleId: vehicle.id, lng: 13.4, lat: 52.5, ...f }));
    expect((await fetchJson(server.url, '/api/v1/positions', { token, body: slowThenFast })).accepted).toBe(2);
    const alert = await waitUntil(async () => (await fetchJson(server!.url, `/api/v1/alerts?vehicleId=${vehicle.id}&type=speed_violation`, { token })).alerts[0], 'speed alert');
    const first = await fetchJson(server.url, '/api/v1/alerts', { token, method: 'DELETE', body: { ids: [alert.id] } });
    expect(first.ids).toEqual([alert.id]);
    expect((await fetchJson(server.url, '/api/v1/alerts/restore', { token, body: { ids: [alert.id] } })).alerts[0].id).toBe(alert.id);
    await fetchJson(server.url, '/api/v1/alerts', { token, method: 'DELETE', body: { ids: [alert.id] } });
    await pause(2_500); // past the undo time and the removal that follows it
    const late = await fetchJson(server.url, '/api/v1/alerts/restore', { token, body: { ids: [alert.id] } });
    expect(late.error).toMatchObject({ code: 'CONFLICT', field: 'ids.0' });
  }, 180_000);
});
