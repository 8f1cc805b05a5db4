/**
 * Event log benchmark: how many domain events a second the log appends, the way the server
 * appends them — derived events group-committed by `EventLog.record` (one transaction for
 * whatever gathered while the previous one ran), and a person's change with its event in one
 * transaction (`EventLog.transact`), one after another.
 *
 *   npm run bench:events -- --events 200000 --vehicles 10000 --tenants 4
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:events
 *
 * With DATABASE_URL it creates (and afterwards drops) the database `geofleet_bench_events` on
 * that server; without it, embedded PostGIS in a temporary folder. Prints a summary and writes
 * bench-results/events-<timestamp>.json. Options:
 *   --events N     derived events recorded (200000), offered in bursts of --burst (500)
 *   --vehicles N   aggregates the events spread over (10000), --tenants N (4)
 *   --edits N      sequential transact() edits timed (500)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { EventBus } from '../../server/events/bus';
import { EventLog } from '../../server/events/log';
import { uuid7 } from '../../server/events/uuid7';
import { createLogger } from '../../server/log';
import type { NewEvent } from '../../server/protocol/events';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const BENCH_DB = 'geofleet_bench_events';
const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    burst: { type: 'string', default: '500' },
    vehicles: { type: 'string', default: '10000' },
    tenants: { type: 'string', default: '4' },
    edits: { type: 'string', default: '500' },
  },
  strict: true,
});
const int = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
};
const EVENTS = int(args.events, 'events');
const BURST = int(args.burst, 'burst');
const VEHICLES = int(args.vehicles, 'vehicles');
const TENANTS = int(args.tenants, 'tenants');
const EDITS = int(args.edits, 'edits');
const log = createLogger('warn', false);

async function open(): Promise<{ db: Database; kind: string; cleanup(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-'));
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const url = await recreateDatabase(baseUrl, BENCH_DB);
    const db = await openDatabase(parseConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
    return { db, kind: 'PostgreSQL server', cleanup: async () => (await db.close(), await dropDatabase(baseUrl, BENCH_DB), rmSync(dataDir, { recursive: true, force: true })) };
  }
  const db = await openDatabase(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
  return { db, kind: 'embedded PostGIS', cleanup: async () => (await db.close(), rmSync(dataDir, { recursive: true, force: true })) };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const { db, kind, cleanup } = await open();
  try {
    const tenants = Array.from({ length: TENANTS }, () => uuid7());
    for (const [i, id] of tenants.entries()) await db.prisma.tenant.create({ data: { id, name: `Bench ${i}`, slug: `bench-${i}-${Date.now()}` } });
    const vehicles = Array.from({ length: VEHICLES }, (_, i) => ({ id: uuid7(), tenantId: tenants[i % TENANTS]! }));
    const bus = new EventBus(log);
    let published = 0;
    const publishedAt: number[] = [];
    bus.subscribe((events) => {
      published += events.length;
      publishedAt.push(Date.now());
    });
    const eventLog = new EventLog(db.prisma, bus, log);

    // 1. derived events, group-committed: bursts offered as fast as the log takes them
    const event = (i: number): NewEvent => {
      const v = vehicles[i % VEHICLES]!;
      return {
        tenantId: v.tenantId, type: 'geofence.entered', aggregateId: v.id, at: Date.now(), actor: { kind: 'device', vehicleId: v.id },
        data: { geofenceId: '00000000-0000-7000-8000-000000000001', geofenceName: 'Bench fence', vehicleId: v.id, position: { lng: 13.4, lat: 52.5, speed: 30, heading: 90 } },
      } as NewEvent;
    };
    const started = performance.now();
    let offered = 0;
    const maxBacklog = { value: 0 };
    while (offered < EVENTS) {
      const burst: NewEvent[] = [];
      for (let i = 0; i < BURST && offered < EVENTS; i++) burst.push(event(offered++));
      eventLog.record(burst);
      maxBacklog.value = Math.max(maxBacklog.value, eventLog.backlog);
      // Let the appends run: the ingest path offers a batch per commit, not all at once.
      if (eventLog.backlog > 20 * BURST) await new Promise((r) => setTimeout(r, 1));
      else await new Promise((r) => setImmediate(r));
    }
    await eventLog.drain(600_000);
    const recordSeconds = (performance.now() - started) / 1000;
    const rounds = publishedAt.length;

    // 2. a person's change with its event: one transaction each, one after another
    const editMs: number[] = [];
    const tenantId = tenants[0]!;
    const freshLog = new EventLog(db.prisma, bus, log);
    for (let i = 0; i < EDITS; i++) {
      const t0 = performance.now();
      await freshLog.transact(async (tx, emit) => {
        await tx.$executeRaw`UPDATE tenants SET vehicle_rate_limit = ${1 + (i % 3)} WHERE id = ${tenantId}::uuid`;
        emit({ tenantId, type: 'tenant.updated', aggregateId: tenantId, actor: { kind: 'user', id: tenantId }, data: { changes: { vehicleRateLimit: { before: 1, after: 2 } } } } as NewEvent);
      });
      editMs.push(performance.now() - t0);
    }
    editMs.sort((a, b) => a - b);

    const stored = Number((await db.prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM domain_events`)[0]!.n);
    const gaps = await db.prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM (SELECT seq - lag(seq) OVER (PARTITION BY tenant_id ORDER BY seq) AS step FROM domain_events) s WHERE step <> 1`;
    const result = {
      database: kind,
      events: EVENTS,
      burst: BURST,
      vehicles: VEHICLES,
      tenants: TENANTS,
      recorded: { seconds: +recordSeconds.toFixed(2), eventsPerSecond: Math.round(EVENTS / recordSeconds), appendRounds: rounds, eventsPerRound: Math.round(EVENTS / Math.max(1, rounds)), maxBacklog: maxBacklog.value },
      edits: { count: EDITS, p50Ms: +percentile(editMs, 50).toFixed(2), p95Ms: +percentile(editMs, 95).toFixed(2), p99Ms: +percentile(editMs, 99).toFixed(2) },
      check: { stored, published, expected: EVENTS + EDITS, seqGaps: Number(gaps[0]!.n) },
    };
    console.log(`\nEvent log on ${kind}`);
    console.log(`  derived events (group commit): ${result.recorded.eventsPerSecond.toLocaleString('en')} events/s — ${EVENTS.toLocaleString('en')} in ${result.recorded.seconds} s, ${rounds} appends of ≈${result.recorded.eventsPerRound}`);
    console.log(`  person's change + event (one transaction): p50 ${result.edits.p50Ms} ms, p95 ${result.edits.p95Ms} ms, p99 ${result.edits.p99Ms} ms`);
    console.log(`  stored ${stored} of ${result.check.expected}, published ${published}, seq gaps ${result.check.seqGaps}`);
    if (stored !== result.check.expected || published !== result.check.expected || result.check.seqGaps !== 0) {
      process.exitCode = 1;
      console.error('  ✗ events were lost, duplicated or left gaps');
    }
    mkdirSync('bench-results', { recursive: true });
    const file = `bench-results/events-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(result, null, 2));
    console.log(`  → ${file}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
