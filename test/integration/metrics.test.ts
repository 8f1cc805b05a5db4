import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS_EVENT, type FleetMetricsSnapshot } from '../../server/protocol/metrics';
import { api, connect, DEMO, emitAck, login } from './client';
import { TENANT_B } from './context';

const sockets: Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

let admin: string;
let adminB: string;
beforeAll(async () => {
  admin = (await login(...DEMO.admin)).token;
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
});

const metricsOf = async (token: string) => {
  const socket = await connect('/fleet', token);
  sockets.push(socket);
  return emitAck<FleetMetricsSnapshot>(socket, METRICS_EVENT, undefined);
};

describe('fleet metrics on /fleet', () => {
  it('answers with the caller’s tenant KPIs only, counts adding up', async () => {
    const [a, b] = await Promise.all([metricsOf(admin), metricsOf(adminB)]);
    const vehiclesA = (await api('/api/v1/vehicles', { token: admin })).body.vehicles.length;
    const vehiclesB = (await api('/api/v1/vehicles', { token: adminB })).body.vehicles.length;
    expect(a.vehicles).toBe(vehiclesA);
    expect(b.vehicles).toBe(vehiclesB);
    expect(a.active + a.offline).toBe(a.vehicles);
    expect(a.moving + a.stopped).toBe(a.active);
    expect(a.ingestSeries).toHaveLength(60);
  });

  it('counts committed positions: ingest rate, distance today, a moving vehicle', async () => {
    await api('/api/v1/tenant', { token: admin, method: 'PATCH', body: { vehicleRateLimit: 100 } });
    const vehicle = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Metrics Van', deviceId: 'metrics-van' } })).body.vehicle;
    const [before, rivalBefore] = await Promise.all([metricsOf(admin), metricsOf(adminB)]);
    const device = await connect('/driver', admin);
    sockets.push(device);
    const t0 = Date.now() - 6_000;
    // 5 positions 1 s apart, 0.0002° of latitude (≈ 22.2 m) each
    const batch = Array.from({ length: 5 }, (_, i) => ({ vehicleId: vehicle.id, lng: 13.3, lat: 52.4 + i * 0.0002, timestamp: t0 + i * 1000, speed: 80 }));
    const ack = await emitAck<{ accepted: number }>(device, 'positions', batch);
    expect(ack.accepted).toBe(5);
    await new Promise((r) => setTimeout(r, 1100)); // the second they were committed in is complete
    const after = await metricsOf(admin);
    expect((after.distanceTodayKm - before.distanceTodayKm) * 1000).toBeCloseTo(4 * 22.239, 0);
    expect(after.ingestPerSec).toBeGreaterThanOrEqual(0.5); // 5 positions in a 10 s window
    expect(after.moving).toBeGreaterThanOrEqual(1);
    // Another tenant's figures do not move with ours.
    expect((await metricsOf(adminB)).distanceTodayKm).toBe(rivalBefore.distanceTodayKm);
  });

  it('pushes metrics to fleet subscribers without being asked', async () => {
    const socket = await connect('/fleet', admin);
    sockets.push(socket);
    const pushed = new Promise<FleetMetricsSnapshot>((resolve) => socket.once(METRICS_EVENT, resolve));
    await emitAck(socket, 'subscribe', { scope: 'fleet' });
    const snapshot = await pushed;
    expect(snapshot.vehicles).toBeGreaterThanOrEqual(200);
  });
});
