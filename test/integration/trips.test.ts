import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscribeAck } from '../../server/protocol/fleet';
import type { TripDto, TripStatus } from '../../server/protocol/trips';
import { api, connect, DEMO, emitAck, login, waitUntil } from './client';
import { TENANT_B } from './context';

/** Trips over REST and live: create, list, move through every state, distance, rider view, isolation. */
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

let admin: string;
let manager: string;
let driver: { token: string; id: string };
let otherDriver: { token: string; id: string };
let viewer: string;
let adminB: string;
let vehicle: any; // demo tenant, assigned to the demo driver
let spare: any; // demo tenant, no driver
let vehicleB: any;
const run = Date.now().toString(36);

const pickup = { lng: 13.4, lat: 52.5, label: 'Alexanderplatz' };
const dropoff = { lng: 13.41, lat: 52.51, label: 'Hackescher Markt' };

/** Live events as a dashboard and a trip subscriber see them. */
let dashboard: Socket;
const dashboardEvents: TripDto[] = [];
const listPageEvents: TripDto[] = [];
const rivalPageEvents: TripDto[] = [];


const createTrip = (token: string, body: unknown) => api('/api/v1/trips', { token, body });
const move = (token: string, id: string, status: string) => api(`/api/v1/trips/${id}/status`, { token, body: { status } });

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  viewer = (await login(...DEMO.viewer)).token;
  // A driver of its own (a driver drives one vehicle; the demo driver already has Van 001).
  const driverEmail = `trip-driver-${run}@demo.geofleet.dev`;
  expect((await api('/api/v1/users', { token: admin, body: { email: driverEmail, name: 'Trip Driver', password: 'trip-driver-pw', role: 'driver' } })).status).toBe(201);
  const d = await login(driverEmail, 'trip-driver-pw');
  driver = { token: d.token, id: d.user.id };
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });

  const email = `second-driver-${run}@demo.geofleet.dev`;
  const created = await api('/api/v1/users', { token: admin, body: { email, name: 'Second Driver', password: 'second-driver-pw', role: 'driver' } });
  expect(created.status).toBe(201);
  const o = await login(email, 'second-driver-pw');
  otherDriver = { token: o.token, id: o.user.id };

  vehicle = (await api('/api/v1/vehicles', { token: admin, body: { name: `Trip Van ${run}`, deviceId: `trip-van-${run}`, driverId: driver.id } })).body.vehicle;
  spare = (await api('/api/v1/vehicles', { token: admin, body: { name: `Spare Van ${run}`, deviceId: `spare-van-${run}` } })).body.vehicle;
  vehicleB = (await api('/api/v1/vehicles', { token: adminB, body: { name: `Rival Van ${run}`, deviceId: `rival-van-${run}` } })).body.vehicle;
  expect(vehicle?.id && spare?.id && vehicleB?.id).toBeTruthy();

  dashboard = await connect('/fleet', manager);
  sockets.push(dashboard);
  dashboard.on('trip:update', (t: TripDto) => dashboardEvents.push(t));
  expect((await emitAck<SubscribeAck>(dashboard, 'subscribe', { scope: 'fleet' })).ok).toBe(true);
  // A page that lists trips but watches no positions (/trips), and another tenant's.
  const listPage = await connect('/fleet', manager);
  const rivalPage = await connect('/fleet', adminB);
  sockets.push(listPage, rivalPage);
  listPage.on('trip:update', (t: TripDto) => listPageEvents.push(t));
  rivalPage.on('trip:update', (t: TripDto) => rivalPageEvents.push(t));
});

describe('creating trips', () => {
  it('refuses bad input with the field named, and roles other than admin and manager', async () => {
    const bad = await createTrip(manager, { vehicleId: vehicle.id, pickup: { lng: 200, lat: 52.5 }, dropoff });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'pickup.lng' });
    const missing = await createTrip(manager, { vehicleId: vehicle.id, pickup });
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'dropoff' });
    const extra = await createTrip(manager, { vehicleId: vehicle.id, pickup, dropoff, price: 12 });
    expect(extra.status).toBe(400);
    const notUuid = await createTrip(manager, { vehicleId: vehicle.id, pickup, dropoff, routeId: 'route-1' });
    expect(notUuid.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'routeId' });
    const unknownRoute = await createTrip(manager, { vehicleId: vehicle.id, pickup, dropoff, routeId: '00000000-0000-4000-8000-000000000000' });
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body.error).toMatchObject({ code: 'NOT_FOUND', field: 'routeId' });

    for (const token of [driver.token, viewer]) {
      const refused = await createTrip(token, { vehicleId: vehicle.id, pickup, dropoff });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    expect((await api('/api/v1/trips', { body: { vehicleId: vehicle.id, pickup, dropoff } })).status).toBe(401);
  });

  it('needs a driver of the tenant: the vehicle’s by default, or a named user with the driver role', async () => {
    const noDriver = await createTrip(manager, { vehicleId: spare.id, pickup, dropoff });
    expect(noDriver.status).toBe(400);
    expect(noDriver.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'driverId' });
    const me = (await api('/api/v1/auth/me', { token: manager })).body;
    const notDriver = await createTrip(manager, { vehicleId: spare.id, driverId: (me.user ?? me).id, pickup, dropoff });
    expect(notDriver.status).toBe(400);
    expect(notDriver.body.error.message).toMatch(/not a driver/);
    const foreignVehicle = await createTrip(manager, { vehicleId: vehicleB.id, pickup, dropoff });
    expect(foreignVehicle.status).toBe(404);
    expect(foreignVehicle.body.error.field).toBe('vehicleId');
    expect((await api(`/api/v1/trips?vehicleId=${spare.id}`, { token: admin })).body.trips).toEqual([]);
  });
});

describe('a trip from PENDING to COMPLETED', () => {
  let trip: TripDto;
  let subscriber: Socket;
  const subscriberEvents: TripDto[] = [];

  it('a manager creates it: PENDING, the vehicle’s driver, a share link, announced live', async () => {
    const created = await createTrip(manager, { vehicleId: vehicle.id, pickup, dropoff });
    expect(created.status).toBe(201);
    trip = created.body.trip;
    expect(trip).toMatchObject({
      vehicleId: vehicle.id,
      vehicleName: vehicle.name,
      driverId: driver.id,
      driverName: 'Trip Driver',
      pickup,
      dropoff,
      routeId: null,
      status: 'PENDING',
      allowedNext: ['EN_ROUTE', 'CANCELLED'],
      distanceM: null,
      durationS: null,
    });
    expect(trip.timestamps.PENDING).toBe(trip.createdAt);
    expect(trip.timestamps.EN_ROUTE).toBeNull();
    expect(trip.share!.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(trip.share!.path).toBe(`/track/${trip.share!.token}`);
    expect(trip.share!.expiresAt).toBeNull();
    await waitUntil(() => dashboardEvents.some((e) => e.id === trip.id && e.status === 'PENDING'), 'trip:update PENDING on the dashboard');
    // live events go to every dashboard, viewers included: no share link in them
    expect(dashboardEvents.find((e) => e.id === trip.id)!.share).toBeUndefined();
  });

  it('a second active trip for the same vehicle is a conflict', async () => {
    const second = await createTrip(admin, { vehicleId: vehicle.id, pickup, dropoff });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'CONFLICT', field: 'vehicleId', details: { activeTripId: trip.id, status: 'PENDING' } });
  });

  it('anyone of the tenant may follow it with subscribe {scope: "trip"}; other tenants may not', async () => {
    subscriber = await connect('/fleet', viewer);
    sockets.push(subscriber);
    subscriber.on('trip:update', (t: TripDto) => subscriberEvents.push(t));
    const ack = await emitAck<SubscribeAck>(subscriber, 'subscribe', { scope: 'trip', id: trip.id });
    expect(ack.ok).toBe(true);
    if (ack.ok) {
      expect(ack.trip).toMatchObject({ id: trip.id, status: 'PENDING' });
      expect(ack.trip!.share).toBeUndefined();
    }
    const rival = await connect('/fleet', adminB);
    sockets.push(rival);
    const refused = await emitAck<SubscribeAck>(rival, 'subscribe', { scope: 'trip', id: trip.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const malformed = await emitAck<SubscribeAck>(rival, 'subscribe', { scope: 'trip', id: 'nope' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
  });

  it('is visible to its driver only among drivers, and read-only for viewers', async () => {
    expect((await api(`/api/v1/trips/${trip.id}`, { token: driver.token })).body.trip.id).toBe(trip.id);
    expect((await api(`/api/v1/trips/${trip.id}`, { token: driver.token })).body.trip.share).toBeUndefined();
    expect((await api(`/api/v1/trips/${trip.id}`, { token: otherDriver.token })).status).toBe(404);
    expect((await api('/api/v1/trips', { token: otherDriver.token })).body.trips.map((t: TripDto) => t.id)).not.toContain(trip.id);
    const mine = (await api('/api/v1/trips', { token: driver.token })).body.trips as TripDto[];
    expect(mine.map((t) => t.id)).toContain(trip.id);
    expect(mine.every((t) => t.driverId === driver.id)).toBe(true);
    // asking for someone else's trips as a driver gives nothing
    expect((await api(`/api/v1/trips?driverId=${otherDriver.id}`, { token: driver.token })).body.trips).toEqual([]);

    expect((await move(otherDriver.token, trip.id, 'EN_ROUTE')).status).toBe(404);
    const byViewer = await move(viewer, trip.id, 'EN_ROUTE');
    expect(byViewer.status).toBe(403);
    expect((await api(`/api/v1/trips/${trip.id}`, { token: viewer })).body.trip.status).toBe('PENDING');
  });

  it('refuses an invalid transition with 409 naming the allowed ones, and changes nothing', async () => {
    const skip = await move(driver.token, trip.id, 'COMPLETED');
    expect(skip.status).toBe(409);
    expect(skip.body.error).toMatchObject({
      code: 'CONFLICT',
      field: 'status',
      details: { from: 'PENDING', to: 'COMPLETED', allowed: ['EN_ROUTE', 'CANCELLED'] },
    });
    expect(skip.body.error.message).toContain('EN_ROUTE, CANCELLED');
    const unknown = await move(driver.token, trip.id, 'FLYING');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('status');
    expect((await api(`/api/v1/trips/${trip.id}`, { token: manager })).body.trip.status).toBe('PENDING');
  });

  it('the rider link works without login and shows the trip, the vehicle and no ids', async () => {
    const track = await api(`/api/v1/track/${trip.share!.token}`);
    expect(track.status).toBe(200);
    expect(track.body.track).toMatchObject({ status: 'PENDING', pickup, dropoff, vehicle: { name: vehicle.name, position: null }, eta: null, expiresAt: null });
    const text = JSON.stringify(track.body);
    for (const secret of [trip.id, vehicle.id, driver.id, 'Trip Driver']) expect(text).not.toContain(secret);
  });

  it('the driver moves it through every state; each is stamped, announced, and the distance comes from its positions', async () => {
    const position = (lng: number, lat: number, ts: number, speed = 36) => ({ vehicleId: vehicle.id, lng, lat, timestamp: ts, speed });
    // Before the trip starts: not part of its distance.
    const before = await api('/api/v1/positions', { token: admin, body: [position(13.3, 52.45, Date.now() - 30_000)] });
    expect(before.body.accepted).toBe(1);

    const enRoute = await move(driver.token, trip.id, 'EN_ROUTE');
    expect(enRoute.status).toBe(200);
    expect(enRoute.body.trip).toMatchObject({ status: 'EN_ROUTE', allowedNext: ['ARRIVED', 'CANCELLED'] });
    const t0 = Date.parse(enRoute.body.trip.timestamps.EN_ROUTE);
    expect(t0).toBeGreaterThanOrEqual(Date.parse(trip.createdAt));

    // Sent out of order on purpose: the track is ordered by time. 13.40→13.41 along 52.50, then north to 52.51.
    const sent = await api('/api/v1/positions', {
      token: admin,
      body: [position(13.41, 52.51, t0 + 300), position(13.4, 52.5, t0 + 100), position(13.41, 52.5, t0 + 200)],
    });
    expect(sent.body.accepted).toBe(3);

    // ETA to the pickup: the vehicle is at the dropoff now, ≈1.3 km away, at 36 km/h (10 m/s).
    const tracking = (await api(`/api/v1/track/${trip.share!.token}`)).body.track;
    expect(tracking.status).toBe('EN_ROUTE');
    expect(tracking.vehicle.position).toMatchObject({ lng: 13.41, lat: 52.51 });
    expect(tracking.eta.target).toBe('pickup');
    expect(tracking.eta.distanceM).toBeGreaterThan(1250);
    expect(tracking.eta.distanceM).toBeLessThan(1400);
    expect(Math.abs(tracking.eta.seconds - tracking.eta.distanceM / 10)).toBeLessThan(2);

    await new Promise((r) => setTimeout(r, 400)); // the positions' times must be before completion
    const steps: TripStatus[] = ['ARRIVED', 'IN_PROGRESS', 'COMPLETED'];
    let last = enRoute.body.trip as TripDto;
    for (const status of steps) {
      const moved = await move(driver.token, trip.id, status);
      expect(moved.status).toBe(200);
      expect(moved.body.trip.status).toBe(status);
      expect(Date.parse(moved.body.trip.timestamps[status])).toBeGreaterThanOrEqual(Date.parse(last.timestamps[last.status]!));
      last = moved.body.trip;
    }
    expect(last.allowedNext).toEqual([]);
    expect(last.timestamps.CANCELLED).toBeNull();
    // Σ of the two legs on the spheroid: 13.40→13.41 at 52.50 ≈ 679 m, 52.50→52.51 ≈ 1113 m.
    expect(last.distanceM).toBeGreaterThan(1780);
    expect(last.distanceM).toBeLessThan(1800);
    const expectedDuration = (Date.parse(last.timestamps.COMPLETED!) - t0) / 1000;
    expect(last.durationS).toBeCloseTo(expectedDuration, 2);

    const order = ['PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED'];
    await waitUntil(() => dashboardEvents.filter((e) => e.id === trip.id).length === 5, 'five trip:update on the dashboard');
    expect(dashboardEvents.filter((e) => e.id === trip.id).map((e) => e.status)).toEqual(order);
    await waitUntil(() => listPageEvents.filter((e) => e.id === trip.id).length === 5, 'five trip:update on a page that watches no positions');
    expect(listPageEvents.filter((e) => e.id === trip.id).map((e) => e.status)).toEqual(order);
    expect(rivalPageEvents.filter((e) => e.id === trip.id)).toEqual([]);
    await waitUntil(() => subscriberEvents.length === 4, 'four trip:update on the trip scope');
    expect(subscriberEvents.map((e) => e.status)).toEqual(order.slice(1));
    expect(subscriberEvents[3]!.distanceM).toBe(last.distanceM);
  });

  it('a final trip refuses every move, naming none allowed', async () => {
    const again = await move(manager, trip.id, 'CANCELLED');
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ from: 'COMPLETED', to: 'CANCELLED', allowed: [] });
    expect(again.body.error.message).toMatch(/COMPLETED is final/);
  });

  it('the rider link shows the completed trip for the grace period, then is gone', async () => {
    const shown = await api(`/api/v1/track/${trip.share!.token}`);
    expect(shown.status).toBe(200);
    expect(shown.body.track).toMatchObject({ status: 'COMPLETED', eta: null });
    expect(shown.body.track.distanceM).toBeGreaterThan(1780);
    const expiresAt = Date.parse(shown.body.track.expiresAt);
    // TRIP_SHARE_GRACE_S is 3 in the test server
    expect(expiresAt - Date.parse(shown.body.track.timestamps.COMPLETED)).toBe(3000);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now() + 200)));
    const gone = await api(`/api/v1/track/${trip.share!.token}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('NOT_FOUND');
  });

  it('the vehicle is free again for a new trip', async () => {
    const next = await createTrip(manager, { vehicleId: vehicle.id, pickup, dropoff: { lng: 13.38, lat: 52.52 } });
    expect(next.status).toBe(201);
    expect(next.body.trip.dropoff.label).toBeNull();
    expect(next.body.trip.share.token).not.toBe(trip.share!.token);
  });
});

describe('cancelling', () => {
  it('is allowed from every non-final state and stamps the time', async () => {
    for (const reached of ['PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS'] as const) {
      const created = await createTrip(admin, { vehicleId: spare.id, driverId: otherDriver.id, pickup, dropoff });
      expect(created.status).toBe(201);
      const id = created.body.trip.id as string;
      const path: TripStatus[] = ['EN_ROUTE', 'ARRIVED', 'IN_PROGRESS'];
      for (const status of path.slice(0, path.indexOf(reached as TripStatus) + 1)) {
        expect((await move(otherDriver.token, id, status)).status).toBe(200);
      }
      const cancelled = await move(manager, id, 'CANCELLED');
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.trip).toMatchObject({ status: 'CANCELLED', allowedNext: [], distanceM: null, durationS: null });
      expect(cancelled.body.trip.timestamps.CANCELLED).not.toBeNull();
      expect(cancelled.body.trip.share.expiresAt).not.toBeNull();
      const moveOn = await move(manager, id, 'EN_ROUTE');
      expect(moveOn.status).toBe(409);
      expect(moveOn.body.error.details.allowed).toEqual([]);
    }
  });

  it('a trip already ahead refuses a step back, naming the allowed ones', async () => {
    const created = await createTrip(admin, { vehicleId: spare.id, driverId: otherDriver.id, pickup, dropoff });
    const id = created.body.trip.id as string;
    await move(otherDriver.token, id, 'EN_ROUTE');
    await move(otherDriver.token, id, 'ARRIVED');
    const back = await move(otherDriver.token, id, 'EN_ROUTE');
    expect(back.status).toBe(409);
    expect(back.body.error.details).toEqual({ from: 'ARRIVED', to: 'EN_ROUTE', allowed: ['IN_PROGRESS', 'CANCELLED'] });
    const same = await move(otherDriver.token, id, 'ARRIVED');
    expect(same.status).toBe(409);
    expect(same.body.error.message).toMatch(/already ARRIVED/);
    expect((await move(otherDriver.token, id, 'CANCELLED')).status).toBe(200);
  });
});

describe('listing and filters', () => {
  it('filters by status, vehicle, driver and activity; newest first; limit and bad values', async () => {
    const all = (await api(`/api/v1/trips?vehicleId=${spare.id}`, { token: manager })).body;
    expect(all.trips.length).toBe(5);
    expect(all.truncated).toBe(false);
    const times = all.trips.map((t: TripDto) => Date.parse(t.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const cancelled = (await api(`/api/v1/trips?vehicleId=${spare.id}&status=CANCELLED`, { token: manager })).body.trips;
    expect(cancelled.length).toBe(5);
    const several = (await api(`/api/v1/trips?status=completed,pending&vehicleId=${vehicle.id}`, { token: manager })).body.trips;
    expect(several.map((t: TripDto) => t.status).sort()).toEqual(['COMPLETED', 'PENDING']);
    const active = (await api(`/api/v1/trips?vehicleId=${vehicle.id}&active=true`, { token: viewer })).body.trips;
    expect(active.map((t: TripDto) => t.status)).toEqual(['PENDING']);
    const finished = (await api(`/api/v1/trips?vehicleId=${vehicle.id}&active=false`, { token: viewer })).body.trips;
    expect(finished.map((t: TripDto) => t.status)).toEqual(['COMPLETED']);
    const byDriver = (await api(`/api/v1/trips?driverId=${otherDriver.id}`, { token: manager })).body.trips as TripDto[];
    expect(byDriver.length).toBe(5);
    expect(byDriver.every((t) => t.driverId === otherDriver.id)).toBe(true);
    const limited = (await api(`/api/v1/trips?vehicleId=${spare.id}&limit=2`, { token: manager })).body;
    expect(limited.trips.length).toBe(2);
    expect(limited.truncated).toBe(true);

    for (const [query, field] of [
      ['status=LOST', 'status.0'],
      ['active=maybe', 'active'],
      ['vehicleId=42', 'vehicleId'],
      ['limit=0', 'limit'],
    ] as const) {
      const bad = await api(`/api/v1/trips?${query}`, { token: manager });
      expect(bad.status, query).toBe(400);
      expect(bad.body.error.field, query).toBe(field);
    }
  });
});

describe('tenant isolation and the public link', () => {
  it('another tenant sees none of these trips and cannot read or move them', async () => {
    const mine = (await api(`/api/v1/trips?vehicleId=${vehicle.id}`, { token: manager })).body.trips as TripDto[];
    expect(mine.length).toBeGreaterThan(0);
    const theirs = (await api('/api/v1/trips', { token: adminB })).body.trips as TripDto[];
    expect(theirs.some((t) => t.vehicleId === vehicle.id || t.vehicleId === spare.id)).toBe(false);
    const id = mine[0]!.id;
    expect((await api(`/api/v1/trips/${id}`, { token: adminB })).status).toBe(404);
    expect((await move(adminB, id, 'CANCELLED')).status).toBe(404);
    expect((await api(`/api/v1/trips/${id}`, { token: manager })).body.trip.status).toBe('PENDING');
    // a driver of the demo tenant cannot be named in another tenant's trip
    const named = await createTrip(adminB, { vehicleId: vehicleB.id, driverId: driver.id, pickup, dropoff });
    expect(named.status).toBe(404);
    expect(named.body.error.field).toBe('driverId');
  });

  it('unknown or malformed tokens are 404, not an error', async () => {
    for (const token of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..', 'x'.repeat(300)]) {
      const r = await api(`/api/v1/track/${token}`);
      expect(r.status, token).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await api('/api/v1/trips/not-a-uuid', { token: manager })).status).toBe(404);
  });
});
