import { beforeAll, describe, expect, it } from 'vitest';
import { api, connect, login } from './client';
import { injected, TENANT_ROADLESS } from './context';

/**
 * The admin console's REST against the real server: CSV import (all or nothing, errors by row and
 * column), device token rotation, deactivation (REST and sockets at once), role changes and
 * password resets cutting off old tokens, and browser sessions (refresh cookie: rotation,
 * logout). Runs in the road-less tenant so the demo fleet other files count stays as it is.
 */
let admin: string;
const unique = Date.now().toString(36);

beforeAll(async () => {
  admin = (await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password)).token;
});

async function createUser(role: 'manager' | 'viewer' | 'driver', name: string) {
  const email = `${name.toLowerCase().replace(/\s+/g, '.')}.${unique}@inland.example`;
  const password = `${name}-password-1`;
  const created = await api('/api/v1/users', { token: admin, body: { email, name, password, role } });
  expect(created.status).toBe(201);
  return { id: created.body.user.id as string, email, password };
}

/** POST /auth/login or /auth/refresh with cookies; the refresh cookie's value from Set-Cookie. */
async function sessionCall(path: string, init: { body?: unknown; cookie?: string } = {}) {
  const response = await fetch(`${injected('baseUrl')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(init.cookie ? { cookie: `geofleet_refresh=${init.cookie}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('geofleet_refresh='));
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, setCookie, cookie: setCookie?.split(';')[0]!.split('=')[1] || null };
}

async function eventsOf(aggregateId: string): Promise<Array<{ type: string; data: any; actor: any }>> {
  const result = await api(`/api/v1/events?aggregateId=${aggregateId}&order=asc`, { token: admin });
  expect(result.status).toBe(200);
  return result.body.events;
}

describe('vehicle CSV import', () => {
  it('refuses a file with bad rows as a whole, naming every row and column, and imports nothing', async () => {
    const before = (await api('/api/v1/vehicles', { token: admin })).body.vehicles.length;
    const csv = `name,deviceId,type,speedLimitKmh\nGood Van,csv-good-${unique},van,80\n,csv-noname-${unique},van,\nBad Type,csv-bad-${unique},spaceship,fast\n`;
    const result = await api('/api/v1/vehicles/import', { token: admin, raw: csv });
    expect(result.status).toBe(400);
    expect(result.body.error.code).toBe('VALIDATION_ERROR');
    expect(result.body.error.message).toMatch(/^2 rows have errors; nothing was imported\. Row 3, name/);
    expect(result.body.error.details.errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [3, 'name'],
      [4, 'speedLimitKmh'],
      [4, 'type'],
    ]);
    expect((await api('/api/v1/vehicles', { token: admin })).body.vehicles.length).toBe(before);
  });

  it('imports a good file all at once, with groups and attributes, audited per vehicle', async () => {
    const csv = `name;deviceId;group;speedLimitKmh;capabilities\nNorth Van ${unique};csv-n-${unique};North depot;90;refrigerated\nSouth Van ${unique};csv-s-${unique};South depot;;\n`;
    const result = await api('/api/v1/vehicles/import', { token: admin, raw: csv });
    expect(result.status).toBe(201);
    expect(result.body.imported).toBe(2);
    const north = result.body.vehicles.find((v: any) => v.deviceId === `csv-n-${unique}`);
    expect(north).toMatchObject({ groupName: 'North depot', attributes: { speedLimitKmh: 90, capabilities: ['refrigerated'] } });
    expect((await eventsOf(north.id)).map((e) => e.type)).toEqual(['vehicle.created']);
    // the same file again: every device id is now taken
    const again = await api('/api/v1/vehicles/import', { token: admin, raw: csv });
    expect(again.status).toBe(400);
    expect(again.body.error.details.errors.map((e: any) => [e.row, e.column])).toEqual([
      [2, 'deviceId'],
      [3, 'deviceId'],
    ]);
  });

  it('is for admins only', async () => {
    const viewer = await createUser('viewer', 'Csv Viewer');
    const token = (await login(viewer.email, viewer.password)).token;
    expect((await api('/api/v1/vehicles/import', { token, raw: 'name,deviceId\nX,x' })).status).toBe(403);
  });
});

describe('device tokens', () => {
  it('a new token works at once and the old one stops working (REST and open sockets); the log says so without the token', async () => {
    const created = await api('/api/v1/vehicles', { token: admin, body: { name: `Rotor ${unique}`, deviceId: `rotor-${unique}` } });
    const vehicle = created.body.vehicle;
    const send = (token: string) =>
      api('/api/v1/positions', { token, body: { lng: 9.52, lat: 47.14, timestamp: Date.now(), speed: 10 } });
    expect((await send(vehicle.deviceToken)).status).toBe(200);
    const phone = await connect('/driver', vehicle.deviceToken);
    const phoneClosed = new Promise<string>((resolve) => phone.on('disconnect', resolve));
    const rotated = await api(`/api/v1/vehicles/${vehicle.id}/device-token`, { token: admin, method: 'POST' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.deviceToken).not.toBe(vehicle.deviceToken);
    expect((await send(vehicle.deviceToken)).status).toBe(401);
    expect(await phoneClosed).toBe('io server disconnect');
    await expect(connect('/driver', vehicle.deviceToken)).rejects.toThrow('UNAUTHORIZED');
    await new Promise((r) => setTimeout(r, 1100)); // per-vehicle rate limit: 1 position/s
    expect((await send(rotated.body.deviceToken)).status).toBe(200);
    const events = await eventsOf(vehicle.id);
    expect(events.map((e) => e.type)).toContain('vehicle.token_rotated');
    expect(JSON.stringify(events)).not.toContain(rotated.body.deviceToken);
  });
});

describe('users', () => {
  it('deactivating a user stops their tokens at once on REST and closes their sockets; reactivating lets them back in', async () => {
    const user = await createUser('manager', 'Dee Activated');
    const { token } = await login(user.email, user.password);
    const session = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    expect(session.status).toBe(200);
    const socket = await connect('/fleet', token);
    const closed = new Promise<{ reason: string; revoked: boolean }>((resolve) => {
      let revoked = false;
      socket.on('session:revoked', () => (revoked = true));
      socket.on('disconnect', (reason) => resolve({ reason, revoked }));
    });
    expect((await api('/api/v1/auth/me', { token })).status).toBe(200);

    const started = Date.now();
    const deactivated = await api(`/api/v1/users/${user.id}`, { token: admin, method: 'PATCH', body: { active: false } });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.user.active).toBe(false);
    const me = await api('/api/v1/auth/me', { token });
    expect(me.status).toBe(401);
    expect(me.body.error.message).toBe('this user has been deactivated');
    expect(await closed).toEqual({ reason: 'io server disconnect', revoked: true });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(connect('/fleet', token)).rejects.toThrow('UNAUTHORIZED');
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    expect((await sessionCall('/api/v1/auth/refresh', { cookie: session.cookie! })).status).toBe(401);

    const listed = (await api('/api/v1/users', { token: admin })).body.users.find((u: any) => u.id === user.id);
    expect(listed.active).toBe(false);
    const events = await eventsOf(user.id);
    expect(events.at(-1)).toMatchObject({ type: 'user.updated', data: { changes: { active: { before: true, after: false } } } });

    expect((await api(`/api/v1/users/${user.id}`, { token: admin, method: 'PATCH', body: { active: true } })).status).toBe(200);
    const again = await login(user.email, user.password);
    expect((await api('/api/v1/auth/me', { token: again.token })).status).toBe(200);
    // a token from before the deactivation stays dead
    expect((await api('/api/v1/auth/me', { token })).status).toBe(401);
  });

  it('an admin cannot deactivate or demote themselves (field errors)', async () => {
    const me = (await api('/api/v1/auth/me', { token: admin })).body.user;
    const off = await api(`/api/v1/users/${me.id}`, { token: admin, method: 'PATCH', body: { active: false } });
    expect(off.status).toBe(400);
    expect(off.body.error.field).toBe('active');
    const demote = await api(`/api/v1/users/${me.id}`, { token: admin, method: 'PATCH', body: { role: 'viewer' } });
    expect(demote.body.error.field).toBe('role');
  });

  it('a role change cuts off older tokens; the refreshed session carries the new role', async () => {
    const user = await createUser('viewer', 'Rhea Role');
    const session = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    expect((await api('/api/v1/users', { token: session.body.token })).status).toBe(403);
    const socket = await connect('/fleet', session.body.token);
    const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    expect((await api(`/api/v1/users/${user.id}`, { token: admin, method: 'PATCH', body: { role: 'manager' } })).status).toBe(200);
    expect((await api('/api/v1/auth/me', { token: session.body.token })).status).toBe(401);
    expect(await closed).toBe('io server disconnect');
    const refreshed = await sessionCall('/api/v1/auth/refresh', { cookie: session.cookie! });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.role).toBe('manager');
    expect((await api('/api/v1/users', { token: refreshed.body.token })).status).toBe(200);
    // the socket re-authenticates with the refreshed token
    (await connect('/fleet', refreshed.body.token)).close();
  });

  it('a password reset ends the user\'s sessions and the new password signs in', async () => {
    const user = await createUser('manager', 'Pia Password');
    const session = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    const reset = await api(`/api/v1/users/${user.id}/password`, { token: admin, body: { password: 'short' } });
    expect(reset.status).toBe(400);
    expect(reset.body.error.field).toBe('password');
    expect((await api(`/api/v1/users/${user.id}/password`, { token: admin, body: { password: 'a-brand-new-password' } })).status).toBe(204);
    expect((await api('/api/v1/auth/me', { token: session.body.token })).status).toBe(401);
    expect((await sessionCall('/api/v1/auth/refresh', { cookie: session.cookie! })).status).toBe(401);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    expect((await login(user.email, 'a-brand-new-password')).token).toBeTruthy();
    expect((await eventsOf(user.id)).map((e) => e.type)).toContain('user.password_reset');
  });
});

describe('browser sessions', () => {
  it('login with session:true sets an httpOnly refresh cookie and a short access token', async () => {
    const user = await createUser('manager', 'Sam Session');
    const session = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    expect(session.status).toBe(200);
    expect(session.setCookie).toMatch(/HttpOnly/);
    expect(session.setCookie).toMatch(/SameSite=Strict/);
    expect(session.setCookie).toMatch(/Path=\/api\/v1\/auth/);
    const ttl = Date.parse(session.body.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    // without session: no cookie (API clients)
    expect((await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).setCookie).toBeUndefined();
  });

  it('refresh rotates the cookie; the spent one answers only within the race grace and without a new cookie; logout revokes the family', async () => {
    const user = await createUser('manager', 'Rory Rotate');
    const first = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    const second = await sessionCall('/api/v1/auth/refresh', { cookie: first.cookie! });
    expect(second.status).toBe(200);
    expect(second.cookie).toBeTruthy();
    expect(second.cookie).not.toBe(first.cookie);
    expect((await api('/api/v1/auth/me', { token: second.body.token })).status).toBe(200);
    // two tabs refreshing at once: the spent cookie still gets an access token, but no cookie
    const raced = await sessionCall('/api/v1/auth/refresh', { cookie: first.cookie! });
    expect(raced.status).toBe(200);
    expect(raced.setCookie).toBeUndefined();
    const third = await sessionCall('/api/v1/auth/refresh', { cookie: second.cookie! });
    expect(third.status).toBe(200);

    const logout = await sessionCall('/api/v1/auth/logout', { cookie: third.cookie! });
    expect(logout.status).toBe(204);
    expect(logout.setCookie).toMatch(/Max-Age=0/);
    for (const cookie of [first.cookie, second.cookie, third.cookie]) {
      const refused = await sessionCall('/api/v1/auth/refresh', { cookie: cookie! });
      expect(refused.status).toBe(401);
      expect(refused.setCookie).toMatch(/Max-Age=0/);
    }
    expect((await sessionCall('/api/v1/auth/refresh')).status).toBe(401);
  });

  it('a spent refresh token used again after the race grace ends its whole session (stolen token)', { timeout: 60_000 }, async () => {
    const user = await createUser('viewer', 'Tess Theft');
    const first = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    const second = await sessionCall('/api/v1/auth/refresh', { cookie: first.cookie! });
    expect(second.status).toBe(200);
    await new Promise((r) => setTimeout(r, 31_000));
    expect((await sessionCall('/api/v1/auth/refresh', { cookie: first.cookie! })).status).toBe(401);
    // the thief's use also ended the rightful holder's newer token
    expect((await sessionCall('/api/v1/auth/refresh', { cookie: second.cookie! })).status).toBe(401);
  });

  it('never puts a refresh token into the event log', async () => {
    const user = await createUser('viewer', 'Hal Hash');
    const session = await sessionCall('/api/v1/auth/login', { body: { email: user.email, password: user.password, session: true } });
    expect(JSON.stringify(await eventsOf(user.id))).not.toContain(session.cookie!);
  });
});

describe('tenant settings', () => {
  it('sets the time zone (validated) and records the change', async () => {
    const bad = await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { timeZone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('timeZone');
    const good = await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { timeZone: 'Europe/Vaduz' } });
    expect(good.status).toBe(200);
    expect(good.body.tenant.timeZone).toBe('Europe/Vaduz');
    const events = await eventsOf(good.body.tenant.id);
    expect(events.at(-1)).toMatchObject({ type: 'tenant.updated', data: { changes: { timeZone: { after: 'Europe/Vaduz' } } } });
  });

  it('home area: validated and audited; trip and dispatch points far outside it refused with the field named and nothing stored; cleared, nothing is checked', async () => {
    const VADUZ = [9.47, 47.05, 9.64, 47.27];
    const patch = (homeArea: unknown) => api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { homeArea } });
    const flipped = await patch([9.64, 47.05, 9.47, 47.27]);
    expect(flipped.status).toBe(400);
    expect(flipped.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'homeArea', message: expect.stringMatching(/west must be west of east/) });
    expect((await api('/api/v1/tenant', { token: admin })).body.tenant).toMatchObject({ homeArea: null, roadsArea: null });
    const set = await patch(VADUZ);
    expect(set.status).toBe(200);
    expect(set.body.tenant.homeArea).toEqual(VADUZ);
    expect((await eventsOf(set.body.tenant.id)).at(-1)).toMatchObject({ type: 'tenant.updated', data: { changes: { homeArea: { before: null, after: VADUZ } } } });

    const driver = await createUser('driver', 'Hana Home');
    const vehicle = (await api('/api/v1/vehicles', { token: admin, body: { name: `Home Van ${unique}`, type: 'van', deviceId: `home-${unique}`, driverId: driver.id } })).body.vehicle;
    const trip = (pickup: object, dropoff: object) => api('/api/v1/trips', { token: admin, body: { vehicleId: vehicle.id, pickup, dropoff } });
    const town = { lng: 9.521, lat: 47.141, label: 'Städtle' };
    // "47.141, 9.521" (lat, lng) typed into lng, lat: the swap is named.
    const swapped = await trip({ lng: 47.141, lat: 9.521 }, town);
    expect(swapped.status).toBe(400);
    expect(swapped.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'pickup', message: expect.stringMatching(/^pickup: is outside the fleet's home area \(47\.05…47\.27° N, 9\.47…9\.64° E, with 25 km around it\): latitude and longitude look swapped$/) });
    const berlin = await trip(town, { lng: 13.4, lat: 52.52 });
    expect(berlin.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'dropoff' });
    expect(berlin.body.error.message).not.toMatch(/swapped/);
    const dispatchOut = await api('/api/v1/dispatch/requests', { token: admin, body: { kind: 'service', serviceType: 'towing', location: { lng: 13.4, lat: 52.52, label: 'Berlin', source: 'map' } } });
    expect(dispatchOut.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'location' });
    expect((await api(`/api/v1/trips?vehicleId=${vehicle.id}`, { token: admin })).body.trips).toEqual([]);
    expect((await api('/api/v1/dispatch/requests', { token: admin })).body.requests.filter((r: { location: { label: string } }) => r.location.label === 'Berlin')).toEqual([]);
    // 9 km north of the box is still within the 25 km around it.
    expect((await trip(town, { lng: 9.6, lat: 47.35, label: 'Up the Rhine valley' })).status).toBe(201);

    const cleared = await patch(null);
    expect(cleared.body.tenant.homeArea).toBeNull();
    const other = await api('/api/v1/vehicles', { token: admin, body: { name: `Away Van ${unique}`, type: 'van', deviceId: `away-${unique}` } });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const away = await api('/api/v1/trips', { token: admin, body: { vehicleId: other.body.vehicle.id, driverId: driver.id, pickup: town, dropoff: { lng: 13.4, lat: 52.52 } } });
    expect(away.status, JSON.stringify(away.body)).toBe(201);
  });
});
