/**
 * Spatial query benchmark: times SpatialService calls (bbox, polygon, nearby 1 km, nearest k=10,
 * one vehicle's 1-hour history) against a fresh database filled with a city-sized fleet.
 *
 *   npm run bench:spatial -- --vehicles 100000 --queries 2000
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:spatial
 *
 * With DATABASE_URL the benchmark creates (and afterwards drops) the database
 * `geofleet_bench_spatial` on that server; without it, it runs embedded PostGIS in a temporary
 * folder. Prints p50/p95/p99 per query, checks each plan (EXPLAIN ANALYZE) for the index it
 * should use, and writes bench-results/spatial-<timestamp>.json. Options:
 *   --vehicles N          vehicles of the benchmarked tenant (100000)
 *   --other-vehicles N    vehicles of a second tenant in the same area (10% of --vehicles)
 *   --queries N           timed calls per query kind (2000), after --warmup calls (100)
 *   --history-vehicles N  vehicles with position history (200), --history-hours H (3), one position per 5 s
 *   --explain             print every plan
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../../server/auth/tokens';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { Prisma as P } from '../../server/db/generated/prisma/client';
import * as spatialSql from '../../server/db/sql/spatial';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';
import { random } from '../../server/geofence/fixtures';
import { createLogger } from '../../server/log';
import type { GeoJsonPolygon } from '../../server/protocol/spatial';
import { SpatialService } from '../../server/spatial/service';

const BENCH_DB = 'geofleet_bench_spatial';
const CENTER = { lng: 13.405, lat: 52.52 };
// ≈50 km × 50 km around the centre.
const HALF_LAT = 25_000 / 111_195;
const HALF_LNG = 25_000 / (111_195 * Math.cos((CENTER.lat * Math.PI) / 180));
const STEP_S = 5; // keep in step with the interval in fillHistory

const { values: args } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '100000' },
    'other-vehicles': { type: 'string' },
    queries: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '100' },
    'history-vehicles': { type: 'string', default: '200' },
    'history-hours': { type: 'string', default: '3' },
    explain: { type: 'boolean', default: false },
  },
  strict: true,
});
const int = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
  return n;
};
const VEHICLES = int(args.vehicles, 'vehicles');
const OTHER_VEHICLES = args['other-vehicles'] === undefined ? Math.round(VEHICLES / 10) : int(args['other-vehicles'], 'other-vehicles');
const QUERIES = int(args.queries, 'queries');
const WARMUP = int(args.warmup, 'warmup');
const HISTORY_VEHICLES = Math.min(int(args['history-vehicles'], 'history-vehicles'), VEHICLES);
const HISTORY_HOURS = Number(args['history-hours']);
if (VEHICLES < 1 || !(HISTORY_HOURS >= 1 && HISTORY_HOURS <= 24)) throw new Error('--vehicles ≥ 1 and 1 ≤ --history-hours ≤ 24');

const metersToLat = (m: number) => m / 111_195;
const metersToLng = (m: number, lat: number) => m / (111_195 * Math.cos((lat * Math.PI) / 180));

async function openBenchDatabase(): Promise<{ db: Database; kind: 'postgresql' | 'embedded'; cleanup(): Promise<void> }> {
  const log = createLogger('warn', false);
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const url = await recreateDatabase(baseUrl, BENCH_DB);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-'));
    const db = await openDatabase(parseConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
    return {
      db,
      kind: 'postgresql',
      async cleanup() {
        await db.close();
        await dropDatabase(baseUrl, BENCH_DB);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-'));
  const db = await openDatabase(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
  return {
    db,
    kind: 'embedded',
    async cleanup() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  process.stdout.write(`${label}… `);
  const result = await work();
  const ms = performance.now() - started;
  console.log(`${(ms / 1000).toFixed(1)} s`);
  return { result, ms };
}

/** One tenant with `count` vehicles, each with a current state somewhere in the area. */
async function fillTenant(db: Database, slug: string, count: number, seed: number): Promise<string> {
  const tenantId = randomUUID();
  await db.pool.query('INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)', [tenantId, `Bench ${slug}`, slug]);
  await db.pool.query(
    `INSERT INTO vehicles (id, tenant_id, name, plate, type, device_id, device_token)
     SELECT gen_random_uuid(), $1, 'Vehicle ' || lpad(i::text, 6, '0'), 'B-' || i,
            (ARRAY['car', 'van', 'truck'])[1 + i % 3], 'bench-' || i, $2 || '-' || i
     FROM generate_series(1, $3::int) AS i`,
    [tenantId, slug, count],
  );
  const client = await db.pool.connect();
  try {
    await client.query('SELECT setseed($1)', [seed]);
    await client.query(
      `INSERT INTO vehicle_states (vehicle_id, tenant_id, geom, speed, heading, accuracy, battery, ts, received_at)
       SELECT v.id, v.tenant_id,
              ST_SetSRID(ST_MakePoint($2 + (random() * 2 - 1) * $4, $3 + (random() * 2 - 1) * $5), 4326),
              round((random() * 90)::numeric, 1), floor(random() * 360), 5, round((20 + random() * 80)::numeric),
              now() - random() * interval '60 seconds', now()
       FROM vehicles v WHERE v.tenant_id = $1`,
      [tenantId, CENTER.lng, CENTER.lat, HALF_LNG, HALF_LAT],
    );
  } finally {
    client.release();
  }
  return tenantId;
}

/** `HISTORY_VEHICLES` vehicles wander around their current position, one position per 5 s. */
async function fillHistory(db: Database, tenantId: string, now: number): Promise<{ vehicleIds: string[]; rows: number }> {
  const steps = Math.round((HISTORY_HOURS * 3600) / STEP_S);
  const end = new Date(Math.floor(now / 1000) * 1000).toISOString();
  const result = await db.pool.query(
    `INSERT INTO position_history (vehicle_id, ts, tenant_id, geom, speed, heading, accuracy, battery)
     SELECT s.vehicle_id, $2::timestamptz - g * interval '5 seconds', s.tenant_id,
            ST_SetSRID(ST_MakePoint(ST_X(s.geom) + 0.01 * sin(g / 60.0 + n), ST_Y(s.geom) + 0.006 * cos(g / 90.0 + n)), 4326),
            30 + 20 * sin(g / 10.0), (g * 7) % 360, 5, 100 - g * 50.0 / $4
     FROM (SELECT vehicle_id, tenant_id, geom, row_number() OVER (ORDER BY vehicle_id) AS n
           FROM vehicle_states WHERE tenant_id = $1 ORDER BY vehicle_id LIMIT $3) AS s,
          generate_series(0, $4::int - 1) AS g
     ORDER BY s.vehicle_id, g`,
    [tenantId, end, HISTORY_VEHICLES, steps],
  );
  const ids = await db.pool.query<{ id: string }>(
    'SELECT vehicle_id AS id FROM vehicle_states WHERE tenant_id = $1 ORDER BY vehicle_id LIMIT $2',
    [tenantId, HISTORY_VEHICLES],
  );
  return { vehicleIds: ids.rows.map((r) => r.id), rows: result.rowCount ?? 0 };
}

/** A star-shaped, never self-intersecting polygon of ≈`radius` meters around (lng, lat). */
function polygonAround(lng: number, lat: number, radius: number, rnd: () => number): GeoJsonPolygon {
  const corners = 8;
  const ring: Array<[number, number]> = [];
  for (let i = 0; i < corners; i++) {
    const angle = (i / corners) * 2 * Math.PI;
    const r = radius * (0.6 + 0.4 * rnd());
    ring.push([lng + metersToLng(r * Math.cos(angle), lat), lat + metersToLat(r * Math.sin(angle))]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

interface Kind {
  name: string;
  /** What the timed call receives for iteration i. */
  run(i: number): Promise<number>;
  /** The statement of the same call, for EXPLAIN. */
  statement(): P.Sql;
  /** Index the plan must use. */
  index: string;
}

function stats(samples: number[]): { p50: number; p95: number; p99: number; mean: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), max: round(sorted[sorted.length - 1]!) };
}

async function main(): Promise<void> {
  const started = Date.now();
  const { db, kind, cleanup } = await timed('opening a fresh database', openBenchDatabase).then((r) => r.result);
  try {
    const now = Date.now();
    const setup: Record<string, number> = {};
    const tenantId = await timed(`inserting ${VEHICLES} vehicles with states`, () => fillTenant(db, 'bench', VEHICLES, 0.42)).then((r) => ((setup.vehiclesMs = Math.round(r.ms)), r.result));
    if (OTHER_VEHICLES > 0) {
      await timed(`inserting ${OTHER_VEHICLES} vehicles of another tenant`, () => fillTenant(db, 'bench-other', OTHER_VEHICLES, 0.17)).then((r) => (setup.otherVehiclesMs = Math.round(r.ms)));
    }
    const history = await timed(`inserting ${HISTORY_HOURS} h of history for ${HISTORY_VEHICLES} vehicles`, () => fillHistory(db, tenantId, now)).then((r) => ((setup.historyMs = Math.round(r.ms)), r.result));
    await timed('ANALYZE', () => db.pool.query('ANALYZE'));
    const versions = await db.pool.query<{ pg: string; postgis: string }>("SELECT current_setting('server_version') AS pg, postgis_lib_version() AS postgis");

    const spatial = new SpatialService(db.prisma);
    const principal: Principal = { userId: randomUUID(), tenantId, role: 'manager' };
    const rnd = random(7);
    // Query points stay 5 km inside the area's edge, so every query sees a full neighbourhood.
    const place = () => ({
      lng: CENTER.lng + (rnd() * 2 - 1) * (HALF_LNG - metersToLng(5000, CENTER.lat)),
      lat: CENTER.lat + (rnd() * 2 - 1) * (HALF_LAT - metersToLat(5000)),
    });
    const bboxAround = (p: { lng: number; lat: number }, halfMeters: number) => ({
      west: p.lng - metersToLng(halfMeters, p.lat),
      south: p.lat - metersToLat(halfMeters),
      east: p.lng + metersToLng(halfMeters, p.lat),
      north: p.lat + metersToLat(halfMeters),
    });
    const historyWindow = () => {
      const vehicleId = history.vehicleIds[Math.floor(rnd() * history.vehicleIds.length)]!;
      const latestStart = Math.floor(now / 1000) * 1000 - 3_600_000;
      const from = latestStart - Math.floor(rnd() * (HISTORY_HOURS - 1) * 3600) * 1000;
      return { vehicleId, from, to: from + 3_600_000 };
    };
    const sample = place();

    const kinds: Kind[] = [
      {
        name: 'within bbox 3×3 km',
        index: 'vehicle_states_geom_idx',
        run: async () => {
          const b = bboxAround(place(), 1500);
          return (await spatial.withinBbox(principal, { bbox: [b.west, b.south, b.east, b.north] })).vehicles.length;
        },
        statement: () => spatialSql.buildWithinBbox(tenantId, bboxAround(sample, 1500), 10_001),
      },
      {
        name: 'within polygon ≈3 km wide',
        index: 'vehicle_states_geom_idx',
        run: async () => {
          const p = place();
          return (await spatial.withinPolygon(principal, { polygon: polygonAround(p.lng, p.lat, 1500, rnd) })).vehicles.length;
        },
        statement: () => spatialSql.buildWithinPolygon(tenantId, polygonAround(sample.lng, sample.lat, 1500, random(1)), 10_001),
      },
      {
        name: 'nearby 1 km',
        index: 'vehicle_states_geom_idx',
        run: async () => (await spatial.nearby(principal, { ...place(), radius: 1000, limit: 1000 })).vehicles.length,
        statement: () => spatialSql.buildNearby(tenantId, sample.lng, sample.lat, 1000, 1001),
      },
      {
        name: 'nearest k=10',
        index: 'vehicle_states_geom_idx',
        run: async () => (await spatial.nearest(principal, { ...place(), k: 10 })).vehicles.length,
        statement: () => spatialSql.buildNearest(tenantId, sample.lng, sample.lat, 10),
      },
      {
        name: 'history 1 h (GeoJSON)',
        index: 'position_history_p',
        run: async () => {
          const w = historyWindow();
          const fc = await spatial.history(principal, w.vehicleId, { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() });
          return fc.features.length - 1;
        },
        statement: () => {
          const w = historyWindow();
          return spatialSql.buildVehicleHistory(tenantId, w.vehicleId, w.from, w.to, 10_001);
        },
      },
    ];

    const results: Array<Record<string, unknown>> = [];
    for (const k of kinds) {
      const plan = (await db.prisma.$queryRaw<Array<{ 'QUERY PLAN': string }>>(P.sql`EXPLAIN (ANALYZE, BUFFERS) ${k.statement()}`)).map((r) => r['QUERY PLAN']).join('\n');
      const indexUsed = plan.includes(k.index) && (k.index !== 'position_history_p' || /Index (Only )?Scan using position_history_p\w*_pkey/.test(plan));
      const knn = k.name.startsWith('nearest') ? /Order By: \((\w+\.)?geom <->/.test(plan) : undefined;
      if (args.explain) console.log(`\n── ${k.name} ──\n${plan}\n`);
      for (let i = 0; i < WARMUP; i++) await k.run(i);
      const samples: number[] = [];
      let found = 0;
      for (let i = 0; i < QUERIES; i++) {
        const t = performance.now();
        found += await k.run(i);
        samples.push(performance.now() - t);
      }
      results.push({ query: k.name, ...stats(samples), meanResults: Math.round((found / QUERIES) * 10) / 10, indexUsed, ...(knn === undefined ? {} : { knnIndexOrder: knn }) });
    }

    const title = `spatial queries · ${kind === 'postgresql' ? 'PostgreSQL' : 'embedded PostGIS'} ${versions.rows[0]!.pg} / PostGIS ${versions.rows[0]!.postgis} · ${VEHICLES} vehicles (+${OTHER_VEHICLES} other tenant) · ${history.rows} history rows · ${QUERIES} calls each, ms`;
    console.log(`\n${title}`);
    console.log(['query'.padEnd(28), 'p50'.padStart(8), 'p95'.padStart(8), 'p99'.padStart(8), 'mean'.padStart(8), 'max'.padStart(8), 'results'.padStart(8), '  GIST/index'].join(''));
    for (const r of results) {
      const f = (v: unknown) => String((v as number).toFixed(2)).padStart(8);
      console.log([String(r.query).padEnd(28), f(r.p50), f(r.p95), f(r.p99), f(r.mean), f(r.max), String(r.meanResults).padStart(8), `  ${r.indexUsed ? 'yes' : 'NO'}${r.knnIndexOrder === undefined ? '' : r.knnIndexOrder ? ' (KNN)' : ' (no KNN)'}`].join(''));
    }

    mkdirSync('bench-results', { recursive: true });
    const file = path.join('bench-results', `spatial-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          benchmark: 'spatial',
          at: new Date().toISOString(),
          database: { kind, postgres: versions.rows[0]!.pg, postgis: versions.rows[0]!.postgis },
          params: { vehicles: VEHICLES, otherTenantVehicles: OTHER_VEHICLES, queries: QUERIES, warmup: WARMUP, historyVehicles: HISTORY_VEHICLES, historyHours: HISTORY_HOURS, historyRows: history.rows, areaKm: 50 },
          setupMs: setup,
          unit: 'ms',
          results,
          totalMs: Date.now() - started,
        },
        null,
        2,
      ),
    );
    console.log(`\nwritten ${file}`);
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
