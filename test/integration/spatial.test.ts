import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionsAck } from '../../server/protocol/position';
import type { HistoryFeatureCollection, SpatialVehiclesResult } from '../../server/protocol/spatial';
import { api, connect, DEMO, emitAck, login } from './client';
import { TENANT_B } from './context';

/**
 * Spatial queries against the real server. Tenant B's vehicles for these tests stand around
 * Santiago de Chile, far from every other test's vehicles (Berlin) and the demo fleet (Baltimore), so membership is exact.
 */
const EARTH_RADIUS_M = 6_371_008.8;
function haversine(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

// Where each vehicle ends up (its current state).
const PLACES = {
  alpha: { lng: -70.65, lat: -33.45 }, // the centre; also has a history track
  bravo: { lng: -70.64, lat: -33.45 }, // on the polygon's east edge
  charlie: { lng: -70.65, lat: -33.43 }, // on the box's north edge
  echo: { lng: -70.66, lat: -33.455 }, // on the box's west edge
  edge: { lng: -70.63, lat: -33.44 }, // on the box's east edge
  outside: { lng: -70.6299, lat: -33.44 }, // just east of the box
  delta: { lng: -70.6, lat: -33.4 }, // nearest-query origin
  east: { lng: -70.589, lat: -33.4 }, // 0.011° east of delta ≈ 1021 m
  north: { lng: -70.6, lat: -33.3905 }, // 0.0095° north of delta ≈ 1056 m: nearer in degrees, farther in meters
} as const;
type Name = keyof typeof PLACES;
const BBOX = '-70.66,-33.46,-70.63,-33.43';

const sockets: Socket[] = [];
let adminB: string;
let managerA: string;
let viewerA: string;
let driverA: string;
const ids = {} as Record<Name, string>;
const nameOf = new Map<string, Name>();
const HISTORY_BASE = Date.now() - 20 * 60_000; // history positions: base + i minutes, i = 0..5

const names = (result: SpatialVehiclesResult) => result.vehicles.map((v) => nameOf.get(v.id) ?? `other:${v.name}`);

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  managerA = (await login(...DEMO.manager)).token;
  viewerA = (await login(...DEMO.viewer)).token;
  driverA = (await login(...DEMO.driver)).token;
  // Several positions per vehicle in a row; the rate limit has its own tests.
  expect((await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } })).status).toBe(200);
  const suffix = Date.now().toString(36);
  for (const name of Object.keys(PLACES) as Name[]) {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { name: `Spatial ${name}`, plate: `S-${name}`, type: 'car', deviceId: `spatial-${name}-${suffix}` } });
    expect(created.status).toBe(201);
    ids[name] = created.body.vehicle.id;
    nameOf.set(created.body.vehicle.id, name);
  }
  const gateway = await connect('/driver', adminB);
  sockets.push(gateway);
  // alpha's track, sent out of order: it wanders east and ends at its place.
  const track = [0, 1, 2, 3, 4, 5].map((i) => ({
    vehicleId: ids.alpha,
    lng: PLACES.alpha.lng - (5 - i) * 0.001,
    lat: PLACES.alpha.lat,
    timestamp: HISTORY_BASE + i * 60_000,
    speed: 10 * i,
    heading: 90,
    battery: 90 - i,
    accuracy: 3 + i,
  }));
  const ackTrack = await emitAck<PositionsAck>(gateway, 'positions', [track[3], track[0], track[5], track[1], track[4], track[2]]);
  expect(ackTrack).toEqual({ accepted: 6, rejected: [] });
  const now = Date.now();
  const others = (Object.keys(PLACES) as Name[])
    .filter((n) => n !== 'alpha')
    .map((n, i) => ({ vehicleId: ids[n], ...PLACES[n], timestamp: now - 1000 - i, speed: 5, heading: 180, battery: 50 }));
  const ack = await emitAck<PositionsAck>(gateway, 'positions', others);
  expect(ack).toEqual({ accepted: others.length, rejected: [] });
});

afterAll(() => sockets.forEach((s) => s.close()));

describe('GET /api/v1/spatial/within?bbox', () => {
  it('finds exactly the vehicles in the box, edges included, with their state', async () => {
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/within?bbox=${BBOX}`, { token: adminB });
    expect(result.status).toBe(200);
    expect(new Set(names(result.body))).toEqual(new Set(['alpha', 'bravo', 'charlie', 'echo', 'edge']));
    expect(result.body.truncated).toBe(false);
    const bravo = result.body.vehicles.find((v) => v.id === ids.bravo)!;
    expect(bravo).toEqual({
      id: ids.bravo,
      name: 'Spatial bravo',
      plate: 'S-bravo',
      type: 'car',
      lng: PLACES.bravo.lng,
      lat: PLACES.bravo.lat,
      speed: 5,
      heading: 180,
      battery: 50,
      ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    // alpha's state is its newest position, whatever order the track arrived in
    expect(result.body.vehicles.find((v) => v.id === ids.alpha)).toMatchObject({ ...PLACES.alpha, speed: 50, ts: new Date(HISTORY_BASE + 5 * 60_000).toISOString() });
  });

  it('answers in name order and says when the limit cut the answer', async () => {
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/within?bbox=${BBOX}&limit=2`, { token: adminB });
    expect(names(result.body)).toEqual(['alpha', 'bravo']);
    expect(result.body.truncated).toBe(true);
  });

  it('accepts viewers and refuses drivers and anonymous callers', async () => {
    expect((await api(`/api/v1/spatial/within?bbox=${BBOX}`, { token: viewerA })).status).toBe(200);
    const driver = await api(`/api/v1/spatial/within?bbox=${BBOX}`, { token: driverA });
    expect(driver.status).toBe(403);
    expect(driver.body.error.code).toBe('FORBIDDEN');
    expect((await api(`/api/v1/spatial/within?bbox=${BBOX}`)).status).toBe(401);
  });
});

describe('POST /api/v1/spatial/within (polygon)', () => {
  const square = [[-70.655, -33.46], [-70.64, -33.46], [-70.64, -33.44], [-70.655, -33.44], [-70.655, -33.46]];
  const hole = [[-70.652, -33.452], [-70.652, -33.448], [-70.648, -33.448], [-70.648, -33.452], [-70.652, -33.452]];

  it('finds exactly the vehicles inside or on the boundary', async () => {
    const result = await api<SpatialVehiclesResult>('/api/v1/spatial/within', { token: adminB, body: { polygon: { type: 'Polygon', coordinates: [square] } } });
    expect(result.status).toBe(200);
    expect(names(result.body)).toEqual(['alpha', 'bravo']);
  });

  it('leaves out vehicles in a hole', async () => {
    const result = await api<SpatialVehiclesResult>('/api/v1/spatial/within', { token: adminB, body: { polygon: { type: 'Polygon', coordinates: [square, hole] } } });
    expect(names(result.body)).toEqual(['bravo']);
  });

  it('reports PostGIS’s reason for a self-intersecting polygon', async () => {
    const bowtie = [[-70.66, -33.46], [-70.64, -33.44], [-70.64, -33.46], [-70.66, -33.44], [-70.66, -33.46]];
    const result = await api('/api/v1/spatial/within', { token: adminB, body: { polygon: { type: 'Polygon', coordinates: [bowtie] } } });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'polygon' });
    expect(result.body.error.message).toMatch(/^polygon: invalid polygon: Self-intersection\[-70\.6[45]\d* -33\.4[45]\d*\]/);
  });
});

describe('GET /api/v1/spatial/nearby', () => {
  it('finds the vehicles within the radius, nearest first, with great-circle meters', async () => {
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/nearby?lng=${PLACES.alpha.lng}&lat=${PLACES.alpha.lat}&radius=1500`, { token: adminB });
    expect(result.status).toBe(200);
    const expected = (Object.keys(PLACES) as Name[])
      .map((n) => ({ n, d: haversine(PLACES.alpha, PLACES[n]) }))
      .filter((e) => e.d <= 1500)
      .sort((a, b) => a.d - b.d);
    expect(expected.map((e) => e.n)).toEqual(['alpha', 'bravo', 'echo']);
    expect(names(result.body)).toEqual(expected.map((e) => e.n));
    result.body.vehicles.forEach((v, i) => expect(Math.abs(v.distanceMeters! - expected[i]!.d)).toBeLessThan(1));
  });

  it('honours the limit', async () => {
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/nearby?lng=${PLACES.alpha.lng}&lat=${PLACES.alpha.lat}&radius=1500&limit=2`, { token: adminB });
    expect(names(result.body)).toEqual(['alpha', 'bravo']);
    expect(result.body.truncated).toBe(true);
  });
});

describe('GET /api/v1/spatial/nearest', () => {
  it('orders by meters, not degrees', async () => {
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/nearest?lng=${PLACES.delta.lng}&lat=${PLACES.delta.lat}&k=2`, { token: adminB });
    expect(result.status).toBe(200);
    // `north` is nearer in degrees (0.0095° < 0.011°) but farther in meters.
    expect(names(result.body)).toEqual(['delta', 'east']);
  });

  it('returns the k nearest with distances matching haversine', async () => {
    const origin = { lng: -70.646, lat: -33.447 }; // no two vehicles equally far (ties are broken by id)
    const result = await api<SpatialVehiclesResult>(`/api/v1/spatial/nearest?lng=${origin.lng}&lat=${origin.lat}&k=5`, { token: adminB });
    const expected = (Object.keys(PLACES) as Name[]).map((n) => ({ n, d: haversine(origin, PLACES[n]) })).sort((a, b) => a.d - b.d).slice(0, 5);
    expect(names(result.body)).toEqual(expected.map((e) => e.n));
    result.body.vehicles.forEach((v, i) => expect(Math.abs(v.distanceMeters! - expected[i]!.d)).toBeLessThan(1));
  });
});

describe('GET /api/v1/vehicles/:id/history', () => {
  const at = (i: number) => new Date(HISTORY_BASE + i * 60_000).toISOString();

  it('returns the positions in [from, to) as a track and points, in time order', async () => {
    const result = await api<HistoryFeatureCollection>(`/api/v1/vehicles/${ids.alpha}/history?from=${at(1)}&to=${at(4)}`, { token: adminB });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toContain('application/geo+json');
    const [track, ...points] = result.body.features;
    const coords = [1, 2, 3].map((i) => [PLACES.alpha.lng - (5 - i) * 0.001, PLACES.alpha.lat]);
    expect(result.body.type).toBe('FeatureCollection');
    expect(track).toEqual({
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: coords },
      properties: { kind: 'track', vehicleId: ids.alpha, from: at(1), to: at(4), count: 3, truncated: false },
    });
    expect(points).toEqual(
      [1, 2, 3].map((i, j) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: coords[j] },
        properties: { kind: 'position', ts: at(i), speed: 10 * i, heading: 90, battery: 90 - i, accuracy: 3 + i },
      })),
    );
  });

  it('cuts at the limit and says so; a single position has no track geometry; an empty range is empty', async () => {
    const limited = await api<HistoryFeatureCollection>(`/api/v1/vehicles/${ids.alpha}/history?from=${at(0)}&to=${at(6)}&limit=2`, { token: adminB });
    expect(limited.body.features[0].properties).toMatchObject({ count: 2, truncated: true });
    expect(limited.body.features.slice(1).map((f) => (f.properties as { ts?: string }).ts)).toEqual([at(0), at(1)]);
    const single = await api<HistoryFeatureCollection>(`/api/v1/vehicles/${ids.alpha}/history?from=${at(5)}&to=${at(6)}`, { token: adminB });
    expect(single.body.features).toHaveLength(2);
    expect(single.body.features[0].geometry).toBeNull();
    const empty = await api<HistoryFeatureCollection>(`/api/v1/vehicles/${ids.alpha}/history?from=${at(-10)}&to=${at(-5)}`, { token: adminB });
    expect(empty.status).toBe(200);
    expect(empty.body.features).toEqual([expect.objectContaining({ geometry: null, properties: expect.objectContaining({ count: 0 }) })]);
  });

  it('is NOT_FOUND for unknown ids, malformed ids and another tenant’s vehicle', async () => {
    const range = `from=${at(0)}&to=${at(6)}`;
    for (const [id, token] of [
      [ids.alpha, managerA],
      ['00000000-0000-4000-8000-000000000000', adminB],
      ['not-a-uuid', adminB],
    ] as const) {
      const result = await api(`/api/v1/vehicles/${id}/history?${range}`, { token });
      expect(result.status, id).toBe(404);
      expect(result.body.error.code).toBe('NOT_FOUND');
    }
  });
});

describe('tenant isolation', () => {
  it('another tenant’s manager never sees these vehicles', async () => {
    const mine = new Set(Object.values(ids));
    const results = await Promise.all([
      api<SpatialVehiclesResult>(`/api/v1/spatial/within?bbox=-71,-34,-70,-33`, { token: managerA }),
      api<SpatialVehiclesResult>('/api/v1/spatial/within', {
        token: managerA,
        body: { polygon: { type: 'Polygon', coordinates: [[[-71, -34], [-70, -34], [-70, -33], [-71, -33], [-71, -34]]] } },
      }),
      api<SpatialVehiclesResult>(`/api/v1/spatial/nearby?lng=${PLACES.alpha.lng}&lat=${PLACES.alpha.lat}&radius=100000`, { token: managerA }),
      api<SpatialVehiclesResult>(`/api/v1/spatial/nearest?lng=${PLACES.alpha.lng}&lat=${PLACES.alpha.lat}&k=50`, { token: managerA }),
    ]);
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.body.vehicles.filter((v) => mine.has(v.id))).toEqual([]);
    }
    expect(results[0]!.body.vehicles).toEqual([]);
    expect(results[2]!.body.vehicles).toEqual([]);
    // The nearest vehicles of tenant A are its own (the demo fleet in Baltimore, ≈ 8,000 km away).
    expect(results[3]!.body.vehicles.length).toBeGreaterThan(0);
    expect(results[3]!.body.vehicles[0]!.distanceMeters).toBeGreaterThan(7_000_000);
  });
});

describe('validation errors name their field', () => {
  const cases: Array<[string, string, string]> = [
    ['bbox missing', '/api/v1/spatial/within', 'bbox'],
    ['bbox with three numbers', '/api/v1/spatial/within?bbox=1,2,3', 'bbox'],
    ['bbox not numbers', '/api/v1/spatial/within?bbox=a,b,c,d', 'bbox'],
    ['bbox west > east', '/api/v1/spatial/within?bbox=5,0,1,1', 'bbox'],
    ['bbox latitude out of range', '/api/v1/spatial/within?bbox=0,-91,1,1', 'bbox'],
    ['within limit 0', `/api/v1/spatial/within?bbox=${BBOX}&limit=0`, 'limit'],
    ['within limit too big', `/api/v1/spatial/within?bbox=${BBOX}&limit=100001`, 'limit'],
    ['nearby lng missing', '/api/v1/spatial/nearby?lat=1&radius=10', 'lng'],
    ['nearby lng not a number', '/api/v1/spatial/nearby?lng=east&lat=1&radius=10', 'lng'],
    ['nearby lat out of range', '/api/v1/spatial/nearby?lng=1&lat=100&radius=10', 'lat'],
    ['nearby radius 0', '/api/v1/spatial/nearby?lng=1&lat=1&radius=0', 'radius'],
    ['nearby radius too big', '/api/v1/spatial/nearby?lng=1&lat=1&radius=100001', 'radius'],
    ['nearby radius missing', '/api/v1/spatial/nearby?lng=1&lat=1', 'radius'],
    ['nearby limit not an integer', '/api/v1/spatial/nearby?lng=1&lat=1&radius=10&limit=2.5', 'limit'],
    ['nearest lng out of range', '/api/v1/spatial/nearest?lng=-181&lat=1', 'lng'],
    ['nearest k 0', '/api/v1/spatial/nearest?lng=1&lat=1&k=0', 'k'],
    ['nearest k too big', '/api/v1/spatial/nearest?lng=1&lat=1&k=1001', 'k'],
    ['history from missing', 'HISTORY?to=2026-01-01T00:00:00Z', 'from'],
    ['history from not a time', 'HISTORY?from=yesterday&to=2026-01-01T00:00:00Z', 'from'],
    ['history to missing', 'HISTORY?from=2026-01-01T00:00:00Z', 'to'],
    ['history from after to', 'HISTORY?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['history from equal to', 'HISTORY?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'to'],
    ['history range over 31 days', 'HISTORY?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z', 'to'],
    ['history limit too big', 'HISTORY?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&limit=100001', 'limit'],
  ];
  const polygon = (coordinates: unknown) => ({ polygon: { type: 'Polygon', coordinates } });
  const bodies: Array<[string, unknown, string]> = [
    ['polygon missing', {}, 'polygon'],
    ['polygon not an object', { polygon: 'square' }, 'polygon'],
    ['not a Polygon', { polygon: { type: 'Point', coordinates: [1, 1] } }, 'polygon.type'],
    ['ring not closed', polygon([[[0, 0], [1, 0], [1, 1], [0, 1]]]), 'polygon.coordinates.0'],
    ['ring with 3 positions', polygon([[[0, 0], [1, 0], [0, 0]]]), 'polygon.coordinates.0'],
    ['no rings', polygon([]), 'polygon.coordinates'],
    ['longitude out of range', polygon([[[0, 0], [181, 0], [1, 1], [0, 0]]]), 'polygon.coordinates.0.1.0'],
    ['latitude out of range', polygon([[[0, 0], [1, 0], [1, -91], [0, 0]]]), 'polygon.coordinates.0.2.1'],
    ['position not numbers', polygon([[[0, 0], [1, 'x'], [1, 1], [0, 0]]]), 'polygon.coordinates.0.1.1'],
    ['hole not closed', polygon([[[0, 0], [2, 0], [2, 2], [0, 0]], [[0.5, 0.4], [1, 0.4], [1, 0.6], [0.6, 0.6]]]), 'polygon.coordinates.1'],
    ['unknown field', { ...polygon([[[0, 0], [1, 0], [1, 1], [0, 0]]]), colour: 'red' }, ''],
    ['polygon limit 0', { ...polygon([[[0, 0], [1, 0], [1, 1], [0, 0]]]), limit: 0 }, 'limit'],
  ];

  for (const [what, url, field] of cases) {
    it(what, async () => {
      const result = await api(url.replace('HISTORY', `/api/v1/vehicles/${ids.alpha}/history`), { token: adminB });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
      expect(result.body.error.message).toMatch(new RegExp(`^${field.replaceAll('.', '\\.')}: `));
    });
  }

  for (const [what, body, field] of bodies) {
    it(what, async () => {
      const result = await api('/api/v1/spatial/within', { token: adminB, body });
      expect(result.status).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_ERROR');
      if (field) expect(result.body.error.field).toBe(field);
    });
  }

  it('malformed JSON', async () => {
    const result = await api('/api/v1/spatial/within', { token: adminB, raw: '{"polygon":' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('VALIDATION_ERROR');
  });
});
