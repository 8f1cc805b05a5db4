import { beforeAll, describe, expect, it } from 'vitest';
import { api, DEMO, login } from './client';
import { TENANT_B } from './context';

/**
 * Geofences over REST against the real server and PostGIS. Writes go to tenant B (its own admin,
 * nothing else there touches fences); the demo tenant's roles check reads and refusals. Every
 * test creates the fences it needs, so file order and other files do not matter.
 */
let adminB: string;
let admin: string;
let manager: string;
let viewer: string;

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  viewer = (await login(...DEMO.viewer)).token;
});

/** A lng/lat rectangle, closed. */
const rect = (w: number, s: number, e: number, n: number) => [
  [w, s],
  [e, s],
  [e, n],
  [w, n],
  [w, s],
];
const polygonFeature = (name: string, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [rect(13.4, 52.5, 13.41, 52.51)] },
  properties: { name, ...properties },
});

async function create(token: string, body: unknown) {
  const result = await api('/api/v1/geofences', { token, body });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return result.body.geofence;
}

async function namesOf(token: string): Promise<string[]> {
  const result = await api('/api/v1/geofences', { token });
  expect(result.status).toBe(200);
  return result.body.geofences.map((g: any) => g.properties.name);
}

/** Area in m² of a small lng/lat rectangle, to about 0.5 % (sphere, equal-area approximation). */
function approxRectArea(w: number, s: number, e: number, n: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  return R * R * (e - w) * rad * Math.abs(Math.sin(n * rad) - Math.sin(s * rad));
}

describe('geofences: create and read', () => {
  it('creates a polygon fence and returns it as a GeoJSON Feature with PostGIS area', async () => {
    const fence = await create(adminB, polygonFeature('Depot North', { type: 'DEPOT', dwellSeconds: 30, hysteresisMeters: 5 }));
    expect(fence).toMatchObject({
      type: 'Feature',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      geometry: { type: 'Polygon', coordinates: [rect(13.4, 52.5, 13.41, 52.51)] },
      properties: {
        name: 'Depot North',
        type: 'DEPOT',
        kind: 'static',
        alertOnEntry: true,
        alertOnExit: true,
        severity: 'medium',
        hysteresisMeters: 5,
        dwellSeconds: 30,
        maxAccuracyMeters: 100,
      },
    });
    expect(Math.abs(fence.properties.areaM2 / approxRectArea(13.4, 52.5, 13.41, 52.51) - 1)).toBeLessThan(0.01);

    const read = await api(`/api/v1/geofences/${fence.id}`, { token: adminB });
    expect(read.status).toBe(200);
    expect(read.body.geofence).toEqual(fence);
    expect(await namesOf(adminB)).toContain('Depot North');
  });

  it('creates a multipolygon with a hole; the hole is not counted in the area', async () => {
    const outer = rect(13.3, 52.4, 13.32, 52.42);
    const hole = rect(13.305, 52.405, 13.315, 52.415).reverse();
    const other = rect(13.5, 52.4, 13.51, 52.41);
    const fence = await create(adminB, {
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: [[outer, hole], [other]] },
      properties: { name: 'Service area with a lake', type: 'SERVICE_AREA' },
    });
    expect(fence.geometry.type).toBe('MultiPolygon');
    expect(fence.geometry.coordinates).toHaveLength(2);
    expect(fence.geometry.coordinates[0]).toHaveLength(2);
    const expected = approxRectArea(13.3, 52.4, 13.32, 52.42) - approxRectArea(13.305, 52.405, 13.315, 52.415) + approxRectArea(13.5, 52.4, 13.51, 52.41);
    expect(Math.abs(fence.properties.areaM2 / expected - 1)).toBeLessThan(0.01);
  });

  it('creates a circle from a Point and a radius: area within 1 % of πr²', async () => {
    const fence = await create(adminB, {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [13.377, 52.516] },
      properties: { name: 'Checkpoint Gate', type: 'CHECKPOINT', radius: 500 },
    });
    expect(fence.geometry).toEqual({ type: 'Point', coordinates: [13.377, 52.516] });
    expect(fence.properties.radius).toBe(500);
    expect(Math.abs(fence.properties.areaM2 / (Math.PI * 500 * 500) - 1)).toBeLessThan(0.01);
  });

  it('defaults a restricted zone to high severity', async () => {
    const fence = await create(adminB, polygonFeature('No-go yard', { type: 'RESTRICTED_ZONE' }));
    expect(fence.properties.severity).toBe('high');
  });
});

describe('geofences: validation', () => {
  it('refuses structural problems with 400 naming the field', async () => {
    const open = rect(13.4, 52.5, 13.41, 52.51);
    open[4] = [13.399, 52.5];
    const unclosed = await api('/api/v1/geofences', { token: adminB, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [open] }, properties: { name: 'x' } } });
    expect(unclosed.status).toBe(400);
    expect(unclosed.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'geometry.coordinates.0' });
    expect(unclosed.body.error.message).toMatch(/closed ring/);

    const tooFew = await api('/api/v1/geofences', {
      token: adminB,
      body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[13.4, 52.5], [13.41, 52.5], [13.4, 52.5]]] }, properties: { name: 'x' } },
    });
    expect(tooFew.status).toBe(400);
    expect(tooFew.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'geometry.coordinates.0' });

    const swapped = rect(13.4, 52.5, 13.41, 52.51).map(([x, y]) => [y, x]);
    swapped[2] = [52.51, 113.41];
    const outOfRange = await api('/api/v1/geofences', { token: adminB, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [swapped] }, properties: { name: 'x' } } });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'geometry.coordinates.0.2' });
    expect(outOfRange.body.error.message).toMatch(/latitude 113.41 is out of range/);

    const unscheduled = await api('/api/v1/geofences', { token: adminB, body: polygonFeature('x', { kind: 'temporal' }) });
    expect(unscheduled.status).toBe(400);
    expect(unscheduled.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'properties.schedule' });
    expect(unscheduled.body.error.message).toMatch(/is required for a temporal fence/);

    const malformed = await api('/api/v1/geofences', { token: adminB, raw: '{"type":' });
    expect(malformed.status).toBe(400);
  });

  it('refuses a self-intersecting bow-tie with 422 INVALID_GEOMETRY, reason and location, and stores nothing', async () => {
    const before = await namesOf(adminB);
    const bowTie = [
      [13.0, 52.0],
      [13.1, 52.1],
      [13.1, 52.0],
      [13.0, 52.1],
      [13.0, 52.0],
    ];
    const result = await api('/api/v1/geofences', { token: adminB, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [bowTie] }, properties: { name: 'Bow tie' } } });
    expect(result.status).toBe(422);
    expect(result.body.error).toMatchObject({ code: 'INVALID_GEOMETRY', field: 'geometry' });
    expect(result.body.error.message).toMatch(/Self-intersection at \[13\.0[45]\d*, 52\.0[45]\d*\]/);
    expect(await namesOf(adminB)).toEqual(before);
  });

  it('refuses an invalid update with 422 and keeps the fence as it was', async () => {
    const fence = await create(adminB, polygonFeature('Stays square'));
    const result = await api(`/api/v1/geofences/${fence.id}`, {
      token: adminB,
      method: 'PATCH',
      body: { geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] } },
    });
    expect(result.status).toBe(422);
    expect(result.body.error.code).toBe('INVALID_GEOMETRY');
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB })).body.geofence).toEqual(fence);
  });
});

describe('geofences: update and delete', () => {
  it('PATCH merges properties; PUT replaces the whole feature; DELETE removes it', async () => {
    const fence = await create(adminB, polygonFeature('Yard', { alertOnExit: false }));
    const renamed = await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'PATCH', body: { properties: { name: 'Yard East', severity: 'critical' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.geofence).toMatchObject({ id: fence.id, geometry: fence.geometry, properties: { name: 'Yard East', severity: 'critical', alertOnExit: false } });

    const circle = await api(`/api/v1/geofences/${fence.id}`, {
      token: adminB,
      method: 'PUT',
      body: { type: 'Feature', geometry: { type: 'Point', coordinates: [13.45, 52.52] }, properties: { name: 'Yard circle', radius: 100 } },
    });
    expect(circle.status).toBe(200);
    expect(circle.body.geofence).toMatchObject({ id: fence.id, geometry: { type: 'Point', coordinates: [13.45, 52.52] }, properties: { name: 'Yard circle', radius: 100, alertOnExit: true } });
    expect(Math.abs(circle.body.geofence.properties.areaM2 / (Math.PI * 100 * 100) - 1)).toBeLessThan(0.01);

    // Back to a polygon: the radius goes with the circle.
    const back = await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'PATCH', body: { geometry: { type: 'Polygon', coordinates: [rect(13.4, 52.5, 13.41, 52.51)] } } });
    expect(back.status).toBe(200);
    expect(back.body.geofence.properties).not.toHaveProperty('radius');

    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB })).status).toBe(404);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'DELETE' })).status).toBe(404);
  });
});

describe('geofences: roles and tenants', () => {
  it('lets viewers and managers read but not write (403)', async () => {
    const fence = await create(admin, polygonFeature('Demo depot (roles test)'));
    for (const token of [viewer, manager]) {
      expect((await api('/api/v1/geofences', { token })).body.geofences.map((g: any) => g.id)).toContain(fence.id);
      expect((await api(`/api/v1/geofences/${fence.id}`, { token })).status).toBe(200);
      const created = await api('/api/v1/geofences', { token, body: polygonFeature('nope') });
      expect(created.status).toBe(403);
      expect(created.body.error.code).toBe('FORBIDDEN');
      expect((await api(`/api/v1/geofences/${fence.id}`, { token, method: 'PATCH', body: { properties: { name: 'nope' } } })).status).toBe(403);
      expect((await api(`/api/v1/geofences/${fence.id}`, { token, method: 'PUT', body: polygonFeature('nope') })).status).toBe(403);
      expect((await api(`/api/v1/geofences/${fence.id}`, { token, method: 'DELETE' })).status).toBe(403);
    }
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin })).body.geofence.properties.name).toBe('Demo depot (roles test)');
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
  });

  it("keeps tenants apart: another tenant's fence is 404 for every method", async () => {
    const fence = await create(adminB, polygonFeature('Rival secret yard'));
    expect((await api('/api/v1/geofences', { token: admin })).body.geofences.map((g: any) => g.id)).not.toContain(fence.id);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin })).status).toBe(404);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin, method: 'PATCH', body: { properties: { name: 'mine' } } })).status).toBe(404);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin, method: 'PUT', body: polygonFeature('mine') })).status).toBe(404);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: admin, method: 'DELETE' })).status).toBe(404);
    expect((await api(`/api/v1/geofence-events?geofenceId=${fence.id}`, { token: admin })).status).toBe(404);
    expect((await api(`/api/v1/geofences/${fence.id}`, { token: adminB })).body.geofence.properties.name).toBe('Rival secret yard');
    expect((await api('/api/v1/geofences/not-a-uuid', { token: adminB })).status).toBe(404);
    expect((await api('/api/v1/geofences')).status).toBe(401);
  });
});

describe('geofence events', () => {
  it('validates its parameters', async () => {
    for (const [query, field] of [
      ['geofenceId=nope', 'geofenceId'],
      ['vehicleId=123', 'vehicleId'],
      ['from=yesterday', 'from'],
      ['limit=0', 'limit'],
      ['limit=100001', 'limit'],
      ['from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z', 'to'],
    ] as const) {
      const result = await api(`/api/v1/geofence-events?${query}`, { token: viewer });
      expect(result.status, query).toBe(400);
      expect(result.body.error, query).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect((await api('/api/v1/geofence-events')).status).toBe(401);
  });

  it('lists nothing for a new fence', async () => {
    const fence = await create(adminB, polygonFeature('Quiet depot'));
    const result = await api(`/api/v1/geofence-events?geofenceId=${fence.id}&from=2026-01-01T00:00:00Z&limit=10`, { token: adminB });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ events: [], truncated: false });
  });
});
