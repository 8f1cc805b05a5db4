import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { appendEvents } from '../../server/db/sql/events';
import type { DomainEvent, NewEvent } from '../../server/protocol/events';
import type { RunningServer } from './harness';
import { startOwnServer, type OwnServer } from './own-server';

/**
 * GET /api/v1/events and /events/:id on a server of its own, with a log the test fills directly
 * (known events, times and actors). Needs a PostgreSQL server (TEST_DATABASE_URL).
 */
const BASE_DB = process.env.TEST_DATABASE_URL;

describe.skipIf(!BASE_DB)('events API', () => {
  let own: OwnServer | undefined;
  let db: Database;
  let server: RunningServer;
  const demo = { token: '', tenantId: '', userId: '' };
  const rival = { token: '', tenantId: '' };
  let viewerToken = '';
  let driverToken = '';
  /** Every event of the demo tenant, in seq order. */
  let log: DomainEvent[] = [];
  let rivalEvent: DomainEvent;
  const fenceId = randomUUID();
  const t0 = Date.parse('2026-11-01T00:00:00Z');

  beforeAll(async () => {
    own = await startOwnServer(BASE_DB!, 'events-api');
    ({ server, db, viewerToken, driverToken } = own);
    Object.assign(demo, own.demo);
    Object.assign(rival, own.rival);

    // 250 events over 250 minutes: a fence created and changed by the admin, vehicles updated by
    // the admin, geofence crossings by a device — interleaved, in several transactions.
    const vehicleId = randomUUID();
    const events: NewEvent[] = [];
    for (let i = 0; i < 250; i++) {
      const at = t0 + i * 60_000;
      const user = { kind: 'user' as const, id: demo.userId };
      if (i === 0) events.push({ tenantId: demo.tenantId, type: 'geofence.created', aggregateId: fenceId, at, actor: user, data: { name: 'Depot', after: { name: 'Depot' } } });
      else if (i % 10 === 0) events.push({ tenantId: demo.tenantId, type: 'geofence.changed', aggregateId: fenceId, at, actor: user, data: { name: 'Depot', changes: { severity: { before: 'low', after: 'high' } } } });
      else if (i % 3 === 0) events.push({ tenantId: demo.tenantId, type: 'vehicle.updated', aggregateId: vehicleId, at, actor: user, data: { name: 'Van', changes: { name: { before: 'a', after: 'b' } } } });
      else events.push({ tenantId: demo.tenantId, type: 'geofence.entered', aggregateId: vehicleId, at, actor: { kind: 'device', vehicleId }, data: { geofenceId: fenceId, vehicleId, position: { lng: 13.4, lat: 52.5 } } });
    }
    for (let i = 0; i < events.length; i += 60) log.push(...(await db.prisma.$transaction((tx) => appendEvents(tx, events.slice(i, i + 60)))));
    rivalEvent = (
      await db.prisma.$transaction((tx) =>
      appendEvents(tx, [{ tenantId: rival.tenantId, type: 'tenant.updated', aggregateId: rival.tenantId, actor: { kind: 'system' }, data: { changes: { name: { before: 'x', after: 'y' } } } }]),
      )
    )[0]!;
  });

  afterAll(async () => {
    await own?.close();
  });

  const get = async (path: string, token = demo.token) => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as any };
  };

  /** Follows `next` from the first page to the last; returns every event seen, in page order. */
  async function pageThrough(query: string): Promise<DomainEvent[]> {
    const seen: DomainEvent[] = [];
    const asc = query.includes('order=asc');
    let cursor: number | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const { status, body } = await get(`/api/v1/events?${query}${cursor === null ? '' : `&${asc ? 'after' : 'before'}=${cursor}`}`);
      expect(status).toBe(200);
      seen.push(...body.events);
      if (body.next === null) return seen;
      cursor = body.next;
    }
    throw new Error('paging did not end');
  }

  it('pages forward (after) and backward (before) through every event exactly once', async () => {
    const forward = await pageThrough('order=asc&limit=7');
    expect(forward.map((e) => e.seq)).toEqual(log.map((e) => e.seq));
    expect(forward).toEqual(log);
    const backward = await pageThrough('limit=33');
    expect(backward.map((e) => e.seq)).toEqual(log.map((e) => e.seq).reverse());
    const { body } = await get('/api/v1/events?limit=1000');
    expect(body.next).toBeNull();
    expect(body.events).toHaveLength(250);
  });

  it('filters by types, aggregate, actor and time, and pages within a filter', async () => {
    const fence = await pageThrough(`order=asc&limit=5&types=geofence.created,geofence.changed`);
    expect(fence).toEqual(log.filter((e) => e.type === 'geofence.created' || e.type === 'geofence.changed'));
    expect(fence).toHaveLength(25);
    const prefix = await pageThrough('order=asc&limit=50&types=geofence.*');
    expect(prefix).toEqual(log.filter((e) => e.type.startsWith('geofence.')));
    const byAggregate = await pageThrough(`order=asc&aggregateType=geofence&aggregateId=${fenceId}`);
    expect(byAggregate).toEqual(fence);
    expect(byAggregate.map((e) => e.version)).toEqual(byAggregate.map((_, i) => i + 1));
    const byActor = await pageThrough(`order=asc&limit=40&actorId=${demo.userId}`);
    expect(byActor).toEqual(log.filter((e) => e.actor.kind === 'user'));
    const from = new Date(t0 + 100 * 60_000).toISOString();
    const window = await pageThrough(`order=asc&from=${from}&to=${t0 + 110 * 60_000}`);
    expect(window.map((e) => e.at)).toEqual(log.slice(100, 110).map((e) => e.at));
  });

  it('refuses bad input with 400 VALIDATION_ERROR naming the field', async () => {
    const cases: Array<[string, string]> = [
      ['types=vehicle.flew', 'types'],
      ['types=nothing.*', 'types'],
      ['after=abc', 'after'],
      ['before=-3', 'before'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['limit=ten', 'limit'],
      ['order=sideways', 'order'],
      ['aggregateType=planet', 'aggregateType'],
      ['from=yesterday', 'from'],
      [`from=${t0 + 1000}&to=${t0}`, 'to'],
    ];
    for (const [query, field] of cases) {
      const { status, body } = await get(`/api/v1/events?${query}`);
      expect({ query, status, code: body.error?.code, field: body.error?.field }).toEqual({ query, status: 400, code: 'VALIDATION_ERROR', field });
    }
    const unknown = await get('/api/v1/events?colour=blue');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_ERROR');
    expect(unknown.body.error.message).toContain('colour');
  });

  it('reads one event by id; another tenant\'s event and a malformed id are 404', async () => {
    const one = await get(`/api/v1/events/${log[42]!.id}`, viewerToken);
    expect(one).toEqual({ status: 200, body: { event: log[42] } });
    expect((await get(`/api/v1/events/${rivalEvent.id}`)).status).toBe(404);
    expect((await get(`/api/v1/events/${rivalEvent.id}`, rival.token)).body.event.seq).toBe(1);
    expect((await get('/api/v1/events/not-a-uuid')).status).toBe(404);
    const rivalList = await get('/api/v1/events', rival.token);
    expect(rivalList.body.events.map((e: DomainEvent) => e.id)).toEqual([rivalEvent.id]);
  });

  it('lets admins, managers and viewers read the log, not drivers or strangers', async () => {
    expect((await get('/api/v1/events?limit=1', viewerToken)).status).toBe(200);
    expect((await get('/api/v1/events?limit=1', driverToken)).status).toBe(403);
    expect((await fetch(`${server.url}/api/v1/events`)).status).toBe(401);
  });
});
