/**
 * Geofence evaluation benchmark: per-position time of the in-memory engine (flatbush + exact
 * covered test, hysteresis and dwell in play), of one PostGIS query per position, and of a naive
 * scan over all fences, with 1,000 and 10,000 city-sized fences around Berlin (50 km × 50 km;
 * 70 % sites and blocks of 50–300 m, 25 % neighbourhoods up to 1 km, 5 % districts up to 3 km;
 * stars, holes, multipolygons, rectangles; hysteresis 0–50 m, dwell 0–120 s; 10 % conditional (JSON Logic
 * rules), 8 % temporal (schedules), 2 % predictive (path projection per position); 2 % of fixes too
 * inaccurate to count).
 *
 *   npm run bench:geofence
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:geofence
 *
 * With DATABASE_URL the benchmark creates (and afterwards drops) the database
 * `geofleet_bench_geofence` on that server; without it, it runs embedded PostGIS in a temporary
 * folder. Prints p50/p95 µs per position and the ratios; writes bench-results/geofence-<ts>.json.
 * Options:
 *   --fences 1000,10000   fence counts
 *   --vehicles N          vehicles walking through the city (2000)
 *   --steps N             positions per vehicle, one per second (60; the first 10 warm up)
 *   --postgis N           timed PostGIS queries per fence count (2000, after 200 warm-up)
 *   --naive N             timed naive scans per fence count (5000)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { GeofenceEngine, type GeofenceDefinition } from '../../server/geofence/engine';
import { offset, random, randomFence, wkb } from '../../server/geofence/fixtures';
import { covers, type LngLat } from '../../server/geofence/geometry';
import { createLogger } from '../../server/log';
import type { Position } from '../../server/protocol/position';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const BENCH_DB = 'geofleet_bench_geofence';
const CENTER: LngLat = [13.405, 52.52];
const SPREAD_M = 25_000; // ≈ 50 km × 50 km

const { values: args } = parseArgs({
  options: {
    fences: { type: 'string', default: '1000,10000' },
    vehicles: { type: 'string', default: '2000' },
    steps: { type: 'string', default: '60' },
    postgis: { type: 'string', default: '2000' },
    naive: { type: 'string', default: '5000' },
  },
  strict: true,
});
const FENCE_COUNTS = args.fences.split(',').map(Number);
const VEHICLES = Number(args.vehicles);
const STEPS = Number(args.steps);
const POSTGIS_QUERIES = Number(args.postgis);
const NAIVE = Number(args.naive);
const WARMUP_STEPS = 10;
if (FENCE_COUNTS.some((n) => !Number.isInteger(n) || n < 1) || !(VEHICLES >= 1) || !(STEPS > WARMUP_STEPS)) {
  throw new Error('--fences a,b,… (≥ 1), --vehicles ≥ 1, --steps > 10');
}

function cityFences(count: number, seed: number): GeofenceDefinition[] {
  const rnd = random(seed);
  const fences: GeofenceDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const c = offset(CENTER, (rnd() * 2 - 1) * SPREAD_M, (rnd() * 2 - 1) * SPREAD_M);
    // city-sized: sites and blocks (70 %, 50–300 m), neighbourhoods (25 %, 0.3–1 km), districts (5 %, 1–3 km)
    const size = rnd();
    const r = size < 0.7 ? 50 + rnd() * 250 : size < 0.95 ? 300 + rnd() * 700 : 1000 + rnd() * 2000;
    const pick = rnd();
    const { geometry } = randomFence(rnd, c, r, pick < 0.5 ? 'star' : pick < 0.65 ? 'holes' : pick < 0.8 ? 'multi' : 'rect');
    fences.push({
      id: String(i),
      tenantId: 'bench',
      geometry,
      hysteresisMeters: [0, 10, 25, 50][Math.floor(rnd() * 4)],
      dwellSeconds: [0, 0, 30, 120][Math.floor(rnd() * 4)],
      ...kindSettings(rnd()),
    });
  }
  return fences;
}

/** The mix of kinds: 80 % static, 10 % conditional (rules), 8 % temporal (schedules), 2 % predictive. */
function kindSettings(pick: number): Pick<GeofenceDefinition, 'kind' | 'rule' | 'timezone' | 'schedule' | 'windowMinutes' | 'confidenceThreshold'> {
  if (pick < 0.8) return { kind: 'static' };
  if (pick < 0.85) return { kind: 'conditional', rule: { '>': [{ var: 'speed' }, 40] } };
  if (pick < 0.9) {
    return { kind: 'conditional', timezone: 'Europe/Berlin', rule: { and: [{ in: [{ var: 'dayOfWeek' }, ['mon', 'tue', 'wed', 'thu', 'fri']] }, { '<=': ['07:00', { var: 'localTime' }, '19:00'] }] } };
  }
  if (pick < 0.98) return { kind: 'temporal', schedule: { timezone: 'Europe/Berlin', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '06:00', end: '20:00' }] } };
  return { kind: 'predictive', windowMinutes: 5, confidenceThreshold: 0.6 };
}

/** Vehicles on random walks (≈ 8–15 m/s), one position per second each, in time order. */
function tracks(seed: number): Position[] {
  const rnd = random(seed);
  const state = Array.from({ length: VEHICLES }, () => ({
    e: (rnd() * 2 - 1) * SPREAD_M, n: (rnd() * 2 - 1) * SPREAD_M, heading: rnd() * 2 * Math.PI, speed: 8 + rnd() * 7,
  }));
  const t0 = Date.UTC(2026, 0, 5, 8);
  const out: Position[] = [];
  for (let s = 0; s < STEPS; s++) {
    for (let v = 0; v < VEHICLES; v++) {
      const st = state[v]!;
      st.heading += (rnd() - 0.5) * 0.6;
      st.e += Math.cos(st.heading) * st.speed;
      st.n += Math.sin(st.heading) * st.speed;
      const [lng, lat] = offset(CENTER, st.e, st.n);
      out.push({
        tenantId: 'bench', vehicleId: `v${v}`, lng, lat, ts: t0 + s * 1000 + v,
        speed: st.speed * 3.6, heading: ((90 - (st.heading * 180) / Math.PI) % 360 + 360) % 360, accuracy: rnd() < 0.02 ? 250 : 5 + rnd() * 15, altitude: null, battery: null, attributes: null,
      });
    }
  }
  return out;
}

function stats(samplesNs: number[]): { p50: number; p95: number; mean: number; n: number } {
  const us = samplesNs.map((n) => n / 1000).sort((a, b) => a - b);
  const q = (p: number) => us[Math.min(us.length - 1, Math.floor(p * us.length))]!;
  return { p50: round(q(0.5)), p95: round(q(0.95)), mean: round(us.reduce((a, b) => a + b, 0) / us.length), n: us.length };
}
const round = (x: number) => Math.round(x * 100) / 100;


async function openBenchDatabase(): Promise<{ db: Database; kind: 'postgresql' | 'embedded'; cleanup(): Promise<void> }> {
  const log = createLogger('warn', false);
  const baseUrl = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-'));
  if (baseUrl) {
    const url = await recreateDatabase(baseUrl, BENCH_DB);
    const db = await openDatabase(parseConfig({ DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
    return {
      db, kind: 'postgresql',
      async cleanup() {
        await db.close();
        await dropDatabase(baseUrl, BENCH_DB);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const db = await openDatabase(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), log);
  return {
    db, kind: 'embedded',
    async cleanup() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  console.log(`opening ${process.env.DATABASE_URL ? 'PostgreSQL (scratch database)' : 'embedded PostGIS'}…`);
  const { db, kind, cleanup } = await openBenchDatabase();
  const positions = tracks(7);
  const results: unknown[] = [];
  try {
    await db.pool.query('CREATE TABLE bench_fences (id int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)');
    await db.pool.query('CREATE INDEX bench_fences_geom ON bench_fences USING gist (geom)');
    for (const count of FENCE_COUNTS) {
      const fences = cityFences(count, 1000 + count);
      console.log(`\n${count} fences, ${VEHICLES} vehicles × ${STEPS} positions`);

      // --- engine: every position evaluated one at a time, in time order, state carried over
      const engine = new GeofenceEngine();
      let t = process.hrtime.bigint();
      engine.setFences(fences);
      const buildMs = Number(process.hrtime.bigint() - t) / 1e6;
      const warm = WARMUP_STEPS * VEHICLES;
      engine.evaluate(positions.slice(0, warm));
      const engineNs: number[] = [];
      let events = 0;
      const one: Position[] = [positions[0]!];
      for (let i = warm; i < positions.length; i++) {
        one[0] = positions[i]!;
        t = process.hrtime.bigint();
        events += engine.evaluate(one).length;
        engineNs.push(Number(process.hrtime.bigint() - t));
      }
      // batched (how the ingest tick calls it): a fresh engine, 1,000 positions per call
      const batched = new GeofenceEngine();
      batched.setFences(fences);
      batched.evaluate(positions.slice(0, warm));
      t = process.hrtime.bigint();
      for (let i = warm; i < positions.length; i += 1000) batched.evaluate(positions.slice(i, i + 1000));
      const batchMeanUs = round(Number(process.hrtime.bigint() - t) / 1000 / (positions.length - warm));
      const engineStats = stats(engineNs);
      console.log(`  engine     p50 ${engineStats.p50} µs  p95 ${engineStats.p95} µs  (batches of 1000: ${batchMeanUs} µs/position; index build ${buildMs.toFixed(0)} ms; ${events} events)`);

      // --- naive: every fence's covered test for each position (membership only)
      const compiled = fences.map((f) => engine.fence(f.id)!.shape);
      const naiveNs: number[] = [];
      let naiveHits = 0;
      for (let i = 0; i < Math.min(NAIVE, positions.length); i++) {
        const p = positions[(i * 7919) % positions.length]!;
        t = process.hrtime.bigint();
        for (let k = 0; k < compiled.length; k++) if (covers(compiled[k]!, p.lng, p.lat)) naiveHits++;
        naiveNs.push(Number(process.hrtime.bigint() - t));
      }
      const naiveStats = stats(naiveNs);
      const coveringMean = round(naiveHits / naiveNs.length);
      console.log(`  naive scan p50 ${naiveStats.p50} µs  p95 ${naiveStats.p95} µs  (a position lies in ${coveringMean} fences on average)`);

      // --- PostGIS: one query per position
      await db.pool.query('TRUNCATE bench_fences');
      for (let i = 0; i < fences.length; i += 500) {
        const slice = fences.slice(i, i + 500);
        await db.pool.query(
          'INSERT INTO bench_fences SELECT id, ST_SetSRID(ST_GeomFromWKB(w), 4326) FROM unnest($1::int[], $2::bytea[]) AS u(id, w)',
          [slice.map((f) => Number(f.id)), slice.map((f) => wkb(f.geometry))],
        );
      }
      await db.pool.query('ANALYZE bench_fences');
      const query = 'SELECT id FROM bench_fences WHERE ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))';
      const postgisNs: number[] = [];
      let agree = 0;
      for (let i = 0; i < POSTGIS_QUERIES + 200; i++) {
        const p = positions[(i * 104_729) % positions.length]!;
        t = process.hrtime.bigint();
        const rows = (await db.pool.query<{ id: number }>({ name: 'bench_geofence_covers', text: query, values: [p.lng, p.lat] })).rows;
        const ns = Number(process.hrtime.bigint() - t);
        if (i < 200) continue;
        postgisNs.push(ns);
        const theirs = rows.map((r) => r.id).sort((a, b) => a - b).join();
        const ours = compiled.flatMap((s, k) => (covers(s, p.lng, p.lat) ? [k] : [])).join();
        if (theirs === ours) agree++;
      }
      const postgisStats = stats(postgisNs);
      console.log(`  PostGIS    p50 ${postgisStats.p50} µs  p95 ${postgisStats.p95} µs  (one query per position, ${kind}; same fences as the engine for ${agree}/${POSTGIS_QUERIES})`);
      const ratios = {
        postgisOverEngineP50: round(postgisStats.p50 / engineStats.p50),
        naiveOverEngineP50: round(naiveStats.p50 / engineStats.p50),
      };
      console.log(`  engine is ${ratios.postgisOverEngineP50}× faster than PostGIS per position, ${ratios.naiveOverEngineP50}× faster than the naive scan (p50)`);
      results.push({ fences: count, indexBuildMs: round(buildMs), engine: { ...engineStats, batchMeanUs, events }, naive: naiveStats, fencesCoveringAPositionMean: coveringMean, postgis: { ...postgisStats, agree }, ratios });
    }
  } finally {
    await cleanup();
  }
  mkdirSync('bench-results', { recursive: true });
  const file = path.join('bench-results', `geofence-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({
    database: kind, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg(),
    vehicles: VEHICLES, steps: STEPS, warmupSteps: WARMUP_STEPS, results,
  }, null, 2)}\n`);
  console.log(`\nwrote ${file}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
