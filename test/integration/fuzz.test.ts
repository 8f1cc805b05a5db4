import fc from 'fast-check';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSchema } from '../../server/openapi/document';
import type { RouteDoc } from '../../server/openapi/registry';
import { ROUTE_DOCS } from '../../server/openapi/routes';
import { ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../../server/protocol/errors';
import { api, connect, DEMO, login } from './client';
import { injected } from './context';

/**
 * Property-based fuzz over every documented REST operation (server/openapi/routes.ts, which the
 * coverage check keeps equal to app/api) and every socket event: random path parameters, query
 * strings and bodies (malformed text, arbitrary JSON, objects with the schema's own keys and wrong
 * values) from a fixed seed. Every answer must be a success or a structured error whose code
 * matches its status, never a 500; nothing may be written (no event caused by a person or a
 * device, the same numbers of things); the server must stay healthy.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_207);
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);
const sockets: Socket[] = [];
let base: string;
let admin: string;
let manager: string;
let viewer: string;
let deviceToken: string;
let baselineSeq = 0;
let baselineCounts: Record<string, number> = {};
const writes: string[] = [];
let requests = 0;

/**
 * Routes whose success does not write: tickets live in memory; ping answers 404 for random ids;
 * logout without a refresh cookie (the fuzz never sends one) has nothing to revoke and answers 204.
 */
const HARMLESS_SUCCESS = new Set(['POST /api/v1/events/stream-ticket', 'POST /api/v1/auth/login', 'POST /api/v1/auth/logout', 'POST /api/v1/spatial/within']);

async function counts(): Promise<Record<string, number>> {
  const get = async (path: string, pick: (body: any) => unknown[]) => pick((await api(path, { token: admin })).body).length;
  return {
    vehicles: await get('/api/v1/vehicles', (b) => b.vehicles),
    geofences: await get('/api/v1/geofences', (b) => b.geofences),
    routes: await get('/api/v1/routes', (b) => b.routes),
    trips: await get('/api/v1/trips?limit=1000', (b) => b.trips),
    webhooks: await get('/api/v1/webhooks', (b) => b.webhooks),
    users: await get('/api/v1/users', (b) => b.users),
  };
}

async function latestSeq(): Promise<number> {
  const { body } = await api('/api/v1/events?order=desc&limit=1', { token: admin });
  return body.events[0]?.seq ?? 0;
}

beforeAll(async () => {
  base = injected('baseUrl');
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  viewer = (await login(...DEMO.viewer)).token;
  deviceToken = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Fuzz Van', deviceId: 'fuzz-1' } })).body.vehicle.deviceToken;
  baselineSeq = await latestSeq();
  baselineCounts = await counts();
});
afterAll(() => sockets.forEach((s) => s.close()));

const keysOf = (schema: z.ZodType | undefined): string[] => {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; anyOf?: Array<{ properties?: object }> };
  return [...new Set([...Object.keys(js.properties ?? {}), ...(js.anyOf ?? []).flatMap((s) => Object.keys(s.properties ?? {}))])];
};

const oddString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '..', '%00', '\u0000', 'a'.repeat(500), '{"$ne":1}', "' OR 1=1 --", '-76.61,39.29', '2026-13-45T25:61:00Z'),
  fc.integer().map(String),
  fc.double().map(String),
);

function requestArbitrary(doc: RouteDoc) {
  const params = [...doc.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const pathArb = fc.tuple(...params.map(() => fc.oneof(fc.uuid(), oddString))).map((values) => {
    let i = 0;
    return doc.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++] || 'x'));
  });
  const queryKeys = keysOf(doc.query);
  const queryArb = fc
    .dictionary(queryKeys.length ? fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 8 })) : fc.string({ maxLength: 8 }), oddString, { maxKeys: 5 })
    .map((q) => new URLSearchParams(q).toString());
  const bodyKeys = doc.body instanceof z.ZodType ? keysOf(doc.body) : [];
  const bodyArb =
    doc.method === 'GET'
      ? fc.constant(undefined)
      : fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json(),
          fc.anything().map((v) => JSON.stringify(v) ?? 'null'),
          fc.dictionary(bodyKeys.length ? fc.constantFrom(...bodyKeys) : fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 6 }).map((v) => JSON.stringify(v)),
        );
  const tokenArb = fc.constantFrom<string | null>(admin, admin, viewer, 'not-a-token', null);
  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, token: tokenArb });
}

async function check(doc: RouteDoc, input: { path: string; query: string; body: string | undefined; token: string | null }): Promise<void> {
  const url = `${base}${input.path}${input.query ? `?${input.query}` : ''}`;
  const response = await fetch(url, {
    method: doc.method,
    headers: { 'content-type': doc.body && !(doc.body instanceof z.ZodType) ? doc.body.contentType : 'application/json', ...(input.token ? { authorization: `Bearer ${input.token}` } : {}) },
    body: input.body,
    signal: AbortSignal.timeout(20_000),
  });
  requests++;
  const type = response.headers.get('content-type') ?? '';
  const what = `${doc.method} ${url} body=${input.body?.slice(0, 200)} → ${response.status}`;
  if (response.status < 400) {
    await response.body?.cancel();
    if (doc.method !== 'GET' && !HARMLESS_SUCCESS.has(`${doc.method} ${doc.path}`)) writes.push(what);
    return;
  }
  expect(type, what).toContain('application/json');
  const body = (await response.json()) as { error?: { code: ErrorCode; message: unknown } };
  expect(ERROR_CODES, what).toContain(body.error?.code);
  expect(typeof body.error?.message, what).toBe('string');
  expect(body.error?.code, what).not.toBe('INTERNAL');
  expect(response.status, what).toBe(HTTP_STATUS[body.error!.code]);
}

describe('REST fuzz (fast-check)', () => {
  it(`every documented operation × ${RUNS_PER_ROUTE} random requests: structured errors, no 500`, { timeout: 240_000 }, async () => {
    const started = Date.now();
    for (const doc of ROUTE_DOCS) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(doc), (input) => check(doc, input)),
        { numRuns: RUNS_PER_ROUTE, seed: SEED, endOnFailure: true },
      );
    }
    console.log(`REST fuzz: ${ROUTE_DOCS.length} operations, ${requests} requests in ${Date.now() - started} ms`);
  });
});

describe('socket fuzz (fast-check)', () => {
  it('/fleet: random payloads for subscribe, unsubscribe, query, metrics get structured acks; unknown events are ignored', { timeout: 120_000 }, async () => {
    const socket = await connect('/fleet', manager);
    sockets.push(socket);
    const event = fc.constantFrom('subscribe', 'unsubscribe', 'query', 'metrics');
    await fc.assert(
      fc.asyncProperty(event, fc.anything(), fc.string({ maxLength: 30 }), async (name, payload, junkEvent) => {
        socket.emit(junkEvent === 'disconnect' ? 'x' : junkEvent, payload);
        const ack = (await socket.timeout(10_000).emitWithAck(name, payload)) as { error?: { code: string; message: string } } | null;
        await new Promise((r) => setTimeout(r, 60)); // stay under FLEET_MESSAGES_PER_S (2 messages per run)
        expect(ack !== null && typeof ack === 'object', `${name} ${JSON.stringify(payload)}`).toBe(true);
        if (ack && 'error' in ack && ack.error) {
          expect(ERROR_CODES).toContain(ack.error.code);
          expect(ack.error.code).not.toBe('INTERNAL');
        }
      }),
      { numRuns: 80, seed: SEED },
    );
    expect(socket.connected).toBe(true);
    expect(await socket.emitWithAck('subscribe', { scope: 'fleet' })).toMatchObject({ ok: true });
  });

  it('/driver: random position(s) payloads are rejected with coded reasons, none accepted', { timeout: 120_000 }, async () => {
    const device = await connect('/driver', deviceToken);
    sockets.push(device);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('position', 'positions'), fc.oneof(fc.anything(), fc.array(fc.anything(), { maxLength: 5 }), fc.dictionary(fc.constantFrom('lat', 'lng', 'lon', 'timestamp', 'ts', 'speed', 'vehicleId'), fc.anything())), async (name, payload) => {
        const ack = (await device.timeout(10_000).emitWithAck(name, payload)) as { accepted: number; rejected: Array<{ code: string }> };
        expect(ack.accepted, `${name} ${JSON.stringify(payload)}`).toBe(0);
        for (const r of ack.rejected) {
          expect(ERROR_CODES).toContain(r.code);
          expect(r.code).not.toBe('INTERNAL');
        }
      }),
      { numRuns: 150, seed: SEED },
    );
    expect(device.connected).toBe(true);
  });
});

describe('after the fuzz', () => {
  it('wrote nothing and is healthy', async () => {
    expect(writes, 'write operations that succeeded on random input').toEqual([]);
    const { body } = await api(`/api/v1/events?order=asc&after=${baselineSeq}&limit=1000`, { token: admin });
    const caused = (body.events as Array<{ type: string; actor: { kind: string } }>).filter((e) => e.actor.kind !== 'system');
    expect(caused.map((e) => e.type)).toEqual([]);
    expect(await counts()).toEqual(baselineCounts);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
