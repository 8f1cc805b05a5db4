import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDrive, type Manoeuvre } from '../../server/driving/synthetic';
import type { DrivingEventDto, ScoresResult } from '../../server/protocol/driving';
import type { PositionsAck } from '../../server/protocol/position';
import { api, connect, DEMO, emitAck, login, waitUntil } from './client';
import { TENANT_B } from './context';

/**
 * Driving behaviour end to end in tenant B: drivers' phones send drives over /driver (with the
 * accelerometer and gyroscope a phone has), the server detects harsh manoeuvres and idling on
 * committed positions, lists the events with evidence, raises driver_event alerts, keeps daily
 * scores; a driver sees their own only, another tenant nothing.
 */
const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

const suffix = Date.now().toString(36);
let adminB: string;
let adminDemo: string;
const drivers: Record<'harsh' | 'gentle', { token: string; id: string }> = {} as never;
const vehicles: Record<'harsh' | 'gentle' | 'idler' | 'parked', { id: string; deviceToken: string }> = {} as never;
const T0 = Date.now() - 30 * 60_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A synthesized drive as a phone sends it: fixes with speed, heading, accuracy and sensor vectors. */
function phoneFixes(plan: Manoeuvre[], t0: number) {
  const { positions } = synthesizeDrive(
    { tenantId: 'x', vehicleId: 'x', t0, intervalS: 1, start: { lat: 47.9, lng: 9.9 }, noise: { kmh: 0.5, deg: 1, m: 2 }, imu: true, seed: 7 },
    plan,
  );
  return positions.map((p) => ({
    lat: p.lat,
    lng: p.lng,
    timestamp: p.ts,
    speed: p.speed!,
    heading: p.heading!,
    accuracy: 4,
    accelerometer: p.accel!,
    gyroscope: { x: 0, y: 0, z: 0.01 },
  }));
}

async function sendAsPhone(token: string, fixes: unknown[]): Promise<void> {
  const phone = await connect('/driver', token);
  sockets.push(phone);
  for (let i = 0; i < fixes.length; i += 100) {
    const ack = await emitAck<PositionsAck>(phone, 'positions', fixes.slice(i, i + 100));
    expect(ack.rejected).toEqual([]);
  }
  phone.close();
}

async function eventsOf(query: string, token = adminB): Promise<DrivingEventDto[]> {
  const result = await api(`/api/v1/driving-events?${query}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body.events;
}

async function scoresOf(query: string, token: string): Promise<ScoresResult> {
  const result = await api(`/api/v1/scores?${query}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

const drive = (brakeS: number, turnS: number): Manoeuvre[] => [
  { do: 'speed', kmh: 60, s: 20 },
  { do: 'cruise', s: 20 },
  { do: 'speed', kmh: 10, s: brakeS }, // the stop: 60 → 10 km/h
  { do: 'cruise', s: 4 },
  { do: 'speed', kmh: 30, s: 10 },
  { do: 'cruise', s: 10 },
  { do: 'turn', deg: 90, s: turnS }, // the turn
  { do: 'cruise', s: 15 },
  { do: 'speed', kmh: 0, s: 15 },
];

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  adminDemo = (await login(...DEMO.admin)).token;
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  for (const key of ['harsh', 'gentle'] as const) {
    const email = `driver-${key}-${suffix}@rival.example`;
    const created = await api('/api/v1/users', { token: adminB, body: { email, name: `Driver ${key} ${suffix}`, password: 'driver-password-1', role: 'driver' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const session = await login(email, 'driver-password-1');
    drivers[key] = { token: session.token, id: session.user.id };
  }
  const specs = {
    harsh: { name: 'Harsh Hal', driverId: drivers.harsh.id },
    gentle: { name: 'Gentle Gil', driverId: drivers.gentle.id },
    idler: { name: 'Idle Ida' },
    parked: { name: 'Parked Pat' },
  };
  for (const [key, spec] of Object.entries(specs)) {
    const created = await api('/api/v1/vehicles', { token: adminB, body: { ...spec, type: 'van', deviceId: `driving-${key}-${suffix}` } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    vehicles[key as keyof typeof vehicles] = created.body.vehicle;
  }
});

describe('harsh manoeuvres from a phone', () => {
  let harsh: DrivingEventDto[];

  it('one hard stop (60 → 10 km/h in 2 s) and one sharp turn are exactly two events, with evidence', async () => {
    await sendAsPhone(drivers.harsh.token, phoneFixes(drive(2, 3), T0));
    harsh = await waitUntil(async () => {
      const found = await eventsOf(`vehicleId=${vehicles.harsh.id}`);
      return found.length >= 2 && found;
    }, 'two driving events');
    await pause(500);
    harsh = await eventsOf(`vehicleId=${vehicles.harsh.id}`);
    expect(harsh.map((e) => e.type).sort()).toEqual(['driving.harsh_brake', 'driving.harsh_corner']);
    const brake = harsh.find((e) => e.type === 'driving.harsh_brake')!;
    expect(brake.data).toMatchObject({ vehicleId: vehicles.harsh.id, driverId: drivers.harsh.id, source: 'imu', thresholdG: 0.35 });
    expect(brake.data.fromSpeedKmh!).toBeGreaterThan(55);
    expect(brake.data.toSpeedKmh!).toBeLessThan(15);
    expect(brake.data.peakG!).toBeGreaterThan(0.6);
    expect(brake.data.evidence.length).toBeGreaterThanOrEqual(4);
    expect(brake.data.evidence.some((s) => (s.imuG ?? 0) > 0.5)).toBe(true);
    const corner = harsh.find((e) => e.type === 'driving.harsh_corner')!;
    expect(corner.data.peakG!).toBeGreaterThan(0.35);
    expect(corner.data.evidence.length).toBeGreaterThanOrEqual(3);
  });

  it('the same drive braking and turning gently raises none', async () => {
    await sendAsPhone(drivers.gentle.token, phoneFixes(drive(12, 10), T0));
    await pause(1500);
    expect(await eventsOf(`vehicleId=${vehicles.gentle.id}`)).toEqual([]);
  });

  it('the sensor vectors are kept with the positions', async () => {
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 10 * 60_000).toISOString();
    const history = await api(`/api/v1/vehicles/${vehicles.harsh.id}/history?from=${from}&to=${to}`, { token: adminB });
    const points = history.body.features.filter((f: any) => f.properties.kind === 'position');
    expect(points.length).toBeGreaterThan(90);
    expect(points[5].properties.accelerometer).toEqual({ x: expect.any(Number), y: expect.any(Number), z: expect.any(Number) });
    expect(points[5].properties.gyroscope.z).toBeCloseTo(0.01, 5);
  });

  it('harsh braking and cornering raise driver_event alerts (the tenant default)', async () => {
    const alerts = await waitUntil(async () => {
      const list = (await api(`/api/v1/alerts?type=driver_event&vehicleId=${vehicles.harsh.id}`, { token: adminB })).body.alerts;
      return list.length >= 2 && list;
    }, 'driver_event alerts');
    expect(alerts.map((a: any) => a.message).sort()).toEqual([expect.stringMatching(/^Harsh Hal: harsh braking \(0\.\d+ g\)$/), expect.stringMatching(/^Harsh Hal: harsh cornering \(0\.\d+ g\)$/)]);
  });
});

describe('idling', () => {
  const still = (t0: number, seconds: number, every: number) =>
    Array.from({ length: Math.floor(seconds / every) + 1 }, (_, i) => ({ lat: 47.95, lng: 9.95, timestamp: t0 + i * every * 1000, speed: 0, accuracy: 5 }));

  it('5 minutes stationary while reporting raises one idle event (position time, not wall clock)', async () => {
    const sent = await api('/api/v1/positions', { token: adminB, body: still(T0, 420, 10).map((p) => ({ ...p, vehicleId: vehicles.idler.id })) });
    expect(sent.body.accepted).toBe(43);
    const events = await waitUntil(async () => {
      const found = await eventsOf(`vehicleId=${vehicles.idler.id}`);
      return found.length > 0 && found;
    }, 'the idle event');
    await pause(500);
    expect(await eventsOf(`vehicleId=${vehicles.idler.id}`)).toHaveLength(1);
    expect(events[0]!.type).toBe('driving.idle');
    expect(events[0]!.at).toBe(new Date(T0 + 300_000).toISOString());
    expect(events[0]!.data).toMatchObject({ durationS: 300, startedAt: new Date(T0).toISOString(), driverId: null });
  });

  it('a parked vehicle that stops reporting raises none', async () => {
    await api('/api/v1/positions', { token: adminB, body: still(T0, 30, 10).map((p) => ({ ...p, vehicleId: vehicles.parked.id })) });
    await pause(1500);
    expect(await eventsOf(`vehicleId=${vehicles.parked.id}`)).toEqual([]);
  });
});

describe('who sees what', () => {
  it('a driver sees their own score and events, and nobody else’s', async () => {
    const own = await eventsOf('', drivers.harsh.token);
    expect(own.length).toBe(2);
    expect(own.every((e) => e.data.driverId === drivers.harsh.id)).toBe(true);
    expect(await eventsOf('', drivers.gentle.token)).toEqual([]);
    const foreign = await api(`/api/v1/driving-events?driverId=${drivers.harsh.id}`, { token: drivers.gentle.token });
    expect(foreign.status).toBe(403);
    // Asking for another vehicle's events still yields only the driver's own.
    expect(await eventsOf(`vehicleId=${vehicles.idler.id}`, drivers.harsh.token)).toEqual([]);

    const scores = await scoresOf('', drivers.harsh.token);
    expect(scores.totals).toHaveLength(1);
    expect(scores.totals[0]!.subject).toEqual({ kind: 'driver', id: drivers.harsh.id, name: `Driver harsh ${suffix}` });
    expect(scores.totals[0]!.events).toMatchObject({ harsh_brake: 1, harsh_corner: 1 });
    expect(scores.totals[0]!.distanceKm).toBeGreaterThan(0.5);
    expect(scores.totals[0]!.score).toBeLessThan(100);
    expect(scores.scores.every((s) => s.subject.id === drivers.harsh.id)).toBe(true);
    expect((await api(`/api/v1/scores?driverId=${drivers.gentle.id}`, { token: drivers.harsh.token })).status).toBe(403);
    expect((await api('/api/v1/scores?subject=vehicle', { token: drivers.harsh.token })).status).toBe(403);
  });

  it('the tenant’s managers see every driver and vehicle', async () => {
    const byDriver = await scoresOf('', adminB);
    const gentle = byDriver.totals.find((s) => s.subject.id === drivers.gentle.id)!;
    expect(gentle.score).toBe(100);
    expect(byDriver.totals.find((s) => s.subject.id === drivers.harsh.id)!.score!).toBeLessThan(gentle.score!);
    const byVehicle = await scoresOf('subject=vehicle&period=week', adminB);
    expect(byVehicle.totals.find((s) => s.subject.id === vehicles.idler.id)!.events.idle).toBe(1);
  });

  it('another tenant sees none of it', async () => {
    expect(await eventsOf(`vehicleId=${vehicles.harsh.id}`, adminDemo)).toEqual([]);
    expect(await eventsOf(`driverId=${drivers.harsh.id}`, adminDemo)).toEqual([]);
    const scores = await scoresOf('subject=driver', adminDemo);
    expect(scores.totals.some((s) => s.subject.id === drivers.harsh.id || s.subject.id === drivers.gentle.id)).toBe(false);
  });

  it('bad queries are VALIDATION_ERRORs naming the field', async () => {
    const bad = await api('/api/v1/driving-events?types=harsh_sneeze', { token: adminB });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: expect.stringMatching(/^types/), message: expect.stringContaining('harsh_brake') });
    expect((await api('/api/v1/scores?period=year', { token: adminB })).body.error.field).toBe('period');
  });
});
