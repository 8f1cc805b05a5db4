import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { verify } from '../../server/events/webhooks/signature';
import { createLogger } from '../../server/log';
import type { DomainEvent } from '../../server/protocol/events';
import type { WebhookDeliveryDto } from '../../server/protocol/webhooks';
import { createTenant } from '../../server/tenants/create-tenant';
import { DEMO, waitUntil } from './client';
import { TENANT_B } from './context';
import { freePort, freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * Webhooks end to end on a server of their own (WEBHOOK_ALLOW_PRIVATE=1 so a receiver on
 * 127.0.0.1 is allowed, WEBHOOK_RETRY_MAX_S=1 so retries come quickly), with a receiver that
 * checks every signature. Events are driven through REST: creating, changing and deleting
 * webhooks appends webhook.* events (and vehicle.* once REST changes to vehicles are audited).
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** When the request arrived and when it was answered (ms). */
  start: number;
  end: number;
}

/** A receiver on a fixed port that can go down and come back on the same port. */
class Receiver {
  readonly received: Received[] = [];
  /** Paths answered only after this many ms (a slow receiver). */
  readonly delays = new Map<string, number>();
  /** Events of these aggregates are answered 503 at once. */
  readonly failing = new Set<string>();
  private server: Server | null = null;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      const start = performance.now();
      req.on('end', () => {
        if (this.failing.size > 0 && req.headers['x-geofleet-event'] !== 'ping' && this.failing.has((JSON.parse(body) as DomainEvent).aggregate.id)) {
          this.received.push({ path: req.url!, headers: req.headers, body, start, end: performance.now() });
          return res.writeHead(503).end();
        }
        setTimeout(() => {
          this.received.push({ path: req.url!, headers: req.headers, body, start, end: performance.now() });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        }, this.delays.get(req.url!) ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** The events delivered at `path`, in the order they arrived (pings left out). */
  events(path: string): DomainEvent[] {
    return this.at(path)
      .filter((r) => r.headers['x-geofleet-event'] !== 'ping')
      .map((r) => JSON.parse(r.body) as DomainEvent);
  }
}

let server: RunningServer;
let env: NodeJS.ProcessEnv;
let fresh: Awaited<ReturnType<typeof freshDatabase>> | null = null;
let receiver: Receiver;
let adminA: string;
let adminB: string;
let viewerA: string;
/** Secrets by receiver path, as the POST answers showed them. */
const secrets = new Map<string, string>();

async function call<T = any>(path: string, options: { token?: string; method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const login = async (email: string, password: string) => (await call('/api/v1/auth/login', { body: { email, password } })).body.token as string;

async function createWebhook(token: string, path: string, body: Record<string, unknown> = {}) {
  const result = await call('/api/v1/webhooks', { token, body: { url: receiver.url(path), ...body } });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  secrets.set(path, result.body.webhook.secret);
  return result.body.webhook;
}

/** Every request at `path` carries a valid signature of its exact body with that webhook's secret. */
function expectSigned(path: string): void {
  const secret = secrets.get(path)!;
  for (const r of receiver.at(path)) {
    const timestamp = Number(r.headers['x-geofleet-timestamp']);
    expect(Math.abs(Date.now() / 1000 - timestamp)).toBeLessThan(120);
    expect(r.headers['x-geofleet-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-geofleet-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify(secret, timestamp, r.body, String(r.headers['x-geofleet-signature'])), `signature of ${r.body.slice(0, 80)}`).toBe(true);
    if (r.headers['x-geofleet-event'] !== 'ping') expect(JSON.parse(r.body).type).toBe(r.headers['x-geofleet-event']);
  }
}

/**
 * Each aggregate's events arrive in order (total order is not promised): an event arriving for
 * the first time has a higher version than every other of its aggregate before it. Repeats of
 * events already delivered (a retry, a replay after a restart) are allowed.
 */
function expectInOrderPerAggregate(events: DomainEvent[]): void {
  const seen = new Set<string>();
  const newest = new Map<string, number>();
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const key = `${e.aggregate.type}|${e.aggregate.id}`;
    expect(e.version, `${e.type} of ${key} (seq ${e.seq}) after version ${newest.get(key)}`).toBeGreaterThan(newest.get(key) ?? 0);
    newest.set(key, e.version);
  }
}

const sortedSeqs = (events: DomainEvent[]) => [...new Set(events.map((e) => e.seq))].sort((a, b) => a - b);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  env = serverEnv(tempDir('webhooks'), fresh?.url, { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_MAX_S: '1', WEBHOOK_TIMEOUT_S: '2' });
  const db = await openDatabase(parseConfig(env), createLogger('warn', false));
  try {
    await seedDemoIfEmpty(db.prisma, createLogger('warn', false));
    await createTenant(db.prisma, TENANT_B);
  } finally {
    await db.close();
  }
  server = await startServer(env);
  receiver = new Receiver(await freePort());
  await receiver.start();
  adminA = await login(...DEMO.admin);
  viewerA = await login(...DEMO.viewer);
  adminB = await login(TENANT_B.admin.email, TENANT_B.admin.password);
});

afterAll(async () => {
  await receiver?.stop();
  await server?.stop();
  await fresh?.drop();
});

describe('webhook REST', () => {
  it('refuses URLs that are not http(s), unknown event types and unknown fields, naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ url: 'ftp://example.com/hook' }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://example.com/hook', types: ['vehicle.teleported'] }, 'types.0'],
      [{ url: 'https://example.com/hook', types: ['nothing.*'] }, 'types.0'],
      [{ url: 'https://example.com/hook', active: 'yes' }, 'active'],
    ];
    for (const [body, field] of cases) {
      const result = await call('/api/v1/webhooks', { token: adminA, body });
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error).toMatchObject({ code: 'VALIDATION_ERROR', field });
    }
    expect((await call('/api/v1/webhooks', { token: adminA, body: { url: 'https://example.com', secret: 'x' } })).body.error.code).toBe('VALIDATION_ERROR');
  });

  it('is for admins only', async () => {
    expect((await call('/api/v1/webhooks', { token: viewerA })).status).toBe(403);
    expect((await call('/api/v1/webhooks', { token: viewerA, body: { url: 'https://example.com/x' } })).status).toBe(403);
    expect((await call('/api/v1/webhooks')).status).toBe(401);
  });

  it('shows the secret once, on create; reads, updates and deletes; bad and foreign ids are NOT_FOUND', async () => {
    const created = await createWebhook(adminA, '/crud', { types: ['geofence.*', 'vehicle.created'], description: 'CRUD test' });
    expect(created).toMatchObject({ url: receiver.url('/crud'), types: ['geofence.*', 'vehicle.created'], active: true, description: 'CRUD test', lastDelivery: null });
    expect(created.secret).toMatch(/^whsec_/);

    const read = await call(`/api/v1/webhooks/${created.id}`, { token: adminA });
    expect(read.status).toBe(200);
    expect(read.body.webhook).not.toHaveProperty('secret');
    expect(JSON.stringify((await call('/api/v1/webhooks', { token: adminA })).body)).not.toContain(created.secret);

    const patched = await call(`/api/v1/webhooks/${created.id}`, { token: adminA, method: 'PATCH', body: { description: 'renamed', types: [] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.webhook).toMatchObject({ description: 'renamed', types: [], url: created.url });
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminA, method: 'PATCH', body: { url: 'gopher://x' } })).body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'url' });

    for (const path of ['/api/v1/webhooks/not-a-uuid', '/api/v1/webhooks/00000000-0000-4000-8000-000000000000', `/api/v1/webhooks/${created.id}/deliveries/not-a-uuid/redeliver`]) {
      const result = await call(path, { token: adminA, method: path.endsWith('redeliver') ? 'POST' : 'GET' });
      expect(result.status, path).toBe(404);
      expect(result.body.error.code).toBe('NOT_FOUND');
    }
    // Tenant B cannot see, change, ping or delete tenant A's webhook.
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminB })).status).toBe(404);
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminB, method: 'PATCH', body: { active: false } })).status).toBe(404);
    expect((await call(`/api/v1/webhooks/${created.id}/ping`, { token: adminB, method: 'POST' })).status).toBe(404);
    expect((await call(`/api/v1/webhooks/${created.id}/deliveries`, { token: adminB })).status).toBe(404);
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminB, method: 'DELETE' })).status).toBe(404);
    expect((await call('/api/v1/webhooks', { token: adminB })).body.webhooks).toEqual([]);

    expect((await call(`/api/v1/webhooks/${created.id}/deliveries?limit=0`, { token: adminA })).body.error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'limit' });
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminA, method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/v1/webhooks/${created.id}`, { token: adminA })).status).toBe(404);
  });
});

describe('webhook delivery', () => {
  let audit: any;
  let rival: any;

  it('delivers a ping right away and answers with the outcome', async () => {
    audit = await createWebhook(adminA, '/audit', { types: ['webhook.*', 'vehicle.*'], description: 'audit trail' });
    const ping = await call<{ delivery: WebhookDeliveryDto }>(`/api/v1/webhooks/${audit.id}/ping`, { token: adminA, method: 'POST' });
    expect(ping.status, JSON.stringify(ping.body)).toBe(200);
    expect(ping.body.delivery).toMatchObject({ eventType: 'ping', status: 'delivered', attempts: 1, responseStatus: 200, eventId: null });
    const got = receiver.at('/audit').find((r) => r.headers['x-geofleet-delivery'] === ping.body.delivery.id);
    expect(got?.headers['x-geofleet-event']).toBe('ping');
    expectSigned('/audit');
  });

  it('delivers events signed and in seq order, and tenant B never gets tenant A\'s', async () => {
    rival = await createWebhook(adminB, '/rival', { description: 'rival, every event' });
    const subject = await createWebhook(adminA, '/subject', { types: ['alert.raised'], description: 'subject' });
    for (let i = 1; i <= 5; i++) {
      expect((await call(`/api/v1/webhooks/${subject.id}`, { token: adminA, method: 'PATCH', body: { description: `subject ${i}` } })).status).toBe(200);
    }
    const vehicle = await call('/api/v1/vehicles', { token: adminA, body: { name: `Webhook van ${Date.now().toString(36)}`, deviceId: `wh-${Date.now().toString(36)}` } });
    expect(vehicle.status, JSON.stringify(vehicle.body)).toBe(201);
    expect((await call(`/api/v1/webhooks/${subject.id}`, { token: adminA, method: 'DELETE' })).status).toBe(204);
    // Tenant B's own activity, so its receiver demonstrably works.
    expect((await call(`/api/v1/webhooks/${rival.id}`, { token: adminB, method: 'PATCH', body: { description: 'rival, renamed' } })).status).toBe(200);

    const logged = await waitUntil(async () => {
      const page = (await call(`/api/v1/events?types=webhook.*,vehicle.*&order=asc&after=${audit.deliveredSeq}&limit=1000`, { token: adminA })).body.events as DomainEvent[];
      const ids = new Set(receiver.events('/audit').map((e) => e.id));
      return page.length >= 8 && page.every((e) => ids.has(e.id)) && page;
    }, 'every logged event at /audit', 15_000);
    const delivered = receiver.events('/audit');
    expectInOrderPerAggregate(delivered);
    expect(sortedSeqs(delivered)).toEqual(logged.map((e) => e.seq));
    const ofSubject = delivered.filter((e) => e.aggregate.id === subject.id);
    expect(ofSubject.map((e) => e.type)).toEqual(['webhook.created', ...Array(5).fill('webhook.updated'), 'webhook.deleted']);
    expect(ofSubject.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ofSubject[3]!.data).toEqual({ name: 'subject 3', changes: { description: { before: 'subject 2', after: 'subject 3' } } });
    expect(JSON.stringify(delivered)).not.toMatch(/whsec_/);
    expectSigned('/audit');

    await waitUntil(() => receiver.events('/rival').some((e) => e.type === 'webhook.updated'), 'tenant B\'s own event at /rival');
    expectSigned('/rival');
    expect(receiver.events('/rival').every((e) => e.tenantId === receiver.events('/rival')[0]!.tenantId && e.tenantId !== delivered[0]!.tenantId)).toBe(true);
    expect(receiver.at('/subject')).toEqual([]); // it wanted alert.raised only
  });

  it('loses nothing while the receiver is down and delivers in order once it is back', async () => {
    const before = receiver.events('/audit').length;
    await receiver.stop();
    const scratch = await createWebhook(adminA, '/scratch', { types: ['alert.raised'], description: 'outage 0' });
    for (let i = 1; i <= 4; i++) await call(`/api/v1/webhooks/${scratch.id}`, { token: adminA, method: 'PATCH', body: { description: `outage ${i}` } });
    await pause(3000);
    // While down, the delivery in front is pending with attempts counted and a next attempt set.
    const during = (await call<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${audit.id}/deliveries?limit=5`, { token: adminA })).body.deliveries;
    expect(during[0]).toMatchObject({ status: 'pending', eventType: 'webhook.created', responseStatus: null });
    expect(during[0]!.attempts).toBeGreaterThan(1);
    expect(during[0]!.nextAttemptAt).not.toBeNull();
    const failing = (await call(`/api/v1/webhooks/${audit.id}`, { token: adminA })).body.webhook;
    expect(failing.failingSince).not.toBeNull();
    expect(failing.lastDelivery.status).toBe('pending');
    await pause(4000);
    await receiver.start();

    const logged = (await call(`/api/v1/events?types=webhook.*,vehicle.*&order=asc&after=${audit.deliveredSeq}&limit=1000`, { token: adminA })).body.events as DomainEvent[];
    await waitUntil(() => {
      const ids = new Set(receiver.events('/audit').map((e) => e.id));
      return logged.every((e) => ids.has(e.id));
    }, 'every event after the outage', 15_000);
    const after = receiver.events('/audit').slice(before);
    expect(after.map((e) => e.data)).toContainEqual({ name: 'outage 4', changes: { description: { before: 'outage 3', after: 'outage 4' } } });
    expectInOrderPerAggregate(receiver.events('/audit'));
    expect(sortedSeqs(receiver.events('/audit'))).toEqual(logged.map((e) => e.seq));
    expectSigned('/audit');

    // The delivery log is written in batches (every ≈100 ms), so it may trail the receiver a little.
    const retried = await waitUntil(async () => {
      const list = (await call<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${audit.id}/deliveries?limit=500`, { token: adminA })).body.deliveries;
      return list.every((d) => d.status === 'delivered') && list;
    }, 'the delivery log to show every delivery delivered');
    expect(retried.find((d) => d.id === during[0]!.id)).toMatchObject({ status: 'delivered', responseStatus: 200 });
    // Newest first.
    expect(retried.map((d) => d.createdAt)).toEqual([...retried.map((d) => d.createdAt)].sort().reverse());
    await waitUntil(async () => (await call(`/api/v1/webhooks/${audit.id}`, { token: adminA })).body.webhook.failingSince === null, 'failure state cleared');
  });

  it('redelivers a delivery as a new one with the same event', async () => {
    const [latest] = (await call<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${audit.id}/deliveries?limit=1`, { token: adminA })).body.deliveries;
    const again = await call<{ delivery: WebhookDeliveryDto }>(`/api/v1/webhooks/${audit.id}/deliveries/${latest!.id}/redeliver`, { token: adminA, method: 'POST' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.delivery).toMatchObject({ eventId: latest!.eventId, eventType: latest!.eventType, status: 'delivered', attempts: 1, responseStatus: 200 });
    expect(again.body.delivery.id).not.toBe(latest!.id);
    const copy = receiver.at('/audit').find((r) => r.headers['x-geofleet-delivery'] === again.body.delivery.id);
    expect(JSON.parse(copy!.body).id).toBe(latest!.eventId);
    expectSigned('/audit');
    expect((await call(`/api/v1/webhooks/${rival.id}/deliveries/${latest!.id}/redeliver`, { token: adminB, method: 'POST' })).status).toBe(404);
  });

  it('after the server is killed, resumes from the durable cursor: every committed event is delivered', async () => {
    await receiver.stop();
    const scratch = await createWebhook(adminA, '/scratch-2', { types: ['alert.raised'], description: 'before the kill 0' });
    for (let i = 1; i <= 3; i++) await call(`/api/v1/webhooks/${scratch.id}`, { token: adminA, method: 'PATCH', body: { description: `before the kill ${i}` } });
    const logged = (await call(`/api/v1/events?types=webhook.*,vehicle.*&order=asc&after=${audit.deliveredSeq}&limit=1000`, { token: adminA })).body.events as DomainEvent[];
    await pause(500); // the failed first attempt is in the delivery log (written in batches)
    await server.stop('SIGKILL');
    server = await startServer(env);
    await receiver.start();
    await waitUntil(() => {
      const ids = new Set(receiver.events('/audit').map((e) => e.id));
      return logged.every((e) => ids.has(e.id));
    }, 'every event committed before the kill', 20_000);
    expectInOrderPerAggregate(receiver.events('/audit'));
    expect(sortedSeqs(receiver.events('/audit'))).toEqual(logged.map((e) => e.seq));
    expectSigned('/audit');
    // The delivery left pending by the kill was resumed (and finished), not left behind by a new one.
    await waitUntil(async () => {
      const list = (await call<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${audit.id}/deliveries?limit=20`, { token: adminA })).body.deliveries;
      return list.length > 0 && list.every((d) => d.status === 'delivered');
    }, 'no delivery left pending');
  });

  it('stops delivering to an inactive webhook and resumes from its cursor when turned on again', async () => {
    expect((await call(`/api/v1/webhooks/${rival.id}`, { token: adminB, method: 'PATCH', body: { active: false } })).body.webhook.active).toBe(false);
    const count = receiver.events('/rival').length;
    await call(`/api/v1/webhooks/${rival.id}`, { token: adminB, method: 'PATCH', body: { description: 'while off' } });
    await pause(1500);
    expect(receiver.events('/rival').length).toBe(count);
    await call(`/api/v1/webhooks/${rival.id}`, { token: adminB, method: 'PATCH', body: { active: true } });
    await waitUntil(() => receiver.events('/rival').some((e) => e.type === 'webhook.updated' && (e.data as any).changes.description?.after === 'while off'), 'the event made while off');
    expectInOrderPerAggregate(receiver.events('/rival'));
  });
});

describe('concurrent delivery', () => {
  it('sends events of different aggregates at once, never two of one aggregate, each aggregate\'s in order', async () => {
    receiver.delays.set('/slow', 250);
    // Off while the events are made, so that turning it on finds them all in the log at once.
    const slow = await createWebhook(adminA, '/slow', { types: ['webhook.*'], active: false, description: 'slow receiver' });
    const others = [];
    for (let i = 0; i < 5; i++) others.push(await createWebhook(adminA, '/void', { types: ['alert.raised'], description: `concurrent ${i}.0` }));
    for (let round = 1; round <= 3; round++) {
      for (const [i, other] of others.entries()) {
        expect((await call(`/api/v1/webhooks/${other.id}`, { token: adminA, method: 'PATCH', body: { description: `concurrent ${i}.${round}` } })).status).toBe(200);
      }
    }
    const logged = (await call(`/api/v1/events?types=webhook.*&order=asc&after=${slow.deliveredSeq}&limit=1000`, { token: adminA })).body.events as DomainEvent[];
    expect(logged).toHaveLength(21); // its own created, 5 created, 15 updated
    const started = performance.now();
    expect((await call(`/api/v1/webhooks/${slow.id}`, { token: adminA, method: 'PATCH', body: { active: true } })).status).toBe(200);

    await waitUntil(() => {
      const ids = new Set(receiver.events('/slow').map((e) => e.id));
      return logged.every((e) => ids.has(e.id));
    }, 'every event at the slow receiver', 20_000);
    // One at a time, 21 events (and the webhook's own update) would take over 5 s.
    expect(performance.now() - started).toBeLessThan(4000);
    const requests = receiver.at('/slow').filter((r) => r.headers['x-geofleet-event'] !== 'ping');
    const spans = requests.map((r) => ({ event: JSON.parse(r.body) as DomainEvent, start: r.start, end: r.end }));
    const mostAtOnce = Math.max(...spans.map((a) => spans.filter((b) => b.start <= a.start && a.start < b.end).length));
    expect(mostAtOnce).toBeGreaterThanOrEqual(5);
    for (const other of others) {
      const own = spans.filter((s) => s.event.aggregate.id === other.id).sort((a, b) => a.start - b.start);
      expect(own.map((s) => s.event.type)).toEqual(['webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.updated']);
      expect(own.map((s) => s.event.version)).toEqual([1, 2, 3, 4]);
      // The next of an aggregate is sent only after the receiver answered the one before.
      for (let i = 1; i < own.length; i++) expect(own[i]!.start).toBeGreaterThanOrEqual(own[i - 1]!.end);
    }
    expectInOrderPerAggregate(receiver.events('/slow'));
    expectSigned('/slow');

    // The delivery log is written in batches, a moment after the receiver answered.
    const deliveries = await waitUntil(async () => {
      const list = (await call<{ deliveries: WebhookDeliveryDto[] }>(`/api/v1/webhooks/${slow.id}/deliveries?limit=500`, { token: adminA })).body.deliveries;
      const seqs = new Set(list.map((d) => d.eventSeq));
      return logged.every((e) => seqs.has(e.seq)) && list;
    }, 'a delivery for every event in the log');
    expect(deliveries.every((d) => d.status === 'delivered' && d.attempts === 1 && d.responseStatus === 200)).toBe(true);
    // The cursor reaches the last event once everything before it is delivered.
    await waitUntil(async () => (await call(`/api/v1/webhooks/${slow.id}`, { token: adminA })).body.webhook.deliveredSeq >= logged.at(-1)!.seq, 'the cursor past the last event');
    receiver.delays.delete('/slow');
  });
});

describe('a failing delivery', () => {
  it('holds back new deliveries of every aggregate until it succeeds; then all go, each aggregate in order', async () => {
    receiver.delays.set('/gate', 300); // the others answer slowly, the failing one at once
    const gate = await createWebhook(adminA, '/gate', { types: ['webhook.*'], active: false, description: 'gate' });
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await createWebhook(adminA, '/void', { types: ['alert.raised'], description: `gate ${i}.0` }));
    for (let round = 1; round <= 2; round++) {
      for (const [i, other] of others.entries()) await call(`/api/v1/webhooks/${other.id}`, { token: adminA, method: 'PATCH', body: { description: `gate ${i}.${round}` } });
    }
    const failing = others[0]!.id;
    receiver.failing.add(failing);
    expect((await call(`/api/v1/webhooks/${gate.id}`, { token: adminA, method: 'PATCH', body: { active: true } })).status).toBe(200);
    await pause(2500);

    const during = receiver.events('/gate');
    expect(during.filter((e) => e.aggregate.id === failing).length).toBeGreaterThan(1); // retried
    // Only what was sent with the failing one (each aggregate's first) went while it failed.
    const others1 = during.filter((e) => e.aggregate.id !== failing);
    expect(others1.length).toBeGreaterThan(0);
    expect(others1.every((e) => e.version === 1), JSON.stringify(others1.map((e) => [e.type, e.version]))).toBe(true);
    const stuck = (await call(`/api/v1/webhooks/${gate.id}`, { token: adminA })).body.webhook;
    expect(stuck.failingSince).not.toBeNull();
    expect(stuck.deliveredSeq).toBeLessThan(Math.min(...during.filter((e) => e.aggregate.id === failing).map((e) => e.seq)));

    receiver.failing.clear();
    const logged = (await call(`/api/v1/events?types=webhook.*&order=asc&after=${gate.deliveredSeq}&limit=1000`, { token: adminA })).body.events as DomainEvent[];
    await waitUntil(() => {
      const ids = new Set(receiver.events('/gate').map((e) => e.id));
      return logged.every((e) => ids.has(e.id));
    }, 'every event once the failing one went through', 15_000);
    expectInOrderPerAggregate(receiver.events('/gate'));
    await waitUntil(async () => (await call(`/api/v1/webhooks/${gate.id}`, { token: adminA })).body.webhook.failingSince === null, 'failure state cleared');
    receiver.delays.delete('/gate');
  });
});

describe('a webhook failing for the whole give-up period', () => {
  let other: RunningServer | null = null;
  let otherDb: Awaited<ReturnType<typeof freshDatabase>> | null = null;
  afterAll(async () => {
    await other?.stop('SIGKILL');
    await otherDb?.drop();
  });

  it('is disabled, with a failed delivery, a webhook.disabled event and a system alert', async () => {
    otherDb = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    // 0.0005 h = 1.8 s of failures before giving up.
    other = await startServer(serverEnv(tempDir('webhooks-give-up'), otherDb?.url, { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_MAX_S: '0.2', WEBHOOK_GIVE_UP_HOURS: '0.0005' }));
    const base = other.url;
    const req = async (path: string, token?: string, body?: unknown, method?: string) => {
      const response = await fetch(`${base}${path}`, {
        method: method ?? (body ? 'POST' : 'GET'),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return response.json();
    };
    const { token } = await req('/api/v1/auth/login', undefined, { email: DEMO.admin[0], password: DEMO.admin[1] });
    const dead = `http://127.0.0.1:${await freePort()}/nobody-home`;
    const { webhook } = await req('/api/v1/webhooks', token, { url: dead, types: ['webhook.*'] });

    const disabled = await waitUntil(async () => {
      const current = (await req(`/api/v1/webhooks/${webhook.id}`, token)).webhook;
      return !current.active && current;
    }, 'the webhook disabled', 15_000);
    expect(disabled.disabledReason).toBe('every delivery failed for 1.8 s');
    const [delivery] = (await req(`/api/v1/webhooks/${webhook.id}/deliveries?limit=1`, token)).deliveries;
    expect(delivery).toMatchObject({ eventType: 'webhook.created', status: 'failed', responseStatus: null, nextAttemptAt: null });
    expect(delivery.attempts).toBeGreaterThan(2);
    expect(delivery.error).toMatch(/ECONNREFUSED|connect/);

    const events = (await req(`/api/v1/events?types=webhook.disabled&aggregateId=${webhook.id}`, token)).events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { kind: 'system' }, data: { reason: disabled.disabledReason } });
    const alerts = await waitUntil(async () => {
      const list = (await req('/api/v1/alerts?type=system_error', token)).alerts as Array<{ message: string; details: Record<string, unknown> }>;
      return list.find((a) => a.details.webhookId === webhook.id);
    }, 'the system alert');
    expect(alerts.message).toContain(dead);

    // Turning it on again clears the failure state and resumes from the cursor (the created event).
    const resumed = (await req(`/api/v1/webhooks/${webhook.id}`, token, { active: true }, 'PATCH')).webhook;
    expect(resumed).toMatchObject({ active: true, disabledReason: null, failingSince: null, deliveredSeq: webhook.deliveredSeq });
  });
});
