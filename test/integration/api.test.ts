import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { api, DEMO, login } from './client';
import { injected, TENANT_B } from './context';
import { ROOT, TEST_JWT_SECRET } from './harness';

const key = new TextEncoder().encode(TEST_JWT_SECRET);
let manager: string;
let admin: string;
let viewer: string;
let driver: string;
let adminB: string;
let vehicleB: any;

beforeAll(async () => {
  manager = (await login(...DEMO.manager)).token;
  admin = (await login(...DEMO.admin)).token;
  viewer = (await login(...DEMO.viewer)).token;
  driver = (await login(...DEMO.driver)).token;
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  const created = await api('/api/v1/vehicles', { token: adminB, body: { name: 'Rival Truck', type: 'truck', deviceId: 'rival-1' } });
  expect(created.status).toBe(201);
  vehicleB = created.body.vehicle;
});

describe('health', () => {
  it('reports the database as ok', async () => {
    const result = await api('/api/health');
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ok', db: 'ok' });
  });
});

describe('migrations', () => {
  it('apply once and are recorded as Prisma records them', () => {
    const dirs = readdirSync(path.join(ROOT, 'prisma/migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(dirs.length).toBeGreaterThanOrEqual(2);
    expect(injected('migrationsAppliedFirst')).toEqual(dirs);
    expect(injected('migrationsAppliedSecond')).toEqual([]);
    const rows = injected('migrationRows');
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    dirs.forEach((dir, i) => {
      const sql = readFileSync(path.join(ROOT, 'prisma/migrations', dir, 'migration.sql'));
      expect(rows[i]).toMatchObject({ checksum: createHash('sha256').update(sql).digest('hex'), finished: true, steps: 1 });
    });
  });
});

describe('login', () => {
  it('returns a token and the user with tenant and role', async () => {
    const result = await api('/api/v1/auth/login', { body: { email: 'MANAGER@demo.geofleet.dev', password: 'demo-manager' } });
    expect(result.status).toBe(200);
    expect(result.body.user).toMatchObject({ email: 'manager@demo.geofleet.dev', role: 'manager', tenantName: 'Demo Logistics Baltimore' });
    expect(result.body.token.split('.')).toHaveLength(3);
  });

  it('refuses a wrong password with 401 UNAUTHORIZED', async () => {
    const result = await api('/api/v1/auth/login', { body: { email: 'manager@demo.geofleet.dev', password: 'nope' } });
    expect(result.status).toBe(401);
    expect(result.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'wrong email or password', requestId: result.headers.get('x-request-id') });
  });

  it('refuses an unknown email exactly like a wrong password', async () => {
    const result = await api('/api/v1/auth/login', { body: { email: 'ghost@demo.geofleet.dev', password: 'nope' } });
    expect(result.status).toBe(401);
    expect(result.body.error.message).toBe('wrong email or password');
  });

  it('names the invalid field', async () => {
    const result = await api('/api/v1/auth/login', { body: { email: 'not-an-email', password: 'x' } });
    expect(result.status).toBe(400);
    expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'email' });
  });

  it('refuses malformed JSON', async () => {
    const result = await api('/api/v1/auth/login', { raw: '{"email":' });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('VALIDATION_ERROR');
  });
});

describe('tokens', () => {
  it('no token → 401', async () => {
    const result = await api('/api/v1/vehicles');
    expect(result.status).toBe(401);
    expect(result.body.error.code).toBe('UNAUTHORIZED');
  });

  it('a token signed with another secret → 401', async () => {
    const me = await api('/api/v1/auth/me', { token: manager });
    const forged = await new SignJWT({ tid: me.body.user.tenantId, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(me.body.user.id)
      .setIssuer('geofleet')
      .setAudience('geofleet')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('some-other-secret-some-other-secret-123'));
    const result = await api('/api/v1/vehicles', { token: forged });
    expect(result.status).toBe(401);
  });

  it('an expired token → 401 saying so', async () => {
    const me = await api('/api/v1/auth/me', { token: manager });
    const expired = await new SignJWT({ tid: me.body.user.tenantId, role: 'manager' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(me.body.user.id)
      .setIssuer('geofleet')
      .setAudience('geofleet')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    const result = await api('/api/v1/vehicles', { token: expired });
    expect(result.status).toBe(401);
    expect(result.body.error.message).toBe('token has expired');
  });

  it('a tampered payload → 401', async () => {
    const [header, , signature] = manager.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', tid: 'y', role: 'admin', iss: 'geofleet', aud: 'geofleet' })).toString('base64url');
    const result = await api('/api/v1/vehicles', { token: `${header}.${payload}.${signature}` });
    expect(result.status).toBe(401);
  });
});

describe('vehicles', () => {
  it('lists the demo fleet with last positions; device tokens only for admins', async () => {
    const asManager = await api('/api/v1/vehicles', { token: manager });
    expect(asManager.status).toBe(200);
    expect(asManager.body.vehicles.length).toBeGreaterThanOrEqual(200);
    const withState = asManager.body.vehicles.filter((v: any) => v.state);
    expect(withState.length).toBeGreaterThanOrEqual(200);
    // The seed places the demo fleet on its Baltimore streets.
    const inBaltimore = withState.filter((v: any) => v.state.lng > -76.7 && v.state.lng < -76.45 && v.state.lat > 39.2 && v.state.lat < 39.35);
    expect(inBaltimore.length).toBeGreaterThanOrEqual(200);
    expect(asManager.body.vehicles.every((v: any) => v.deviceToken === undefined)).toBe(true);
    const asAdmin = await api('/api/v1/vehicles', { token: admin });
    expect(asAdmin.body.vehicles.every((v: any) => typeof v.deviceToken === 'string')).toBe(true);
  });

  it('another tenant’s vehicle is 404 and absent from lists', async () => {
    const result = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: manager });
    expect(result.status).toBe(404);
    expect(result.body.error.code).toBe('NOT_FOUND');
    const patch = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: admin, method: 'PATCH', body: { name: 'stolen' } });
    expect(patch.status).toBe(404);
    const list = await api('/api/v1/vehicles', { token: admin });
    expect(list.body.vehicles.some((v: any) => v.id === vehicleB.id)).toBe(false);
    const own = await api(`/api/v1/vehicles/${vehicleB.id}`, { token: adminB });
    expect(own.body.vehicle.name).toBe('Rival Truck');
    const listB = await api('/api/v1/vehicles', { token: adminB });
    const idsA = new Set(list.body.vehicles.map((v: any) => v.id));
    expect(listB.body.vehicles.map((v: any) => v.id)).toContain(vehicleB.id);
    expect(listB.body.vehicles.some((v: any) => idsA.has(v.id))).toBe(false);
  });

  it('a viewer cannot change anything (403) and nothing changes', async () => {
    const list = await api('/api/v1/vehicles', { token: viewer });
    const target = list.body.vehicles[0];
    const attempts = await Promise.all([
      api('/api/v1/vehicles', { token: viewer, body: { name: 'x', deviceId: 'viewer-1' } }),
      api(`/api/v1/vehicles/${target.id}`, { token: viewer, method: 'PATCH', body: { name: 'renamed' } }),
      api(`/api/v1/vehicles/${target.id}`, { token: viewer, method: 'DELETE' }),
      api('/api/v1/users', { token: viewer, body: { email: 'v2@demo.geofleet.dev', name: 'x', password: 'password1', role: 'admin' } }),
    ]);
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403]);
    expect(attempts.every((a) => a.body.error.code === 'FORBIDDEN')).toBe(true);
    const after = await api(`/api/v1/vehicles/${target.id}`, { token: viewer });
    expect(after.body.vehicle.name).toBe(target.name);
  });

  it('a driver and a manager cannot create or delete vehicles', async () => {
    const list = await api('/api/v1/vehicles', { token: manager });
    expect(list.status).toBe(200);
    expect((await api('/api/v1/vehicles', { token: driver, body: { name: 'x', deviceId: 'd-1' } })).status).toBe(403);
    expect((await api(`/api/v1/vehicles/${list.body.vehicles[0].id}`, { token: manager, method: 'DELETE' })).status).toBe(403);
  });

  it('a driver sees their own vehicle only, and nothing of where the fleet is or has been', async () => {
    const me = (await api('/api/v1/auth/me', { token: driver })).body.user;
    const fleet = (await api('/api/v1/vehicles', { token: manager })).body.vehicles as Array<{ id: string; driverId: string | null }>;
    const own = fleet.find((v) => v.driverId === me.id);
    const other = fleet.find((v) => v.driverId !== me.id)!;
    const list = await api('/api/v1/vehicles', { token: driver });
    expect(list.status).toBe(200);
    expect(list.body.vehicles.map((v: { id: string }) => v.id)).toEqual(own ? [own.id] : []);
    expect((await api(`/api/v1/vehicles/${other.id}`, { token: driver })).status).toBe(404);
    if (own) expect((await api(`/api/v1/vehicles/${own.id}`, { token: driver })).body.vehicle.id).toBe(own.id);
    const refused = await Promise.all(
      [
        `/api/v1/vehicles/${other.id}/history`,
        '/api/v1/spatial/nearby?lng=13.4&lat=52.5&radius=1000',
        '/api/v1/spatial/within?bbox=13,52,14,53',
        '/api/v1/spatial/nearest?lng=13.4&lat=52.5',
        '/api/v1/alerts',
        '/api/v1/geofence-events',
      ].map((path) => api(path, { token: driver })),
    );
    expect(refused.map((r) => [r.status, r.body.error?.code])).toEqual(refused.map(() => [403, 'FORBIDDEN']));
    expect((await api('/api/v1/spatial/nearby?lng=13.4&lat=52.5&radius=1000', { token: viewer })).status).toBe(200);
  });

  it('admin creates, updates and deletes a vehicle; device ids are unique per tenant', async () => {
    const created = await api('/api/v1/vehicles', { token: admin, body: { name: 'Test Van', plate: 'B-T 1', deviceId: 'it-van-1' } });
    expect(created.status).toBe(201);
    expect(created.body.vehicle).toMatchObject({ name: 'Test Van', type: 'van', receptionEnabled: true, state: null });
    expect(created.body.vehicle.deviceToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const duplicate = await api('/api/v1/vehicles', { token: admin, body: { name: 'Other', deviceId: 'it-van-1' } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error).toMatchObject({ code: 'CONFLICT', field: 'deviceId' });
    // the same device id in another tenant is fine
    expect((await api('/api/v1/vehicles', { token: adminB, body: { name: 'B van', deviceId: 'it-van-1' } })).status).toBe(201);
    const updated = await api(`/api/v1/vehicles/${created.body.vehicle.id}`, { token: manager, method: 'PATCH', body: { plate: 'B-T 2', type: 'truck' } });
    expect(updated.status).toBe(200);
    expect(updated.body.vehicle).toMatchObject({ plate: 'B-T 2', type: 'truck' });
    expect((await api(`/api/v1/vehicles/${created.body.vehicle.id}`, { token: admin, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/vehicles/${created.body.vehicle.id}`, { token: admin })).status).toBe(404);
  });

  it('refuses invalid input with the field named and stores nothing', async () => {
    const before = (await api('/api/v1/vehicles', { token: admin })).body.vehicles.length;
    const cases = [
      [{ name: '', deviceId: 'ok-1' }, 'name'],
      [{ name: 'x', deviceId: 'has space' }, 'deviceId'],
      [{ name: 'x', deviceId: 'ok-2', type: 'spaceship' }, 'type'],
      [{ name: 'x', deviceId: 'ok-3', surprise: 1 }, undefined],
      [{ name: 'x', deviceId: 'ok-4', driverId: '00000000-0000-4000-8000-000000000000' }, 'driverId'],
    ] as const;
    for (const [body, field] of cases) {
      const result = await api('/api/v1/vehicles', { token: admin, body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error.code).toBe('VALIDATION_ERROR');
      if (field) expect(result.body.error.field).toBe(field);
    }
    expect((await api('/api/v1/vehicles', { token: admin })).body.vehicles.length).toBe(before);
  });

  it('admin creates vehicles in bulk, all or nothing', async () => {
    const before = (await api('/api/v1/vehicles', { token: admin })).body.vehicles.length;
    const created = await api('/api/v1/vehicles', { token: admin, body: [1, 2, 3].map((i) => ({ name: `Bulk ${i}`, deviceId: `bulk-${i}` })) });
    expect(created.status).toBe(201);
    expect(created.body.vehicles.map((v: any) => v.name)).toEqual(['Bulk 1', 'Bulk 2', 'Bulk 3']);
    const duplicate = await api('/api/v1/vehicles', { token: admin, body: [{ name: 'Bulk 4', deviceId: 'bulk-4' }, { name: 'Bulk 5', deviceId: 'bulk-1' }] });
    expect(duplicate.status).toBe(409);
    const invalid = await api('/api/v1/vehicles', { token: admin, body: [{ name: 'Bulk 6', deviceId: 'bulk-6' }, { name: '', deviceId: 'bulk-7' }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: '1.name' });
    const after = (await api('/api/v1/vehicles', { token: admin })).body.vehicles;
    expect(after.length).toBe(before + 3);
    expect(after.some((v: any) => ['bulk-4', 'bulk-6'].includes(v.deviceId))).toBe(false);
  });

  it('an id that is not a uuid is simply not found', async () => {
    expect((await api('/api/v1/vehicles/not-a-uuid', { token: manager })).status).toBe(404);
  });
});

describe('users', () => {
  it('admin adds a user who can then sign in with that role', async () => {
    const created = await api('/api/v1/users', { token: admin, body: { email: 'new.viewer@demo.geofleet.dev', name: 'New Viewer', password: 'password-1', role: 'viewer' } });
    expect(created.status).toBe(201);
    expect(created.body.user).not.toHaveProperty('passwordHash');
    const session = await login('new.viewer@demo.geofleet.dev', 'password-1');
    expect(session.user.role).toBe('viewer');
    const again = await api('/api/v1/users', { token: admin, body: { email: 'new.viewer@demo.geofleet.dev', name: 'x', password: 'password-1', role: 'viewer' } });
    expect(again.status).toBe(409);
    const users = await api('/api/v1/users', { token: manager });
    expect(users.body.users.every((u: any) => u.tenantName === 'Demo Logistics Baltimore')).toBe(true);
  });
});
