import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { selectRoadNetwork } from '../../server/db/sql/roads';
import { createLogger } from '../../server/log';
import type { RoadImportProgress, RoadNetworkSummary } from '../../server/protocol/road-network';
import { importRoadNetwork, RoadImportError } from '../../server/roads/import';
import { createTenant } from '../../server/tenants/create-tenant';
import { api, DEMO, login } from './client';
import { injected, TENANT_B } from './context';
import { freshDatabase, ROOT, serverEnv, tempDir } from './harness';

/**
 * Importing OpenStreetMap data into a tenant: Baltimore's roads, features and addresses land in
 * the four tables, a second import replaces them in one transaction, a cut-off file is refused
 * with the previous network left as it was, and another tenant's network is never touched.
 * The import runs on a database of its own (like audit.test.ts), so it can count rows exactly.
 */
const BALTIMORE = path.join(ROOT, 'data/osm/baltimore.osm.pbf');
const run = Date.now().toString(36);

let fresh: Awaited<ReturnType<typeof freshDatabase>> | null = null;
let db: Database;
let tenantA: string;
let tenantB: string;

beforeAll(async () => {
  fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  db = await openDatabase(parseConfig(serverEnv(tempDir('roads'), fresh?.url)), createLogger('fatal', false));
  const tenant = (name: string) =>
    createTenant(db.prisma, { name, slug: `${name.toLowerCase()}-${run}`, admin: { email: `${name.toLowerCase()}-${run}@example.com`, name, password: 'roads-admin-pw' } });
  tenantA = (await tenant('RoadsA')).tenantId;
  tenantB = (await tenant('RoadsB')).tenantId;
});

afterAll(async () => {
  await db?.close();
  await fresh?.drop();
});

async function counts(tenantId: string) {
  const { rows } = await db.pool.query<{ segments: number; features: number; addresses: number; oneway: number; reverse: number; km: number; maxspeed: number }>(
    `SELECT (SELECT count(*)::int FROM road_segments WHERE tenant_id = $1) AS segments,
            (SELECT count(*)::int FROM map_features WHERE tenant_id = $1) AS features,
            (SELECT count(*)::int FROM addresses WHERE tenant_id = $1) AS addresses,
            (SELECT count(*)::int FROM road_segments WHERE tenant_id = $1 AND oneway = 1) AS oneway,
            (SELECT count(*)::int FROM road_segments WHERE tenant_id = $1 AND oneway = -1) AS reverse,
            (SELECT round((sum(length_m) / 1000)::numeric, 3)::float8 FROM road_segments WHERE tenant_id = $1) AS km,
            (SELECT count(*)::int FROM road_segments WHERE tenant_id = $1 AND maxspeed_kmh IS NOT NULL) AS maxspeed`,
    [tenantId],
  );
  return rows[0]!;
}

describe('road network import', () => {
  let first: RoadNetworkSummary;

  it('imports Baltimore: roads split at junctions, features, addresses, bbox and summary', async () => {
    const progress: RoadImportProgress[] = [];
    const result = await importRoadNetwork(db.prisma, tenantA, BALTIMORE, { onProgress: (p) => progress.push(p) });
    first = result.summary;
    expect(result.format).toBe('pbf');

    const c = await counts(tenantA);
    expect(first.segments).toBe(c.segments);
    expect(first.features).toBe(c.features);
    expect(first.addresses).toBe(c.addresses);
    // The extract's README: 3.8k highways of which ~3.2k for vehicles, 1.7k buildings, ~1.3k addresses.
    expect(first.ways).toBeGreaterThan(3000);
    expect(first.ways).toBeLessThan(3800);
    expect(c.segments).toBeGreaterThan(first.ways * 2);
    expect(c.features).toBeGreaterThan(1731);
    // Multipolygon relations (the extract has 11) are built into areas by the database.
    const areas = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM map_features WHERE tenant_id = $1 AND ST_GeometryType(geom) IN ('ST_Polygon', 'ST_MultiPolygon') AND NOT ST_IsEmpty(geom)`,
      [tenantA],
    );
    expect(areas.rows[0]!.n).toBeGreaterThan(1731 + 300);
    expect(c.addresses).toBeGreaterThan(1200);
    // The harbour is mapped only by the coastline: the sea side of it, within the extent, is water.
    const sea = await db.pool.query<{ harbour: boolean; downtown: boolean; km2: number }>(
      `SELECT bool_or(ST_Covers(geom, ST_SetSRID(ST_MakePoint(-76.5935, 39.2800), 4326))) AS harbour,
              bool_or(ST_Covers(geom, ST_SetSRID(ST_MakePoint(-76.6000, 39.3000), 4326))) AS downtown,
              sum(ST_Area(geom::geography)) / 1e6 AS km2
       FROM map_features WHERE tenant_id = $1 AND layer = 'water' AND kind = 'sea'`,
      [tenantA],
    );
    expect(sea.rows[0]).toMatchObject({ harbour: true, downtown: false });
    expect(sea.rows[0]!.km2).toBeGreaterThan(5);
    expect(sea.rows[0]!.km2).toBeLessThan(30);
    expect(c.oneway).toBeGreaterThan(1000);
    expect(c.reverse).toBeGreaterThan(0);
    expect(c.maxspeed).toBeGreaterThan(200);

    const [w, s, e, n] = first.bbox;
    expect(w).toBeCloseTo(-76.614, 2);
    expect(s).toBeCloseTo(39.246, 2);
    expect(e).toBeCloseTo(-76.518, 2);
    expect(n).toBeCloseTo(39.314, 2);

    expect(Object.keys(first.kmByClass)).toEqual(expect.arrayContaining(['motorway', 'primary', 'secondary', 'tertiary', 'residential', 'service', 'motorway_link']));
    expect(Object.keys(first.kmByClass)).not.toContain('footway');
    const km = Object.values(first.kmByClass).reduce((a, b) => a + b, 0);
    expect(km).toBeCloseTo(Number(c.km), 0);
    expect(km).toBeGreaterThan(300);

    // Every segment is a valid line; motorways are all one way; "25 mph" became 40.2336 km/h.
    const { rows } = await db.pool.query<{ invalid: number; twoWayMotorway: number; mph25: number }>(
      `SELECT count(*) FILTER (WHERE NOT ST_IsValid(geom) OR ST_NPoints(geom) < 2)::int AS invalid,
              count(*) FILTER (WHERE class = 'motorway' AND oneway = 0)::int AS "twoWayMotorway",
              count(*) FILTER (WHERE abs(maxspeed_kmh - 40.2336) < 0.001)::int AS mph25
       FROM road_segments WHERE tenant_id = $1`,
      [tenantA],
    );
    expect(rows[0]).toMatchObject({ invalid: 0, twoWayMotorway: 0 });
    expect(rows[0]!.mph25).toBeGreaterThan(50);
    const layers = await db.pool.query<{ layer: string }>(`SELECT DISTINCT layer FROM map_features WHERE tenant_id = $1 ORDER BY layer`, [tenantA]);
    expect(layers.rows.map((r) => r.layer)).toEqual(['building', 'landuse', 'park', 'place', 'poi', 'water']);

    const stored = await selectRoadNetwork(db.prisma, tenantA);
    expect(stored).toMatchObject({ source: 'baltimore.osm.pbf', summary: first });
    const bbox = await db.pool.query<{ w: number; s: number; e: number; n: number }>(
      `SELECT ST_XMin(bbox) AS w, ST_YMin(bbox) AS s, ST_XMax(bbox) AS e, ST_YMax(bbox) AS n FROM road_networks WHERE tenant_id = $1`,
      [tenantA],
    );
    expect(Object.values(bbox.rows[0]!).map(Number)).toEqual(first.bbox.map((v) => expect.closeTo(v, 6)));

    expect(progress[0]!.phase).toBe('reading');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesRead: 664_981, totalBytes: 664_981 });
    expect(progress.some((p) => p.phase === 'writing')).toBe(true);
  });

  it('re-importing replaces the rows instead of adding to them, and leaves other tenants alone', async () => {
    await importRoadNetwork(db.prisma, tenantB, BALTIMORE, { source: 'b' });
    const before = await counts(tenantA);
    const again = await importRoadNetwork(db.prisma, tenantA, BALTIMORE, { source: 'again' });
    expect(again.summary).toEqual(first);
    expect(await counts(tenantA)).toEqual(before);
    expect((await selectRoadNetwork(db.prisma, tenantA))!.source).toBe('again');
    expect(await counts(tenantB)).toEqual(before);
  });

  it('refuses a cut-off PBF and keeps the previous network as it was', async () => {
    const before = await counts(tenantA);
    const stored = await selectRoadNetwork(db.prisma, tenantA);
    const truncated = path.join(tempDir('roads-bad'), 'cut.osm.pbf');
    const { readFileSync } = await import('node:fs');
    writeFileSync(truncated, readFileSync(BALTIMORE).subarray(0, 400_000));

    const error = await importRoadNetwork(db.prisma, tenantA, truncated).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RoadImportError);
    expect((error as RoadImportError).code).toBe('MALFORMED');
    expect((error as Error).message).toMatch(/cut off or damaged/);
    expect(await counts(tenantA)).toEqual(before);
    expect(await selectRoadNetwork(db.prisma, tenantA)).toEqual(stored);
  });

  it('refuses a file without roads, and one that is not OSM, changing nothing', async () => {
    const before = await counts(tenantA);
    const dir = tempDir('roads-bad');
    const noRoads = path.join(dir, 'no-roads.osm');
    writeFileSync(noRoads, '<osm version="0.6"><node id="1" lat="1" lon="1"/><node id="2" lat="1" lon="2"/><way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="footway"/></way></osm>');
    const notOsm = path.join(dir, 'photo.osm.pbf');
    writeFileSync(notOsm, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]));
    const empty = path.join(dir, 'empty.osm');
    writeFileSync(empty, '');
    for (const [file, code] of [[noRoads, 'NO_ROADS'], [notOsm, 'UNSUPPORTED_FORMAT'], [empty, 'EMPTY']] as const) {
      const error = await importRoadNetwork(db.prisma, tenantA, file).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(RoadImportError);
      expect((error as RoadImportError).code).toBe(code);
    }
    expect(await counts(tenantA)).toEqual(before);
  });
});

describe('REST: /api/v1/road-network', () => {
  const post = (token: string, body: Uint8Array | string, filename = 'baltimore.osm.pbf') =>
    fetch(`${injected('baseUrl')}/api/v1/road-network?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  it('an admin uploads a file: the summary comes back, GET shows it, the import is in the audit log; others may read, not import', async () => {
    const admin = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
    const empty = await api('/api/v1/road-network', { token: admin });
    expect(empty.status).toBe(200);
    const hadNetwork = empty.body.network !== null;

    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(BALTIMORE);
    const response = await post(admin, bytes);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.format).toBe('pbf');
    expect(result.summary.segments).toBeGreaterThan(7000);
    expect(result.summary.kmByClass.motorway).toBeGreaterThan(10);

    const read = await api('/api/v1/road-network', { token: admin });
    expect(read.body.network).toMatchObject({ source: 'baltimore.osm.pbf', summary: result.summary });
    expect(Date.parse(read.body.network.importedAt)).toBeGreaterThan(Date.now() - 120_000);
    if (!hadNetwork) expect(empty.body).toEqual({ network: null });

    const events = await api('/api/v1/events?types=road_network.imported&limit=1', { token: admin });
    expect(events.body.events[0]).toMatchObject({ type: 'road_network.imported', data: { source: 'baltimore.osm.pbf', format: 'pbf', segments: result.summary.segments } });

    const viewer = (await login(DEMO.viewer[0], DEMO.viewer[1])).token;
    expect((await api('/api/v1/road-network', { token: viewer })).status).toBe(200);
    const refused = await post(viewer, bytes);
    expect(refused.status).toBe(403);
  });

  it('a bad upload is a VALIDATION_ERROR with the reason, and the network stays', async () => {
    const admin = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
    const before = (await api('/api/v1/road-network', { token: admin })).body;
    const { readFileSync } = await import('node:fs');
    for (const [body, reason] of [
      [readFileSync(BALTIMORE).subarray(0, 300_000), 'MALFORMED'],
      ['just some text', 'UNSUPPORTED_FORMAT'],
      ['', 'EMPTY'],
    ] as const) {
      const response = await post(admin, body, 'bad.osm.pbf');
      expect(response.status).toBe(400);
      const error = (await response.json()).error;
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'body', details: { reason } });
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect((await api('/api/v1/road-network', { token: admin })).body).toEqual(before);
  });
});
