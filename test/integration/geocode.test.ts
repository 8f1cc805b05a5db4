import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import { importRoadNetwork } from '../../server/roads/import';
import { createTenant } from '../../server/tenants/create-tenant';
import { api, login, waitUntil } from './client';
import { TENANT_B } from './context';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

const BALTIMORE = path.resolve(import.meta.dirname, '../../data/osm/baltimore.osm.pbf');

/** The geocoding endpoints on the shared server: authentication, validation, a tenant without a network. */
describe('GET /api/v1/geocode (no road network)', () => {
  let token: string;
  beforeAll(async () => {
    token = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  });

  it('needs a signed-in user', async () => {
    expect((await api('/api/v1/geocode?q=pratt')).status).toBe(401);
    expect((await api('/api/v1/geocode/reverse?lng=-76.6&lat=39.29')).status).toBe(401);
  });

  it('refuses bad input with 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/geocode', 'q'],
      ['/api/v1/geocode?q=%20%20', 'q'],
      ['/api/v1/geocode?q=pratt&limit=500', 'limit'],
      ['/api/v1/geocode?q=pratt&near=-76.6', 'near'],
      ['/api/v1/geocode/reverse?lng=-76.6', 'lat'],
      ['/api/v1/geocode/reverse?lng=-200&lat=39', 'lng'],
    ];
    for (const [url, field] of cases) {
      const res = await api(url, { token });
      expect(res.status, url).toBe(400);
      expect(res.body.error, url).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
  });

  it('answers NOT_FOUND with reason NO_ROAD_NETWORK for a tenant without a road network', async () => {
    for (const url of ['/api/v1/geocode?q=pratt', '/api/v1/geocode/reverse?lng=-76.6&lat=39.29']) {
      const res = await api(url, { token });
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
    }
  });
});

/**
 * Baltimore imported through importRoadNetwork into the demo tenant of a fresh database, then a
 * server started on it (start-up builds the index). Needs a PostgreSQL server: the embedded
 * database serves one session, so the import cannot run beside the shared server.
 */
const BASE_DB = process.env.TEST_DATABASE_URL;
if (!BASE_DB) console.log('geocode (Baltimore): skipped — set TEST_DATABASE_URL to import Baltimore into a database of its own');

describe.skipIf(!BASE_DB)('geocoding Baltimore', () => {
  let db: Database;
  let server: RunningServer;
  let drop: (() => Promise<void>) | undefined;
  let demoToken = '';
  let rivalToken = '';

  const get = async (url: string, token: string) => {
    const response = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };
  const signIn = async (email: string, password: string) => {
    const response = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    return ((await response.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    const fresh = await freshDatabase(BASE_DB!);
    drop = fresh.drop;
    const env = serverEnv(tempDir('geocode'), fresh.url);
    const log = createLogger('silent', false);
    db = await openDatabase(parseConfig(env), log);
    await seedDemoIfEmpty(db.prisma, log);
    await createTenant(db.prisma, TENANT_B);
    const [demo] = await db.prisma.$queryRaw<Array<{ id: string }>>`SELECT id::text AS id FROM tenants WHERE slug = 'demo'`;
    await importRoadNetwork(db.prisma, demo!.id, BALTIMORE, { source: 'baltimore.osm.pbf' });
    server = await startServer(env);
    demoToken = await signIn('viewer@demo.geofleet.dev', 'demo-viewer');
    rivalToken = await signIn(TENANT_B.admin.email, TENANT_B.admin.password);
    // The index is built after start-up: wait until it answers.
    await waitUntil(async () => (await get('/api/v1/geocode?q=pratt', demoToken)).status === 200, 'the geocoder', 60_000, 250);
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    await db?.close();
    await drop?.();
  });

  it('"Pratt" finds Pratt Street first, with its extent', async () => {
    const res = await get('/api/v1/geocode?q=Pratt&limit=5', demoToken);
    expect(res.status).toBe(200);
    expect(res.body.results[0]).toMatchObject({ kind: 'street', name: 'East Pratt Street' });
    const [w, s, e, n] = res.body.results[0].bbox;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThanOrEqual(n);
    expect(res.body.results.length).toBeLessThanOrEqual(5);
  });

  it('finds an address of the extract in both house number forms, and with a typo', async () => {
    for (const q of ['750 E Pratt St', 'Pratt Street 750', '750 East Prat Street']) {
      const res = await get(`/api/v1/geocode?q=${encodeURIComponent(q)}`, demoToken);
      expect(res.body.results[0], q).toMatchObject({ kind: 'address', label: expect.stringMatching(/^750 East Pratt Street/) });
    }
  });

  it('finds neighbourhoods and POIs, closer ones first with near=', async () => {
    const place = await get('/api/v1/geocode?q=fells%20point', demoToken);
    expect(place.body.results[0]).toMatchObject({ kind: 'place', name: 'Fells Point' });
    const near = await get('/api/v1/geocode?q=cafe&near=-76.575,39.28&limit=3', demoToken);
    expect(near.body.results.length).toBeGreaterThan(0);
    expect(near.body.results.every((r: { kind: string }) => r.kind === 'poi')).toBe(true);
  });

  it('reverse near a known street gives its name and bearing; at an address, the address', async () => {
    const pratt = (await get('/api/v1/geocode?q=east%20pratt%20street&limit=1', demoToken)).body.results[0];
    const res = await get(`/api/v1/geocode/reverse?lng=${pratt.lng}&lat=${pratt.lat + 0.00003}`, demoToken);
    expect(res.status).toBe(200);
    expect(res.body.street).toMatchObject({ name: 'East Pratt Street' });
    expect(res.body.street.distanceM).toBeLessThan(10);
    // Pratt Street runs east-west.
    expect(Math.abs(Math.sin((res.body.street.bearing * Math.PI) / 180))).toBeGreaterThan(0.7);
    const address = (await get('/api/v1/geocode?q=750%20E%20Pratt%20St&limit=1', demoToken)).body.results[0];
    const at = await get(`/api/v1/geocode/reverse?lng=${address.lng}&lat=${address.lat}`, demoToken);
    expect(at.body.address).toMatchObject({ housenumber: '750', street: 'East Pratt Street', distanceM: 0 });
    expect(at.body.label).toMatch(/^750 East Pratt Street/);
  });

  it('another tenant sees nothing of it', async () => {
    const res = await get('/api/v1/geocode?q=Pratt', rivalToken);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });
});
