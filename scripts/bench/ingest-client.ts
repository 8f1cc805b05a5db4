/**
 * Client side of the ingest benchmark, run by scripts/bench/ingest.ts as two processes so that
 * neither side starves the other: `--role devices` sends positions over /driver at a steady rate
 * and records what was acknowledged; `--role dashboards` subscribes to the fleet on /fleet and
 * records frames, bytes and device→dashboard latency. Each writes JSON to --out when done.
 *
 * Devices drive the loops in --drives (scripts/bench/ingest-paths.ts: real streets, one sample a
 * second as the demo fleet drives them): vehicle i drives loop i mod loops, from an offset of its own, and sends
 * where it is at each position's timestamp with GPS noise (σ ≈ 4 m), its speed and heading. Kept
 * cheap (an interpolation and two Gaussians per position) so the client is not the bottleneck.
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
    drives: { type: 'string' }, // file with the loops to drive: [[lng, lat, heading, speed km/h, …] per second, …]
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
  const loops = (JSON.parse(readFileSync(values.drives!, 'utf8')) as number[][]).map((d) => ({ samples: Float64Array.from(d), seconds: d.length / 4 }));
  // Where on its loop each vehicle starts (s), spread so vehicles sharing a loop are apart.
  const offsetS = Float64Array.from(ids, (_, i) => (i * 7919.37) % loops[i % loops.length]!.seconds);
  const NOISE_DEG = 4 / 111_320; // σ 4 m in latitude degrees (longitude scaled by 1/cos φ)
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
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
      const loop = loops[i % loops.length]!;
      const at = (ts / 1000 + offsetS[i]!) % loop.seconds;
      const k = Math.floor(at);
      const f = at - k;
      const a = k * 4;
      const b = ((k + 1) % loop.seconds) * 4;
      const s = loop.samples;
      const lat = s[a + 1]! + f * (s[b + 1]! - s[a + 1]!) + gaussian() * NOISE_DEG;
      const lng = s[a]! + f * (s[b]! - s[a]!) + (gaussian() * NOISE_DEG) / Math.cos((lat * Math.PI) / 180);
      const speed = Math.max(0, Math.round((s[a + 3]! + f * (s[b + 3]! - s[a + 3]!) + gaussian() * 0.5) * 10) / 10);
      batch.push({ vehicleId: ids[i], lat, lng, timestamp: ts, speed, heading: s[a + 2]! % 360, accuracy: 5, battery: 80 });
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
