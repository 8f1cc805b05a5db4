import { afterAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { fetchJson } from './client';
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


describe('server lifecycle', () => {
  let vehicleId = '';
  const at = Date.now() - 1000;

  it('stops within 5 s on SIGINT, leaving no process behind', async () => {
    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '0' }));
    const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } });
    const vehicle = (await fetchJson(server.url, '/api/v1/vehicles', { token })).vehicles[0];
    vehicleId = vehicle.id;
    const device = io(`${server.url}/driver`, { auth: { token: vehicle.deviceToken }, transports: ['websocket'] });
    const ack = await device.timeout(10_000).emitWithAck('position', { lat: 52.4321, lng: 13.1234, timestamp: at, speed: 12 });
    expect(ack).toEqual({ accepted: 1, rejected: [] });
    device.close();

    const pgid = server.child.pid!;
    const { ms, code } = await server.stop('SIGINT');
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
    await new Promise((r) => setTimeout(r, 200));
    expect(groupAlive(pgid)).toBe(false);
    expect(server.logs.join('\n')).toContain('"msg":"stopped"');
  });

  it('restarts with everything kept, applies no migration again, and the simulator moves the fleet', async () => {
    server = await startServer(serverEnv(dataDir, fresh?.url, { SIMULATOR: '1', SIMULATOR_VEHICLES: '240', SIMULATOR_RATE: '1', REST_RATE_LIMIT_PER_MIN: '20' }));
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
    await new Promise((r) => setTimeout(r, 4000));
    const after = await positionsOf();
    const moved = [...after].filter(([id, p]) => before.get(id) !== p).length;
    expect(before.size).toBe(240);
    expect(moved).toBeGreaterThan(150);
  });

  it('limits REST requests per client IP (RATE_LIMITED with Retry-After), but not the ways in for positions', async () => {
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
