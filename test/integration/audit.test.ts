import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { EventBus } from '../../server/events/bus';
import { EventLog } from '../../server/events/log';
import { GeofenceService } from '../../server/geofence/service';
import { createLogger } from '../../server/log';
import { MAX_EVENTS_PAGE, type DomainEvent } from '../../server/protocol/events';
import { MAX_VEHICLES_PER_REQUEST } from '../../server/protocol/vehicles';
import { createTenant } from '../../server/tenants/create-tenant';
import { TenantRegistry } from '../../server/tenants/registry';
import { TenantService } from '../../server/tenants/service';
import { VehicleRegistry } from '../../server/vehicles/registry';
import { VehicleService } from '../../server/vehicles/service';
import { api, DEMO, login } from './client';
import { TENANT_B } from './context';
import { freshDatabase, serverEnv, tempDir } from './harness';

/**
 * The audit trail: every change an admin makes to a vehicle, fence, route, trip, the reception
 * switches or the tenant's settings is in GET /api/v1/events with its actor and the fields before
 * and after, versions 1, 2, 3… per object and seqs increasing; a refused change appends nothing;
 * another tenant sees none of it.
 */
const run = Date.now().toString(36);
let admin: { token: string; id: string };
let adminB: string;
let demoTenantId: string;

const square = (w: number, s: number, e: number, n: number) => [[[w, s], [e, s], [e, n], [w, n], [w, s]]];

/** The caller's events, oldest first, filtered by the query. */
async function events(query: Record<string, string>, token = admin.token): Promise<DomainEvent[]> {
  const result = await api(`/api/v1/events?${new URLSearchParams({ order: 'asc', limit: '1000', ...query })}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.events;
}
const history = (aggregateType: string, aggregateId: string) => events({ aggregateType, aggregateId });

/** The tenant's last seq (0 before its first event). */
async function lastSeq(token: string): Promise<number> {
  const [newest] = (await api('/api/v1/events?order=desc&limit=1', { token })).body.events as DomainEvent[];
  return newest?.seq ?? 0;
}

/** A request's response, checked for its status. */
async function ok(path: string, options: Parameters<typeof api>[1], status = 200): Promise<any> {
  const result = await api(path, options);
  expect(result.status, `${path}: ${JSON.stringify(result.body)}`).toBe(status);
  return result.body;
}

/** Each event's actor is the admin, versions run 1, 2, 3…, seqs increase. */
function expectAudited(list: DomainEvent[], types: string[]): void {
  expect(list.map((e) => e.type)).toEqual(types);
  expect(list.map((e) => e.version)).toEqual(types.map((_, i) => i + 1));
  for (let i = 1; i < list.length; i++) expect(list[i]!.seq).toBeGreaterThan(list[i - 1]!.seq);
  for (const e of list) {
    expect(e.actor).toEqual({ kind: 'user', id: admin.id });
    expect(e.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.tenantId).toBe(demoTenantId);
  }
}

beforeAll(async () => {
  const demo = await login(...DEMO.admin);
  admin = { token: demo.token, id: demo.user.id };
  demoTenantId = demo.user.tenantId;
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
});

describe('vehicles', () => {
  let vehicle: any;

  it('created, changed and deleted: three versions with the fields before and after, never the device token', async () => {
    vehicle = (await ok('/api/v1/vehicles', { token: admin.token, body: { name: `Audit Van ${run}`, deviceId: `audit-van-${run}`, attributes: { depot: 'north' } } }, 201)).vehicle;
    await ok(`/api/v1/vehicles/${vehicle.id}`, { token: admin.token, method: 'PATCH', body: { name: `Audit Van ${run} II`, plate: 'AU-1', type: 'van' } });
    // the same values again: nothing changed, nothing recorded
    await ok(`/api/v1/vehicles/${vehicle.id}`, { token: admin.token, method: 'PATCH', body: { plate: 'AU-1' } });
    await ok(`/api/v1/vehicles/${vehicle.id}`, { token: admin.token, method: 'DELETE' }, 204);

    const list = await history('vehicle', vehicle.id);
    expectAudited(list, ['vehicle.created', 'vehicle.updated', 'vehicle.deleted']);
    const [created, updated, deleted] = list as [DomainEvent<'vehicle.created'>, DomainEvent<'vehicle.updated'>, DomainEvent<'vehicle.deleted'>];
    expect(created.data.after).toEqual({ name: `Audit Van ${run}`, plate: null, type: 'van', deviceId: `audit-van-${run}`, groupName: null, driverId: null, receptionEnabled: true, attributes: { depot: 'north' } });
    expect(updated.data).toEqual({
      name: `Audit Van ${run} II`,
      changes: { name: { before: `Audit Van ${run}`, after: `Audit Van ${run} II` }, plate: { before: null, after: 'AU-1' } },
    });
    expect(deleted.data.before).toMatchObject({ name: `Audit Van ${run} II`, plate: 'AU-1', deviceId: `audit-van-${run}` });
    expect(new Set(list.map((e) => e.correlationId)).size).toBe(3); // one per request
    expect(JSON.stringify(list)).not.toContain(vehicle.deviceToken);
  });

  it('a bulk create is one vehicle.created per vehicle, one request, consecutive seqs', async () => {
    const body = [1, 2, 3].map((i) => ({ name: `Bulk ${run} ${i}`, deviceId: `audit-bulk-${run}-${i}` }));
    const created = (await ok('/api/v1/vehicles', { token: admin.token, body }, 201)).vehicles as any[];
    const list = (await events({ types: 'vehicle.created' })).filter((e) => created.some((v) => v.id === e.aggregate.id));
    expect(list.map((e) => e.aggregate.id)).toEqual(created.map((v) => v.id));
    expect(list.map((e) => e.version)).toEqual([1, 1, 1]);
    expect(new Set(list.map((e) => e.correlationId)).size).toBe(1);
    expect(list[2]!.seq - list[0]!.seq).toBe(2);
  });
});

describe('geofences', () => {
  it('created, changed twice and deleted, geometry kept as GeoJSON', async () => {
    const fence = (await ok('/api/v1/geofences', { token: admin.token, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(14.0, 53.0, 14.01, 53.01) }, properties: { name: `Audit Yard ${run}` } } }, 201)).geofence;
    await ok(`/api/v1/geofences/${fence.id}`, { token: admin.token, method: 'PATCH', body: { properties: { name: `Audit Yard ${run} East`, severity: 'critical' } } });
    await ok(`/api/v1/geofences/${fence.id}`, { token: admin.token, method: 'PATCH', body: { geometry: { type: 'Polygon', coordinates: square(14.0, 53.0, 14.02, 53.01) } } });
    await ok(`/api/v1/geofences/${fence.id}`, { token: admin.token, method: 'DELETE' }, 204);

    const list = await history('geofence', fence.id);
    expectAudited(list, ['geofence.created', 'geofence.changed', 'geofence.changed', 'geofence.deleted']);
    const [created, renamed, reshaped, deleted] = list as any[];
    expect(created.data.after).toMatchObject({ name: `Audit Yard ${run}`, geometry: { type: 'Polygon', coordinates: square(14.0, 53.0, 14.01, 53.01) } });
    expect(created.data.after).not.toHaveProperty('areaM2');
    expect(renamed.data.changes).toEqual({
      name: { before: `Audit Yard ${run}`, after: `Audit Yard ${run} East` },
      severity: { before: created.data.after.severity, after: 'critical' },
    });
    expect(Object.keys(reshaped.data.changes)).toEqual(['geometry']);
    expect(reshaped.data.changes.geometry.before.coordinates).toEqual(square(14.0, 53.0, 14.01, 53.01));
    expect(reshaped.data.changes.geometry.after.coordinates).toEqual(square(14.0, 53.0, 14.02, 53.01));
    expect(deleted.data.before).toMatchObject({ name: `Audit Yard ${run} East`, severity: 'critical', geometry: { coordinates: square(14.0, 53.0, 14.02, 53.01) } });
  });
});

describe('routes', () => {
  it('created, changed, given vehicles (vehicleIds before/after, on both routes when one moves) and deleted', async () => {
    const line = (name: string) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[14.1, 53.1], [14.11, 53.1]] }, properties: { name } });
    const van = (await ok('/api/v1/vehicles', { token: admin.token, body: { name: `Route Van ${run}`, deviceId: `audit-route-van-${run}` } }, 201)).vehicle;
    const first = (await ok('/api/v1/routes', { token: admin.token, body: line(`Audit Ring ${run}`) }, 201)).route;
    const second = (await ok('/api/v1/routes', { token: admin.token, body: line(`Audit Loop ${run}`) }, 201)).route;
    await ok(`/api/v1/routes/${first.id}`, { token: admin.token, method: 'PATCH', body: { properties: { color: '#ff8800' } } });
    await ok(`/api/v1/routes/${first.id}/vehicles`, { token: admin.token, method: 'PUT', body: { vehicleIds: [van.id] } });
    await ok(`/api/v1/routes/${second.id}/vehicles`, { token: admin.token, method: 'PUT', body: { vehicleIds: [van.id] } });
    await ok(`/api/v1/routes/${first.id}`, { token: admin.token, method: 'DELETE' }, 204);

    const list = await history('route', first.id);
    expectAudited(list, ['route.created', 'route.changed', 'route.changed', 'route.changed', 'route.deleted']);
    const [created, recoloured, assigned, lost] = list as any[];
    expect(created.data.after).toMatchObject({ name: `Audit Ring ${run}`, vehicleIds: [], geometry: { type: 'LineString' } });
    expect(recoloured.data.changes).toEqual({ color: { before: created.data.after.color, after: '#ff8800' } });
    expect(assigned.data.changes).toEqual({ vehicleIds: { before: [], after: [van.id] } });
    expect(lost.data.changes).toEqual({ vehicleIds: { before: [van.id], after: [] } });
    // The move is one request: the route that gained the vehicle and the one that lost it share it.
    const [, gained] = await history('route', second.id);
    expect(gained!.data).toMatchObject({ changes: { vehicleIds: { before: [], after: [van.id] } } });
    expect(gained!.correlationId).toBe(lost.correlationId);
  });
});

describe('trips and users', () => {
  it('a new driver is user.created without the password; a trip is created and moved with {from, to, vehicleId}', async () => {
    const email = `audit-driver-${run}@demo.geofleet.dev`;
    const user = (await ok('/api/v1/users', { token: admin.token, body: { email, name: 'Audit Driver', password: 'audit-driver-pw', role: 'driver' } }, 201)).user;
    const [userCreated] = await history('user', user.id);
    expect(userCreated!.data).toEqual({ name: 'Audit Driver', after: { email, name: 'Audit Driver', role: 'driver', active: true } });
    expect(JSON.stringify(userCreated)).not.toMatch(/password|audit-driver-pw/i);

    const van = (await ok('/api/v1/vehicles', { token: admin.token, body: { name: `Trip Van ${run}`, deviceId: `audit-trip-van-${run}`, driverId: user.id } }, 201)).vehicle;
    const pickup = { lng: 14.2, lat: 53.2, label: 'Depot' };
    const trip = (await ok('/api/v1/trips', { token: admin.token, body: { vehicleId: van.id, pickup, dropoff: { lng: 14.21, lat: 53.21 } } }, 201)).trip;
    await ok(`/api/v1/trips/${trip.id}/status`, { token: admin.token, body: { status: 'EN_ROUTE' } });
    await ok(`/api/v1/trips/${trip.id}/status`, { token: admin.token, body: { status: 'CANCELLED' } });

    const list = await history('trip', trip.id);
    expectAudited(list, ['trip.created', 'trip.status_changed', 'trip.status_changed']);
    expect(list[0]!.data).toEqual({ after: { vehicleId: van.id, driverId: user.id, pickup, dropoff: { lng: 14.21, lat: 53.21, label: null }, routeId: null, status: 'PENDING', createdBy: admin.id } });
    expect(JSON.stringify(list)).not.toContain(trip.share.token);
    expect(list.slice(1).map((e) => e.data)).toEqual([
      { from: 'PENDING', to: 'EN_ROUTE', vehicleId: van.id },
      { from: 'EN_ROUTE', to: 'CANCELLED', vehicleId: van.id },
    ]);
  });
});

describe('reception and tenant settings', () => {
  it('the tenant-wide and a vehicle’s switch are reception.changed of the tenant; other settings tenant.updated', async () => {
    const van = (await ok('/api/v1/vehicles', { token: admin.token, body: { name: `Switch Van ${run}`, deviceId: `audit-switch-van-${run}` } }, 201)).vehicle;
    const { tenant } = await ok('/api/v1/tenant', { token: admin.token });
    const since = await lastSeq(admin.token);
    try {
      await ok('/api/v1/reception', { token: admin.token, method: 'PUT', body: { enabled: false } });
      await ok(`/api/v1/vehicles/${van.id}/reception`, { token: admin.token, method: 'PUT', body: { enabled: false } });
      await ok('/api/v1/tenant', { token: admin.token, method: 'PATCH', body: { name: `${tenant.name} (audited)`, receptionEnabled: true, vehicleRateLimit: tenant.vehicleRateLimit } });
    } finally {
      await ok('/api/v1/reception', { token: admin.token, method: 'PUT', body: { enabled: true } });
      await ok('/api/v1/tenant', { token: admin.token, method: 'PATCH', body: { name: tenant.name } });
    }
    const list = await events({ aggregateType: 'tenant', after: String(since) });
    expect(list.map((e) => [e.type, e.data])).toEqual([
      ['reception.changed', { enabled: false }],
      ['reception.changed', { vehicleId: van.id, enabled: false }],
      // one PATCH, two kinds of change: same request
      ['reception.changed', { enabled: true }],
      ['tenant.updated', { name: `${tenant.name} (audited)`, changes: { name: { before: tenant.name, after: `${tenant.name} (audited)` } } }],
      // the restoring PUT changed nothing (already enabled); the name change back did
      ['tenant.updated', { name: tenant.name, changes: { name: { before: `${tenant.name} (audited)`, after: tenant.name } } }],
    ]);
    for (const e of list) expect(e.aggregate).toEqual({ type: 'tenant', id: demoTenantId });
    for (let i = 1; i < list.length; i++) expect(list[i]!.version).toBe(list[i - 1]!.version + 1);
    expect(list[3]!.correlationId).toBe(list[2]!.correlationId);
    // The vehicle's own history holds no reception event (it is the tenant's), and nothing else changed.
    expect((await history('vehicle', van.id)).map((e) => e.type)).toEqual(['vehicle.created']);
  });
});

describe('refused changes append nothing', () => {
  it('invalid input, a taken device id, an invalid geometry and another tenant’s objects leave both logs as they were', async () => {
    const van = (await ok('/api/v1/vehicles', { token: admin.token, body: { name: `Refused Van ${run}`, deviceId: `audit-refused-${run}` } }, 201)).vehicle;
    const fence = (await ok('/api/v1/geofences', { token: admin.token, body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(14.3, 53.3, 14.31, 53.31) }, properties: { name: `Refused Yard ${run}` } } }, 201)).geofence;
    const [before, beforeB] = [await lastSeq(admin.token), await lastSeq(adminB)];
    const refused: Array<[string, Parameters<typeof api>[1], number]> = [
      [`/api/v1/vehicles/${van.id}`, { token: admin.token, method: 'PATCH', body: { name: '' } }, 400],
      ['/api/v1/vehicles', { token: admin.token, body: [{ name: 'Fine', deviceId: `audit-fine-${run}` }, { name: 'Dup', deviceId: `audit-refused-${run}` }] }, 409],
      [`/api/v1/geofences/${fence.id}`, { token: admin.token, method: 'PATCH', body: { geometry: { type: 'Polygon', coordinates: [[[14.3, 53.3], [14.31, 53.31], [14.31, 53.3], [14.3, 53.31], [14.3, 53.3]]] } } }, 422],
      ['/api/v1/tenant', { token: admin.token, method: 'PATCH', body: { vehicleRateLimit: -1 } }, 400],
      [`/api/v1/vehicles/${van.id}`, { token: adminB, method: 'PATCH', body: { name: 'Stolen' } }, 404],
      [`/api/v1/vehicles/${van.id}/reception`, { token: adminB, method: 'PUT', body: { enabled: false } }, 404],
      [`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'DELETE' }, 404],
    ];
    for (const [path, options, status] of refused) await ok(path, options, status);
    expect(await lastSeq(admin.token)).toBe(before);
    expect(await lastSeq(adminB)).toBe(beforeB);
    // the half-valid bulk create stored nothing either
    expect(((await ok('/api/v1/vehicles', { token: admin.token })).vehicles as any[]).some((v) => v.deviceId === `audit-fine-${run}`)).toBe(false);
  });
});

describe('filters', () => {
  it('actorKind=user keeps what people did; system and device events are left out, and a bad kind is refused', async () => {
    const people = await events({ actorKind: 'user' });
    expect(people.length).toBeGreaterThan(0);
    expect(people.every((e) => e.actor.kind === 'user')).toBe(true);
    // the same as every event filtered by hand, over the same stretch of the log
    const all = await events({});
    const last = all.at(-1)!.seq;
    expect(people.filter((e) => e.seq <= last).map((e) => e.id)).toEqual(all.filter((e) => e.actor.kind === 'user').map((e) => e.id));
    const notPeople = [...(await events({ actorKind: 'device' })), ...(await events({ actorKind: 'system' }))];
    expect(notPeople.every((e) => e.actor.kind !== 'user')).toBe(true);
    const bad = await api('/api/v1/events?actorKind=robot', { token: admin.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'actorKind' });
  });
});

describe('isolation', () => {
  it('tenant B sees none of the demo tenant’s events, by list, filter or id', async () => {
    const ours = await events({});
    expect(ours.length).toBeGreaterThan(0);
    const theirs = await events({}, adminB);
    expect(theirs.every((e) => e.tenantId !== demoTenantId)).toBe(true);
    const someVehicle = ours.find((e) => e.aggregate.type === 'vehicle')!;
    expect(await events({ aggregateId: someVehicle.aggregate.id }, adminB)).toEqual([]);
    expect(await events({ actorId: admin.id }, adminB)).toEqual([]);
    expect((await api(`/api/v1/events/${someVehicle.id}`, { token: adminB })).status).toBe(404);
  });
});

describe('a change and its event commit together', () => {
  // The services on a database of their own, where the log can be made to fail.
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  let db: Database | null = null;
  afterAll(async () => {
    await db?.close();
    await fresh?.drop();
  });

  it('when the append fails, the change is rolled back and listeners hear nothing; once it works, both commit (1000 vehicles at once too)', async () => {
    fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    const log = createLogger('fatal', false);
    db = await openDatabase(parseConfig(serverEnv(tempDir('audit-tx'), fresh?.url)), log);
    const { prisma } = db;
    const { tenantId, adminId } = await createTenant(prisma, { name: 'Atomic', slug: `atomic-${run}`, admin: { email: `atomic-${run}@example.com`, name: 'A', password: 'atomic-admin-pw' } });
    const principal = { tenantId, userId: adminId, role: 'admin' as const };
    const eventLog = new EventLog(prisma, new EventBus(log), log);
    const heard: string[] = [];
    const vehicles = new VehicleService(prisma, new VehicleRegistry(), eventLog, { vehicleChanged: (_t, v) => heard.push(v.name), vehicleRemoved: () => {} });
    const tenants = new TenantService(prisma, new TenantRegistry(), eventLog);
    const fences = new GeofenceService(prisma, eventLog, { changed: (_t, f) => heard.push(f.properties.name), removed: () => {} });
    const van = await vehicles.create(principal, { name: 'Van', type: 'van', deviceId: 'atomic-1', receptionEnabled: true, attributes: {} });
    const fenceBody = { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(1, 1, 1.01, 1.01) }, properties: { name: 'Yard' } };
    heard.length = 0;

    await db.pool.query('ALTER TABLE event_streams RENAME TO event_streams_unavailable');
    await expect(vehicles.update(principal, van.id, { name: 'Renamed' })).rejects.toThrow();
    await expect(vehicles.createMany(principal, [{ name: 'Second', type: 'van', deviceId: 'atomic-2', receptionEnabled: true, attributes: {} }])).rejects.toThrow();
    await expect(tenants.update(principal, { receptionEnabled: false })).rejects.toThrow();
    await expect(fences.create(principal, fenceBody)).rejects.toThrow();
    await expect(vehicles.remove(principal, van.id)).rejects.toThrow();
    expect((await vehicles.list(principal)).map((v) => v.name)).toEqual(['Van']);
    expect((await tenants.get(principal)).receptionEnabled).toBe(true);
    expect(await fences.list(principal)).toEqual([]);
    expect(heard).toEqual([]);

    await db.pool.query('ALTER TABLE event_streams_unavailable RENAME TO event_streams');
    await vehicles.update(principal, van.id, { name: 'Renamed' });
    await fences.create(principal, fenceBody);
    expect(heard).toEqual(['Renamed', 'Yard']);
    const logged = await eventLog.list(principal, { order: 'asc' });
    expect(logged.events.map((e) => [e.type, e.seq])).toEqual([
      ['vehicle.created', 1],
      ['vehicle.updated', 2],
      ['geofence.created', 3],
    ]);

    // The largest bulk create: one transaction, one vehicle.created each, one correlation id.
    const many = Array.from({ length: MAX_VEHICLES_PER_REQUEST }, (_, i) => ({ name: `Fleet ${i}`, type: 'van' as const, deviceId: `atomic-fleet-${i}`, receptionEnabled: true, attributes: {} }));
    const created = await vehicles.createMany(principal, many);
    const bulk = (await eventLog.list(principal, { order: 'asc', after: '3', limit: String(MAX_EVENTS_PAGE) })).events;
    expect(bulk.map((e) => e.aggregate.id)).toEqual(created.map((v) => v.id));
    expect(bulk.every((e) => e.type === 'vehicle.created' && e.version === 1 && e.correlationId === bulk[0]!.correlationId)).toBe(true);
    expect(bulk.map((e) => e.seq)).toEqual(created.map((_, i) => 4 + i));
  }, 180_000);
});
