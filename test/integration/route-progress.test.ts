import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { destination } from '../../server/geofence/geometry';
import { api, connect, emitAck, fetchJson, login, waitUntil } from './client';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';
import { TENANT_B } from './context';

/**
 * Route progress over the public interfaces: a vehicle of tenant B drives its assigned route
 * (positions over REST, replayed in the past so the rate limit lets them through back to back);
 * progress, status and ETA are read over REST, the /fleet query and `vehicle:route`; the
 * deviation shows as one route_deviation alert and route.deviated / route.rejoined in the log.
 */
let adminB: string;
let dashboard: Socket;
const routeEvents: any[] = [];

// 2 km east from (13.45, 52.45), then 1 km north; a stop at the corner.
const START = { lng: 13.45, lat: 52.45 };
const go = (from: { lng: number; lat: number }, meters: number, bearing: number) => {
  const [lng, lat] = destination(from.lng, from.lat, meters, bearing);
  return { lng, lat };
};
const CORNER = go(START, 2000, 90);
const END = go(CORNER, 1000, 0);
const along = (m: number, leftM = 0) => {
  const p = m <= 2000 ? go(START, m, 90) : go(CORNER, m - 2000, 0);
  return leftM ? go(p, leftM, m <= 2000 ? 0 : 270) : p;
};

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  dashboard = await connect('/fleet', adminB);
  dashboard.on('vehicle:route', (e: unknown) => routeEvents.push(e));
  expect((await emitAck<any>(dashboard, 'subscribe', { scope: 'fleet' })).ok).toBe(true);
});

afterAll(() => dashboard?.close());

describe('route progress', () => {
  it('a vehicle driving its route: progress rises to 1 and the ETA falls; 300 m off raises one alert; coming back rejoins', async () => {
    const made = await api('/api/v1/vehicles', { token: adminB, body: { name: 'Progress van', deviceId: 'route-progress-1' } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const vehicleId: string = made.body.vehicle.id;
    const created = await api('/api/v1/routes', {
      token: adminB,
      body: {
        type: 'Feature',
        geometry: { type: 'LineString', coordinates: [START, CORNER, END].map((p) => [p.lng, p.lat]) },
        properties: { name: 'Progress route', stops: [{ name: 'Corner depot', position: [CORNER.lng, CORNER.lat] }] },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const routeId: string = created.body.route.id;
    expect(created.body.route.properties.stops).toEqual([{ name: 'Corner depot', position: [CORNER.lng, CORNER.lat] }]);
    expect((await api(`/api/v1/routes/${routeId}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehicleId] } })).status).toBe(200);

    const t0 = Date.now() - 30 * 60_000;
    let n = 0;
    const drive = async (p: { lng: number; lat: number }) => {
      const sent = await api('/api/v1/positions', { token: adminB, body: { vehicleId, ...p, timestamp: t0 + n++ * 10_000, speed: 36, accuracy: 5 } });
      expect(sent.body.accepted, JSON.stringify(sent.body)).toBe(1);
    };
    const status = async () => {
      const result = await api(`/api/v1/routes/${routeId}/status`, { token: adminB });
      expect(result.status, JSON.stringify(result.body)).toBe(200);
      return result.body.vehicles.find((v: any) => v.vehicleId === vehicleId);
    };
    const alerts = async () => (await api(`/api/v1/alerts?type=route_deviation&vehicleId=${vehicleId}`, { token: adminB })).body.alerts as any[];
    const events = async (type: string) => (await api(`/api/v1/events?types=${type}&aggregateId=${vehicleId}`, { token: adminB })).body.events as any[];

    // along the first 1.2 km, 100 m per 10 s, 10 m beside the line
    const seen: any[] = [];
    for (let m = 0; m <= 1200; m += 100) {
      await drive(along(m, 10));
      if (m % 400 === 0) seen.push(await waitUntil(async () => ((await status())?.at === t0 + (n - 1) * 10_000 ? status() : null), `status after ${m} m`));
    }
    expect(seen.map((s) => s.status)).toEqual(['IN_TRANSIT', 'IN_TRANSIT', 'IN_TRANSIT', 'IN_TRANSIT']);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].progress).toBeGreaterThan(seen[i - 1].progress);
      expect(seen[i].etaS).toBeLessThan(seen[i - 1].etaS);
    }
    expect(seen[3].progress).toBeCloseTo(0.4, 1);
    expect(seen[3].distanceFromRouteM).toBeCloseTo(10, 0);
    expect(seen[3].nextStop).toMatchObject({ index: 0, name: 'Corner depot', remainingM: expect.closeTo(800, -1) });

    // the /fleet query answers the same
    const queried = await emitAck<any>(dashboard, 'query', { type: 'route_status', routeId });
    expect(queried.vehicles.find((v: any) => v.vehicleId === vehicleId)).toEqual(await status());
    expect((await emitAck<any>(dashboard, 'query', { type: 'route_status', routeId: 'nope' })).error.code).toBe('VALIDATION_ERROR');

    // 300 m off the route, then farther: one alert naming the distance, one route.deviated
    await drive(along(1300, 300));
    await drive(along(1400, 450));
    await drive(along(1500, 320));
    const raised = await waitUntil(async () => ((await alerts()).length > 0 ? alerts() : null), 'route_deviation alert');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ type: 'route_deviation', severity: 'medium', vehicleId });
    expect(raised[0].message).toMatch(/Progress route: 300 m off it/);
    const deviated = await events('route.deviated');
    expect(deviated).toHaveLength(1);
    expect(deviated[0].data).toMatchObject({ routeId, routeName: 'Progress route', deviationMeters: expect.closeTo(300, 0) });
    expect((await status()).status).toBe('OFF_ROUTE');
    await waitUntil(() => routeEvents.some((e) => e.id === vehicleId && e.offRoute === true && e.route?.status === 'OFF_ROUTE'), 'vehicle:route off route');

    // back on it: route.rejoined, the status clears, still one alert
    await drive(along(1600, 20));
    const rejoined = await waitUntil(async () => ((await events('route.rejoined')).length ? events('route.rejoined') : null), 'route.rejoined');
    expect(rejoined[0].data).toMatchObject({ routeId, reason: 'back_on_route', maxDeviationMeters: expect.closeTo(450, 0) });
    await waitUntil(async () => (await status()).status === 'IN_TRANSIT', 'back in transit');
    await waitUntil(() => routeEvents.some((e) => e.id === vehicleId && e.offRoute === false && e.route?.status === 'IN_TRANSIT' && e.route.progress > 0.5), 'vehicle:route back on');
    expect(await alerts()).toHaveLength(1);

    // on to the end: the stop, then completed at 100 %
    for (let m = 1700; m <= 3000; m += 100) await drive(along(m, 5));
    const done = await waitUntil(async () => ((await status())?.status === 'COMPLETED' ? status() : null), 'completed');
    expect(done).toMatchObject({ progress: 1, remainingM: 0, etaS: 0, nextStop: null });
    expect(await events('route.stop_reached')).toMatchObject([{ data: { stopIndex: 0, stopName: 'Corner depot' } }]);
    expect(await events('route.completed')).toHaveLength(1);
    // the dashboard heard the end too
    await waitUntil(() => routeEvents.some((e) => e.id === vehicleId && e.route?.status === 'COMPLETED'), 'vehicle:route completed');

    // another tenant does not see the route
    const demoAdmin = (await login('admin@demo.geofleet.dev', 'demo-admin')).token;
    expect((await api(`/api/v1/routes/${routeId}/status`, { token: demoAdmin })).status).toBe(404);
  });
});

// Its own server and database for the restart (as lifecycle.test.ts does).
const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;

describe('route progress across a restart', () => {
  const dataDir = tempDir('route-progress');
  let server: RunningServer | null = null;
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await fresh?.drop();
  });

  it('an open deviation stays open: no second alert or route.deviated after the restart; the rejoin still comes', async () => {
    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '0' }));
    const call = (path: string, init: { token?: string; body?: unknown; method?: string } = {}) => fetchJson(server!.url, path, init);
    const { token } = await call('/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } });
    const vehicle = (await call('/api/v1/vehicles', { token, body: { name: 'Restart route van', deviceId: 'route-restart' } })).vehicle;
    const route = (await call('/api/v1/routes', { token, body: { type: 'Feature', geometry: { type: 'LineString', coordinates: [START, CORNER, END].map((p) => [p.lng, p.lat]) }, properties: { name: 'Restart route' } } })).route;
    await call(`/api/v1/routes/${route.id}/vehicles`, { token, method: 'PUT', body: { vehicleIds: [vehicle.id] } });
    const t0 = Date.now() - 30 * 60_000;
    let n = 0;
    const drive = async (p: { lng: number; lat: number }) => {
      const sent = await call('/api/v1/positions', { token, body: { vehicleId: vehicle.id, ...p, timestamp: t0 + n++ * 10_000, speed: 36, accuracy: 5 } });
      expect(sent.accepted, JSON.stringify(sent)).toBe(1);
    };
    const count = async () => ({
      alerts: (await call(`/api/v1/alerts?type=route_deviation&vehicleId=${vehicle.id}`, { token })).alerts.length as number,
      deviated: (await call(`/api/v1/events?types=route.deviated&aggregateId=${vehicle.id}`, { token })).events.length as number,
      rejoined: (await call(`/api/v1/events?types=route.rejoined&aggregateId=${vehicle.id}`, { token })).events.length as number,
    });
    await drive(along(200));
    await drive(along(400, 400));
    await waitUntil(async () => (await count()).alerts === 1, 'the alert before the restart');
    expect((await server.stop('SIGINT')).code).toBe(0);

    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '0' }));
    const status = async () => (await call(`/api/v1/routes/${route.id}/status`, { token })).vehicles[0];
    expect(await status()).toMatchObject({ vehicleId: vehicle.id, status: 'OFF_ROUTE', distanceFromRouteM: expect.closeTo(400, 0) });
    await drive(along(500, 500)); // still off
    await new Promise((r) => setTimeout(r, 1000));
    expect(await count()).toEqual({ alerts: 1, deviated: 1, rejoined: 0 });
    await drive(along(600, 10)); // back on
    await waitUntil(async () => (await count()).rejoined === 1, 'rejoined after the restart');
    expect(await count()).toEqual({ alerts: 1, deviated: 1, rejoined: 1 });
    expect((await status()).status).toBe('IN_TRANSIT');
  }, 300_000);
});
