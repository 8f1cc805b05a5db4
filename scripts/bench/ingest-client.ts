/**
 * Client side of the ingest benchmark, run by scripts/bench/ingest.ts as two processes so that
 * neither side starves the other: `--role devices` sends positions over /driver at a steady rate
 * and records what was acknowledged; `--role dashboards` subscribes to the fleet on /fleet and
 * records frames, bytes and device→dashboard latency. Each writes JSON to --out when done.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { PositionsFrame, SubscribeAck } from '../../server/protocol/fleet';
import { decodeEntries } from '../../server/protocol/fleet-frame';
import type { PositionsAck } from '../../server/protocol/position';

const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    ids: { type: 'string' }, // file with a JSON array of vehicle ids
    rate: { type: 'string' }, // positions per second, whole fleet
    duration: { type: 'string' },
    dashboards: { type: 'string', default: '1' },
    connections: { type: 'string', default: '4' },
    out: { type: 'string' },
  },
});
const url = values.url!;
const token = values.token!;
const durationMs = Number(values.duration) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function open(namespace: string): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { auth: { token }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function dashboards(): Promise<void> {
  const latencies: number[] = [];
  const receivedAt: number[] = [];
  const stats: Array<{ bytes: number; frames: number }> = [];
  let entries = 0;
  let naiveBytes = 0;
  const idOf = new Map<number, string>();
  const state = new Map<number, { lng?: number; lat?: number; speed?: number | null; heading?: number | null; battery?: number | null; ts?: number }>();
  const micro = (x: number | undefined) => Math.round(Number(x) * 1e6) / 1e6;
  for (let d = 0; d < Number(values.dashboards); d++) {
    const socket = await open('/fleet');
    const own = { bytes: 0, frames: 0 };
    stats.push(own);
    const ack = (await socket.timeout(60_000).emitWithAck('subscribe', { scope: 'fleet' })) as SubscribeAck;
    if (!ack.ok) throw new Error(`subscribe failed: ${ack.error.message}`);
    socket.io.engine.on('packet', (packet: { type: string; data?: unknown }) => {
      // + 2 bytes of WebSocket frame header per message
      if (packet.type === 'message' && typeof packet.data === 'string') own.bytes += packet.data.length + 2;
    });
    socket.on('positions', () => (own.frames += 1));
    if (d > 0) continue;
    // The first dashboard decodes everything, as a map would, and measures latency and what
    // naive one-message-per-position JSON would have cost.
    for (const v of ack.vehicles) {
      idOf.set(v.idx, v.id);
      if (v.live) state.set(v.idx, { ...v.live });
    }
    socket.on('positions', (frame: PositionsFrame) => {
      const now = Date.now();
      decodeEntries(frame.v, frame.at, ({ idx, relative, ...entry }) => {
        entries += 1;
        const held = state.get(idx) ?? {};
        if (relative) {
          if (entry.lng !== undefined) entry.lng += Number(held.lng);
          if (entry.lat !== undefined) entry.lat += Number(held.lat);
        }
        const full = { ...held, ...entry };
        state.set(idx, full);
        const naive = { id: idOf.get(idx), lng: micro(full.lng), lat: micro(full.lat), speed: full.speed, heading: full.heading, battery: full.battery, ts: full.ts };
        naiveBytes += `42["position",${JSON.stringify(naive)}]`.length + 2;
        if (entry.ts !== undefined) {
          latencies.push(now - entry.ts);
          receivedAt.push(now);
        }
      });
    });
  }
  const started = Date.now();
  writeFileSync(`${values.out}.ready`, '');
  await sleep(durationMs + 3000);
  writeFileSync(values.out!, JSON.stringify({ elapsed: (Date.now() - started) / 1000, latencies, receivedAt, entries, naiveBytes, dashboards: stats }));
}

async function devices(): Promise<void> {
  const ids: string[] = JSON.parse(readFileSync(values.ids!, 'utf8'));
  const rate = Number(values.rate);
  const TICK_MS = 20;
  const CENTER = [13.405, 52.515] as const;
  const sockets = await Promise.all(Array.from({ length: Number(values.connections) }, () => open('/driver')));
  const acked: Array<[number, number]> = []; // [vehicle index, ts] of accepted positions
  const ackLatencies: number[] = [];
  const rejectedCodes: Record<string, number> = {};
  let sent = 0;
  let accepted = 0;
  let rejected = 0;
  let inFlight = 0;
  let cursor = 0;
  let connection = 0;
  const lastTs = new Float64Array(ids.length);
  const started = Date.now();

  const sendBatch = (count: number, now: number) => {
    const batch: object[] = [];
    const keys: Array<[number, number]> = [];
    for (let k = 0; k < count; k++) {
      const i = cursor;
      cursor = (cursor + 1) % ids.length;
      const ts = Math.max(now, lastTs[i]! + 1); // strictly increasing per vehicle: no duplicates
      lastTs[i] = ts;
      const angle = (i * 2.399 + ts / 60_000) % (2 * Math.PI);
      const radius = 0.02 + (i % 100) / 1000;
      batch.push({ vehicleId: ids[i], lat: CENTER[1] + radius * Math.sin(angle), lng: CENTER[0] + radius * Math.cos(angle) * 1.6, timestamp: ts, speed: 30 + (i % 40), heading: (i * 7) % 360, battery: 80 });
      keys.push([i, ts]);
    }
    sent += count;
    inFlight += 1;
    const emitted = Date.now();
    sockets[connection++ % sockets.length]!.timeout(60_000).emit('positions', batch, (error: Error | null, ack?: PositionsAck) => {
      inFlight -= 1;
      ackLatencies.push(Date.now() - emitted);
      if (error || !ack) {
        rejected += count;
        rejectedCodes.TIMEOUT = (rejectedCodes.TIMEOUT ?? 0) + count;
        return;
      }
      accepted += ack.accepted;
      rejected += ack.rejected.length;
      const refused = new Set(ack.rejected.map((r) => r.index));
      for (const r of ack.rejected) rejectedCodes[r.code] = (rejectedCodes[r.code] ?? 0) + 1;
      keys.forEach((key, index) => refused.has(index) || acked.push(key));
    });
  };

  while (Date.now() - started < durationMs) {
    const now = Date.now();
    // Catch up with the schedule (rate × elapsed), in batches of at most 500.
    let due = Math.floor((rate * (now - started)) / 1000) - sent;
    while (due > 0) {
      const count = Math.min(due, 500);
      due -= count;
      sendBatch(count, now);
    }
    await sleep(TICK_MS);
  }
  const elapsed = (Date.now() - started) / 1000;
  const drainStart = Date.now();
  while (inFlight > 0 && Date.now() - drainStart < 60_000) await sleep(20);
  writeFileSync(values.out!, JSON.stringify({ elapsed, sent, accepted, rejected, rejectedCodes, acked, ackLatencies }));
}

await (values.role === 'dashboards' ? dashboards() : devices());
process.exit(0);
