import { afterAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import pg from 'pg';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded-db';
import { createLogger } from '../../server/log';
import type { PositionsAck } from '../../server/protocol/position';
import { fetchJson } from './client';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';
import { TcpProxy } from './tcp-proxy';

/**
 * An acknowledged position is never lost: not when the server is killed mid-run, not when the
 * database goes away for 20 s. Each scenario has a server and database of its own.
 */
const log = createLogger('silent', false);
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});


/** Sends `rate` positions/s for the demo fleet through one gateway socket; records what was acknowledged. */
class Load {
  readonly acked: Array<[string, number]> = [];
  sent = 0;
  failed = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastTs = new Map<string, number>();
  private cursor = 0;

  constructor(
    private readonly socket: Socket,
    private readonly ids: string[],
    private readonly rate: number,
  ) {}

  start(): void {
    const started = Date.now();
    this.timer = setInterval(() => {
      const due = Math.floor((this.rate * (Date.now() - started)) / 1000) - this.sent;
      if (due <= 0) return;
      const batch = Array.from({ length: due }, () => {
        const id = this.ids[this.cursor++ % this.ids.length]!;
        const ts = Math.max(Date.now(), (this.lastTs.get(id) ?? 0) + 1);
        this.lastTs.set(id, ts);
        return { vehicleId: id, lat: 52.5 + Math.random() / 10, lng: 13.4 + Math.random() / 10, timestamp: ts };
      });
      this.sent += batch.length;
      this.socket.timeout(90_000).emit('positions', batch, (error: Error | null, ack?: PositionsAck) => {
        if (error || !ack) return void (this.failed += batch.length);
        const refused = new Set(ack.rejected.map((r) => r.index));
        this.failed += refused.size;
        batch.forEach((p, i) => refused.has(i) || this.acked.push([p.vehicleId, p.timestamp]));
      });
    }, 20);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

async function countStored(query: (sql: string, params: unknown[]) => Promise<{ rows: Array<{ n: string }> }>, acked: Array<[string, number]>): Promise<number> {
  const { rows } = await query(
    `SELECT count(*) AS n FROM position_history h
     JOIN unnest($1::uuid[], $2::float8[]) AS u(id, ts) ON h.vehicle_id = u.id AND h.ts = to_timestamp(u.ts / 1000.0)::timestamptz(3)`,
    [acked.map(([id]) => id), acked.map(([, ts]) => ts)],
  );
  return Number(rows[0]!.n);
}

async function gateway(server: RunningServer): Promise<{ socket: Socket; ids: string[] }> {
  const { token } = await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } });
  await fetchJson(server.url, '/api/v1/tenant', { token, method: 'PATCH', body: { vehicleRateLimit: 50 } });
  const { vehicles } = await fetchJson(server.url, '/api/v1/vehicles', { token });
  const socket = io(`${server.url}/driver`, { auth: { token }, transports: ['websocket'] });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  cleanups.push(async () => socket.close());
  return { socket, ids: vehicles.map((v: { id: string }) => v.id) };
}

describe('durability of acknowledged positions', () => {
  it('survives SIGKILL of the whole server mid-run: every acknowledged position is stored', async () => {
    const dataDir = tempDir('kill');
    const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    if (fresh) cleanups.push(() => fresh.drop());
    const env = serverEnv(dataDir, fresh?.url);
    const server = await startServer(env);
    cleanups.push(() => server.stop('SIGKILL'));
    const { socket, ids } = await gateway(server);
    const load = new Load(socket, ids, 1000);
    load.start();
    await new Promise((r) => setTimeout(r, 3000));
    await server.stop('SIGKILL'); // server and embedded database, mid-run, no goodbye
    load.stop();
    expect(load.acked.length).toBeGreaterThan(1000);

    // After a restart of the database: every acknowledged position is there.
    const db = await openDatabase(parseConfig(env), log);
    try {
      expect(await countStored((sql, params) => db.pool.query(sql, params), load.acked)).toBe(load.acked.length);
    } finally {
      await db.close();
    }
    // and the server starts again on the same data
    const again = await startServer(env);
    cleanups.push(() => again.stop('SIGKILL'));
    expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
    await again.stop();
    // Three starts of the embedded database (≈10–15 s each on 2 cores) dominate this test's time.
  }, 120_000);

  it('rides out a 20 s database outage: acks wait, nothing acknowledged is lost, ingestion resumes by itself', async () => {
    let target: { host: string; port: number; url: string };
    let embedded: EmbeddedDatabase | null = null;
    if (process.env.TEST_DATABASE_URL) {
      const fresh = await freshDatabase(process.env.TEST_DATABASE_URL);
      cleanups.push(() => fresh.drop());
      const url = new URL(fresh.url);
      target = { host: url.hostname, port: Number(url.port || 5432), url: fresh.url };
    } else {
      embedded = await startEmbeddedDatabase(`${tempDir('outage')}/pgdata`, 0, log);
      cleanups.push(() => embedded!.stop());
      const url = new URL(embedded.url);
      target = { host: url.hostname, port: Number(url.port), url: embedded.url };
    }
    const proxy = new TcpProxy(target.host, target.port);
    await proxy.start();
    cleanups.push(() => proxy.stop());
    const viaProxy = new URL(target.url);
    viaProxy.port = String(proxy.port);
    // The embedded server runs one session for all connections: one connection, as the server uses it.
    const server = await startServer(serverEnv(tempDir('outage-server'), viaProxy.toString(), embedded ? { DATABASE_POOL_SIZE: '1' } : {}));
    cleanups.push(() => server.stop('SIGKILL'));
    const { socket, ids } = await gateway(server);

    const load = new Load(socket, ids, 400);
    load.start();
    await new Promise((r) => setTimeout(r, 2000));
    const ackedBeforeOutage = load.acked.length;
    proxy.cut();
    await new Promise((r) => setTimeout(r, 3000));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(503);
    const ackedEarlyInOutage = load.acked.length;
    await new Promise((r) => setTimeout(r, 17_000));
    // Nothing can have been acknowledged while the database was away (beyond batches already in flight).
    expect(load.acked.length - ackedEarlyInOutage).toBe(0);
    proxy.restore();
    await new Promise((r) => setTimeout(r, 5000));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    load.stop();
    await new Promise((r) => setTimeout(r, 3000));

    expect(ackedBeforeOutage).toBeGreaterThan(300);
    expect(load.failed).toBe(0); // acks waited; none was refused or timed out
    expect(load.acked.length).toBe(load.sent); // the backlog of the outage was acknowledged after it
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      expect(await countStored((sql, params) => client.query(sql, params), load.acked)).toBe(load.acked.length);
    } finally {
      await client.end();
    }
    expect(server.logs.some((l) => l.includes('ingest recovered'))).toBe(true);
  }, 180_000);
});
