import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitUntil } from './client';
import { injected, TENANT_B, TENANT_ROADLESS } from './context';
import { ROOT } from './harness';

const BALTIMORE = path.join(ROOT, 'data/osm/baltimore.osm.pbf');

/** Gusryan Street (residential, maxspeed 25 mph = 40.2 km/h), south along its 198 m. */
const GUSRYAN: [number, number][] = [
  [-76.5408912, 39.2875908],
  [-76.540789, 39.285813],
];
/** I 95 (motorway, one-way west, maxspeed 55 mph = 88.5 km/h), 1.4 km. */
const I95: [number, number][] = [
  [-76.5978403, 39.2664447],
  [-76.6013991, 39.2669435],
  [-76.602913, 39.2671445],
  [-76.6037702, 39.2672278],
  [-76.604465, 39.2672599],
  [-76.6051334, 39.2672729],
  [-76.6057959, 39.2672573],
  [-76.6127468, 39.2669178],
  [-76.6133396, 39.2669053],
  [-76.6139002, 39.2669012],
];

/** Points every `stepM` meters along a line (equirectangular, fine at this scale). */
function along(line: [number, number][], stepM: number, from = 0.1, to = 0.9): [number, number][] {
  const k = Math.cos((line[0]![1] * Math.PI) / 180);
  const lens = line.slice(1).map((p, i) => Math.hypot((p[0] - line[i]![0]) * k, p[1] - line[i]![1]) * 111_195);
  const total = lens.reduce((a, b) => a + b, 0);
  const out: [number, number][] = [];
  for (let d = from * total; d <= to * total; d += stepM) {
    let rest = d;
    let i = 0;
    while (i < lens.length - 1 && rest > lens[i]!) rest -= lens[i++]!;
    const t = rest / lens[i]!;
    out.push([line[i]![0] + t * (line[i + 1]![0] - line[i]![0]), line[i]![1] + t * (line[i + 1]![1] - line[i]![1])]);
  }
  return out;
}

/**
 * Map matching on the shared server: tenant B imports Baltimore (as routing.test does); its
 * vehicles' positions are matched to roads as they arrive, speeding uses the posted limit of the
 * matched road, and history can be asked for snapped to the roads.
 */
describe('map matching', () => {
  let token = '';
  const vehicles: Record<'street' | 'motorway', { id: string }> = {} as never;
  const startedAt = Date.now() - 10 * 60_000;

  async function drive(vehicle: { id: string }, points: [number, number][], speedKmh: number, t0: number): Promise<void> {
    const body = points.map(([lng, lat], i) => ({ vehicleId: vehicle.id, lng, lat, timestamp: t0 + i * 1000, speed: speedKmh, accuracy: 5 }));
    const result = await api('/api/v1/positions', { token, body });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.accepted).toBe(points.length);
  }

  beforeAll(async () => {
    token = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
    await api('/api/v1/tenant', { token, method: 'PATCH', body: { vehicleRateLimit: 100 } });
    const upload = await fetch(`${injected('baseUrl')}/api/v1/road-network?filename=baltimore.osm.pbf`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(readFileSync(BALTIMORE)),
    });
    expect(upload.status).toBe(200);
    await waitUntil(async () => (await api('/api/v1/routing/route?from=-76.6100,39.2866&to=-76.5930,39.2833', { token })).status === 200, 'the road graph', 60_000, 250);
    const suffix = Date.now().toString(36);
    for (const key of ['street', 'motorway'] as const) {
      const created = await api('/api/v1/vehicles', { token, body: { name: key === 'street' ? 'Side Street Van' : 'Highway Van', deviceId: `matching-${key}-${suffix}` } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      vehicles[key] = created.body.vehicle;
    }
  }, 180_000);

  const speedAlerts = async (vehicleId: string) => (await api(`/api/v1/alerts?vehicleId=${vehicleId}&type=speed_violation`, { token })).body.alerts as Array<{ message: string; details: Record<string, unknown> }>;

  it('80 km/h on a 25 mph street raises a speeding alert naming the street and its posted limit', async () => {
    await drive(vehicles.street, along(GUSRYAN, 22), 80, startedAt);
    const [alert] = await waitUntil(async () => {
      const alerts = await speedAlerts(vehicles.street.id);
      return alerts.length > 0 && alerts;
    }, 'the speeding alert');
    expect(alert!.message).toBe('Side Street Van is speeding: 80 km/h on Gusryan Street where the posted limit is 40.2 km/h');
    expect(alert!.details).toMatchObject({ speedKmh: 80, limitKmh: 40.2, limitSource: 'posted', road: { name: 'Gusryan Street', class: 'residential' } });
  });

  it('the same speed on the motorway (posted 55 mph) raises none', async () => {
    await drive(vehicles.motorway, along(I95, 22), 80, startedAt);
    // Then a little over its limit + 10 %: that one does alert, so the positions were judged.
    await drive(vehicles.motorway, along(I95, 30, 0.92, 0.99), 100, startedAt + 120_000);
    const alerts = await waitUntil(async () => {
      const list = await speedAlerts(vehicles.motorway.id);
      return list.length > 0 && list;
    }, 'the motorway alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.details).toMatchObject({ speedKmh: 100, limitKmh: 88.5, limitSource: 'posted', road: { ref: 'I 95', class: 'motorway' } });
  });

  it('history?matched=true snaps the track to the roads; matched=false keeps the raw shape', async () => {
    const range = `from=${new Date(startedAt - 1000).toISOString()}&to=${new Date(startedAt + 60_000).toISOString()}`;
    const raw = await api(`/api/v1/vehicles/${vehicles.street.id}/history?${range}`, { token });
    expect(raw.status).toBe(200);
    expect(raw.body.features[0].properties.matched).toBeUndefined();
    expect(raw.body.features[1].properties.road).toBeUndefined();
    const matched = await api(`/api/v1/vehicles/${vehicles.street.id}/history?${range}&matched=true`, { token });
    expect(matched.status, JSON.stringify(matched.body)).toBe(200);
    const [track, ...points] = matched.body.features;
    expect(track.properties).toMatchObject({ kind: 'track', matched: true, matchedCount: points.length });
    expect(track.geometry.type).toBe('LineString');
    // 80 % of 198 m between the first and the last position.
    expect(track.properties.lengthM).toBeGreaterThan(140);
    expect(track.properties.lengthM).toBeLessThan(170);
    for (const p of points) {
      expect(p.properties.road).toMatchObject({ name: 'Gusryan Street', limitKmh: 40.2 });
      expect(p.properties.raw).toHaveLength(2);
    }
    const bad = await api(`/api/v1/vehicles/${vehicles.street.id}/history?${range}&matched=maybe`, { token });
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'matched' });
  });

  it('a tenant without a road network gets NOT_FOUND for matched history', async () => {
    const roadless = (await login(TENANT_ROADLESS.admin.email, TENANT_ROADLESS.admin.password)).token;
    const created = await api('/api/v1/vehicles', { token: roadless, body: { name: 'Inland Van', deviceId: `matching-inland-${Date.now().toString(36)}` } });
    const res = await api(`/api/v1/vehicles/${created.body.vehicle.id}/history?from=${new Date(startedAt).toISOString()}&to=${new Date().toISOString()}&matched=true`, { token: roadless });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', details: { reason: 'NO_ROAD_NETWORK' } });
  });
});
