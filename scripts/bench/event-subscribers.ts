/**
 * The integrator side of bench:ingest's "subscribers on" run: a webhook receiver on loopback
 * (subscribed to geofence and alert events, every signature verified) and one SSE client
 * (the same types), each measuring how long after the event's `at` (position time for events
 * caused by positions) it arrived.
 *
 * Run by bench:ingest as a process of its own, at the lowest CPU priority:
 *   tsx scripts/bench/event-subscribers.ts --url … --token … --port … --out stats.json
 * An integrator's receiver runs on its own machine; on the benchmark's two cores it would
 * otherwise take CPU from the server it is measuring, a cost the product does not have. It
 * writes `<out>.ready` once subscribed, its stats to `<out>` every 500 ms, and a last time on
 * SIGTERM before it exits.
 */
import { createHmac } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const TYPES = ['geofence.*', 'alert.*'];

export interface SubscriberStats {
  webhook: { received: number; badSignatures: number; outOfOrder: number; latencyMs: number[] };
  sse: { received: number; outOfOrder: number; latencyMs: number[] };
}

async function json(url: string, token: string, body?: unknown): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const parsed = await response.json();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

export async function startSubscribers(base: string, token: string, receiverPort: number): Promise<{ stats: SubscriberStats; stop(): Promise<SubscriberStats> }> {
  const stats: SubscriberStats = {
    webhook: { received: 0, badSignatures: 0, outOfOrder: 0, latencyMs: [] },
    sse: { received: 0, outOfOrder: 0, latencyMs: [] },
  };
  let secret = '';
  // Webhooks promise order per aggregate (versions increase), not the tenant's total order.
  const lastVersion = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const expected = 'sha256=' + createHmac('sha256', secret).update(`${req.headers['x-geofleet-timestamp']}.${body}`).digest('hex');
      if (expected !== req.headers['x-geofleet-signature']) stats.webhook.badSignatures++;
      const event = JSON.parse(body) as { seq?: number; at?: string; version?: number; aggregate?: { id: string } };
      if (event.seq !== undefined) {
        const key = event.aggregate!.id;
        if (event.version! <= (lastVersion.get(key) ?? 0)) stats.webhook.outOfOrder++;
        lastVersion.set(key, event.version!);
        stats.webhook.received++;
        stats.webhook.latencyMs.push(Date.now() - Date.parse(event.at!));
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(receiverPort, '127.0.0.1', resolve));
  const created = await json(`${base}/api/v1/webhooks`, token, { url: `http://127.0.0.1:${receiverPort}/hook`, types: TYPES, description: 'bench:ingest' });
  secret = created.webhook.secret;

  const { ticket } = await json(`${base}/api/v1/events/stream-ticket`, token);
  const abort = new AbortController();
  const stream = await fetch(`${base}/api/v1/events/stream?ticket=${ticket}&types=${TYPES.join(',')}`, { signal: abort.signal });
  if (!stream.ok || !stream.body) throw new Error(`SSE stream: ${stream.status}`);
  let lastSseSeq = 0;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = message.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const event = JSON.parse(data.slice(6)) as { seq: number; at: string };
          if (event.seq <= lastSseSeq) stats.sse.outOfOrder++;
          lastSseSeq = event.seq;
          stats.sse.received++;
          stats.sse.latencyMs.push(Date.now() - Date.parse(event.at));
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();

  return {
    /** Filled as events arrive. */
    stats,
    async stop() {
      abort.abort();
      await reading;
      await new Promise((resolve) => receiver.close(resolve));
      receiver.closeAllConnections();
      return stats;
    },
  };
}

/** Writes atomically, so a reader never sees half a file. */
function writeStats(out: string, stats: SubscriberStats): void {
  writeFileSync(`${out}.tmp`, JSON.stringify(stats));
  renameSync(`${out}.tmp`, out);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { url: { type: 'string' }, token: { type: 'string' }, port: { type: 'string' }, out: { type: 'string' } } });
  const out = values.out!;
  const subscribers = await startSubscribers(values.url!, values.token!, Number(values.port));
  writeStats(out, subscribers.stats);
  writeFileSync(`${out}.ready`, '');
  const timer = setInterval(() => writeStats(out, subscribers.stats), 500);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void subscribers.stop().then((stats) => {
      writeStats(out, stats);
      process.exit(0);
    });
  });
}

if (process.argv[1]?.endsWith('event-subscribers.ts')) {
  main().catch((error: unknown) => {
    console.error(`event subscribers failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  });
}
