import { beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/protocol/events';
import { replayTrip } from '../../server/trips/replay';
import { api, DEMO, login } from './client';

/**
 * The log is the trip's history: folding a trip's events (trip.created, then each
 * trip.status_changed) gives the status GET /api/v1/trips/:id reports, after every move and
 * whoever made it (admin, manager, the driver), and a refused move leaves both unchanged.
 */
const run = Date.now().toString(36);
let admin: string;
let manager: string;
let driver: { token: string; id: string };
let vehicle: any;

async function replayed(tripId: string, token = admin) {
  const result = await api(`/api/v1/events?${new URLSearchParams({ aggregateType: 'trip', aggregateId: tripId, order: 'asc', limit: '1000' })}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return replayTrip(result.body.events as DomainEvent[]);
}

async function stored(tripId: string, token = admin) {
  const result = await api(`/api/v1/trips/${tripId}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.trip;
}

async function move(token: string, tripId: string, status: string, expected = 200) {
  const result = await api(`/api/v1/trips/${tripId}/status`, { token, body: { status } });
  expect(result.status, JSON.stringify(result.body)).toBe(expected);
}

beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  const email = `replay-driver-${run}@demo.geofleet.dev`;
  expect((await api('/api/v1/users', { token: admin, body: { email, name: 'Replay Driver', password: 'replay-driver-pw', role: 'driver' } })).status).toBe(201);
  const d = await login(email, 'replay-driver-pw');
  driver = { token: d.token, id: d.user.id };
  vehicle = (await api('/api/v1/vehicles', { token: admin, body: { name: `Replay Van ${run}`, deviceId: `replay-van-${run}`, driverId: driver.id } })).body.vehicle;
  expect(vehicle?.id).toBeTruthy();
});

describe('rebuilding a trip from its events', () => {
  it('matches the stored status after creation and after every move, to COMPLETED', async () => {
    const created = await api('/api/v1/trips', { token: manager, body: { vehicleId: vehicle.id, pickup: { lng: 14.5, lat: 53.5 }, dropoff: { lng: 14.51, lat: 53.51 } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.trip.id as string;
    expect(await replayed(id)).toEqual({ id, vehicleId: vehicle.id, status: 'PENDING', version: 1 });

    const moves: Array<[string, string]> = [
      [driver.token, 'EN_ROUTE'],
      [manager, 'ARRIVED'],
      [driver.token, 'IN_PROGRESS'],
      [admin, 'COMPLETED'],
    ];
    for (const [i, [token, status]] of moves.entries()) {
      await move(token, id, status);
      const trip = await replayed(id);
      expect(trip).toEqual({ id, vehicleId: vehicle.id, status: (await stored(id)).status, version: i + 2 });
      expect(trip!.status).toBe(status);
    }
    // A move the state machine refuses is in neither the trip nor its history.
    await move(admin, id, 'EN_ROUTE', 409);
    expect((await replayed(id))!.status).toBe((await stored(id)).status);
    expect((await replayed(id))!.version).toBe(5);
  });

  it('matches for a cancelled trip too, moved by its driver and read back as the driver sees it', async () => {
    const created = await api('/api/v1/trips', { token: admin, body: { vehicleId: vehicle.id, pickup: { lng: 14.5, lat: 53.5 }, dropoff: { lng: 14.52, lat: 53.52 } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.trip.id as string;
    await move(driver.token, id, 'EN_ROUTE');
    await move(driver.token, id, 'CANCELLED');
    const trip = await replayed(id);
    expect(trip?.status).toBe('CANCELLED');
    expect(trip?.status).toBe((await stored(id, driver.token)).status);
  });
});
