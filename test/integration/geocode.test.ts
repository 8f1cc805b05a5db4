import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitUntil } from './client';
import { injected, TENANT_B, TENANT_ROADLESS } from './context';

const BALTIMORE = path.resolve(import.meta.dirname, '../../data/osm/baltimore.osm.pbf');

/** The geocoding endpoints on the shared server: authentication, validation, a tenant without a network. */
describe('GET /api/v1/geocode (no road network)', () => {
  let token: string;
  beforeAll(async () => {
    token = (await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password)).token;
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
 * Baltimore imported through REST into tenant B on the shared server (an import rebuilds the
 * tenant's index), then searched as its viewer would.
 */
describe('geocoding Baltimore', () => {
  let demoToken = '';
  let rivalToken = '';
  const get = (url: string, token: string) => api(url, { token });

  beforeAll(async () => {
    demoToken = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
    rivalToken = (await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password)).token;
    const upload = await fetch(`${injected('baseUrl')}/api/v1/road-network?filename=baltimore.osm.pbf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demoToken}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(readFileSync(BALTIMORE)),
    });
    expect(upload.status).toBe(200);
    await waitUntil(async () => (await get('/api/v1/geocode?q=pratt', demoToken)).status === 200, 'the geocoder', 60_000, 250);
  }, 120_000);

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
