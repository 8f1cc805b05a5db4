import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineMeters } from '../../server/simulator/path-walker';
import { api, connect, DEMO, emitAck, login, waitUntil } from './client';
import { TENANT_B } from './context';

/**
 * Routes over REST against the real server and PostGIS. Writes go to tenant B (its own admin and
 * vehicles); the demo tenant checks reads, refusals and isolation. Every test creates what it needs.
 */
let adminB: string;
let admin: string;
let manager: string;
let viewer: string;
let vehiclesB: string[];
let editorB: Socket;
const seen: Array<{ event: string; payload: any }> = [];

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  viewer = (await login(...DEMO.viewer)).token;
  const created = await api('/api/v1/vehicles', {
    token: adminB,
    body: [1, 2, 3].map((n) => ({ name: `Route van ${n}`, deviceId: `routes-test-${n}` })),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  vehiclesB = created.body.vehicles.map((v: any) => v.id);
  // An editor: connected to /fleet without subscribing to any vehicles.
  editorB = await connect('/fleet', adminB);
  for (const event of ['route:changed', 'route:removed']) editorB.on(event, (payload: unknown) => seen.push({ event, payload }));
});

afterAll(() => editorB?.close());

const line = (name: string, coordinates: number[][] = [[13.4, 52.5], [13.41, 52.5], [13.41, 52.51]], properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'LineString', coordinates },
  properties: { name, ...properties },
});

async function create(body: unknown) {
  const result = await api('/api/v1/routes', { token: adminB, body });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.route;
}



describe('routes: create, read, change, delete', () => {
  it('stores a LineString with its PostGIS length and returns it as a Feature', async () => {
    const coordinates: Array<[number, number]> = [[13.4, 52.5], [13.41, 52.5], [13.41, 52.51]];
    const route = await create(line('Ring A', coordinates, { color: '#FF8800', attributes: { source: 'test.gpx' } }));
    expect(route).toMatchObject({
      type: 'Feature',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      geometry: { type: 'LineString', coordinates },
      properties: { name: 'Ring A', color: '#ff8800', attributes: { source: 'test.gpx' }, vehicleIds: [] },
    });
    const expected = haversineMeters(coordinates[0]!, coordinates[1]!) + haversineMeters(coordinates[1]!, coordinates[2]!);
    expect(Math.abs(route.properties.lengthM / expected - 1)).toBeLessThan(0.005);

    const read = await api(`/api/v1/routes/${route.id}`, { token: adminB });
    expect(read.status).toBe(200);
    expect(read.body.route).toEqual(route);
    const list = await api('/api/v1/routes', { token: adminB });
    expect(list.body.routes.map((r: any) => r.id)).toContain(route.id);
  });

  it('announces creation, changes and removal on /fleet to an editor that watches no vehicles', async () => {
    const route = await create(line('Announced'));
    await waitUntil(() => seen.find((s) => s.event === 'route:changed' && s.payload.id === route.id), 'route:changed on create');
    const patched = await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PATCH', body: { properties: { name: 'Announced 2' } } });
    expect(patched.status).toBe(200);
    await waitUntil(() => seen.find((s) => s.event === 'route:changed' && s.payload.properties.name === 'Announced 2'), 'route:changed on patch');
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'DELETE' })).status).toBe(204);
    await waitUntil(() => seen.find((s) => s.event === 'route:removed' && s.payload.id === route.id), 'route:removed');
  });

  it('PUT replaces, PATCH merges and recomputes the length, DELETE removes', async () => {
    const route = await create(line('Replace me'));
    const put = await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PUT', body: line('Replaced', [[13.3, 52.4], [13.3, 52.41]]) });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.route.properties).toMatchObject({ name: 'Replaced', color: '#2563eb' });
    expect(Math.abs(put.body.route.properties.lengthM - haversineMeters([13.3, 52.4], [13.3, 52.41]))).toBeLessThan(10);

    const patch = await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PATCH', body: { geometry: { type: 'LineString', coordinates: [[13.3, 52.4], [13.3, 52.42]] } } });
    expect(patch.status).toBe(200);
    expect(patch.body.route.properties.name).toBe('Replaced');
    expect(patch.body.route.properties.lengthM).toBeGreaterThan(put.body.route.properties.lengthM * 1.9);

    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB })).status).toBe(404);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'DELETE' })).status).toBe(404);
  });
});

describe('routes: invalid input is refused with the reason, nothing stored', () => {
  const cases: Array<[string, unknown, number, string, string?]> = [
    ['one position', line('x', [[13.4, 52.5]]), 400, 'VALIDATION_ERROR', 'geometry.coordinates'],
    ['latitude out of range', line('x', [[13.4, 52.5], [13.4, 95]]), 400, 'VALIDATION_ERROR', 'geometry.coordinates.1'],
    ['[lat, lng] swapped beyond range', line('x', [[52.5, 13.4], [52.5, 200]]), 400, 'VALIDATION_ERROR', 'geometry.coordinates.1'],
    ['a polygon', { type: 'Feature', geometry: { type: 'Polygon', coordinates: [] }, properties: { name: 'x' } }, 400, 'VALIDATION_ERROR', 'geometry.type'],
    ['no name', line(''), 400, 'VALIDATION_ERROR', 'properties.name'],
    ['a bad color', line('x', undefined, { color: 'red' }), 400, 'VALIDATION_ERROR', 'properties.color'],
    ['the same point repeated', line('x', [[13.4, 52.5], [13.4, 52.5], [13.4, 52.5]]), 422, 'INVALID_GEOMETRY', 'geometry'],
  ];
  it.each(cases)('%s', async (_what, body, status, code, field) => {
    const before = (await api('/api/v1/routes', { token: adminB })).body.routes.length;
    const result = await api('/api/v1/routes', { token: adminB, body });
    expect(result.status, JSON.stringify(result.body)).toBe(status);
    expect(result.body.error).toMatchObject({ code, ...(field ? { field } : {}) });
    expect((await api('/api/v1/routes', { token: adminB })).body.routes.length).toBe(before);
  });

  it('names PostGIS reason and location for a degenerate line', async () => {
    const result = await api('/api/v1/routes', { token: adminB, body: line('x', [[13.4, 52.5], [13.4, 52.5]]) });
    expect(result.status).toBe(422);
    expect(result.body.error.message).toMatch(/Too few points.* at \[13\.4, 52\.5\]/);
  });

  it('an invalid PATCH leaves the route as it was', async () => {
    const route = await create(line('Keep me'));
    const bad = await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PATCH', body: { geometry: { type: 'LineString', coordinates: [[1, 1], [1, 1]] } } });
    expect(bad.status).toBe(422);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB })).body.route).toEqual(route);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PATCH', body: {} })).status).toBe(400);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB, method: 'PATCH', raw: '{not json' })).status).toBe(400);
  });
});

describe('routes: vehicles', () => {
  it('assigns vehicles, moves a vehicle from its old route, and unassigns', async () => {
    const a = await create(line('Assign A'));
    const b = await create(line('Assign B'));
    const first = await api(`/api/v1/routes/${a.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[0], vehiclesB[1]] } });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.route.properties.vehicleIds).toEqual([vehiclesB[0], vehiclesB[1]].sort());

    // Vehicle 1 moves to B: A keeps only vehicle 0, and A's watchers hear about it.
    seen.length = 0;
    const second = await api(`/api/v1/routes/${b.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[1]] } });
    expect(second.body.route.properties.vehicleIds).toEqual([vehiclesB[1]]);
    expect((await api(`/api/v1/routes/${a.id}`, { token: adminB })).body.route.properties.vehicleIds).toEqual([vehiclesB[0]]);
    await waitUntil(() => seen.find((s) => s.event === 'route:changed' && s.payload.id === a.id && s.payload.properties.vehicleIds.length === 1), 'A changed');

    const cleared = await api(`/api/v1/routes/${a.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [] } });
    expect(cleared.body.route.properties.vehicleIds).toEqual([]);

    // Deleting route B frees its vehicle: it can be assigned again.
    expect((await api(`/api/v1/routes/${b.id}`, { token: adminB, method: 'DELETE' })).status).toBe(204);
    const again = await api(`/api/v1/routes/${a.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[1]] } });
    expect(again.body.route.properties.vehicleIds).toEqual([vehiclesB[1]]);
  });

  it('refuses another tenant\'s vehicle, unknown ids and repeats, changing nothing', async () => {
    const route = await create(line('Strict'));
    await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[2]] } });
    const demoVehicle = (await api('/api/v1/vehicles', { token: admin })).body.vehicles[0].id;
    const foreign = await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[0], demoVehicle] } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'vehicleIds.1' });
    const malformed = await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: ['nope'] } });
    expect(malformed.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'vehicleIds.0' });
    const repeated = await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehiclesB[0], vehiclesB[0]] } });
    expect(repeated.status).toBe(400);
    expect((await api(`/api/v1/routes/${route.id}`, { token: adminB })).body.route.properties.vehicleIds).toEqual([vehiclesB[2]]);
  });
});

describe('routes: roles and tenants', () => {
  it('managers and viewers read but cannot write; another tenant sees nothing', async () => {
    const demoRoute = await api('/api/v1/routes', { token: admin, body: line('Demo route') });
    expect(demoRoute.status).toBe(201);
    const id = demoRoute.body.route.id;
    for (const token of [manager, viewer]) {
      expect((await api('/api/v1/routes', { token })).body.routes.map((r: any) => r.id)).toContain(id);
      expect((await api('/api/v1/routes', { token, body: line('nope') })).status).toBe(403);
      expect((await api(`/api/v1/routes/${id}`, { token, method: 'PATCH', body: { properties: { name: 'nope' } } })).status).toBe(403);
      expect((await api(`/api/v1/routes/${id}/vehicles`, { token, method: 'PUT', body: { vehicleIds: [] } })).status).toBe(403);
      expect((await api(`/api/v1/routes/${id}`, { token, method: 'DELETE' })).status).toBe(403);
    }
    expect((await api('/api/v1/routes')).status).toBe(401);

    expect((await api(`/api/v1/routes/${id}`, { token: adminB })).status).toBe(404);
    expect((await api(`/api/v1/routes/${id}`, { token: adminB, method: 'PUT', body: line('stolen') })).status).toBe(404);
    expect((await api(`/api/v1/routes/${id}`, { token: adminB, method: 'DELETE' })).status).toBe(404);
    expect((await api('/api/v1/routes', { token: adminB })).body.routes.map((r: any) => r.id)).not.toContain(id);
    expect((await api(`/api/v1/routes/${id}`, { token: admin })).body.route.properties.name).toBe('Demo route');
    expect((await api('/api/v1/routes/not-a-uuid', { token: admin })).status).toBe(404);
    expect((await api(`/api/v1/routes/${id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
  });
});

describe('routes: off route', () => {
  it('a vehicle on a route is off route beyond OFF_ROUTE_METERS and back on near it: live events, snapshots, unassigning', async () => {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { name: 'Route van 4', deviceId: 'routes-test-4' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const vehicleId: string = created.body.vehicle.id;
    const dashboard = await connect('/fleet', adminB);
    const events: Array<{ id: string; offRoute: boolean }> = [];
    dashboard.on('vehicle:route', (event) => events.push(event));
    // vehicle:route also carries progress: keep the changes of offRoute (a vehicle starts on it)
    const mine = () =>
      events
        .filter((e) => e.id === vehicleId)
        .map((e) => e.offRoute)
        .filter((off, i, all) => off !== (i === 0 ? false : all[i - 1]));
    // replays (older than a minute) pass the per-vehicle rate limit back to back
    const t0 = Date.now() - 120_000;
    let n = 0;
    const at = async (lat: number) => {
      const result = await api('/api/v1/positions', { token: adminB, body: { vehicleId, lng: 13.405, lat, timestamp: t0 + n++ * 1000, accuracy: 5 } });
      expect(result.body.accepted, JSON.stringify(result.body)).toBe(1);
    };
    try {
      expect((await emitAck<any>(dashboard, 'subscribe', { scope: 'fleet' })).ok).toBe(true);
      await at(52.5003); // before it has a route: nothing to be off
      // the route's first leg runs east along 52.5° N through 13.405
      const route = await create(line('Off-route check'));
      await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [vehicleId] } });
      await at(52.5008); // 89 m north: still on (OFF_ROUTE_METERS 100)
      await at(52.502); // 222 m: off
      await waitUntil(() => mine().length === 1, 'off route');
      expect(mine()).toEqual([true]);

      // a dashboard that subscribes now gets it in the snapshot
      const late = await connect('/fleet', adminB);
      const ack = await emitAck<any>(late, 'subscribe', { scope: 'fleet' });
      late.close();
      expect(ack.vehicles.find((v: any) => v.id === vehicleId).offRoute).toBe(true);

      await at(52.5008); // 89 m: not back yet (needs 75 m)
      await at(52.5005); // 56 m: back on
      await waitUntil(() => mine().length === 2, 'back on route');
      await at(52.503); // off again, then the route lets it go: no route, not off route
      await waitUntil(() => mine().length === 3, 'off route again');
      await api(`/api/v1/routes/${route.id}/vehicles`, { token: adminB, method: 'PUT', body: { vehicleIds: [] } });
      await waitUntil(() => mine().length === 4, 'unassigned');
      expect(mine()).toEqual([true, false, true, false]);
    } finally {
      dashboard.close();
    }
  });
});
