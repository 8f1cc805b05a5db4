import { beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { api, login } from './client';
import { injected, TENANT_B, TENANT_ROADLESS } from './context';
import { ROOT } from './harness';

const BALTIMORE = path.join(ROOT, 'data/osm/baltimore.osm.pbf');

/**
 * The routing endpoint against the real server: authentication, validation, and a route on the
 * network an admin imported, and a tenant without one. (Route lengths are checked on Baltimore
 * against pgRouting in routing-pgrouting.test.ts.)
 */
describe('GET /api/v1/routing/route', () => {
  let token: string;
  beforeAll(async () => {
    token = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  });

  it('needs a signed-in user', async () => {
    const res = await api('/api/v1/routing/route?from=-76.61,39.29&to=-76.58,39.30');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses malformed points and options, naming the field', async () => {
    const missing = await api('/api/v1/routing/route?to=-76.58,39.30', { token });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'from' });
    const bad = await api('/api/v1/routing/route?from=-76.61,39.29&to=-76.58,39.30&via=1,2;x&optimize=time', { token });
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'via' });
    const optimize = await api('/api/v1/routing/route?from=-76.61,39.29&to=-76.58,39.30&optimize=fastest', { token });
    expect(optimize.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'optimize' });
  });

  it('answers NOT_FOUND with reason NO_ROAD_NETWORK for a tenant without a road network', async () => {
    const roadless = (await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password)).token;
    const res = await api('/api/v1/routing/route?from=-76.61,39.29&to=-76.58,39.30', { token: roadless });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });

  it('routes on the network an admin imported: a real line along named streets; a point in the sea is OFF_NETWORK', async () => {
    // The import (through REST) rebuilds the tenant's graph before it answers. Whether another
    // file imported it first or not, afterwards the tenant routes on Baltimore.
    const { readFileSync } = await import('node:fs');
    const upload = await fetch(`${injected('baseUrl')}/api/v1/road-network?filename=baltimore.osm.pbf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(readFileSync(BALTIMORE)),
    });
    expect(upload.status).toBe(200);
    // Inner Harbor (Pratt St) to Fells Point (Aliceanna St)
    const res = await api('/api/v1/routing/route?from=-76.6100,39.2866&to=-76.5930,39.2833&optimize=time', { token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const route = res.body;
    expect(route.type).toBe('Feature');
    expect(route.geometry.type).toBe('LineString');
    expect(route.geometry.coordinates.length).toBeGreaterThan(2);
    // at least the straight line (≈1.5 km), and not absurdly longer
    expect(route.properties.distanceM).toBeGreaterThan(1400);
    expect(route.properties.distanceM).toBeLessThan(4000);
    expect(route.properties.durationS).toBeGreaterThan(0);
    expect(route.properties.steps.some((s: { name: string | null }) => s.name !== null)).toBe(true);
    const sea = await api('/api/v1/routing/route?from=-76.6100,39.2866&to=-76.40,39.10', { token });
    expect(sea.status).toBe(400);
    expect(sea.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { reason: 'OFF_NETWORK' } });
  });
});
