import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubscribeAck } from '../../server/protocol/fleet';
import { api, connect, DEMO, login } from './client';
import { injected } from './context';

/**
 * Issue 17's abuse limits against the real server (defaults: MAX_CONNECTIONS_PER_DEVICE 3,
 * FLEET_MESSAGES_PER_S 20, HTTP_MAX_BODY_BYTES 2 MB, SOCKET_MAX_MESSAGE_BYTES 2 MB,
 * OSMAND_MAX_QUERY_BYTES 4096, ALLOWED_ORIGINS same-origin).
 */
const sockets: Socket[] = [];
const track = (s: Socket) => (sockets.push(s), s);
let base: string;
let admin: string;
let manager: string;
let device: { id: string; deviceToken: string };

beforeAll(async () => {
  base = injected('baseUrl');
  admin = (await login(...DEMO.admin)).token;
  manager = (await login(...DEMO.manager)).token;
  device = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Abuse Van', deviceId: 'abuse-1' } })).body.vehicle;
});
afterAll(() => sockets.forEach((s) => s.close()));

type ConnectError = Error & { data?: { code: string; message: string; details?: Record<string, unknown> } };
const refusal = (promise: Promise<Socket>) =>
  promise.then(
    (s) => {
      track(s);
      return null;
    },
    (error: ConnectError) => error,
  );

function fromOrigin(namespace: string, token: string, origin: string): Promise<Socket> {
  const socket = io(`${base}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { origin } });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

describe('connection limits', () => {
  it('refuses a fourth /driver connection with the same device token, with a structured error', async () => {
    for (let i = 0; i < 3; i++) track(await connect('/driver', device.deviceToken));
    const error = await refusal(connect('/driver', device.deviceToken));
    expect(error?.message).toBe('RATE_LIMITED');
    expect(error?.data).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('this device token: 3 open, at most 3'), details: { limit: 3, open: 3 } });
    // Another device is unaffected; closing one frees a slot.
    const other = (await api('/api/v1/vehicles', { token: admin, body: { name: 'Abuse Van 2', deviceId: 'abuse-2' } })).body.vehicle;
    track(await connect('/driver', other.deviceToken));
    sockets.find((s) => s.connected && (s.auth as { token: string }).token === device.deviceToken)!.close();
    await new Promise((r) => setTimeout(r, 200));
    track(await connect('/driver', device.deviceToken));
  });

  it('a driver phone has the same limit; admin gateways sending for many vehicles only count toward the tenant', async () => {
    const driver = (await login(...DEMO.driver)).token;
    const phones = [await connect('/driver', driver), await connect('/driver', driver), await connect('/driver', driver)];
    const error = await refusal(connect('/driver', driver));
    expect(error?.data).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('this driver') });
    phones.forEach((p) => p.close());
    const gateways = await Promise.all(Array.from({ length: 6 }, () => connect('/driver', admin)));
    expect(gateways.every((g) => g.connected)).toBe(true);
    gateways.forEach((g) => g.close());
  });
});

describe('origins', () => {
  it('a page from another origin cannot open /fleet; the same origin and non-browser clients can', async () => {
    const error = await refusal(fromOrigin('/fleet', manager, 'https://evil.example'));
    expect(error).not.toBeNull();
    const same = track(await fromOrigin('/fleet', manager, base));
    expect(same.connected).toBe(true);
    expect(track(await connect('/fleet', manager)).connected).toBe(true);
  });

  it('REST: cross-origin requests and preflights are refused; requests without Origin pass', async () => {
    const evil = await fetch(`${base}/api/v1/vehicles`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${admin}` } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toEqual({ error: { code: 'FORBIDDEN', message: 'origin https://evil.example is not allowed (ALLOWED_ORIGINS)', field: 'origin' } });
    const preflight = await fetch(`${base}/api/v1/vehicles`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const same = await fetch(`${base}/api/v1/vehicles`, { headers: { origin: base, authorization: `Bearer ${admin}` } });
    expect(same.status).toBe(200);
    const osmand = await fetch(`${base}/api/v1/osmand?id=${device.deviceToken}&lat=39.29&lon=-76.61&timestamp=${Math.floor(Date.now() / 1000)}`);
    expect(osmand.status).toBe(200);
  });
});

describe('/fleet message rate limit', () => {
  it('a client sending 1,000 queries/s gets RATE_LIMITED; another client is served normally meanwhile', async () => {
    const flooder = track(await connect('/fleet', manager));
    const calm = track(await connect('/fleet', manager));
    const query = { type: 'nearest', lng: -76.61, lat: 39.29, k: 1 };
    const acks: Array<Promise<{ ok?: boolean; error?: { code: string } }>> = [];
    const calmLatencies: number[] = [];
    const started = Date.now();
    for (let tick = 0; tick < 10; tick++) {
      for (let i = 0; i < 100; i++) acks.push(flooder.timeout(20_000).emitWithAck('query', query));
      const t0 = Date.now();
      const ack = (await calm.timeout(20_000).emitWithAck('query', query)) as { error?: unknown };
      calmLatencies.push(Date.now() - t0);
      expect(ack.error).toBeUndefined();
      await new Promise((r) => setTimeout(r, Math.max(0, started + (tick + 1) * 100 - Date.now())));
    }
    const results = await Promise.all(acks);
    const limited = results.filter((a) => a.error?.code === 'RATE_LIMITED').length;
    const served = results.filter((a) => !a.error).length;
    console.log(`1000 queries in ${Date.now() - started} ms: ${served} served, ${limited} RATE_LIMITED; calm client p max ${Math.max(...calmLatencies)} ms`);
    expect(limited + served).toBe(1000);
    expect(limited).toBeGreaterThan(900);
    expect(results.find((a) => a.error)!.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('messages/s') });
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect((await calm.emitWithAck('subscribe', { scope: 'fleet' })) as SubscribeAck).toMatchObject({ ok: true });
  });
});

describe('pages and docs', () => {
  it('pages carry the CSP, frame-ancestors, referrer policy and nosniff', async () => {
    const page = await fetch(`${base}/login`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self' blob:");
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves the OpenAPI and AsyncAPI documents and the bundled viewer from our origin', async () => {
    const doc = await (await fetch(`${base}/api/openapi.json`)).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
    expect((await (await fetch(`${base}/api/asyncapi.json`)).json()).asyncapi).toBe('3.0.0');
    const html = await (await fetch(`${base}/api/docs`)).text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) expect((await fetch(`${base}/api/docs/${asset}`)).status, asset).toBe(200);
    expect((await fetch(`${base}/api/docs/nope.js`)).status).toBe(404);
  });
});

describe('payload limits', () => {
  const big = 'x'.repeat(2_100_000);

  it('OsmAnd: a query string over OSMAND_MAX_QUERY_BYTES is refused on both ways in', async () => {
    const query = `id=${device.deviceToken}&lat=39.29&lon=-76.61&pad=${'y'.repeat(5000)}`;
    for (const url of [`${base}/api/v1/osmand?${query}`, `http://127.0.0.1:${injected('osmandPort')}/?${query}`]) {
      const response = await fetch(url);
      expect(response.status, url).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'query', message: expect.stringContaining('4096') });
    }
  });

  it('Socket.IO: a message over SOCKET_MAX_MESSAGE_BYTES closes that connection only', async () => {
    const victim = track(await connect('/fleet', manager));
    const bystander = track(await connect('/fleet', manager));
    const closed = new Promise<string>((resolve) => victim.once('disconnect', resolve));
    victim.emit('query', { type: 'nearest', pad: big });
    expect(await closed).toMatch(/transport (close|error)/);
    expect(((await bystander.emitWithAck('query', { type: 'nearest', lng: 0, lat: 0 })) as { error?: unknown }).error).toBeUndefined();
  });

  // Last: the refused streamed upload leaves its keep-alive connection unusable for this client.
  it('HTTP: a declared body over HTTP_MAX_BODY_BYTES is refused before it is read, with a structured error; a streamed one is refused too', async () => {
    const declared = await fetch(`${base}/api/v1/vehicles`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: big });
    expect(declared.status).toBe(400);
    expect((await declared.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('larger than 2000000 bytes'), field: 'body' });
    const chunks = [big.slice(0, 1_000_000), big.slice(1_000_000)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(new TextEncoder().encode(next));
        else controller.close();
      },
    });
    const streamed = await fetch(`${base}/api/v1/tenant`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(400);
    expect((await streamed.json()).error).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('larger than') });
  });

});
