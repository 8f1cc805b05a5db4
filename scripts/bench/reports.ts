/**
 * Reports benchmark (server/history, docs/reports.md): seeds `--vehicles` vehicles × `--days`
 * days of positions every `--interval-s` seconds (default 100 × 30 d at 1/30 Hz ≈ 8.6 M rows:
 * 1 Hz would be 260 M rows, too many for this machine) into a scratch database, derives the
 * journeys, stops and daily summaries (`history rebuild`), then times what a fleet manager does:
 *  - the summary report for every vehicle over the whole range,
 *  - the trips report for one vehicle over the whole range,
 *  - the replay load of 20 vehicles × 24 h (first chunk = time to first frame, and all chunks),
 *  - CSV and XLSX exports of 100k journeys (streamed: peak memory above the baseline),
 *  - the derivation stage's cost per position (what it adds on the ingest path).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:reports
 *   npm run bench:reports -- --vehicles 20 --days 3      (embedded PostGIS: keep it small)
 *
 * Prints the table; writes bench-results/reports-<ts>.json. Times are on a shared machine: noisy.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { Principal } from '../../server/auth/tokens';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { maintainHistoryPartitions } from '../../server/db/partitions';
import { DEFAULT_SEGMENT_OPTIONS, MovementSegmenter, type Segments } from '../../server/history/segment';
import { rebuildHistory } from '../../server/history/rebuild';
import { ReportService } from '../../server/history/reports';
import { createLogger } from '../../server/log';
import type { Position } from '../../server/protocol/position';
import type { ReplayChunk, ReportResponse } from '../../server/protocol/reports';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const { values: args } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '100' },
    days: { type: 'string', default: '30' },
    'interval-s': { type: 'string', default: '30' },
    'export-rows': { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '5' },
  },
});
const VEHICLES = Number(args.vehicles);
const DAYS = Number(args.days);
const INTERVAL_S = Number(args['interval-s']);
const EXPORT_ROWS = Number(args['export-rows']);
const ROUNDS = Number(args.rounds);
const BENCH_DB = 'geofleet_bench_reports';
const DAY_MS = 86_400_000;
const CENTER = { lng: -76.61, lat: 39.29 };

async function openBenchDatabase(): Promise<{ db: Database; kind: 'postgresql' | 'embedded'; cleanup(): Promise<void> }> {
  const log = createLogger('warn', false);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-'));
  const baseUrl = process.env.DATABASE_URL;
  const url = baseUrl ? await recreateDatabase(baseUrl, BENCH_DB) : undefined;
  const db = await openDatabase(parseConfig({ ...(url ? { DATABASE_URL: url } : {}), DATA_DIR: dataDir, LOG_LEVEL: 'warn', HISTORY_RETENTION_DAYS: String(DAYS + 2) }), log);
  return {
    db,
    kind: url ? 'postgresql' : 'embedded',
    async cleanup() {
      await db.close();
      if (baseUrl) await dropDatabase(baseUrl, BENCH_DB);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Median of `ROUNDS` runs (after one warm-up), in ms. */
async function median(work: () => Promise<unknown>, rounds = ROUNDS): Promise<{ ms: number; all: number[] }> {
  await work();
  const all: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await work();
    all.push(Math.round((performance.now() - t) * 10) / 10);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { ms: sorted[Math.floor(sorted.length / 2)]!, all };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Every vehicle's day: parked overnight; from 06:00 to 18:00 each hour it drives 40 min at
 * 40 km/h around its own loop and stands 20 min — 12 journeys and 13 stops a day.
 */
async function seed(db: Database, tenantId: string, day0: number): Promise<number> {
  await db.pool.query('INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)', [tenantId, 'Bench reports', `bench-reports-${Date.now()}`]);
  await db.pool.query(
    `INSERT INTO vehicles (id, tenant_id, name, plate, type, device_id, device_token)
     SELECT gen_random_uuid(), $1, 'Vehicle ' || lpad(i::text, 4, '0'), 'R-' || i, (ARRAY['car', 'van', 'truck'])[1 + i % 3], 'bench-' || i, 'bench-reports-' || i
     FROM generate_series(1, $2::int) AS i`,
    [tenantId, VEHICLES],
  );
  const steps = Math.round(86_400 / INTERVAL_S);
  const stepM = (40 / 3.6) * INTERVAL_S;
  let rows = 0;
  for (let d = 0; d < DAYS; d++) {
    const started = performance.now();
    const result = await db.pool.query(
      `INSERT INTO position_history (vehicle_id, ts, tenant_id, geom, speed, heading, accuracy)
       SELECT vehicle_id, ts, tenant_id,
              ST_SetSRID(ST_MakePoint($4::float8 + ox + 0.02 * cos(moved * $6::float8 / 3000.0), $5::float8 + oy + 0.015 * sin(moved * $6::float8 / 3000.0)), 4326),
              CASE WHEN moving THEN 40 ELSE 0 END, 0, 5
       FROM (
         SELECT v.id AS vehicle_id, v.tenant_id, to_timestamp($2::float8 / 1000.0) + g * make_interval(secs => $7::int) AS ts, m.moving,
                ((hashtext(v.id::text) % 1000) / 1000.0) * 0.2 AS ox, ((hashtext(v.device_id) % 1000) / 1000.0) * 0.15 AS oy,
                sum(m.moving::int) OVER (PARTITION BY v.id ORDER BY g) AS moved
         FROM vehicles v, generate_series(0, $3::int - 1) AS g,
              LATERAL (SELECT ((g * $7::int) / 3600) BETWEEN 6 AND 17 AND ((g * $7::int) % 3600) < 2400 AS moving) m
         WHERE v.tenant_id = $1::uuid
       ) s
       ORDER BY vehicle_id, ts`,
      [tenantId, day0 + d * DAY_MS, steps, CENTER.lng, CENTER.lat, stepM, INTERVAL_S],
    );
    rows += result.rowCount ?? 0;
    process.stdout.write(`\rseeding: day ${d + 1}/${DAYS}, ${rows.toLocaleString('en')} rows (${Math.round(performance.now() - started)} ms for the day)   `);
  }
  process.stdout.write('\n');
  await db.pool.query('ANALYZE position_history');
  return rows;
}

/** Reads a streamed body to its end, sampling the process's memory meanwhile. */
async function drain(response: Response): Promise<{ bytes: number; peakRssMb: number; peakHeapMb: number }> {
  const reader = response.body!.getReader();
  let bytes = 0;
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(sample, 20);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
  } finally {
    clearInterval(timer);
    sample();
  }
  return { bytes, peakRssMb: Math.round(peakRss / 1e6), peakHeapMb: Math.round(peakHeap / 1e6) };
}

/** 100k synthetic journeys a year back (so they do not mix with the seeded ones), for the exports. */
async function seedExportRows(db: Database, tenantId: string, from: number): Promise<void> {
  await db.pool.query(
    `INSERT INTO vehicle_trips (vehicle_id, start_ts, end_ts, tenant_id, start_lng, start_lat, end_lng, end_lat, start_place, end_place,
                                distance_m, driving_s, idle_s, max_speed_kmh, avg_speed_kmh, positions)
     SELECT v.id, to_timestamp($2::float8 / 1000.0) + (g * 317) * interval '1 second', to_timestamp($2::float8 / 1000.0) + (g * 317 + 300) * interval '1 second', v.tenant_id, -76.6, 39.29, -76.55, 39.3,
            'North Avenue ' || g, 'Pratt Street ' || g, 1000 + g % 9000, 600, 30, 60, 45, 60
     FROM (SELECT id, tenant_id, row_number() OVER (ORDER BY id) AS n FROM vehicles WHERE tenant_id = $1) v,
          generate_series(0, $3::int / $4::int - 1) AS g`,
    [tenantId, from, EXPORT_ROWS, VEHICLES],
  );
}

/** The stage's cost per position: the pure segmenter over synthetic fixes of many vehicles. */
function stageCost(): { positions: number; nsPerPosition: number; trips: number } {
  const vehicles = 2000;
  const perVehicle = 500;
  const segmenter = new MovementSegmenter(DEFAULT_SEGMENT_OPTIONS, () => null);
  const out: Segments = { trips: [], stops: [] };
  const batch: Position[] = [];
  for (let s = 0; s < perVehicle; s++) {
    for (let v = 0; v < vehicles; v++) {
      const moving = s % 100 < 60;
      batch.push({ tenantId: 't', vehicleId: `v${v}`, lat: 39.29 + v * 1e-4, lng: -76.6 + (moving ? s : 0) * 1e-4, ts: 1_700_000_000_000 + s * 5000, speed: moving ? 30 : 0, heading: 90, accuracy: 5, altitude: null, battery: null, attributes: null });
    }
  }
  for (const p of batch.slice(0, 20_000)) segmenter.observe(p, out); // warm-up
  const fresh = new MovementSegmenter(DEFAULT_SEGMENT_OPTIONS, () => null);
  const result: Segments = { trips: [], stops: [] };
  const t = performance.now();
  for (const p of batch) fresh.observe(p, result);
  const ms = performance.now() - t;
  return { positions: batch.length, nsPerPosition: Math.round((ms * 1e6) / batch.length), trips: result.trips.length };
}

async function main(): Promise<void> {
  const { db, kind, cleanup } = await openBenchDatabase();
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, memGb: Math.round(os.totalmem() / 1e9) }, database: kind, vehicles: VEHICLES, days: DAYS, intervalS: INTERVAL_S };
  try {
    const now = Date.now();
    const day0 = now - (now % DAY_MS) - DAYS * DAY_MS;
    await maintainHistoryPartitions(db.prisma, now, DAYS + 2);
    const tenantId = randomUUID();
    const seedStart = performance.now();
    const rows = await seed(db, tenantId, day0);
    results.seed = { rows, ms: Math.round(performance.now() - seedStart) };
    log(`seeded ${rows.toLocaleString('en')} positions in ${Math.round((performance.now() - seedStart) / 1000)} s`);

    const rebuild = await rebuildHistory(db.prisma, { from: day0, to: day0 + DAYS * DAY_MS, tenantId, segment: DEFAULT_SEGMENT_OPTIONS, progress: (n) => process.stdout.write(`\rderiving: ${n.toLocaleString('en')} positions   `) });
    process.stdout.write('\n');
    results.rebuild = { ...rebuild, positionsPerS: Math.round(rebuild.positions / (rebuild.ms / 1000)) };
    log(`derived ${rebuild.trips.toLocaleString('en')} journeys and ${rebuild.stops.toLocaleString('en')} stops in ${(rebuild.ms / 1000).toFixed(1)} s`);
    await db.pool.query('ANALYZE vehicle_trips; ANALYZE vehicle_stops; ANALYZE history_days');

    const reports = new ReportService(db.prisma);
    const admin: Principal = { userId: randomUUID(), tenantId, role: 'admin' };
    const fromDay = new Date(day0).toISOString().slice(0, 10);
    const toDay = new Date(day0 + (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    const one = (await db.pool.query<{ id: string }>('SELECT id FROM vehicles WHERE tenant_id = $1 ORDER BY name LIMIT 20', [tenantId])).rows.map((r) => r.id);

    let summaryBody: ReportResponse | null = null;
    const summary = await median(async () => {
      summaryBody = (await (await reports.run(admin, 'summary', { from: fromDay, to: toDay })).json()) as ReportResponse;
    });
    const tenDays = await median(async () => (await reports.run(admin, 'summary', { from: new Date(day0 + (DAYS - 10) * DAY_MS).toISOString().slice(0, 10), to: toDay })).json());
    let tripRows = 0;
    const trips = await median(async () => {
      tripRows = ((await (await reports.run(admin, 'trips', { from: fromDay, to: toDay, vehicleIds: one[0] })).json()) as ReportResponse).rows.length;
    });
    const day = new Date(day0 + (DAYS - 1) * DAY_MS);
    let firstChunk = 0;
    let replayPositions = 0;
    const replay = await median(async () => {
      const started = performance.now();
      let after: number | undefined;
      replayPositions = 0;
      for (let i = 0; ; i++) {
        const chunk: ReplayChunk = await reports.replay(admin, { vehicleIds: one.join(','), from: day.toISOString(), to: new Date(day.getTime() + DAY_MS).toISOString(), limit: '50000', ...(after !== undefined ? { after: String(after) } : {}) });
        if (i === 0) firstChunk = performance.now() - started;
        replayPositions += chunk.t.length;
        if (chunk.next === null) break;
        after = chunk.next;
      }
    }, 3);
    const s = summaryBody as ReportResponse | null;
    results.summary = { vehicles: s?.rows.length, totalKm: Math.round((s?.totals.distanceM ?? 0) / 1000), journeys: s?.totals.trips, medianMs: summary.ms, runs: summary.all, last10DaysMs: tenDays.ms };
    results.trips = { rows: tripRows, medianMs: trips.ms, runs: trips.all };
    results.replay = { vehicles: one.length, positions: replayPositions, firstChunkMs: Math.round(firstChunk), allChunksMedianMs: replay.ms, runs: replay.all };

    const exportFrom = day0 - 365 * DAY_MS;
    await seedExportRows(db, tenantId, exportFrom);
    const exportRange = { from: new Date(exportFrom).toISOString().slice(0, 10), to: new Date(exportFrom + 360 * DAY_MS).toISOString().slice(0, 10) };
    const files: Record<string, unknown> = {};
    for (const format of ['csv', 'xlsx'] as const) {
      (globalThis as { gc?: () => void }).gc?.();
      const base = process.memoryUsage();
      const started = performance.now();
      const drained = await drain(await reports.run(admin, 'trips', { ...exportRange, format }));
      const ms = performance.now() - started;
      files[format] = { rows: EXPORT_ROWS, ms: Math.round(ms), mb: Math.round(drained.bytes / 1e5) / 10, rowsPerS: Math.round(EXPORT_ROWS / (ms / 1000)), baseRssMb: Math.round(base.rss / 1e6), peakRssMb: drained.peakRssMb, peakHeapAboveBaseMb: drained.peakHeapMb - Math.round(base.heapUsed / 1e6) };
    }
    results.exports = files;
    results.stage = stageCost();

    log('');
    log(`reports on ${kind}: ${VEHICLES} vehicles × ${DAYS} days at 1/${INTERVAL_S} Hz = ${rows.toLocaleString('en')} positions`);
    log(`  derivation (rebuild)        ${(rebuild.ms / 1000).toFixed(1)} s  (${(results.rebuild as { positionsPerS: number }).positionsPerS.toLocaleString('en')} positions/s)`);
    log(`  summary ${VEHICLES} × ${DAYS} d          ${summary.ms} ms   (10 days: ${tenDays.ms} ms)`);
    log(`  trips 1 vehicle × ${DAYS} d       ${trips.ms} ms   (${tripRows} journeys)`);
    log(`  replay ${one.length} × 24 h            first chunk ${Math.round(firstChunk)} ms, all ${replay.ms} ms (${replayPositions.toLocaleString('en')} positions)`);
    for (const [format, e] of Object.entries(files)) {
      const x = e as { ms: number; mb: number; rowsPerS: number; peakRssMb: number; baseRssMb: number; peakHeapAboveBaseMb: number };
      log(`  ${format.toUpperCase()} ${EXPORT_ROWS.toLocaleString('en')} rows          ${x.ms} ms, ${x.mb} MB, ${x.rowsPerS.toLocaleString('en')} rows/s, RSS ${x.baseRssMb} → ${x.peakRssMb} MB, heap +${x.peakHeapAboveBaseMb} MB`);
    }
    const st = results.stage as { nsPerPosition: number; positions: number };
    log(`  stage cost                  ${st.nsPerPosition} ns/position (${st.positions.toLocaleString('en')} positions, 2,000 vehicles)`);
    mkdirSync('bench-results', { recursive: true });
    const file = `bench-results/reports-${new Date().toISOString().replaceAll(':', '-')}.json`;
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\n${file}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
