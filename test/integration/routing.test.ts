import { beforeAll, describe, expect, it } from 'vitest';
import { api, login } from './client';
import { TENANT_B } from './context';

/**
 * The routing endpoint against the real server: authentication, validation, and a tenant
 * without a road network. (Routes themselves are checked on Baltimore against pgRouting in
 * routing-pgrouting.test.ts and on hand-made networks in server/roads.)
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
    const res = await api('/api/v1/routing/route?from=-76.61,39.29&to=-76.58,39.30', { token });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });
});
