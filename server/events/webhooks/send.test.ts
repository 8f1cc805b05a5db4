import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyAgents, keepAliveAgents, send } from './send';

let server: Server;
let port: number;
let connections = 0;
const received: Array<{ url: string; body: string; headers: Record<string, unknown> }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url!, body, headers: req.headers });
      if (req.url === '/moved') return res.writeHead(302, { location: `http://127.0.0.1:${port}/ok` }).end();
      if (req.url === '/slow') return setTimeout(() => res.writeHead(200).end(), 2000);
      res.writeHead(req.url === '/broken' ? 500 : 204).end();
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => server.close());

const open = { timeoutMs: 1000, allowPrivate: true };

describe('send', () => {
  it('POSTs the body as JSON with the given headers; a 2xx is a delivery', async () => {
    const result = await send(`http://127.0.0.1:${port}/ok`, '{"a":1}', { 'X-GeoFleet-Event': 'ping' }, open);
    expect(result).toMatchObject({ ok: true, status: 204, error: null });
    expect(received.at(-1)).toMatchObject({ url: '/ok', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-geofleet-event': 'ping' } });
  });

  it('counts other statuses, redirects (not followed) and timeouts as failures', async () => {
    expect(await send(`http://127.0.0.1:${port}/broken`, '{}', {}, open)).toMatchObject({ ok: false, status: 500, error: 'receiver answered 500' });
    const before = received.length;
    expect(await send(`http://127.0.0.1:${port}/moved`, '{}', {}, open)).toMatchObject({ ok: false, status: 302 });
    await new Promise((r) => setTimeout(r, 100));
    expect(received.length).toBe(before + 1);
    const slow = await send(`http://127.0.0.1:${port}/slow`, '{}', {}, { ...open, timeoutMs: 200 });
    expect(slow).toMatchObject({ ok: false, status: null, error: 'no answer within 0.2 s' });
    expect(slow.ms).toBeLessThan(1000);
  });

  it('without WEBHOOK_ALLOW_PRIVATE refuses private targets, literal or by name, before sending', async () => {
    const before = received.length;
    expect(await send(`http://127.0.0.1:${port}/ok`, '{}', {}, { ...open, allowPrivate: false })).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/private/) });
    expect(await send(`http://localhost:${port}/ok`, '{}', {}, { ...open, allowPrivate: false })).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/localhost resolves to .*private/) });
    expect(received.length).toBe(before);
  });

  it('resolves promptly when aborted', async () => {
    const controller = new AbortController();
    const pending = send(`http://127.0.0.1:${port}/slow`, '{}', {}, { ...open, timeoutMs: 5000, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending).toMatchObject({ ok: false, error: 'aborted' });
  });

  it('reuses connections through keep-alive agents, at most maxSockets at once', async () => {
    const agents = keepAliveAgents(2);
    try {
      const before = connections;
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(Array.from({ length: 4 }, () => send(`http://127.0.0.1:${port}/ok`, '{}', {}, { ...open, agents })));
        expect(results.every((r) => r.ok)).toBe(true);
      }
      expect(connections - before).toBe(2);
    } finally {
      destroyAgents(agents);
    }
  });
});
