import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, EventPage } from '../../server/protocol/events';
import type { SubscribeAck } from '../../server/protocol/fleet';
import { api, connect, DEMO, emitAck, login, waitUntil } from './client';
import { TENANT_B } from './context';

/**
 * Events caused by positions, end to end on the shared server (tenant B): a vehicle driving
 * through a fence appends geofence.entered / geofence.exited in position order, the alert they
 * raise is an alert.raised naming its cause, a person's acknowledgement is an event with its
 * actor, the memberships folded from the log are the engine's, and no other tenant sees any of it.
 */
const suffix = Date.now().toString(36);
let adminB: string;
let adminDemo: string;
let vehicle: { id: string };
let other: { id: string };
let fence: { id: string };

// A 1 km square far from every other test's vehicles.
const square = [[[24.0, 48.0], [24.014, 48.0], [24.014, 48.009], [24.0, 48.009], [24.0, 48.0]]];
const inside = { lng: 24.007, lat: 48.004 };
const outside = { lng: 23.99, lat: 48.004 };

const sent: Record<string, number> = {};
/** Positions over REST, one second apart, ending a little before now. */
async function drive(vehicleId: string, fixes: Array<{ lng: number; lat: number }>): Promise<void> {
  sent[vehicleId] = Math.max(sent[vehicleId] ?? 0, Date.now() - 60_000) + 1;
  const body = fixes.map((f, i) => ({ vehicleId, timestamp: sent[vehicleId]! + i * 1000, accuracy: 5, ...f }));
  sent[vehicleId]! += fixes.length * 1000;
  const result = await api('/api/v1/positions', { token: adminB, body });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
}

async function events(query: string, token = adminB): Promise<EventPage> {
  const result = await api(`/api/v1/events?${query}`, { token });
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

beforeAll(async () => {
  adminB = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  adminDemo = (await login(...DEMO.admin)).token;
  await api('/api/v1/tenant', { token: adminB, method: 'PATCH', body: { vehicleRateLimit: 100 } });
  const created = await api('/api/v1/vehicles', { token: adminB, body: [{ name: 'Log Runner', deviceId: `log-${suffix}` }, { name: 'Log Stayer', deviceId: `log2-${suffix}` }] });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  [vehicle, other] = created.body.vehicles;
  const made = await api('/api/v1/geofences', {
    token: adminB,
    body: { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: { name: `Log yard ${suffix}`, type: 'RESTRICTED_ZONE' } },
  });
  expect(made.status).toBe(201);
  fence = made.body.geofence;
});

afterAll(async () => {
  await api(`/api/v1/geofences/${fence.id}`, { token: adminB, method: 'DELETE' });
});

describe('events caused by positions', () => {
  let entered: DomainEvent;

  it('a vehicle driving through a fence appends entered and exited in position order, with versions and seqs increasing', async () => {
    await drive(vehicle.id, [outside, inside, { lng: 24.008, lat: 48.005 }, outside, inside]);
    await drive(other.id, [outside, inside]);
    const page = await waitUntil(async () => {
      const p = await events(`aggregateType=vehicle&aggregateId=${vehicle.id}&types=geofence.*&order=asc`);
      return p.events.length >= 3 && p;
    }, 'three membership events');
    expect(page.events.map((e) => e.type)).toEqual(['geofence.entered', 'geofence.exited', 'geofence.entered']);
    [entered] = page.events as [DomainEvent];
    expect(entered).toMatchObject({
      tenantId: expect.any(String),
      aggregate: { type: 'vehicle', id: vehicle.id },
      actor: { kind: 'device', vehicleId: vehicle.id },
      data: { geofenceId: fence.id, geofenceName: `Log yard ${suffix}`, vehicleId: vehicle.id, position: inside },
    });
    const times = page.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    const versions = page.events.map((e) => e.version);
    expect(versions[1]).toBeGreaterThan(versions[0]!);
    expect(versions[2]).toBeGreaterThan(versions[1]!);
    const seqs = page.events.map((e) => e.seq);
    expect(seqs[1]).toBeGreaterThan(seqs[0]!);
    expect((await api(`/api/v1/events/${entered.id}`, { token: adminB })).body.event).toEqual(entered);
  });

  it('the alert an entry raises is an alert.raised event caused by it, after it in the log', async () => {
    const raised = await waitUntil(async () => {
      const p = await events('types=alert.raised&order=desc&limit=200');
      return p.events.find((e) => e.causationId === entered.id);
    }, 'the alert.raised caused by the entry');
    expect(raised).toMatchObject({ type: 'alert.raised', actor: { kind: 'system' }, data: { alertType: 'geofence_violation', severity: 'high', vehicleId: vehicle.id, geofenceId: fence.id } });
    expect(raised.seq).toBeGreaterThan(entered.seq);
    const alert = (await api(`/api/v1/alerts/${raised.aggregate.id}`, { token: adminB })).body.alert;
    expect(alert.message).toBe(`Log Runner entered Log yard ${suffix} (restricted zone)`);

    const me = (await api('/api/v1/auth/me', { token: adminB })).body.user;
    expect((await api(`/api/v1/alerts/${alert.id}`, { token: adminB, method: 'PATCH', body: { acknowledged: true } })).status).toBe(200);
    const history = await events(`aggregateType=alert&aggregateId=${alert.id}&order=asc`);
    expect(history.events.map((e) => [e.type, e.version, e.actor])).toEqual([
      ['alert.raised', 1, { kind: 'system' }],
      ['alert.acknowledged', 2, { kind: 'user', id: me.id }],
    ]);
  });

  it('folding the log rebuilds the fence memberships the engine holds', async () => {
    const page = await events(`types=geofence.entered,geofence.exited&order=asc&limit=1000`);
    const inside = new Set<string>();
    for (const e of page.events) {
      const d = e.data as { geofenceId: string; vehicleId: string };
      if (d.geofenceId !== fence.id) continue;
      if (e.type === 'geofence.entered') inside.add(d.vehicleId);
      else inside.delete(d.vehicleId);
    }
    expect([...inside].sort()).toEqual([vehicle.id, other.id].sort());
    // The engine's view, as the fence's subscribers get it.
    const socket = await connect('/fleet', adminB);
    try {
      const ack = await emitAck<SubscribeAck>(socket, 'subscribe', { scope: 'geofence', id: fence.id });
      if (!ack.ok) throw new Error(JSON.stringify(ack.error));
      expect(ack.vehicles.map((v) => v.id).sort()).toEqual([...inside].sort());
    } finally {
      socket.close();
    }
  });

  it('pages through the log with cursors, each event exactly once, in either order', async () => {
    const all = (await events('order=asc&limit=1000')).events;
    expect(all.length).toBeGreaterThan(5);
    const forward: number[] = [];
    let after = 0;
    for (;;) {
      const page = await events(`order=asc&limit=2&after=${after}`);
      forward.push(...page.events.map((e) => e.seq));
      if (page.next === null) break;
      after = page.next;
    }
    const backward: number[] = [];
    let before: number | null = null;
    for (;;) {
      const page: EventPage = await events(`order=desc&limit=3${before === null ? '' : `&before=${before}`}`);
      backward.push(...page.events.map((e) => e.seq));
      if (page.next === null) break;
      before = page.next;
    }
    const seqs = all.map((e) => e.seq);
    expect(forward.slice(0, seqs.length)).toEqual(seqs);
    expect(new Set(forward).size).toBe(forward.length);
    expect([...backward].reverse().slice(0, seqs.length)).toEqual(seqs);
  });
});

describe('isolation and bad input', () => {
  it("another tenant never sees these events, by query or by id", async () => {
    const theirs = await events(`aggregateId=${vehicle.id}&limit=1000`, adminDemo);
    expect(theirs.events).toEqual([]);
    const mine = await events(`aggregateId=${vehicle.id}&limit=1`);
    expect((await api(`/api/v1/events/${mine.events[0]!.id}`, { token: adminDemo })).status).toBe(404);
  });

  it('refuses unknown types, bad cursors and parameters with a structured error', async () => {
    for (const [query, field] of [
      ['types=vehicle.exploded', 'types'],
      ['after=-3', 'after'],
      ['limit=0', 'limit'],
      ['aggregateType=planet', 'aggregateType'],
    ] as const) {
      const result = await api(`/api/v1/events?${query}`, { token: adminB });
      expect(result.status).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect((await api('/api/v1/events?colour=red', { token: adminB })).body.error.code).toBe('VALIDATION_ERROR');
    expect((await api('/api/v1/events')).status).toBe(401);
    expect((await api('/api/v1/events/not-an-id', { token: adminB })).status).toBe(404);
  });
});
