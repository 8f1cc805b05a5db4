import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, DEMO, FleetWatcher, login } from './client';
import { injected, TENANT_B } from './context';

/**
 * The HTTP ways in — REST, OsmAnd (on /api/v1/osmand and on OSMAND_PORT) and OwnTracks — end to
 * end: request → pipeline → database → /fleet. Runs in tenant B with vehicles of its own (device
 * ids unique to this run), and restores every tenant setting it changes.
 */

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const sockets: Socket[] = [];
let adminB: string;
let originalRateLimit: number;
const created: string[] = [];

interface Vehicle {
  id: string;
  deviceId: string;
  deviceToken: string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

let lastTs = 0;
/** A fresh, strictly increasing position time (ms) in the recent past: each position is the newest. */
function ts(): number {
  lastTs = Math.max(Date.now() - 2000, lastTs + 1);
  return lastTs;
}

/** Raw HTTP: any method, headers and body, to any base (main port or the OsmAnd port). */
async function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const response = await fetch(url, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers: init.headers, body: init.body });
  const text = await response.text();
  let body: any = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, text, body };
}

const base = () => injected('baseUrl');
const osmandBase = () => `http://127.0.0.1:${injected('osmandPort')}`;

function rest(body: string, authorization?: string): Promise<Answer> {
  return http(`${base()}/api/v1/positions`, {
    body,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
  });
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function owntracks(body: string, authorization?: string): Promise<Answer> {
  return http(`${base()}/api/v1/owntracks`, {
    body,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
  });
}

async function createVehicle(name: string): Promise<Vehicle> {
  const result = await api('/api/v1/vehicles', { token: adminB, body: { name, deviceId: `proto-${name}-${RUN}` } });
  if (result.status !== 201) throw new Error(`create vehicle failed: ${result.status} ${JSON.stringify(result.body)}`);
  created.push(result.body.vehicle.id);
  return result.body.vehicle;
}

async function state(vehicleId: string): Promise<any> {
  const result = await api(`/api/v1/vehicles/${vehicleId}`, { token: adminB });
  expect(result.status).toBe(200);
  return result.body.vehicle.state;
}

/**
 * A /fleet subscription to one vehicle, decoded as a dashboard decodes it; `next()` resolves with
 * the vehicle's state as the dashboard holds it after the next frame that carries it.
 */
async function watch(vehicleId: string): Promise<{ next(timeoutMs?: number): Promise<Record<string, unknown>> }> {
  const { watcher, ack } = await FleetWatcher.open(adminB, { scope: 'vehicle', id: vehicleId });
  sockets.push(watcher.socket);
  expect(ack.ok).toBe(true);
  return {
    next(timeoutMs = 5000) {
      const frames = watcher.frames.length;
      return watcher.until(() => watcher.frames.length > frames, timeoutMs, `a frame for ${vehicleId}`).then(() => watcher.state.get(vehicleId)!);
    },
  };
}

/** Every answer of a malformed request: a 4xx with a structured error. */
function expectRefused(answer: Answer, what: string): void {
  expect(answer.status, `${what}: ${answer.text}`).toBeGreaterThanOrEqual(400);
  expect(answer.status, `${what}: ${answer.text}`).toBeLessThan(500);
  expect(typeof answer.body?.error?.code, `${what}: ${answer.text}`).toBe('string');
  expect(typeof answer.body?.error?.message, `${what}: ${answer.text}`).toBe('string');
}

async function expectHealthy(): Promise<void> {
  const health = await http(`${base()}/api/health`);
  expect(health.status).toBe(200);
}

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  originalRateLimit = (await api('/api/v1/tenant', { token: adminB })).body.tenant.vehicleRateLimit;
  // Several live positions per vehicle in a row; the per-vehicle rate limit has its own tests.
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
});

afterAll(async () => {
  sockets.forEach((s) => s.close());
  await api('/api/v1/reception', { token: adminB, method: 'PUT', body: { enabled: true } });
  if (typeof originalRateLimit === 'number') await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: originalRateLimit } });
  for (const id of created) await api(`/api/v1/vehicles/${id}`, { token: adminB, method: 'DELETE' });
});

describe('REST POST /api/v1/positions', () => {
  it('stores a device-token position, answers the ack, and streams it to /fleet', async () => {
    const vehicle = await createVehicle('rest');
    const fleet = await watch(vehicle.id);
    const frame = fleet.next();
    const at = ts();
    const answer = await rest(JSON.stringify({ lat: 52.52, lng: 13.405, timestamp: at, speed: 42, heading: 90, battery: 80 }), `Bearer ${vehicle.deviceToken}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 1, rejected: [] });
    // the ack means durable: the state has it right now
    expect(await state(vehicle.id)).toMatchObject({ lat: 52.52, lng: 13.405, speed: 42, heading: 90, battery: 80, ts: new Date(at).toISOString() });
    expect(await frame).toMatchObject({ lat: 52.52, lng: 13.405, speed: 42, heading: 90, battery: 80, ts: at });
  });

  it('takes an array from an admin token with vehicleId, accepting the valid ones (200) and naming the rest', async () => {
    const vehicle = await createVehicle('rest-array');
    const at = ts();
    const answer = await rest(
      JSON.stringify([
        { vehicleId: vehicle.id, lat: 48.1, lng: 11.5, timestamp: at - 10 },
        { vehicleId: vehicle.id, lat: 95, lng: 11.5, timestamp: at - 5 },
        { lat: 48.2, lng: 11.6, timestamp: at },
        { vehicleId: vehicle.id, lat: 48.3, lng: 11.7, timestamp: at, speed: 12.5 },
      ]),
      `Bearer ${adminB}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(2);
    expect(answer.body.rejected.map((r: any) => [r.index, r.code, r.field])).toEqual([
      [1, 'VALIDATION_ERROR', 'lat'],
      [2, 'VALIDATION_ERROR', 'vehicleId'],
    ]);
    expect(await state(vehicle.id)).toMatchObject({ lat: 48.3, lng: 11.7, speed: 12.5, ts: new Date(at).toISOString() });
  });

  it('is idempotent by (vehicle, timestamp): the same position twice is accepted twice, stored once', async () => {
    const vehicle = await createVehicle('rest-twice');
    const position = JSON.stringify({ lat: 50.1, lng: 8.6, timestamp: ts(), speed: 30 });
    const first = await rest(position, `Bearer ${vehicle.deviceToken}`);
    const second = await rest(position, `Bearer ${vehicle.deviceToken}`);
    expect([first.status, first.body.accepted, second.status, second.body.accepted]).toEqual([200, 1, 200, 1]);
    expect(await state(vehicle.id)).toMatchObject({ lat: 50.1, lng: 8.6, speed: 30 });
  });

  it('refuses malformed requests and wrong auth with a structured error, leaving the state as it was', async () => {
    const vehicle = await createVehicle('rest-fuzz');
    const good = { lat: 52.4, lng: 13.1, timestamp: ts() };
    expect((await rest(JSON.stringify(good), `Bearer ${vehicle.deviceToken}`)).status).toBe(200);
    const before = await state(vehicle.id);
    const auth = `Bearer ${vehicle.deviceToken}`;
    const future = Date.now() + 3_600_000;
    const viewer = (await login(...DEMO.viewer)).token;

    const cases: Array<[string, string, string | undefined, number?, string?]> = [
      ['not json', 'garbage {', auth, 400, 'VALIDATION_ERROR'],
      ['empty body', '', auth, 400, 'VALIDATION_ERROR'],
      ['empty array', '[]', auth, 400, 'VALIDATION_ERROR'],
      ['null', 'null', auth, 400],
      ['number', '42', auth, 400],
      ['string', '"52.5,13.4"', auth, 400],
      ['nested array', '[[1,2]]', auth, 400],
      ['empty object', '{}', auth, 400],
      ['lat as string', JSON.stringify({ ...good, lat: '52.4' }), auth, 400],
      ['lat out of range', JSON.stringify({ ...good, lat: 91 }), auth, 400],
      ['huge lng', JSON.stringify({ ...good, lng: 1e308 }), auth, 400],
      ['huge speed', JSON.stringify({ ...good, speed: 1e308 }), auth, 400],
      ['negative speed', JSON.stringify({ ...good, speed: -5 }), auth, 400],
      ['heading 360', JSON.stringify({ ...good, heading: 360 }), auth, 400],
      ['battery 101', JSON.stringify({ ...good, battery: 101 }), auth, 400],
      ['timestamp 1e20', JSON.stringify({ ...good, timestamp: 1e20 }), auth, 400],
      ['timestamp in an hour', JSON.stringify({ ...good, timestamp: future }), auth, 400],
      ['timestamp word', JSON.stringify({ ...good, timestamp: 'now' }), auth, 400],
      ['missing lng', JSON.stringify({ lat: 1, timestamp: good.timestamp }), auth, 400],
      ['unknown key', JSON.stringify({ ...good, color: 'red' }), auth, 400],
      ['attributes not an object', JSON.stringify({ ...good, attributes: 'x' }), auth, 400],
      ['foreign vehicleId', JSON.stringify({ ...good, vehicleId: '00000000-0000-4000-8000-000000000000' }), auth, 403, 'FORBIDDEN'],
      ['1001 positions', JSON.stringify(Array.from({ length: 1001 }, () => good)), auth, 400],
      ['3 MB body', JSON.stringify({ ...good, attributes: { pad: 'x'.repeat(3_000_000) } }), auth, 400],
      ['no auth', JSON.stringify(good), undefined, 401, 'UNAUTHORIZED'],
      ['unknown token', JSON.stringify(good), 'Bearer not-a-token', 401, 'UNAUTHORIZED'],
      ['basic auth', JSON.stringify(good), basic(vehicle.deviceId, vehicle.deviceToken), 401, 'UNAUTHORIZED'],
      ['viewer JWT', JSON.stringify({ ...good, vehicleId: vehicle.id }), `Bearer ${viewer}`, 403, 'FORBIDDEN'],
    ];
    for (const [what, body, authorization, status, code] of cases) {
      const answer = await rest(body, authorization);
      expectRefused(answer, what);
      if (status) expect(answer.status, what).toBe(status);
      if (code) expect(answer.body.error.code, what).toBe(code);
    }
    expect(await state(vehicle.id)).toEqual(before);
    await expectHealthy();
  });
});

describe('OsmAnd on /api/v1/osmand', () => {
  it('GET query form: knots → km/h, unix seconds, batt, and the position reaches /fleet', async () => {
    const vehicle = await createVehicle('osmand-get');
    const fleet = await watch(vehicle.id);
    const frame = fleet.next();
    const seconds = Math.floor(Date.now() / 1000) - 1;
    const answer = await http(`${base()}/api/v1/osmand?id=${vehicle.deviceId}&lat=52.5&lon=13.4&timestamp=${seconds}&speed=10&bearing=360&altitude=35&accuracy=5&batt=77&hdop=0.8`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 1, rejected: [] });
    expect(await state(vehicle.id)).toMatchObject({ lat: 52.5, lng: 13.4, speed: 18.52, heading: 0, battery: 77, ts: new Date(seconds * 1000).toISOString() });
    // the dashboard sees the converted units too (speed travels in tenths of km/h)
    expect(await frame).toMatchObject({ lat: 52.5, lng: 13.4, speed: 18.5, heading: 0, battery: 77, ts: seconds * 1000 });
  });

  it('JSON POST (Traccar Client ≥ 9): m/s → km/h, battery fraction → percent, -1 heading unknown', async () => {
    const vehicle = await createVehicle('osmand-json');
    const fleet = await watch(vehicle.id);
    const frame = fleet.next();
    const at = ts();
    const answer = await http(`${base()}/api/v1/osmand`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        device_id: vehicle.deviceId,
        location: {
          timestamp: new Date(at).toISOString(),
          coords: { latitude: 51.05, longitude: 13.74, speed: 5, heading: -1, accuracy: 4, altitude: 110 },
          battery: { level: 0.85, is_charging: false },
          is_moving: true,
          odometer: 1234,
        },
      }),
    });
    expect(answer.status).toBe(200);
    expect(await state(vehicle.id)).toMatchObject({ lat: 51.05, lng: 13.74, speed: 18, heading: null, battery: 85, ts: new Date(at).toISOString() });
    expect(await frame).toMatchObject({ lat: 51.05, lng: 13.74, speed: 18, heading: null, battery: 85, ts: at });
  });

  it('accepts the device token as id, and form-encoded POST bodies', async () => {
    const vehicle = await createVehicle('osmand-form');
    const at = ts();
    const answer = await http(`${base()}/api/v1/osmand`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${encodeURIComponent(vehicle.deviceToken)}&location=${encodeURIComponent('47.37,8.54')}&timestamp=${at}&speed=-1`,
    });
    expect(answer.status).toBe(200);
    expect(await state(vehicle.id)).toMatchObject({ lat: 47.37, lng: 8.54, speed: null, ts: new Date(at).toISOString() });
  });

  it('refuses malformed requests with a structured error, leaving the state as it was', async () => {
    const vehicle = await createVehicle('osmand-fuzz');
    expect((await http(`${base()}/api/v1/osmand?id=${vehicle.deviceId}&lat=1&lon=2&timestamp=${ts()}`)).status).toBe(200);
    const before = await state(vehicle.id);
    await osmandFuzz(`${base()}/api/v1/osmand`, vehicle);
    expect(await state(vehicle.id)).toEqual(before);
    await expectHealthy();
  });
});

describe('OsmAnd on OSMAND_PORT', () => {
  it('answers at any path exactly like the route, and the position reaches /fleet', async () => {
    const vehicle = await createVehicle('osmand-port');
    const fleet = await watch(vehicle.id);
    const frame = fleet.next();
    const at = ts();
    const answer = await http(`${osmandBase()}/?id=${vehicle.deviceId}&lat=53.55&lon=9.99&timestamp=${at}&speed=10&heading=45.5&batt=50`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 1, rejected: [] });
    expect(await state(vehicle.id)).toMatchObject({ lat: 53.55, lng: 9.99, speed: 18.52, heading: 45.5, battery: 50, ts: new Date(at).toISOString() });
    await frame;

    const later = ts();
    const post = await http(`${osmandBase()}/any/path?ignored=1`, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ device_id: vehicle.deviceId, location: { timestamp: later, coords: { latitude: 53.56, longitude: 10, speed: 10 }, battery: { level: 0.5 } } }),
    });
    expect(post.status).toBe(200);
    expect(await state(vehicle.id)).toMatchObject({ lat: 53.56, lng: 10, speed: 36, battery: 50, ts: new Date(later).toISOString() });
  });

  it('refuses malformed requests with a structured error, leaving the state as it was', async () => {
    const vehicle = await createVehicle('osmand-port-fuzz');
    expect((await http(`${osmandBase()}/?id=${vehicle.deviceId}&lat=1&lon=2&timestamp=${ts()}`)).status).toBe(200);
    const before = await state(vehicle.id);
    await osmandFuzz(`${osmandBase()}/`, vehicle);
    const put = await http(`${osmandBase()}/?id=${vehicle.deviceId}&lat=3&lon=4`, { method: 'PUT', body: 'x' });
    expectRefused(put, 'PUT');
    expect(await state(vehicle.id)).toEqual(before);
    await expectHealthy();
    expect((await http(`${osmandBase()}/?id=${vehicle.deviceId}&lat=1&lon=2&timestamp=${ts()}`)).status).toBe(200);
  });
});

/** Malformed OsmAnd requests, each of which must get a 4xx with `error.code`. */
async function osmandFuzz(url: string, vehicle: Vehicle): Promise<void> {
  const id = encodeURIComponent(vehicle.deviceId);
  const now = ts();
  const json = (value: unknown) => ({ headers: { 'content-type': 'application/json' }, body: typeof value === 'string' ? value : JSON.stringify(value) });
  const cases: Array<[string, string, { headers?: Record<string, string>; body?: string }, number?, string?]> = [
    ['no parameters', '', {}, 400, 'VALIDATION_ERROR'],
    ['missing id', `?lat=1&lon=2&timestamp=${now}`, {}, 400, 'VALIDATION_ERROR'],
    ['unknown id', `?id=nobody-${RUN}&lat=1&lon=2&timestamp=${now}`, {}, 404, 'NOT_FOUND'],
    ['missing lat', `?id=${id}&lon=2&timestamp=${now}`, {}, 400],
    ['lat not a number', `?id=${id}&lat=abc&lon=2&timestamp=${now}`, {}, 400],
    ['lat 999', `?id=${id}&lat=999&lon=2&timestamp=${now}`, {}, 400],
    ['lon 1e308', `?id=${id}&lat=1&lon=1e308&timestamp=${now}`, {}, 400],
    ['location garbage', `?id=${id}&location=here&timestamp=${now}`, {}, 400],
    ['timestamp word', `?id=${id}&lat=1&lon=2&timestamp=yesterday`, {}, 400],
    ['timestamp in an hour', `?id=${id}&lat=1&lon=2&timestamp=${Date.now() + 3_600_000}`, {}, 400],
    ['timestamp 1e30', `?id=${id}&lat=1&lon=2&timestamp=1e30`, {}, 400],
    ['speed Infinity', `?id=${id}&lat=1&lon=2&timestamp=${now}&speed=1e400`, {}, 400],
    ['speed 5000 knots', `?id=${id}&lat=1&lon=2&timestamp=${now}&speed=5000`, {}, 400],
    ['bearing 400', `?id=${id}&lat=1&lon=2&timestamp=${now}&bearing=400`, {}, 400],
    ['batt 150', `?id=${id}&lat=1&lon=2&timestamp=${now}&batt=150`, {}, 400],
    ['JSON garbage', '', json('{"location":'), 400],
    ['JSON array', '', json([1, 2, 3]), 400],
    ['JSON without device_id', '', json({ location: { coords: { latitude: 1, longitude: 2 } } }), 400],
    ['JSON unknown device', '', json({ device_id: `nobody-${RUN}`, location: { coords: { latitude: 1, longitude: 2 } } }), 404],
    ['JSON coords missing', '', json({ device_id: vehicle.deviceId, location: { timestamp: now } }), 400],
    ['JSON latitude string', '', json({ device_id: vehicle.deviceId, location: { timestamp: now, coords: { latitude: 'north', longitude: 2 } } }), 400],
    ['JSON latitude 1e308', '', json({ device_id: vehicle.deviceId, location: { timestamp: now, coords: { latitude: 1e308, longitude: 2 } } }), 400],
    ['JSON battery not an object', '', json({ device_id: vehicle.deviceId, location: { timestamp: now, battery: 7, coords: { latitude: 1, longitude: 2 } } }), 400],
    ['huge form body', '', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `id=${id}&lat=1&lon=2&pad=${'x'.repeat(200_000)}` }, 400],
  ];
  for (const [what, query, init, status, code] of cases) {
    const answer = await http(`${url}${query}`, init);
    expectRefused(answer, what);
    if (status) expect(answer.status, what).toBe(status);
    if (code) expect(answer.body.error.code, what).toBe(code);
  }
}

describe('OwnTracks POST /api/v1/owntracks', () => {
  it('stores a location (vel km/h, -1 cog unknown, extra keys kept) and answers []', async () => {
    const vehicle = await createVehicle('owntracks');
    const fleet = await watch(vehicle.id);
    const frame = fleet.next();
    const tst = Math.floor(Date.now() / 1000) - 1;
    const answer = await owntracks(
      JSON.stringify({ _type: 'location', lat: 48.85, lon: 2.35, tst, acc: 12, alt: 40, vel: 36, cog: -1, batt: 64, tid: 'ph', conn: 'w', bs: 1 }),
      basic(vehicle.deviceId, vehicle.deviceToken),
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
    expect(await state(vehicle.id)).toMatchObject({ lat: 48.85, lng: 2.35, speed: 36, heading: null, battery: 64, ts: new Date(tst * 1000).toISOString() });
    expect(await frame).toMatchObject({ lat: 48.85, lng: 2.35, speed: 36, heading: null, battery: 64, ts: tst * 1000 });
  });

  it('accepts and ignores other message types', async () => {
    const vehicle = await createVehicle('owntracks-other');
    const auth = basic(vehicle.deviceId, vehicle.deviceToken);
    for (const message of [
      { _type: 'transition', event: 'enter', desc: 'Home', lat: 1, lon: 2, tst: 1 },
      { _type: 'waypoint', desc: 'Office', lat: 1, lon: 2, rad: 100, tst: 1 },
      { _type: 'lwt', tst: 1 },
    ]) {
      const answer = await owntracks(JSON.stringify(message), auth);
      expect([answer.status, answer.body]).toEqual([200, []]);
    }
    expect(await state(vehicle.id)).toBeNull();
  });

  it('refuses missing or wrong credentials with 401 and a Basic challenge', async () => {
    const vehicle = await createVehicle('owntracks-auth');
    const other = await createVehicle('owntracks-auth-other');
    const body = JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: Math.floor(Date.now() / 1000) });
    for (const [what, authorization] of [
      ['none', undefined],
      ['bearer device token', `Bearer ${vehicle.deviceToken}`],
      ['wrong password', basic(vehicle.deviceId, 'wrong')],
      ['unknown user', basic(`nobody-${RUN}`, vehicle.deviceToken)],
      ['another vehicle’s token', basic(vehicle.deviceId, other.deviceToken)],
      ['empty password', basic(vehicle.deviceId, '')],
      ['not base64', 'Basic %%%'],
    ] as const) {
      const answer = await owntracks(body, authorization);
      expect(answer.status, what).toBe(401);
      expect(answer.body.error.code, what).toBe('UNAUTHORIZED');
      expect(answer.headers.get('www-authenticate'), what).toBe('Basic realm="GeoFleet"');
    }
    expect(await state(vehicle.id)).toBeNull();
    expect(await state(other.id)).toBeNull();
  });

  it('refuses malformed messages with a structured error naming the OwnTracks key', async () => {
    const vehicle = await createVehicle('owntracks-fuzz');
    const auth = basic(vehicle.deviceId, vehicle.deviceToken);
    const tst = Math.floor(Date.now() / 1000) - 1;
    expect((await owntracks(JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst }), auth)).status).toBe(200);
    const before = await state(vehicle.id);
    const cases: Array<[string, string, string?]> = [
      ['garbage', 'not json'],
      ['empty', ''],
      ['array', '[]', '_type'],
      ['no _type', JSON.stringify({ lat: 1, lon: 2, tst }), '_type'],
      ['lat as string', JSON.stringify({ _type: 'location', lat: '1', lon: 2, tst }), 'lat'],
      ['lat 91', JSON.stringify({ _type: 'location', lat: 91, lon: 2, tst }), 'lat'],
      ['lon huge', '{"_type":"location","lat":1,"lon":1e400,"tst":1}', 'lon'],
      ['missing tst', JSON.stringify({ _type: 'location', lat: 1, lon: 2 }), 'tst'],
      ['tst in milliseconds', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: Date.now() }), 'tst'],
      ['tst in an hour', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: tst + 3600 }), 'tst'],
      ['vel 3000', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: tst + 1, vel: 3000 }), 'vel'],
      ['cog 400', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: tst + 1, cog: 400 }), 'cog'],
      ['batt 101', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: tst + 1, batt: 101 }), 'batt'],
      ['acc as string', JSON.stringify({ _type: 'location', lat: 1, lon: 2, tst: tst + 1, acc: 'good' }), 'acc'],
    ];
    for (const [what, body, field] of cases) {
      const answer = await owntracks(body, auth);
      expectRefused(answer, what);
      expect(answer.status, what).toBe(400);
      expect(answer.body.error.code, what).toBe('VALIDATION_ERROR');
      if (field) expect(answer.body.error.field, what).toBe(field);
    }
    expect(await state(vehicle.id)).toEqual(before);
    await expectHealthy();
  });
});

describe('reception switched off for the tenant', () => {
  it('every way in answers 503 with Retry-After and stores nothing; switching on again restores reception', async () => {
    const vehicle = await createVehicle('reception');
    const at = ts();
    expect((await rest(JSON.stringify({ lat: 40.4, lng: -3.7, timestamp: at }), `Bearer ${vehicle.deviceToken}`)).status).toBe(200);
    const before = await state(vehicle.id);
    try {
      expect((await api('/api/v1/reception', { token: adminB, method: 'PUT', body: { enabled: false } })).body).toEqual({ enabled: false });
      const answers: Array<[string, Answer]> = [
        ['REST', await rest(JSON.stringify({ lat: 41, lng: -3, timestamp: ts() }), `Bearer ${vehicle.deviceToken}`)],
        ['OsmAnd route', await http(`${base()}/api/v1/osmand?id=${vehicle.deviceId}&lat=41&lon=-3&timestamp=${ts()}`)],
        ['OsmAnd port', await http(`${osmandBase()}/?id=${vehicle.deviceId}&lat=41&lon=-3&timestamp=${ts()}`)],
        ['OwnTracks', await owntracks(JSON.stringify({ _type: 'location', lat: 41, lon: -3, tst: Math.floor(Date.now() / 1000) }), basic(vehicle.deviceId, vehicle.deviceToken))],
      ];
      for (const [what, answer] of answers) {
        expect(answer.status, what).toBe(503);
        expect(answer.headers.get('retry-after'), what).toBe('60');
        expect(answer.body.error.code, what).toBe('RECEPTION_DISABLED');
      }
      expect(await state(vehicle.id)).toEqual(before);
    } finally {
      await api('/api/v1/reception', { token: adminB, method: 'PUT', body: { enabled: true } });
    }
    const after = ts();
    expect((await rest(JSON.stringify({ lat: 41.5, lng: -3.5, timestamp: after }), `Bearer ${vehicle.deviceToken}`)).status).toBe(200);
    expect(await state(vehicle.id)).toMatchObject({ lat: 41.5, lng: -3.5, ts: new Date(after).toISOString() });
  });
});
