import { request, type ClientRequest, type IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { appendEvents } from '../../server/db/sql/events';
import type { DomainEvent, NewEvent } from '../../server/protocol/events';
import { fetchJson, waitUntil } from './client';
import type { RunningServer } from './harness';
import { startOwnServer, type OwnServer } from './own-server';

/**
 * GET /api/v1/events/stream against a server of its own, whose database the test also opens, so
 * it can append to the log behind the bus's back: what a client missed while away, and gaps the
 * stream must fill from the log. Live events come through the server's bus: a vehicle driving
 * through a fence over REST appends geofence and alert events, an acknowledgement a person's.
 * Needs a PostgreSQL server (TEST_DATABASE_URL): the embedded database takes one process only.
 */
const BASE_DB = process.env.TEST_DATABASE_URL;

interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** An SSE client on a raw HTTP connection: sees exactly what the server sends, when it sends it. */
class SseClient {
  readonly frames: Frame[] = [];
  ended = false;
  private buffer = '';
  private constructor(
    private readonly req: ClientRequest,
    readonly status: number,
    readonly headers: IncomingHttpHeaders,
    readonly body: Promise<string>,
  ) {}

  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, deflate, br', ...headers } }, (res) => {
        let all = '';
        let client!: SseClient;
        const body = new Promise<string>((done) => res.on('end', () => done(all)));
        client = new SseClient(req, res.statusCode ?? 0, res.headers, body);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          all += chunk;
          client.take(chunk);
        });
        res.on('end', () => (client.ended = true));
        res.on('error', () => (client.ended = true));
        resolve(client);
      });
      req.on('error', reject);
      req.end();
    });
  }

  get events(): DomainEvent[] {
    return this.frames.filter((f) => f.id !== undefined).map((f) => JSON.parse(f.data!) as DomainEvent);
  }

  get seqs(): number[] {
    return this.events.map((e) => e.seq);
  }

  until(check: (c: SseClient) => boolean, what: string, timeoutMs = 8_000): Promise<SseClient> {
    return waitUntil(() => check(this) && this, what, timeoutMs);
  }

  close(): void {
    this.req.destroy();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const frame: Frame = {};
      for (const line of this.buffer.slice(0, end).split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const at = line.indexOf(': ');
          (frame as Record<string, string>)[line.slice(0, at)] = line.slice(at + 2);
        }
      }
      this.frames.push(frame);
      this.buffer = this.buffer.slice(end + 2);
    }
  }
}

describe.skipIf(!BASE_DB)('SSE stream of domain events', () => {
  let own: OwnServer | undefined;
  let db: Database;
  let server: RunningServer;
  const clients: SseClient[] = [];
  const demo = { token: '', tenantId: '', userId: '' };
  const rival = { token: '', tenantId: '' };
  let viewerToken = '';
  let driverToken = '';

  beforeAll(async () => {
    own = await startOwnServer(BASE_DB!, 'sse');
    ({ server, db, viewerToken, driverToken } = own);
    Object.assign(demo, own.demo);
    Object.assign(rival, own.rival);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await own?.close();
  });

  /** Appends `n` vehicle.updated events (or `type`) for the tenant straight to the log, as the server would. */
  async function append(tenantId: string, n: number, type: NewEvent['type'] = 'vehicle.updated'): Promise<DomainEvent[]> {
    const events = Array.from({ length: n }, (_, i): NewEvent => {
      const data = type.endsWith('.updated') || type.endsWith('.changed') ? { name: `thing ${i}`, changes: { name: { before: 'a', after: `b${i}` } } } : { name: `thing ${i}`, after: { i } };
      return { tenantId, type, aggregateId: randomUUID(), actor: { kind: 'user', id: demo.userId }, data } as NewEvent;
    });
    return db.prisma.$transaction((tx) => appendEvents(tx, events));
  }

  async function ticket(token = demo.token): Promise<string> {
    const response = await fetch(`${server.url}/api/v1/events/stream-ticket`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ticket: string; expiresAt: string };
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(50_000);
    return body.ticket;
  }

  async function open(query: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(`${server.url}/api/v1/events/stream${query}`, headers);
    clients.push(client);
    return client;
  }

  async function jsonError(query: string, headers: Record<string, string> = {}): Promise<{ status: number; error: { code: string; field?: string; message: string } }> {
    const response = await fetch(`${server.url}/api/v1/events/stream${query}`, { headers });
    return { status: response.status, error: ((await response.json()) as { error: { code: string; field?: string; message: string } }).error };
  }

  it('streams promptly, uncompressed and unbuffered, with the SSE headers: retry, then each event as id / event / data', async () => {
    const appended = await append(demo.tenantId, 3);
    const started = Date.now();
    const client = await open(`?ticket=${await ticket()}&lastEventId=0`);
    expect(client.status).toBe(200);
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.headers['cache-control']).toBe('no-cache, no-transform');
    expect(client.headers['x-accel-buffering']).toBe('no');
    expect(client.headers['content-encoding']).toBeUndefined();
    await client.until((c) => c.seqs.length >= 3, 'the three events');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(client.ended).toBe(false);
    expect(client.frames[0]).toEqual({ retry: '3000' });
    const frame = client.frames.find((f) => f.id === String(appended[0]!.seq))!;
    expect(frame.event).toBe('vehicle.updated');
    expect(JSON.parse(frame.data!)).toEqual(appended[0]);
    expect(client.events.slice(-3)).toEqual(appended);
    client.close();
  });

  it('starts at the head of the log when the client gives no cursor', async () => {
    await append(demo.tenantId, 2);
    const client = await open('', { authorization: `Bearer ${demo.token}` });
    await client.until((c) => c.frames.length >= 1, 'the retry hint');
    await new Promise((r) => setTimeout(r, 300));
    expect(client.frames).toEqual([{ retry: '3000' }]);
    client.close();
  });

  it('takes a ticket once: reused, unknown and missing credentials are 401 with a structured error', async () => {
    const t = await ticket(viewerToken);
    const first = await open(`?ticket=${t}`);
    expect(first.status).toBe(200);
    first.close();
    expect(await jsonError(`?ticket=${t}`)).toMatchObject({ status: 401, error: { code: 'UNAUTHORIZED', field: 'ticket' } });
    expect(await jsonError('?ticket=made-up')).toMatchObject({ status: 401, error: { code: 'UNAUTHORIZED', field: 'ticket' } });
    expect(await jsonError('')).toMatchObject({ status: 401, error: { code: 'UNAUTHORIZED' } });
    expect(await jsonError('', { authorization: 'Bearer nonsense' })).toMatchObject({ status: 401, error: { code: 'UNAUTHORIZED' } });
    const driver = await fetch(`${server.url}/api/v1/events/stream-ticket`, { method: 'POST', headers: { authorization: `Bearer ${driverToken}` } });
    expect(driver.status).toBe(403);
    expect(await jsonError('', { authorization: `Bearer ${driverToken}` })).toMatchObject({ status: 403, error: { code: 'FORBIDDEN' } });
  });

  it('refuses an unknown type, a bad or future cursor and unknown parameters with 400 naming the field, without spending the ticket', async () => {
    const t = await ticket();
    expect(await jsonError(`?ticket=${t}&types=vehicle.updated,vehicle.flew`)).toMatchObject({ status: 400, error: { code: 'VALIDATION_ERROR', field: 'types' } });
    expect(await jsonError(`?ticket=${t}&types=nothing.*`)).toMatchObject({ status: 400, error: { field: 'types' } });
    expect(await jsonError(`?ticket=${t}`, { 'last-event-id': 'abc' })).toMatchObject({ status: 400, error: { code: 'VALIDATION_ERROR', field: 'Last-Event-ID' } });
    expect(await jsonError(`?ticket=${t}&lastEventId=-1`)).toMatchObject({ status: 400, error: { field: 'lastEventId' } });
    expect(await jsonError(`?ticket=${t}&lastEventId=999999999`)).toMatchObject({ status: 400, error: { field: 'lastEventId' } });
    expect(await jsonError(`?ticket=${t}&after=3`)).toMatchObject({ status: 400, error: { code: 'VALIDATION_ERROR' } });
    const stream = await open(`?ticket=${t}&types=geofence.*`);
    expect(stream.status).toBe(200);
    stream.close();
  });

  it('resumes after a disconnect with exactly the missed events, in order (Last-Event-ID header or lastEventId parameter)', async () => {
    const head = (await append(demo.tenantId, 2)).at(-1)!.seq;
    const first = await open(`?ticket=${await ticket()}&lastEventId=0`);
    await first.until((c) => c.seqs.at(-1) === head, 'the replay');
    const cursor = head;
    first.close();
    await waitUntil(() => server.logs.some((l) => l.includes('event stream closed') && l.includes('client disconnected')), 'the server to close the stream');

    const missed = await append(demo.tenantId, 1_234); // more than a page of the replay

    const byHeader = await open(`?ticket=${await ticket()}`, { 'last-event-id': String(cursor) });
    await byHeader.until((c) => c.seqs.at(-1) === missed.at(-1)!.seq, 'the missed events', 15_000);
    expect(byHeader.events).toEqual(missed);

    const byQuery = await open(`?lastEventId=${missed.at(-10)!.seq}`, { authorization: `Bearer ${viewerToken}` });
    await byQuery.until((c) => c.seqs.length === 9, 'the last nine');
    expect(byQuery.events).toEqual(missed.slice(-9));
    byHeader.close();
    byQuery.close();
  });

  it('filters by types and keeps another tenant\'s events out', async () => {
    const rivalStream = await open(`?ticket=${await ticket(rival.token)}`);
    const fenceStream = await open(`?ticket=${await ticket()}&types=geofence.*,trip.created`);
    const ours = [...(await append(demo.tenantId, 2, 'geofence.created')), ...(await append(demo.tenantId, 2)), ...(await append(demo.tenantId, 1, 'trip.created'))];
    const theirs = await append(rival.tenantId, 3, 'geofence.created');
    // reopen to replay what the test appended behind the bus's back
    rivalStream.close();
    fenceStream.close();
    const rivalAgain = await open(`?ticket=${await ticket(rival.token)}&lastEventId=0`);
    const fenceAgain = await open(`?ticket=${await ticket()}&types=geofence.*,trip.created&lastEventId=${ours[0]!.seq - 1}`);
    await rivalAgain.until((c) => c.seqs.length >= 3, 'tenant B events');
    await fenceAgain.until((c) => c.seqs.length >= 3, 'the fence and trip events');
    expect(rivalAgain.events.every((e) => e.tenantId === rival.tenantId)).toBe(true);
    expect(rivalAgain.events.slice(-3)).toEqual(theirs);
    expect(fenceAgain.events.map((e) => e.type)).toEqual(['geofence.created', 'geofence.created', 'trip.created']);
    rivalAgain.close();
    fenceAgain.close();
  });

  it('goes live after the replay: a vehicle driving through a fence reaches the stream exactly once, in seq order, only in its tenant', async () => {
    const api = (path: string, body?: unknown, method?: string) => fetchJson(server.url, path, { token: demo.token, body, method });
    await api('/api/v1/tenant', { vehicleRateLimit: 100 }, 'PATCH');
    const { vehicles } = await api('/api/v1/vehicles', [{ name: 'Stream Runner', deviceId: `sse-${Date.now()}` }]);
    const vehicleId = vehicles[0].id as string;
    const square = [[[24.0, 48.0], [24.014, 48.0], [24.014, 48.009], [24.0, 48.009], [24.0, 48.0]]];
    await api('/api/v1/geofences', { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: { name: 'Stream yard', type: 'RESTRICTED_ZONE' } });
    let clock = Date.now() - 60_000;
    const drive = async (...fixes: Array<{ lng: number; lat: number }>) => {
      const result = await api('/api/v1/positions', fixes.map((f) => ({ vehicleId, timestamp: (clock += 1000), accuracy: 5, ...f })));
      expect(result.rejected ?? [], JSON.stringify(result)).toEqual([]);
    };
    const inside = { lng: 24.007, lat: 48.004 };
    const outside = { lng: 23.99, lat: 48.004 };
    const logAfter = async (after: number, types = ''): Promise<DomainEvent[]> => (await api(`/api/v1/events?order=asc&limit=1000&after=${after}${types}`)).events;

    const head = (await api('/api/v1/events?limit=1')).events[0].seq as number;
    const rivalStream = await open(`?ticket=${await ticket(rival.token)}`);
    const missedWhileAway = await append(demo.tenantId, 5);
    const stream = await open(`?ticket=${await ticket()}`, { 'last-event-id': String(head) });
    const fences = await open(`?ticket=${await ticket()}&types=geofence.*&lastEventId=${head}`);
    await stream.until((c) => c.seqs.length === 5, 'the replay');
    expect(stream.events).toEqual(missedWhileAway);

    await drive(outside, inside);
    await stream.until((c) => c.events.some((e) => e.type === 'geofence.entered') && c.events.some((e) => e.type === 'alert.raised'), 'the entry and its alert, live');

    // events the bus never carried (appended behind its back) are filled from the log before the next live one
    const behindTheBus = await append(demo.tenantId, 3);
    await drive(outside);
    await stream.until((c) => c.events.some((e) => e.type === 'geofence.exited'), 'the exit, live');
    const log = await logAfter(head);
    await stream.until((c) => c.seqs.at(-1)! >= log.at(-1)!.seq, 'everything in the log');
    expect(stream.events.slice(0, log.length)).toEqual(log);
    expect(stream.seqs).toEqual(Array.from({ length: stream.seqs.length }, (_, i) => head + 1 + i));
    const exited = stream.events.findIndex((e) => e.type === 'geofence.exited');
    expect(stream.events.slice(exited - 3, exited)).toEqual(behindTheBus);

    // the types filter: only geofence events, live, each once, though the seqs between were skipped
    const fenceLog = await logAfter(head, '&types=geofence.*');
    expect(fenceLog.map((e) => e.type)).toEqual(['geofence.entered', 'geofence.exited']);
    await fences.until((c) => c.seqs.length === 2, 'the two crossings');
    expect(fences.events).toEqual(fenceLog);

    // a person's action reaches the stream with its actor
    const alertId = stream.events.find((e) => e.type === 'alert.raised')!.aggregate.id;
    await api(`/api/v1/alerts/${alertId}`, { acknowledged: true }, 'PATCH');
    await stream.until((c) => c.events.some((e) => e.type === 'alert.acknowledged'), 'the acknowledgement');
    expect(stream.events.find((e) => e.type === 'alert.acknowledged')!.actor).toEqual({ kind: 'user', id: demo.userId });

    await new Promise((r) => setTimeout(r, 300));
    expect(rivalStream.events).toEqual([]);
    stream.close();
    fences.close();
    rivalStream.close();
  });
});
