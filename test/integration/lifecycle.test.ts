import { afterAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { fetchJson, waitUntil } from './client';
import { freshDatabase, groupAlive, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * Its own server and database (not the shared one): stops and restarts it to prove that a
 * shutdown is quick and complete and that a restart keeps everything.
 */
const dataDir = tempDir('lifecycle');
const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
let server: RunningServer | null = null;

afterAll(async () => {
  await server?.stop('SIGKILL');
  await fresh?.drop();
});


/** Sends one fix as a device and waits for its ack. */
async function sendAs(url: string, deviceToken: string, fix: { lng: number; lat: number; timestamp: number; speed?: number; battery?: number }): Promise<void> {
  const device = io(`${url}/driver`, { auth: { token: deviceToken }, transports: ['websocket'] });
  try {
    expect(await device.timeout(10_000).emitWithAck('position', { ...fix, accuracy: 5 })).toEqual({ accepted: 1, rejected: [] });
  } finally {
    device.close();
  }
}

/** Polls the stored events of a fence until `done` holds (they are written just after evaluation). */
async function fenceEvents(url: string, token: string, fenceId: string, done: (types: string[]) => boolean): Promise<string[]> {
  for (let i = 0; ; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const { events } = await fetchJson(url, `/api/v1/geofence-events?geofenceId=${fenceId}`, { token });
    const types = (events as Array<{ type: string; at: string }>).sort((a, b) => a.at.localeCompare(b.at)).map((e) => e.type);
    if (done(types) || i >= 12) return types;
  }
}

describe('server lifecycle', () => {
  let vehicleId = '';
  const at = Date.now() - 1000;
  // a vehicle inside a fence before the restart (in Brandenburg, far from the simulator's Baltimore streets)
  const probe = { token: '', deviceToken: '', fenceId: '', vehicleId: '' };
  // the probe also speeds with a flat battery before the restart and after it: one alert of each
  const episode = { speed: 150, battery: 5 };
  const episodeAlerts = async () =>
    (await fetchJson(server!.url, `/api/v1/alerts?vehicleId=${probe.vehicleId}&type=speed_violation,low_battery`, { token: probe.token })).alerts
      .map((a: { type: string }) => a.type)
      .sort();
  // older than a minute: replays, which the per-vehicle live rate limit lets through back to back
  const probeAt = Date.now() - 120_000;
  const fenceSquare = [[[13.0, 52.7], [13.01, 52.7], [13.01, 52.706], [13.0, 52.706], [13.0, 52.7]]];

  it('stops within 5 s on SIGINT, leaving no process behind', async () => {
    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '0' }));
    const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } });
    const vehicle = (await fetchJson(server.url, '/api/v1/vehicles', { token })).vehicles[0];
    vehicleId = vehicle.id;
    const device = io(`${server.url}/driver`, { auth: { token: vehicle.deviceToken }, transports: ['websocket'] });
    const ack = await device.timeout(10_000).emitWithAck('position', { lat: 52.4321, lng: 13.1234, timestamp: at, speed: 12 });
    expect(ack).toEqual({ accepted: 1, rejected: [] });
    device.close();

    probe.token = token;
    const fence = await fetchJson(server.url, '/api/v1/geofences', {
      token, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: fenceSquare }, properties: { name: 'Restart yard', type: 'DEPOT' } },
    });
    probe.fenceId = fence.geofence.id;
    const created = await fetchJson(server.url, '/api/v1/vehicles', { token, body: { name: 'Restart probe', deviceId: 'restart-probe' } });
    probe.deviceToken = created.vehicle.deviceToken;
    probe.vehicleId = created.vehicle.id;
    await sendAs(server.url, probe.deviceToken, { lng: 13.005, lat: 52.703, timestamp: probeAt, ...episode });
    expect(await fenceEvents(server.url, token, probe.fenceId, (t) => t.length > 0)).toEqual(['enter']);
    await waitUntil(async () => (await episodeAlerts()).length === 2, 'speed and battery alerts before the restart', 8000, 300); // REST is rate-limited

    const pgid = server.child.pid!;
    const { ms, code } = await server.stop('SIGINT');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(pgid)).toBe(false);
    expect(server.logs.join('\n')).toContain('"msg":"stopped"');
  });

  it('restarts with everything kept, applies no migration again, and the simulator moves the fleet', async () => {
    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '1', SIMULATOR_VEHICLES: '240', SIMULATOR_RATE: '1', REST_RATE_LIMIT_PER_MIN: '20', REST_RATE_LIMIT_PER_USER_PER_MIN: '20' }));
    const ready = server.logs.map((l) => JSON.parse(l.startsWith('{') ? l : '{}')).find((l) => l.msg === 'database ready');
    expect(ready.applied).toBe(0);
    expect(server.logs.some((l) => l.includes('seeded demo tenant'))).toBe(false);

    const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'manager@demo.geofleet.dev', password: 'demo-manager' } });
    const kept = (await fetchJson(server.url, `/api/v1/vehicles/${vehicleId}`, { token })).vehicle;
    // the position sent before the restart survived (unless the simulator already moved it on)
    expect(kept.state === null ? null : typeof kept.state.lat).toBe('number');

    const positionsOf = async () => {
      const { vehicles } = await fetchJson(server!.url, '/api/v1/vehicles', { token });
      return new Map<string, string>(vehicles.map((v: any) => [v.id, `${v.state?.lng},${v.state?.lat}`]));
    };
    const before = await positionsOf();
    // most of the fleet moves within seconds (a loaded machine may need a few more)
    let moved = 0;
    for (let waited = 0; waited < 12_000 && moved <= 150; waited += 4000) {
      await new Promise((r) => setTimeout(r, 4000));
      const after = await positionsOf();
      moved = [...after].filter(([id, p]) => before.get(id) !== p).length;
    }
    expect(before.size).toBe(241); // the demo fleet and the restart probe
    expect(moved).toBeGreaterThan(150);
  });

  it('keeps geofence membership and alert episodes across the restart: no second enter or alert, and the exit still comes', async () => {
    const token = probe.token; // the REST limit is low on this server: no second login
    await sendAs(server!.url, probe.deviceToken, { lng: 13.006, lat: 52.703, timestamp: probeAt + 1000, ...episode }); // still inside
    await sendAs(server!.url, probe.deviceToken, { lng: 13.03, lat: 52.703, timestamp: probeAt + 2000, ...episode }); // out
    expect(await fenceEvents(server!.url, token, probe.fenceId, (t) => t.includes('exit'))).toEqual(['enter', 'exit']);
    // alerts are stored just after the positions commit, as the fence events are: give a second one time to appear
    await new Promise((r) => setTimeout(r, 1000));
    expect(await episodeAlerts()).toEqual(['low_battery', 'speed_violation']);
  });

  it('limits REST requests per signed-in user (RATE_LIMITED with Retry-After), but not the ways in for positions', async () => {
    const { token } = await fetchJson(server!.url, '/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const response = await fetch(`${server!.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      statuses.push(response.status);
      if (response.status === 429) {
        retryAfter = response.headers.get('retry-after');
        expect((await response.json()).error.code).toBe('RATE_LIMITED');
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // the positions endpoint answers on (it has the per-vehicle limit instead)
    const response = await fetch(`${server!.url}/api/v1/positions`, { method: 'POST', headers: { authorization: 'Bearer nope', 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
  });
});
