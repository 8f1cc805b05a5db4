import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { loadRoadSegments } from '../../server/db/sql/road-graph';
import { createLogger } from '../../server/log';
import { buildRoadGraph } from '../../server/roads/graph/build';
import { random } from '../../server/roads/graph/fixtures';
import { NOT_DRIVABLE } from '../../server/roads/graph/speeds';
import { importRoadNetwork } from '../../server/roads/import';
import { RoadRouter } from '../../server/roads/routing/route';
import { freshDatabase, tempDir } from './harness';

/**
 * Differential test: optimize=distance routes on the Baltimore network against pgRouting's
 * pgr_dijkstraCost (directed; cost/reverse_cost = length_m where the segment's oneway allows
 * that direction, -1 where it does not). The network goes through the real import into a fresh
 * PostgreSQL database, our graph is built from our loader's rows, and pgRouting's topology is
 * made in SQL alone (one vertex per distinct segment end point), so nothing of our graph code
 * feeds the reference. ≥ 50 random node pairs must agree within 0.5 %, and pairs pgRouting finds
 * no path for must be unreachable for us too.
 *
 * pgRouting exists only on a PostgreSQL server (apt postgresql-15-pgrouting), not in the
 * embedded database: this file runs only with TEST_DATABASE_URL.
 */
const URL = process.env.TEST_DATABASE_URL;
const PAIRS = 120;
const BALTIMORE = path.resolve(import.meta.dirname, '../../data/osm/baltimore.osm.pbf');

if (!URL) {
  console.log('routing-pgrouting: skipped — pgRouting needs a PostgreSQL server; set TEST_DATABASE_URL (the embedded database has no pgRouting)');
}

describe.skipIf(!URL)('routing against pgRouting on Baltimore', () => {
  let db: Database;
  let drop: (() => Promise<void>) | undefined;
  const tenantId = randomUUID();

  beforeAll(async () => {
    const fresh = await freshDatabase(URL!);
    drop = fresh.drop;
    db = await openDatabase(parseConfig({ DATA_DIR: tempDir('routing-pgr'), DATABASE_URL: fresh.url }), createLogger('silent', false));
    await db.prisma.$executeRaw`INSERT INTO tenants (id, name, slug) VALUES (${tenantId}::uuid, 'Baltimore routing', ${`pgr-${tenantId.slice(0, 8)}`})`;
    await importRoadNetwork(db.prisma, tenantId, BALTIMORE, { source: 'baltimore.osm.pbf' });
    await db.prisma.$executeRawUnsafe('CREATE EXTENSION IF NOT EXISTS pgrouting');
  });

  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('finds the same shortest distances as pgr_dijkstra for random node pairs', async () => {
    const rows = await loadRoadSegments(db.prisma, tenantId);
    expect(rows.length).toBeGreaterThan(1000);
    const router = new RoadRouter(buildRoadGraph(rows).graph);

    const excluded = [...NOT_DRIVABLE];
    await db.prisma.$executeRaw`
      CREATE TABLE pgr_vertices AS
      SELECT row_number() OVER (ORDER BY pt)::bigint AS id, pt, ST_X(ST_GeomFromWKB(pt)) AS lng, ST_Y(ST_GeomFromWKB(pt)) AS lat
      FROM (SELECT DISTINCT ST_AsBinary(p) AS pt FROM (
        SELECT ST_StartPoint(geom) AS p FROM road_segments WHERE tenant_id = ${tenantId}::uuid AND class <> ALL(${excluded})
        UNION ALL
        SELECT ST_EndPoint(geom) FROM road_segments WHERE tenant_id = ${tenantId}::uuid AND class <> ALL(${excluded})) e) d`;
    await db.prisma.$executeRaw`
      CREATE TABLE pgr_edges AS
      SELECT s.id, a.id AS source, b.id AS target,
             CASE WHEN s.oneway IN (0, 1) THEN s.length_m ELSE -1 END AS cost,
             CASE WHEN s.oneway IN (0, -1) THEN s.length_m ELSE -1 END AS reverse_cost
      FROM road_segments s
      JOIN pgr_vertices a ON a.pt = ST_AsBinary(ST_StartPoint(s.geom))
      JOIN pgr_vertices b ON b.pt = ST_AsBinary(ST_EndPoint(s.geom))
      WHERE s.tenant_id = ${tenantId}::uuid AND s.class <> ALL(${excluded})`;
    const vertices = await db.prisma.$queryRaw<Array<{ id: number; lng: number; lat: number }>>`SELECT id::float8 AS id, lng, lat FROM pgr_vertices ORDER BY id`;
    expect(vertices.length).toBeGreaterThan(1000);

    const rnd = random(20_261_206);
    const pairs: [number, number][] = [];
    while (pairs.length < PAIRS) {
      const a = Math.floor(rnd() * vertices.length);
      const b = Math.floor(rnd() * vertices.length);
      if (a !== b) pairs.push([a, b]);
    }
    const sources = pairs.map(([a]) => vertices[a]!.id);
    const targets = pairs.map(([, b]) => vertices[b]!.id);
    await db.prisma.$executeRaw`CREATE TABLE pgr_pairs AS SELECT * FROM unnest(${sources}::float8[]::bigint[], ${targets}::float8[]::bigint[]) AS c(source, target)`;
    const costs = await db.prisma.$queryRaw<Array<{ source: number; target: number; cost: number }>>`
      SELECT start_vid::float8 AS source, end_vid::float8 AS target, agg_cost AS cost
      FROM pgr_dijkstraCost('SELECT id, source, target, cost, reverse_cost FROM pgr_edges', 'SELECT source, target FROM pgr_pairs', directed => true)`;
    const reference = new Map(costs.map((c) => [`${c.source}:${c.target}`, Number(c.cost)]));

    let compared = 0;
    let unreachable = 0;
    let worst = 0;
    for (const [a, b] of pairs) {
      const from = vertices[a]!;
      const to = vertices[b]!;
      const expected = reference.get(`${from.id}:${to.id}`);
      const result = router.route(
        [
          { label: 'from', lng: from.lng, lat: from.lat },
          { label: 'to', lng: to.lng, lat: to.lat },
        ],
        { optimize: 'distance' },
      );
      if (expected === undefined) {
        expect(result, `pgRouting has no path ${from.id} → ${to.id}`).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' } });
        unreachable++;
        continue;
      }
      if (!result.ok) throw new Error(`no route ${from.id} → ${to.id} (${JSON.stringify(result.error)}); pgRouting: ${expected} m`);
      const got = result.route.properties.distanceM;
      const error = Math.abs(got - expected) / Math.max(expected, 1);
      worst = Math.max(worst, error);
      expect(error, `${from.id} → ${to.id}: ours ${got} m, pgRouting ${expected} m`).toBeLessThanOrEqual(0.005);
      compared++;
    }
    console.log(`routing-pgrouting: ${compared} routes agree with pgr_dijkstraCost (worst relative difference ${(worst * 100).toFixed(4)} %), ${unreachable} pairs unreachable for both`);
    expect(compared).toBeGreaterThanOrEqual(50);
  });
});
