import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { FetchSource, PMTiles } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTile } from '../../server/basemap/mvt-encode';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import { importRoadNetwork } from '../../server/roads/import';
import { createTenant } from '../../server/tenants/create-tenant';
import { fetchJson } from './client';
import { TENANT_B } from './context';
import { freshDatabase, ROOT, serverEnv, startServer, tempDir, type RunningServer } from './harness';
import { tinyPmtiles } from './pmtiles-fixture';

/**
 * The street basemap over HTTP: a server of this file's own whose demo tenant has imported
 * Baltimore (data/osm/baltimore.osm.pbf) before the server started, and MAP_PMTILES pointing at a
 * tiny archive. Tiles are read back with @mapbox/vector-tile; on the embedded database they are
 * encoded in JavaScript, on a PostgreSQL server by ST_AsMVT — the same assertions hold for both.
 */

/** The tile of a point at zoom z (slippy-map numbering). */
function tileOf(z: number, lng: number, lat: number): string {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  const x = Math.floor(((lng + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return `${z}/${x}/${y}`;
}

// Fells Point, Baltimore: Broadway meets Fleet Street.
const FELLS_POINT = { lng: -76.5935, lat: 39.2842 };

let server: RunningServer;
let dropDatabase: (() => Promise<void>) | null = null;
let demoToken: string;
let rivalToken: string;
let pmtilesBytes: Uint8Array;

async function getTile(tile: string, token?: string) {
  const response = await fetch(`${server.url}/api/v1/tiles/${tile}.mvt`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, tile: bytes.byteLength ? new VectorTile(new PbfReader(bytes)) : null };
}

beforeAll(async () => {
  const dataDir = tempDir('basemap');
  const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  dropDatabase = fresh ? fresh.drop : null;
  const pmtilesFile = path.join(dataDir, 'tiny.pmtiles');
  pmtilesBytes = tinyPmtiles(encodeTile([{ layer: 'earth', geometry: { type: 'Point', coordinates: [2048, 2048] }, properties: { kind: 'earth' } }], ['earth']));
  writeFileSync(pmtilesFile, pmtilesBytes);
  const env = serverEnv(dataDir, fresh?.url, { MAP_PMTILES: pmtilesFile });
  const log = createLogger('silent', false);
  const db = await openDatabase(parseConfig(env), log);
  try {
    await seedDemoIfEmpty(db.prisma, log);
    await createTenant(db.prisma, TENANT_B);
    const [demo] = await db.prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM tenants WHERE slug = 'demo'`;
    await importRoadNetwork(db.prisma, demo!.id, path.join(ROOT, 'data/osm/baltimore.osm.pbf'), { source: 'baltimore.osm.pbf' });
  } finally {
    await db.close();
  }
  server = await startServer(env);
  const login = (email: string, password: string) => fetchJson(server.url, '/api/v1/auth/login', { body: { email, password } });
  demoToken = (await login('admin@demo.geofleet.dev', 'demo-admin')).token;
  rivalToken = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await dropDatabase?.();
});

describe('street tiles', () => {
  it('a z15 tile over Fells Point has named roads by class, buildings and labels', async () => {
    const { response, tile } = await getTile(tileOf(15, FELLS_POINT.lng, FELLS_POINT.lat), demoToken);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const roads = tile!.layers.roads!;
    expect(roads.extent).toBe(4096);
    const features = Array.from({ length: roads.length }, (_, i) => roads.feature(i));
    const names = new Set(features.map((f) => f.properties.name));
    expect(names).toContain('South Broadway');
    expect(names).toContain('Fleet Street');
    expect(features.every((f) => f.type === 2 && typeof f.properties.class === 'string')).toBe(true);
    expect(tile!.layers.buildings?.length ?? 0).toBeGreaterThan(0);
    // Geometry lands in the tile (plus its 64-unit buffer).
    const points = features.flatMap((f) => f.loadGeometry().flat());
    expect(points.every((p) => p.x >= -64 && p.x <= 4160 && p.y >= -64 && p.y <= 4160)).toBe(true);
  });

  it('a z12 tile keeps the main roads and leaves buildings and footways for later zooms', async () => {
    const { tile } = await getTile(tileOf(12, FELLS_POINT.lng, FELLS_POINT.lat), demoToken);
    const roads = tile!.layers.roads!;
    const classes = new Set(Array.from({ length: roads.length }, (_, i) => roads.feature(i).properties.class));
    expect(classes).toContain('motorway');
    expect(classes).toContain('primary');
    expect(classes.has('footway')).toBe(false);
    expect(classes.has('service')).toBe(false);
    expect(tile!.layers.buildings).toBeUndefined();
    expect(tile!.layers.water?.length ?? 0).toBeGreaterThan(0);
  });

  it('another tenant gets nothing where the demo tenant has Baltimore', async () => {
    const { response, bytes } = await getTile(tileOf(15, FELLS_POINT.lng, FELLS_POINT.lat), rivalToken);
    expect(response.status).toBe(204);
    expect(bytes.byteLength).toBe(0);
  });

  it('outside the data the tile is empty (204): the Natural Earth world shows through', async () => {
    const { response, bytes } = await getTile(tileOf(14, 13.4, 52.52), demoToken);
    expect(response.status).toBe(204);
    expect(bytes.byteLength).toBe(0);
  });

  it('bad tile addresses are structured 400s naming the field; no token is 401', async () => {
    for (const [tile, field] of [['23/0/0', 'z'], ['14/16384/0', 'x'], ['14/0/16384', 'y'], ['abc/0/0', 'z']] as const) {
      const response = await fetch(`${server.url}/api/v1/tiles/${tile}.mvt`, { headers: { Authorization: `Bearer ${demoToken}` } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR', field } });
    }
    const png = await fetch(`${server.url}/api/v1/tiles/14/0/0.png`, { headers: { Authorization: `Bearer ${demoToken}` } });
    expect(png.status).toBe(400);
    const anonymous = await fetch(`${server.url}/api/v1/tiles/${tileOf(15, FELLS_POINT.lng, FELLS_POINT.lat)}.mvt`);
    expect(anonymous.status).toBe(401);
  });

  it('a rider link that does not exist gets no tiles', async () => {
    const response = await fetch(`${server.url}/api/v1/track/no-such-share-token-000000/tiles/15/0/0.mvt`);
    expect(response.status).toBe(404);
  });

  it('serves the label glyphs for Latin text', async () => {
    for (const range of ['0-255', '256-511', '8192-8447']) {
      const response = await fetch(`${server.url}/fonts/Noto%20Sans%20Regular/${range}.pbf`);
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });
});

describe('MAP_PMTILES', () => {
  const url = () => `${server.url}/basemap.pmtiles`;

  it('answers byte ranges with 206 and Content-Range, the whole file with 200', async () => {
    const part = await fetch(url(), { headers: { Range: 'bytes=0-6' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-6/${pmtilesBytes.byteLength}`);
    expect(new TextDecoder().decode(await part.arrayBuffer())).toBe('PMTiles');

    const tail = await fetch(url(), { headers: { Range: 'bytes=-5' } });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(pmtilesBytes.slice(-5));

    const whole = await fetch(url());
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(pmtilesBytes);

    const beyond = await fetch(url(), { headers: { Range: `bytes=${pmtilesBytes.byteLength}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${pmtilesBytes.byteLength}`);
  });

  it('the pmtiles library reads the header and a tile through the server', async () => {
    const archive = new PMTiles(new FetchSource(url()));
    const header = await archive.getHeader();
    expect(header).toMatchObject({ specVersion: 3, minZoom: 0, maxZoom: 0, numAddressedTiles: 1 });
    const tile = await archive.getZxy(0, 0, 0);
    const decoded = new VectorTile(new PbfReader(new Uint8Array(tile!.data)));
    expect(decoded.layers.earth?.feature(0).properties).toEqual({ kind: 'earth' });
  });
});
