import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CandidateDto, DispatchRequestDto } from '../../server/protocol/dispatch';
import { api, DEMO, login, waitUntil } from './client';

/**
 * Dispatch against the real server, as a dispatcher would (issue 14's acceptance): the van
 * nearest by road wins over the one across the harbour; the driver accepts and the trip runs; an
 * emergency is served before waiting service requests; a refrigerated request waits (deferred,
 * with reason and retry time) until a refrigerated van frees up; a decline passes the offer on;
 * bad input is refused naming the field. Each scenario's vehicles carry a capability the
 * scenario's requests require, so vehicles of other test files (same tenant) never compete.
 */
const run = Date.now().toString(36);
let admin: string;
let manager: string;
let viewer: string;

interface TestVehicle {
  id: string;
  name: string;
  driverId: string;
  driverToken: string;
  lng: number;
  lat: number;
}
const vehicles: TestVehicle[] = [];
let keepalive: ReturnType<typeof setInterval> | undefined;

/** Places in Baltimore (the demo tenant's road network). */
const THAMES_STREET = { lng: -76.5905, lat: 39.281, label: 'Thames Street Bakery, Fells Point', source: 'address' as const };
const FORT_AVENUE = { lng: -76.596, lat: 39.2735 }; // across the Northwest Harbor from Fells Point
const BUTCHERS_HILL = { lng: -76.589, lat: 39.2915 }; // north of Fells Point, same shore
const EASTERN_AVENUE = { lng: -76.579, lat: 39.2875 };
const CANTON = { lng: -76.575, lat: 39.2795 };
const BAYVIEW = { lng: -76.5435, lat: 39.2935 }; // ≈4 km east

async function makeVehicle(name: string, at: { lng: number; lat: number }, capabilities: string[]): Promise<TestVehicle> {
  const email = `dispatch-${name.toLowerCase().replace(/\W+/g, '-')}-${run}@demo.geofleet.dev`;
  const created = await api('/api/v1/users', { token: admin, body: { email, name: `${name} driver`, password: 'dispatch-driver-pw', role: 'driver' } });
  expect(created.status).toBe(201);
  const d = await login(email, 'dispatch-driver-pw');
  const v = await api('/api/v1/vehicles', { token: admin, body: { name: `${name} ${run}`, deviceId: `dispatch-${name}-${run}`, driverId: d.user.id, attributes: { capabilities } } });
  expect(v.status).toBe(201);
  const vehicle = { id: v.body.vehicle.id, name: v.body.vehicle.name, driverId: d.user.id, driverToken: d.token, ...at };
  vehicles.push(vehicle);
  return vehicle;
}

/** Every test vehicle reports where it stands, so it stays online (OFFLINE_AFTER_S is 5 s here). */
async function report(): Promise<void> {
  if (vehicles.length === 0) return;
  const now = Date.now();
  await api('/api/v1/positions', { token: admin, body: vehicles.map((v) => ({ vehicleId: v.id, lng: v.lng, lat: v.lat, timestamp: now, speed: 0 })) });
}

const createRequest = (body: Record<string, unknown>) => api<{ request: DispatchRequestDto; error?: { code: string; field?: string } }>('/api/v1/dispatch/requests', { token: manager, body });
const getRequest = async (id: string) => (await api<{ request: DispatchRequestDto }>(`/api/v1/dispatch/requests/${id}`, { token: manager })).body.request;
const waitFor = (id: string, what: string, ok: (r: DispatchRequestDto) => boolean, timeoutMs = 15_000) =>
  waitUntil(async () => {
    const r = await getRequest(id);
    return ok(r) ? r : null;
  }, what, timeoutMs, 200);
const trip = (token: string, body: unknown) => api('/api/v1/trips', { token, body });
const move = (token: string, id: string, status: string) => api(`/api/v1/trips/${id}/status`, { token, body: { status } });

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  viewer = (await login(...DEMO.viewer)).token;
  await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  keepalive = setInterval(() => void report().catch(() => undefined), 1500);
});
afterAll(() => clearInterval(keepalive));

describe('dispatch', () => {
  it('proposes the nearest van by road, not the one across the harbour; the breakdown says why; the driver accepts and the trip runs to completion', async () => {
    const across = await makeVehicle('Across', FORT_AVENUE, ['wheelchair']);
    const north = await makeVehicle('North', BUTCHERS_HILL, ['wheelchair']);
    await report();
    const created = await createRequest({ kind: 'service', serviceType: 'wheelchair pickup', location: THAMES_STREET, capabilities: ['wheelchair'] });
    expect(created.status).toBe(201);
    const id = created.body.request.id;
    const offered = await waitFor(id, 'the offer', (r) => r.status === 'OFFERED');
    expect(offered.vehicleId).toBe(north.id);
    expect(offered.etaS).toBeGreaterThan(0);
    expect(offered.route?.coordinates.length).toBeGreaterThan(2);

    const { candidates } = (await api<{ candidates: CandidateDto[] }>(`/api/v1/dispatch/requests/${id}/candidates`, { token: viewer })).body;
    const a = candidates.find((c) => c.vehicleId === across.id)!;
    const n = candidates.find((c) => c.vehicleId === north.id)!;
    // Across the harbour: nearer as the crow flies, far by road; the factors say so.
    expect(a.crowM!).toBeLessThan(n.crowM!);
    expect(a.etaS!).toBeGreaterThan(n.etaS!);
    expect(a.distanceM!).toBeGreaterThan(2 * a.crowM!);
    expect(a.factors.distance).toBeLessThan(n.factors.distance);
    expect(a.factors.efficiency).toBeLessThan(n.factors.efficiency);
    expect(n.score).toBeGreaterThan(a.score);
    expect(n.score).toBe(offered.score);

    // The driver's phone sees the offer, accepts; a trip exists and runs through to completion.
    const offers = (await api(`/api/v1/dispatch/offers`, { token: north.driverToken })).body.offers;
    expect(offers.map((o: { requestId: string }) => o.requestId)).toContain(id);
    expect((await api(`/api/v1/dispatch/requests/${id}/accept`, { token: across.driverToken, body: {} })).status).toBe(404);
    const accepted = await api<{ request: DispatchRequestDto }>(`/api/v1/dispatch/requests/${id}/accept`, { token: north.driverToken, body: {} });
    expect(accepted.status).toBe(200);
    expect(accepted.body.request).toMatchObject({ status: 'ASSIGNED', vehicleId: north.id });
    const tripId = accepted.body.request.tripId!;
    for (const s of ['EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED']) expect((await move(north.driverToken, tripId, s)).status).toBe(200);

    const events = (await api(`/api/v1/events?aggregateId=${id}&order=asc`, { token: admin })).body.events.map((e: { type: string }) => e.type);
    expect(events).toEqual(['dispatch.requested', 'dispatch.assigned', 'dispatch.accepted']);
  });

  it('serves an emergency before two waiting service requests', async () => {
    const lifter = await makeVehicle('Lifter', EASTERN_AVENUE, ['lift']);
    await report();
    // The only lift-equipped vehicle is busy on a trip: everything needing a lift waits.
    const busy = await trip(admin, { vehicleId: lifter.id, pickup: { ...EASTERN_AVENUE, label: 'a' }, dropoff: { ...CANTON, label: 'b' } });
    expect(busy.status).toBe(201);
    expect((await move(admin, busy.body.trip.id, 'EN_ROUTE')).status).toBe(200);
    const s1 = (await createRequest({ kind: 'service', priority: 'high', serviceType: 'pallet lift', location: THAMES_STREET, capabilities: ['lift'] })).body.request;
    const s2 = (await createRequest({ kind: 'service', serviceType: 'pallet lift', location: { ...THAMES_STREET, lng: -76.588 }, capabilities: ['lift'] })).body.request;
    await waitFor(s1.id, 's1 deferred', (r) => r.status === 'DEFERRED');
    await waitFor(s2.id, 's2 deferred', (r) => r.status === 'DEFERRED');
    const e1 = await createRequest({ kind: 'emergency', emergencyType: 'breakdown', severity: 4, serviceType: 'tow a broken-down van', location: { ...CANTON, label: 'Canton', source: 'map' }, capabilities: ['lift'] });
    expect(e1.status).toBe(201);
    expect(e1.body.request.priority).toBe('emergency');
    await waitFor(e1.body.request.id, 'e1 deferred', (r) => r.status === 'DEFERRED');

    // The lifter frees up: the three are decided together, the emergency first.
    expect((await move(admin, busy.body.trip.id, 'CANCELLED')).status).toBe(200);
    const served = await waitFor(e1.body.request.id, 'the emergency offered', (r) => r.status === 'OFFERED');
    expect(served.vehicleId).toBe(lifter.id);
    expect((await getRequest(s1.id)).status).toBe('DEFERRED');
    expect((await getRequest(s2.id)).status).toBe('DEFERRED');
    const open = (await api<{ requests: DispatchRequestDto[] }>('/api/v1/dispatch/requests?open=true', { token: manager })).body.requests;
    const order = open.map((r) => r.id).filter((rid) => [s1.id, s2.id, e1.body.request.id].includes(rid));
    expect(order).toEqual([e1.body.request.id, s1.id, s2.id]); // queue by priority, then age
    for (const r of [s1, s2, e1.body.request]) await api(`/api/v1/dispatch/requests/${r.id}/cancel`, { token: manager, body: {} });
  });

  it("an emergency takes a van whose accepted job has not started: that job's trip is cancelled and its request goes back to the queue, then to another van", async () => {
    const pumperA = await makeVehicle('PumperA', BUTCHERS_HILL, ['fire']);
    await report();
    const job = (await createRequest({ kind: 'service', serviceType: 'pump out a cellar', location: THAMES_STREET, capabilities: ['fire'] })).body.request;
    await waitFor(job.id, 'the job offered to pumper A', (r) => r.status === 'OFFERED' && r.vehicleId === pumperA.id);
    const accepted = (await api(`/api/v1/dispatch/requests/${job.id}/accept`, { token: pumperA.driverToken, body: {} })).body.request as DispatchRequestDto;
    expect(accepted.status).toBe('ASSIGNED');

    const sos = (await createRequest({ kind: 'emergency', emergencyType: 'fire', severity: 5, serviceType: 'put out a van fire', location: { ...CANTON, label: 'Canton', source: 'map' }, capabilities: ['fire'] })).body.request;
    await waitFor(sos.id, 'the emergency offered to the busy van', (r) => r.status === 'OFFERED' && r.vehicleId === pumperA.id);
    // Offered is not yet taken: had the driver declined, the job would have stayed.
    expect((await getRequest(job.id)).status).toBe('ASSIGNED');
    expect((await api(`/api/v1/dispatch/requests/${sos.id}/accept`, { token: pumperA.driverToken, body: {} })).body.request.status).toBe('ASSIGNED');
    expect((await api(`/api/v1/trips/${accepted.tripId}`, { token: admin })).body.trip.status).toBe('CANCELLED');
    const back = await getRequest(job.id);
    expect(back).toMatchObject({ vehicleId: null, tripId: null });
    expect(['QUEUED', 'DEFERRED', 'OFFERED']).toContain(back.status);
    const types = (await api(`/api/v1/events?aggregateId=${job.id}&order=asc`, { token: admin })).body.events.map((e: { type: string; data: { reason?: string } }) => [e.type, e.data.reason ?? null]);
    expect(types.slice(0, 4)).toEqual([
      ['dispatch.requested', null],
      ['dispatch.assigned', null],
      ['dispatch.accepted', null],
      ['dispatch.deferred', 'pre-empted by an emergency before its trip started; back in the queue'],
    ]);

    // Another fire pumper comes on duty (an edit wakes the scheduler; deferred requests otherwise retry after a minute).
    const pumperB = await makeVehicle('PumperB', BAYVIEW, ['fire']);
    await report();
    await api(`/api/v1/vehicles/${pumperB.id}`, { token: admin, method: 'PATCH', body: { plate: 'PUMPER-B' } });
    await waitFor(job.id, 'the job offered to pumper B', (r) => r.status === 'OFFERED' && r.vehicleId === pumperB.id);
    for (const r of [job, sos]) await api(`/api/v1/dispatch/requests/${r.id}/cancel`, { token: manager, body: {} });
  });

  it('defers a refrigerated request while no refrigerated van is free, with the reason and a retry time, then assigns it when one frees up', async () => {
    const fridge = await makeVehicle('Fridge', CANTON, ['refrigerated', 'hazmat']);
    await makeVehicle('Dry', EASTERN_AVENUE, ['hazmat']);
    await report();
    const busy = await trip(admin, { vehicleId: fridge.id, pickup: { ...CANTON, label: 'a' }, dropoff: { ...EASTERN_AVENUE, label: 'b' } });
    expect((await move(admin, busy.body.trip.id, 'EN_ROUTE')).status).toBe(200);
    const req = (await createRequest({ kind: 'service', serviceType: 'chilled delivery', location: THAMES_STREET, capabilities: ['refrigerated', 'hazmat'] })).body.request;
    const deferred = await waitFor(req.id, 'deferred', (r) => r.status === 'DEFERRED');
    expect(deferred.reason).toMatch(/no capable vehicle is available/);
    expect(deferred.reason).toMatch(/on a trip/);
    expect(deferred.reason).toMatch(/lacks refrigerated/);
    expect(Date.parse(deferred.retryAt!)).toBeGreaterThan(Date.now());
    const deferredEvent = (await api(`/api/v1/events?aggregateId=${req.id}&types=dispatch.deferred`, { token: admin })).body.events[0];
    expect(deferredEvent.data).toMatchObject({ reason: deferred.reason, retryAt: deferred.retryAt });

    for (const s of ['ARRIVED', 'IN_PROGRESS', 'COMPLETED']) expect((await move(admin, busy.body.trip.id, s)).status).toBe(200);
    const offered = await waitFor(req.id, 'offered once the fridge van is free', (r) => r.status === 'OFFERED');
    expect(offered.vehicleId).toBe(fridge.id);
    expect((await api(`/api/v1/dispatch/requests/${req.id}/accept`, { token: fridge.driverToken, body: {} })).body.request.status).toBe('ASSIGNED');
  });

  it('passes a declined offer to the next candidate, never back to the one who declined', async () => {
    const first = await makeVehicle('First', BUTCHERS_HILL, ['passenger']);
    const second = await makeVehicle('Second', BAYVIEW, ['passenger']);
    await report();
    const req = (await createRequest({ kind: 'service', serviceType: 'ride', location: THAMES_STREET, capabilities: ['passenger'] })).body.request;
    const offered = await waitFor(req.id, 'first offer', (r) => r.status === 'OFFERED');
    expect(offered.vehicleId).toBe(first.id);
    expect((await api(`/api/v1/dispatch/requests/${req.id}/decline`, { token: second.driverToken, body: {} })).status).toBe(404);
    expect((await api(`/api/v1/dispatch/requests/${req.id}/decline`, { token: first.driverToken, body: { reason: 'low on fuel' } })).status).toBe(200);
    const next = await waitFor(req.id, 'second offer', (r) => r.status === 'OFFERED' && r.vehicleId === second.id);
    expect(next.declinedVehicleIds).toEqual([first.id]);
    const types = (await api(`/api/v1/events?aggregateId=${req.id}&order=asc`, { token: admin })).body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['dispatch.requested', 'dispatch.assigned', 'dispatch.declined', 'dispatch.assigned']);
    expect((await api(`/api/v1/dispatch/requests/${req.id}/cancel`, { token: manager, method: 'POST' })).body.request.status).toBe('CANCELLED');
  });

  it('lets a dispatcher override the recommendation, audited with the recommended vehicle', async () => {
    const near = await makeVehicle('Near', BUTCHERS_HILL, ['cargo']);
    const far = await makeVehicle('Far', BAYVIEW, ['cargo']);
    await report();
    const req = (await createRequest({ kind: 'service', serviceType: 'parcel', location: THAMES_STREET, capabilities: ['cargo'] })).body.request;
    await waitFor(req.id, 'offered', (r) => r.status === 'OFFERED' && r.vehicleId === near.id);
    const assigned = await api(`/api/v1/dispatch/requests/${req.id}/assign`, { token: manager, body: { vehicleId: far.id, reason: 'driver knows the site' } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.request).toMatchObject({ status: 'OFFERED', vehicleId: far.id });
    const last = (await api(`/api/v1/events?aggregateId=${req.id}&types=dispatch.assigned`, { token: admin })).body.events[0];
    expect(last.actor.kind).toBe('user');
    expect(last.data.override).toEqual({ recommendedVehicleId: expect.any(String), reason: 'driver knows the site' });
    await api(`/api/v1/dispatch/requests/${req.id}/cancel`, { token: manager, body: {} });
  });

  it('queues the next occurrence of a recurring scheduled request once this one is due', async () => {
    const first = new Date(Date.now() + 10 * 60_000); // inside the lead time: due at once
    first.setUTCSeconds(0, 0);
    const created = await createRequest({ kind: 'scheduled', serviceType: 'daily police escort', location: THAMES_STREET, scheduledTime: first.toISOString(), recurrence: 'FREQ=DAILY;COUNT=3', capabilities: ['police'] });
    expect(created.status).toBe(201);
    expect(created.body.request).toMatchObject({ kind: 'scheduled', recurrence: 'FREQ=DAILY;COUNT=3' });
    const nextDay = new Date(first.getTime() + 86_400_000).toISOString();
    const next = await waitUntil(async () => {
      const list = (await api<{ requests: DispatchRequestDto[] }>('/api/v1/dispatch/requests?status=QUEUED&limit=500', { token: manager })).body.requests;
      return list.find((r) => r.serviceType === 'daily police escort' && r.scheduledTime === nextDay);
    }, 'the next occurrence', 15_000, 200);
    expect(Date.parse(next.dispatchAt)).toBeGreaterThan(Date.now());
    // No vehicle of the organisation can escort: the due occurrence is rejected with suggestions, the next one waits.
    const rejected = await waitFor(created.body.request.id, 'rejected', (r) => r.status === 'REJECTED');
    expect(rejected.reason).toMatch(/no vehicle of the organisation has police/);
    const bad = await createRequest({ kind: 'scheduled', serviceType: 'x', location: THAMES_STREET, scheduledTime: first.toISOString(), recurrence: 'every monday' });
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'recurrence' });
    await api(`/api/v1/dispatch/requests/${next.id}/cancel`, { token: manager, body: {} });
  });

  it("reports each vehicle's driver status: available, busy with a trip given, on the trip, offline", async () => {
    const statusOf = async (vehicleId: string) => {
      const res = await api<{ vehicles: Array<{ vehicleId: string; driverId: string | null; status: string }> }>('/api/v1/dispatch/availability', { token: viewer });
      expect(res.status).toBe(200);
      return res.body.vehicles.find((v) => v.vehicleId === vehicleId);
    };
    const van = await makeVehicle('Status', BAYVIEW, ['tow']);
    await report();
    expect(await waitUntil(async () => ((await statusOf(van.id))?.status === 'ONLINE' ? true : null), 'online', 10_000, 200)).toBe(true);
    expect((await statusOf(van.id))?.driverId).toBe(van.driverId);
    const given = await trip(admin, { vehicleId: van.id, pickup: { ...BAYVIEW, label: 'a' }, dropoff: { ...CANTON, label: 'b' } });
    expect(given.status).toBe(201);
    expect((await statusOf(van.id))?.status).toBe('BUSY');
    expect((await move(van.driverToken, given.body.trip.id, 'EN_ROUTE')).status).toBe(200);
    expect((await statusOf(van.id))?.status).toBe('ON_TRIP');
    expect((await move(van.driverToken, given.body.trip.id, 'CANCELLED')).status).toBe(200);
    expect((await statusOf(van.id))?.status).toBe('ONLINE');
    // A vehicle that never reported is offline; a driver may not read the fleet's statuses.
    const silent = await api('/api/v1/vehicles', { token: admin, body: { name: `Silent ${run}`, deviceId: `dispatch-silent-${run}` } });
    expect(silent.status).toBe(201);
    expect((await statusOf(silent.body.vehicle.id))?.status).toBe('OFFLINE');
    expect((await api('/api/v1/dispatch/availability', { token: van.driverToken })).status).toBe(403);
  });

  it('refuses bad input with a structured error naming the field, and stores nothing', async () => {
    const before = (await api('/api/v1/dispatch/requests?limit=500', { token: manager })).body.requests.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ kind: 'service', serviceType: 'x' }, 'location'],
      [{ kind: 'emergency', emergencyType: 'fire', severity: 7, serviceType: 'x', location: THAMES_STREET }, 'severity'],
      [{ kind: 'service', serviceType: 'x', location: THAMES_STREET, capabilities: ['teleporter'] }, 'capabilities.0'],
      [{ kind: 'scheduled', serviceType: 'x', location: THAMES_STREET, scheduledTime: new Date(Date.now() - 3_600_000).toISOString() }, 'scheduledTime'],
      [{ kind: 'service', serviceType: 'x', location: { lng: -76.59, lat: 39.28, label: 'typed' } }, 'location.source'],
    ];
    for (const [body, field] of cases) {
      const res = await createRequest(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect((await api('/api/v1/dispatch/requests', { token: viewer, body: { kind: 'service' } })).status).toBe(403);
    expect((await api('/api/v1/dispatch/requests?limit=500', { token: manager })).body.requests.length).toBe(before);
  });
});
