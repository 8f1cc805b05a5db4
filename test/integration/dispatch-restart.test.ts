import { afterAll, describe, expect, it } from 'vitest';
import type { DispatchRequestDto } from '../../server/protocol/dispatch';
import { fetchJson } from './client';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * Dispatch across a restart, on a server of this file's own (short offer timeout): an offer that
 * nobody answers while the server is down expires when it is back and passes to the next
 * candidate; a deferred request is still deferred with its reason. Nothing lives only in memory.
 */
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

const THAMES_STREET = { lng: -76.5905, lat: 39.281, label: 'Thames Street Bakery, Fells Point', source: 'address' };

describe('dispatch across a restart', () => {
  it('expires an unanswered offer after the restart and passes it on; deferred requests stay deferred', async () => {
    const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    if (fresh) cleanups.push(() => fresh.drop());
    const env = serverEnv(tempDir('dispatch-restart'), fresh?.url, { DISPATCH_OFFER_TIMEOUT_S: '5', DISPATCH_TICK_MS: '500', OFFLINE_AFTER_S: '300' });
    let server: RunningServer = await startServer(env);
    cleanups.push(() => server.stop('SIGKILL'));
    const call = (path: string, token: string, body?: unknown) => fetchJson(server.url, path, { token, ...(body === undefined ? {} : { body }) });
    const admin = (await fetchJson(server.url, '/api/v1/auth/login', { body: { email: 'admin@demo.geofleet.dev', password: 'demo-admin' } })).token as string;

    const run = Date.now().toString(36);
    const vehicle = async (name: string, at: { lng: number; lat: number }, capabilities: string[]) => {
      const email = `${name.toLowerCase()}-${run}@demo.geofleet.dev`;
      const user = await call('/api/v1/users', admin, { email, name, password: 'restart-driver-pw', role: 'driver' });
      const v = (await call('/api/v1/vehicles', admin, { name: `${name} ${run}`, deviceId: `${name}-${run}`, driverId: user.user.id, attributes: { capabilities } })).vehicle;
      await call('/api/v1/positions', admin, [{ vehicleId: v.id, ...at, timestamp: Date.now(), speed: 0 }]);
      return v as { id: string };
    };
    const near = await vehicle('Nearby', { lng: -76.589, lat: 39.2915 }, ['tow']);
    const far = await vehicle('Faraway', { lng: -76.5435, lat: 39.2935 }, ['tow']);
    const busy = await vehicle('Busy', { lng: -76.579, lat: 39.2875 }, ['hazmat']);
    const trip = (await call('/api/v1/trips', admin, { vehicleId: busy.id, pickup: { lng: -76.579, lat: 39.2875 }, dropoff: { lng: -76.575, lat: 39.2795 } })).trip;
    await call(`/api/v1/trips/${trip.id}/status`, admin, { status: 'EN_ROUTE' });

    const get = async (id: string) => (await call(`/api/v1/dispatch/requests/${id}`, admin)).request as DispatchRequestDto;
    const until = async (id: string, ok: (r: DispatchRequestDto) => boolean, what: string) => {
      const end = Date.now() + 20_000;
      for (;;) {
        const r = await get(id);
        if (ok(r)) return r;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(r)}`);
        await new Promise((res) => setTimeout(res, 250));
      }
    };
    const tow = (await call('/api/v1/dispatch/requests', admin, { kind: 'service', serviceType: 'tow', location: THAMES_STREET, capabilities: ['tow'] })).request;
    const chem = (await call('/api/v1/dispatch/requests', admin, { kind: 'service', serviceType: 'hazmat pickup', location: THAMES_STREET, capabilities: ['hazmat'] })).request;
    await until(tow.id, (r) => r.status === 'OFFERED' && r.vehicleId === near.id, 'the first offer');
    const deferred = await until(chem.id, (r) => r.status === 'DEFERRED', 'deferred');

    // Down for longer than the offer's time; nobody answers.
    await server.stop();
    await new Promise((r) => setTimeout(r, 6000));
    server = await startServer(env);

    const passed = await until(tow.id, (r) => r.status === 'OFFERED' && r.vehicleId === far.id, 'the offer passed on after the restart');
    expect(passed.declinedVehicleIds).toEqual([near.id]);
    const types = (await call(`/api/v1/events?aggregateId=${tow.id}&order=asc`, admin)).events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['dispatch.requested', 'dispatch.assigned', 'dispatch.expired', 'dispatch.assigned']);
    const still = await get(chem.id);
    expect(still).toMatchObject({ status: 'DEFERRED', reason: deferred.reason });

    // The busy van frees up after the restart: the deferred request is assigned to it.
    for (const s of ['ARRIVED', 'IN_PROGRESS', 'COMPLETED']) await call(`/api/v1/trips/${trip.id}/status`, admin, { status: s });
    await until(chem.id, (r) => r.status === 'OFFERED' && r.vehicleId === busy.id, 'assigned once free');
    await server.stop();
  }, 240_000);
});
