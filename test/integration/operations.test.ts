import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { api, connect, DEMO, emitAck, login } from './client';
import { injected } from './context';
import { serverEnv, startServer, tempDir, TEST_METRICS_TOKEN } from './harness';

/** Operations: /metrics (Prometheus text, bearer token), /api/ready, request ids. */
const base = () => injected('baseUrl');

async function scrape(token: string | null = TEST_METRICS_TOKEN): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${base()}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** Sum of every sample of `name` whose labels include all of `labels` (0 when none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

let admin: string;
let vehicleId: string;
beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  vehicleId = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Ops Van', deviceId: 'ops-van' } })).body.vehicle.id;
});

describe('GET /metrics', () => {
  it('asks for the bearer token: 401 without it or with a wrong one', async () => {
    const none = await scrape(null);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(JSON.parse(none.text).error.code).toBe('UNAUTHORIZED');
    expect((await scrape('not-the-metrics-token-at-all')).status).toBe(401);
  });

  it('serves the Prometheus text format with the process, database and ingest metrics', async () => {
    const { status, text, headers } = await scrape();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    for (const name of ['process_cpu_seconds_total', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_gc_duration_seconds_count', 'geofleet_ingest_queue_depth', 'geofleet_db_pool_connections', 'geofleet_socket_connections']) {
      expect(text).toContain(name);
    }
    expect(sample(text, 'geofleet_database_info', { kind: injected('databaseKind') === 'embedded' ? 'embedded' : 'server' })).toBe(1);
  });

  it('counts positions by way in, batches and requests by route template after ingesting', async () => {
    const before = (await scrape()).text;
    const t0 = Date.now() - 10_000;
    const positions = Array.from({ length: 5 }, (_, i) => ({ vehicleId, lng: 13.3, lat: 52.4 + i * 0.0001, timestamp: t0 + i * 1000 }));
    const rest = await api('/api/v1/positions', { token: admin, body: positions });
    expect(rest.body.accepted).toBe(5);
    const device = await connect('/driver', admin);
    sockets.push(device);
    const ack = await emitAck<{ accepted: number }>(device, 'positions', positions.map((p) => ({ ...p, timestamp: p.timestamp + 5_000 })));
    expect(ack.accepted).toBe(5);
    // Refused: a vehicle that does not exist.
    await api('/api/v1/positions', { token: admin, body: { vehicleId: '0190a4c2-1111-7000-8000-000000000001', lng: 1, lat: 1, timestamp: Date.now() } });
    expect((await api(`/api/v1/vehicles/${vehicleId}`, { token: admin })).status).toBe(200);

    const after = (await scrape()).text;
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('geofleet_positions_accepted_total', { way: 'rest' })).toBe(5);
    expect(delta('geofleet_positions_accepted_total', { way: 'socket' })).toBe(5);
    expect(delta('geofleet_positions_rejected_total', { way: 'rest' })).toBeGreaterThanOrEqual(1);
    expect(delta('geofleet_ingest_batch_size_sum')).toBeGreaterThanOrEqual(10);
    expect(delta('geofleet_ingest_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('geofleet_ingest_device_to_commit_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('geofleet_ingest_commit_to_publish_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(delta('geofleet_stage_positions_total', { stage: 'geofence' })).toBeGreaterThanOrEqual(10);
    expect(delta('geofleet_socket_messages_total', { direction: 'in' })).toBeGreaterThanOrEqual(1);
    expect(delta('geofleet_http_requests_total', { route: '/api/v1/positions', method: 'POST', status: '200' })).toBe(1);
    expect(delta('geofleet_http_requests_total', { route: '/api/v1/vehicles/[id]', method: 'GET', status: '200' })).toBe(1);
    expect(sample(after, 'geofleet_socket_connections', { namespace: '/driver' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'geofleet_tenants_connected')).toBeGreaterThanOrEqual(1);
    // Label values are templates: no vehicle id anywhere in the exposition.
    expect(after).not.toContain(vehicleId);
  });
});

describe('GET /api/ready and /api/health', () => {
  it('ready: database reachable, migrations applied, queue has room, not shutting down', async () => {
    const ready = await fetch(`${base()}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    const health = await fetch(`${base()}/api/health`);
    expect(health.status).toBe(200);
  });
});

describe('shutdown with a drain period (SHUTDOWN_DRAIN_S)', () => {
  it('answers /api/ready 503 "shutting down" while still serving, then stops', { timeout: 240_000 }, async () => {
    // A server of its own (embedded database, no demo): SIGTERM must not reach the shared one.
    const own = await startServer(serverEnv(tempDir('ops-drain'), undefined, { DEMO_SEED: '0', SHUTDOWN_DRAIN_S: '3' }));
    try {
      expect((await fetch(`${own.url}/api/ready`)).status).toBe(200);
      const stopped = own.stop('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));
      const ready = await fetch(`${own.url}/api/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, reasons: ['shutting down'] });
      expect((await fetch(`${own.url}/api/health`)).status).toBe(200);
      const { code, ms } = await stopped;
      expect(code).toBe(0);
      expect(ms).toBeGreaterThanOrEqual(3000);
    } finally {
      await own.stop('SIGKILL');
    }
  });
});

describe('request ids', () => {
  it("answers with the caller's X-Request-Id, in the header and in the error body", async () => {
    const response = await fetch(`${base()}/api/v1/vehicles`, { headers: { 'x-request-id': 'ops-test-42' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe('ops-test-42');
    expect((await response.json()).error).toMatchObject({ code: 'UNAUTHORIZED', requestId: 'ops-test-42' });
  });

  it('makes one when the caller sends none', async () => {
    const response = await api('/api/v1/vehicles', { token: admin });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
