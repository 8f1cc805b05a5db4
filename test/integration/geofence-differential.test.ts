import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { GeofenceEngine, type GeofenceDefinition } from '../../server/geofence/engine';
import { offset, random, randomFence, wkb, type FenceSort } from '../../server/geofence/fixtures';
import type { LngLat } from '../../server/geofence/geometry';
import { createLogger } from '../../server/log';
import type { Position } from '../../server/protocol/position';
import { freshDatabase, tempDir } from './harness';

/**
 * Differential test: the engine's covered test against PostGIS ST_Covers (geometry, SRID 4326,
 * planar in lng/lat) on ≥ 100,000 points × ≥ 1,000 fences — concave, with holes, multipolygons,
 * rectangles, 200–1000-vertex rings, from 2 m to 5 km — including every vertex, points on
 * edges, on vertex rows and columns, and a hair (1e-7 … 1e-15°) off them. PostGIS computes all
 * covered (point, fence) pairs set-based, one query per chunk of points; the engine evaluates
 * each point as a vehicle's first position (h = 0, d = 0: enter ⇔ covered). 0 disagreements.
 */
const FENCES = 1200;
const UNIFORM_POINTS = 40_000;
const CHUNK = 25_000;
const CENTER: LngLat = [13.405, 52.52];
const SPREAD_M = 25_000;

let db: Database;
let client: pg.PoolClient;
let drop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  drop = fresh?.drop;
  db = await openDatabase(parseConfig({ DATA_DIR: tempDir('geofence-diff'), DATABASE_URL: fresh?.url }), createLogger('silent', false));
  client = await db.pool.connect(); // one session: the temporary table lives in it
});

afterAll(async () => {
  client?.release();
  await db?.close();
  await drop?.();
});


function buildCase() {
  const rnd = random(20_260_104);
  const fences: Array<GeofenceDefinition & { sort: FenceSort }> = [];
  for (let i = 0; i < FENCES; i++) {
    const c = offset(CENTER, (rnd() * 2 - 1) * SPREAD_M, (rnd() * 2 - 1) * SPREAD_M);
    const size = rnd();
    // 10 % tiny (2–20 m), 60 % city blocks to districts (50 m–1.5 km), 30 % large (1.5–5 km)
    const r = size < 0.1 ? 2 + rnd() * 18 : size < 0.7 ? 50 + rnd() * 1450 : 1500 + rnd() * 3500;
    const f = randomFence(rnd, c, r, i < 8 ? 'big' : undefined);
    fences.push({ id: String(i), tenantId: 't', kind: 'static', geometry: f.geometry, sort: f.sort });
  }
  const xs: number[] = [];
  const ys: number[] = [];
  const add = (x: number, y: number) => {
    xs.push(x);
    ys.push(y);
  };
  for (let i = 0; i < UNIFORM_POINTS; i++) {
    const [x, y] = offset(CENTER, (rnd() * 2 - 1) * SPREAD_M * 1.1, (rnd() * 2 - 1) * SPREAD_M * 1.1);
    add(x, y);
  }
  const hair = [1e-7, 1e-9, 1e-11, 1e-13, 1e-15];
  for (const f of fences) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.type === 'MultiPolygon' ? f.geometry.coordinates : [];
    const rings = polygons.flat();
    const all = rings.flat();
    const xsOf = all.map((p) => p[0]!);
    const ysOf = all.map((p) => p[1]!);
    const [minX, maxX, minY, maxY] = [Math.min(...xsOf), Math.max(...xsOf), Math.min(...ysOf), Math.max(...ysOf)];
    // a budget per fence so big rings do not dominate
    const budget = Math.min(all.length, 24);
    for (let k = 0; k < budget; k++) {
      const ring = rings[Math.floor(rnd() * rings.length)]!;
      const j = Math.floor(rnd() * (ring.length - 1));
      const [ax, ay] = ring[j]!;
      const [bx, by] = ring[j + 1]!;
      add(ax!, ay!); // a vertex
      add((ax! + bx!) / 2, (ay! + by!) / 2); // an edge midpoint (rounded)
      const t = rnd();
      add(ax! + t * (bx! - ax!), ay! + t * (by! - ay!)); // somewhere on the edge (rounded)
      const e = hair[k % hair.length]!;
      add(ax! + t * (bx! - ax!) + (rnd() < 0.5 ? e : -e), ay! + t * (by! - ay!) + (rnd() < 0.5 ? e : -e));
      add(ax! + (rnd() < 0.5 ? e : -e), ay!); // beside a vertex
      add(minX + rnd() * (maxX - minX), ay!); // on the vertex's row (ray-casting degeneracy)
      add(ax!, minY + rnd() * (maxY - minY)); // on its column
    }
    for (let k = 0; k < 12; k++) add(minX + rnd() * (maxX - minX), minY + rnd() * (maxY - minY)); // in the box
    add(minX, minY);
    add(maxX, maxY);
  }
  return { fences, xs, ys };
}

describe('geofence engine vs PostGIS ST_Covers', () => {
  it('agrees on every (point, fence) pair', { timeout: 180_000 }, async () => {
    const started = Date.now();
    const { fences, xs, ys } = buildCase();
    expect(fences.length).toBeGreaterThanOrEqual(1000);
    expect(xs.length).toBeGreaterThanOrEqual(100_000);
    const sorts = new Set(fences.map((f) => f.sort));
    expect([...sorts].sort()).toEqual(['big', 'holes', 'multi', 'rect', 'star']);

    await client.query('CREATE TEMP TABLE diff_fences (id int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL)');
    for (let i = 0; i < fences.length; i += 200) {
      const slice = fences.slice(i, i + 200);
      await client.query(
        'INSERT INTO diff_fences SELECT id, ST_SetSRID(ST_GeomFromWKB(w), 4326) FROM unnest($1::int[], $2::bytea[]) AS u(id, w)',
        [slice.map((f) => Number(f.id)), slice.map((f) => wkb(f.geometry))],
      );
    }
    await client.query('CREATE INDEX ON diff_fences USING gist (geom)');
    await client.query('ANALYZE diff_fences');
    const invalid = await client.query<{ id: number; reason: string }>('SELECT id, ST_IsValidReason(geom) AS reason FROM diff_fences WHERE NOT ST_IsValid(geom) LIMIT 5');
    expect(invalid.rows, 'generated fences must be valid').toEqual([]);
    // the WKB round trip is exact
    const back = await client.query<{ x: number; y: number }>('SELECT ST_X(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 2)) AS x, ST_Y(ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 2)) AS y FROM diff_fences WHERE id = 0');
    const first = fences[0]!.geometry as { type: 'Polygon'; coordinates: number[][][] };
    expect([back.rows[0]!.x, back.rows[0]!.y]).toEqual(first.coordinates[0]![1]);

    const postgis = new Set<number>();
    for (let i = 0; i < xs.length; i += CHUNK) {
      const result = await client.query<{ i: string; id: number }>(
        `SELECT p.i - 1 + $3::bigint AS i, f.id
           FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS p(x, y, i)
           JOIN diff_fences f ON ST_Covers(f.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))`,
        [xs.slice(i, i + CHUNK), ys.slice(i, i + CHUNK), i],
      );
      for (const row of result.rows) postgis.add(Number(row.i) * 10_000 + row.id);
    }
    const postgisMs = Date.now() - started;

    const engine = new GeofenceEngine();
    engine.setFences(fences.map(({ sort: _sort, ...f }) => f));
    const engineSet = new Set<number>();
    let otherEvents = 0;
    const t0 = performance.now();
    for (let i = 0; i < xs.length; i += CHUNK) {
      const batch: Position[] = [];
      for (let k = i; k < Math.min(xs.length, i + CHUNK); k++) {
        batch.push({ tenantId: 't', vehicleId: String(k), lng: xs[k]!, lat: ys[k]!, ts: 1, speed: null, heading: null, accuracy: null, altitude: null, battery: null, attributes: null });
      }
      for (const e of engine.evaluate(batch)) {
        if (e.type !== 'enter') otherEvents++;
        engineSet.add(Number(e.vehicleId) * 10_000 + Number(e.geofenceId));
      }
    }
    const engineMs = performance.now() - t0;

    const disagreements: string[] = [];
    const explain = (key: number, who: string) => {
      const i = Math.floor(key / 10_000);
      const id = key % 10_000;
      return `point #${i} (${xs[i]}, ${ys[i]}) fence ${id} (${fences[id]!.sort}): covered by ${who} only`;
    };
    for (const key of postgis) if (!engineSet.has(key)) disagreements.push(explain(key, 'PostGIS'));
    for (const key of engineSet) if (!postgis.has(key)) disagreements.push(explain(key, 'the engine'));
    console.log(
      `geofence differential: ${xs.length} points × ${fences.length} fences, ${postgis.size} covered pairs, ` +
        `${disagreements.length} disagreements; PostGIS part ${(postgisMs / 1000).toFixed(1)} s, engine ${engineMs.toFixed(0)} ms`,
    );
    expect(otherEvents).toBe(0);
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(postgis.size).toBeGreaterThan(20_000); // the case is not vacuous
  });
});
