/**
 * Live map benchmark: streams 10,000 and then 100,000 simulated vehicles at 1 Hz into the
 * dashboard in headless Chromium and measures what the dashboard's live-data path costs.
 *
 * A server (fresh database, demo seed, simulator off) serves the real /map page to a signed-in
 * manager. A Web Worker in the page plays the server: it sends `positions` frames in the wire
 * format (server/protocol/fleet-frame.ts, relative coordinates) of at most 2,000 vehicles (the
 * server's batch size) — 10 a second for 10,000 vehicles, 50 for 100,000 — so each vehicle moves
 * once a second. The main thread hands each frame to the same store
 * call the socket handler makes. Measured over MEASURE_S seconds after WARMUP_S:
 *  - update work per animation frame: User Timing measures `geofleet:apply` (frame decode into
 *    the typed arrays) and `geofleet:frame` (glide + layer props), summed per animation frame;
 *  - script time per frame from Long Animation Frames (Chromium reports frames over 50 ms);
 *  - frame times (requestAnimationFrame deltas): p95 and fps;
 *  - React commits while streaming vs. an equally long quiet window (a devtools-hook counter);
 *  - the longest single update span (a long task from the live path would show here).
 * Software WebGL (SwiftShader) draws slowly here: fps is reported, not judged.
 *
 *   npm run bench:map [-- --sizes 10000,100000 --measure 10]
 *
 * Writes bench-results/map-<date>.json. With DATABASE_URL the server uses a scratch database on
 * that server (created and dropped), else an embedded PostGIS in a temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from '@playwright/test';
import { VehicleStore } from '../../components/map/vehicle-store';
import type { VehicleSnapshot } from '../../server/protocol/fleet';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const root = path.resolve(import.meta.dirname, '../..');
const BENCH_DB = 'geofleet_bench_map';
const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    measure: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '4' },
    port: { type: 'string', default: '3197' },
  },
});
const SIZES = args.sizes.split(',').map(Number);
const MEASURE_S = Number(args.measure);
const WARMUP_S = Number(args.warmup);
const PORT = Number(args.port);
const BASE = `http://127.0.0.1:${PORT}`;

/** Starts the server in its own process group and resolves once /api/health answers. */
async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline && !exited) {
    const healthy = await fetch(`${BASE}/api/health`).then((r) => r.ok, () => false);
    if (healthy) return child;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!exited) process.kill(-child.pid!, 'SIGTERM');
  throw new Error('the server did not start');
}

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs in the page before any script: counts React commits and turns on the User Timing measures. */
function instrument() {
  const w = window as unknown as Record<string, unknown>;
  w.__geofleetMarks = true;
  w.__commits = 0;
  w.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    renderers: new Map(),
    inject: () => 1,
    onCommitFiberRoot: () => {
      (w.__commits as number)++;
    },
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onScheduleFiberRoot: () => undefined,
    checkDCE: () => undefined,
  };
}

interface WindowSample {
  frames: number[];
  updatePerFrame: number[];
  maxUpdateSpanMs: number;
  applyMs: number[];
  frameSpanMs: number[];
  /** Long-animation-frame script time by invoker, ms (where the time went). */
  loafByInvoker: Record<string, number>;
  loafScriptMs: number[];
  loafCount: number;
  commits: number;
  appliedFrames: number;
  seconds: number;
}

/**
 * Streams (or, with `stream` false, stays quiet) for `seconds` and samples the page. The worker
 * keeps running between calls; `stream` toggles it.
 */
function sampleWindow(page: Page, seconds: number, stream: boolean): Promise<WindowSample> {
  return page.evaluate(
    ({ seconds, stream }) =>
      new Promise<WindowSample>((resolve) => {
        const w = window as unknown as { __benchWorker: Worker; __commits: number; __benchApplied: number };
        w.__benchWorker.postMessage({ stream });
        performance.clearMeasures();
        const frames: number[] = [];
        const spans: Array<[number, number]> = [];
        const applyMs: number[] = [];
        const frameSpanMs: number[] = [];
        const loafScripts: number[] = [];
        const loafByInvoker: Record<string, number> = {};
        const loaf = new PerformanceObserver((list) => {
          for (const e of list.getEntries() as Array<PerformanceEntry & { scripts?: Array<{ duration: number; invoker: string; sourceFunctionName: string }> }>) {
            loafScripts.push((e.scripts ?? []).reduce((sum, s) => sum + s.duration, 0));
            for (const script of e.scripts ?? []) {
              const key = `${script.invoker}${script.sourceFunctionName ? ` (${script.sourceFunctionName})` : ''}`.slice(0, 120);
              loafByInvoker[key] = (loafByInvoker[key] ?? 0) + script.duration;
            }
          }
        });
        try {
          loaf.observe({ type: 'long-animation-frame' });
        } catch {
          // not supported: reported as empty
        }
        const commits0 = w.__commits, applied0 = w.__benchApplied;
        const t0 = performance.now();
        let last = t0;
        const tick = (now: number) => {
          frames.push(now - last);
          last = now;
          if (now - t0 < seconds * 1000) {
            requestAnimationFrame(tick);
            return;
          }
          loaf.disconnect();
          // From the timeline itself: an observer's callbacks can come too late on a starved page.
          for (const e of performance.getEntriesByType('measure')) {
            if (e.startTime < t0 || e.startTime > now) continue;
            spans.push([e.startTime, e.duration]);
            (e.name === 'geofleet:apply' ? applyMs : frameSpanMs).push(e.duration);
          }
          // Update work per animation frame: the spans that started between two frame callbacks.
          const bounds = [t0];
          for (const f of frames) bounds.push(bounds[bounds.length - 1]! + f);
          const updatePerFrame = frames.map(() => 0);
          let maxUpdateSpanMs = 0;
          for (const [start, duration] of spans) {
            maxUpdateSpanMs = Math.max(maxUpdateSpanMs, duration);
            let k = 0;
            while (k < frames.length - 1 && bounds[k + 1]! <= start) k++;
            updatePerFrame[k]! += duration;
          }
          resolve({
            frames,
            updatePerFrame,
            maxUpdateSpanMs,
            applyMs,
            frameSpanMs,
            loafByInvoker,
            loafScriptMs: loafScripts,
            loafCount: loafScripts.length,
            commits: w.__commits - commits0,
            appliedFrames: w.__benchApplied - applied0,
            seconds: (now - t0) / 1000,
          });
        };
        requestAnimationFrame(tick);
      }),
    { seconds, stream },
  );
}

/** Loads `n` vehicles into the dashboard's store and starts the frame worker (paused). */
async function loadFleet(page: Page, n: number): Promise<{ snapshotMs: number }> {
  return page.evaluate((n) => {
    const hooks = window.__geofleet!;
    const w = window as unknown as { __benchWorker?: Worker; __benchApplied: number };
    w.__benchWorker?.terminate();
    w.__benchApplied = 0;
    // Around Berlin, inside the view the map fitted to the demo fleet.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const vehicles = [];
    const start = [] as number[];
    for (let i = 0; i < n; i++) {
      const lng = 13.15 + random() * 0.5, lat = 52.38 + random() * 0.25;
      start.push(Math.round(lng * 1e6), Math.round(lat * 1e6));
      vehicles.push({
        id: `bench-${i}`,
        idx: 1_000_000 + i,
        name: `Bench ${i}`,
        plate: null,
        type: 'van',
        online: true,
        live: { id: `bench-${i}`, lng, lat, speed: 30, heading: 90, battery: 80, ts: Date.now() },
      });
    }
    const t0 = performance.now();
    hooks.loadSnapshot(vehicles);
    const snapshotMs = performance.now() - t0;

    // The worker: one frame per slice of the fleet, ≤ 2,000 vehicles each (the server's batch
    // size: one frame per write), relative coordinates like the server sends.
    const source = `
      const n = ${n}, SLICES = Math.max(10, Math.ceil(n / 2000)), STEP_MS = 1000 / SLICES;
      const micro = new Int32Array(${JSON.stringify(start)});
      const heading = new Float32Array(n).map(() => Math.random() * 360);
      let stream = false, slice = 0;
      onmessage = (e) => { stream = e.data.stream; };
      setInterval(() => {
        if (!stream) return;
        const at = Date.now(), v = [];
        for (let i = slice; i < n; i += SLICES) {
          heading[i] = (heading[i] + (Math.random() - 0.5) * 20 + 360) % 360;
          const rad = heading[i] * Math.PI / 180, meters = 8 + Math.random() * 6;
          const dlng = Math.round(Math.sin(rad) * meters / 68000 * 1e6), dlat = Math.round(Math.cos(rad) * meters / 111000 * 1e6);
          micro[i * 2] += dlng; micro[i * 2 + 1] += dlat;
          // idx, mask (lng lat speed heading ts relative), values
          v.push(${1_000_000} + i, 1 | 2 | 4 | 8 | 32 | 64, dlng, dlat, Math.round(meters * 36), Math.round(heading[i] * 10), 5 + Math.round(Math.random() * 20));
        }
        slice = (slice + 1) % SLICES;
        postMessage({ at, v });
      }, STEP_MS);
    `;
    const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    worker.onmessage = (e: MessageEvent) => {
      hooks.applyFrame(e.data);
      w.__benchApplied++;
    };
    w.__benchWorker = worker;
    return { snapshotMs };
  }, n);
}

/**
 * The same store code in Node, without a browser drawing beside it: 12 s of simulated time at
 * 60 fps (the first 2 s not counted), frames as in the page. Separates the update path's own
 * cost from a machine whose software WebGL starves the page of frames.
 */
function storeInNode(n: number) {
  const store = new VehicleStore();
  const t = Date.now();
  const snapshot: VehicleSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    snapshot.push({ id: `b${i}`, idx: i + 1, name: `B ${i}`, plate: null, type: 'van', online: true, live: { id: `b${i}`, lng: 13.15 + (i % 500) / 1000, lat: 52.38 + Math.floor(i / 500) / 4000, speed: 30, heading: 90, battery: 80, ts: t } });
  }
  store.loadSnapshot(snapshot);
  const slices = Math.max(10, Math.ceil(n / 2000));
  const apply: number[] = [];
  const frame: number[] = [];
  let now = t, nextFrame = t;
  for (let step = 0; step < slices * 12; step++) {
    const counted = step >= slices * 2;
    const v: number[] = [];
    for (let i = step % slices; i < n; i += slices) v.push(i + 1, 1 | 2 | 4 | 8 | 32 | 64, 90, -60, 300 + (step % 7), 900 + step, 12);
    now += 1000 / slices;
    let start = performance.now();
    store.applyFrame({ at: now, v }, now);
    if (counted) apply.push(performance.now() - start);
    while (nextFrame + 1000 / 60 <= now) {
      nextFrame += 1000 / 60;
      start = performance.now();
      store.advance(nextFrame);
      if (counted) frame.push(performance.now() - start);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const applyMsPerSecond = mean(apply) * slices;
  return {
    applyMeanMs: round(mean(apply), 3),
    applyMaxMs: round(Math.max(...apply), 2),
    glideMeanMs: round(mean(frame), 3),
    glideP95Ms: round(quantile(frame, 0.95), 3),
    updateMsPerFrameAt60fps: round(applyMsPerSecond / 60 + mean(frame), 3),
  };
}

function summarize(n: number, snapshotMs: number, streaming: WindowSample, quiet: WindowSample) {
  const update = streaming.updatePerFrame;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const applyMsPerSecond = sum(streaming.applyMs) / streaming.seconds;
  const frameSpanMean = mean(streaming.frameSpanMs);
  const topInvokers = Object.entries(streaming.loafByInvoker)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([invoker, ms]) => ({ invoker, msPerSecond: round(ms / streaming.seconds, 1) }));
  return {
    vehicles: n,
    positionsPerSecond: n,
    snapshotLoadMs: round(snapshotMs),
    /** Decoding frames into the typed arrays: per second, per frame applied, longest. */
    apply: { msPerSecond: round(applyMsPerSecond, 2), meanMs: round(mean(streaming.applyMs), 3), maxMs: round(Math.max(0, ...streaming.applyMs), 2), count: streaming.applyMs.length },
    /** Glide + layer props, once per animation frame that had something to move. */
    glideAndLayer: { meanMs: round(frameSpanMean, 3), p95Ms: round(quantile(streaming.frameSpanMs, 0.95), 3), maxMs: round(Math.max(0, ...streaming.frameSpanMs), 2), count: streaming.frameSpanMs.length },
    /** What one frame would carry at 60 fps: a 60th of a second's applies plus one glide step. */
    updateMsPerFrameAt60fps: round(applyMsPerSecond / 60 + frameSpanMean, 3),
    loafTopInvokers: topInvokers,
    frameUpdateMs: { mean: round(mean(update), 3), p95: round(quantile(update, 0.95), 3), max: round(Math.max(0, ...update), 3) },
    updateMsPerSecond: round(update.reduce((a, b) => a + b, 0) / streaming.seconds),
    longestUpdateSpanMs: round(streaming.maxUpdateSpanMs, 3),
    longAnimationFrames: {
      count: streaming.loafCount,
      scriptMsMean: round(mean(streaming.loafScriptMs)),
      scriptMsP95: round(quantile(streaming.loafScriptMs, 0.95)),
    },
    frameTimeMs: { p50: round(quantile(streaming.frames, 0.5), 1), p95: round(quantile(streaming.frames, 0.95), 1) },
    fps: round(streaming.frames.length / streaming.seconds, 1),
    frames: streaming.frames.length,
    positionFramesApplied: streaming.appliedFrames,
    reactCommits: { streaming: streaming.commits, quietSameLength: quiet.commits },
    storeInNode: storeInNode(n),
  };
}

async function main(): Promise<void> {
  const embedded = !process.env.DATABASE_URL;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'geofleet-bench-map-'));
  const databaseUrl = embedded ? undefined : await recreateDatabase(process.env.DATABASE_URL!, BENCH_DB);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(PORT),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    SIMULATOR: '0',
    DEMO_SEED: '1',
    OSMAND_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  if (!databaseUrl) delete env.DATABASE_URL;
  const server = await startServer(env);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps functions in __name(): the page needs it to run what we send.
    await page.addInitScript('globalThis.__name = (f) => f;');
    await page.addInitScript(instrument);
    await page.goto(`${BASE}/login`);
    await page.getByLabel('Email').fill('manager@demo.geofleet.dev');
    await page.getByLabel('Password').fill('demo-manager');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/map');
    await page.waitForFunction(() => (window.__geofleet?.vehicleCount() ?? 0) > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(2_000);

    mkdirSync(path.join(root, 'bench-results'), { recursive: true });
    const results = [];
    for (const n of SIZES) {
      const { snapshotMs } = await loadFleet(page, n);
      await sampleWindow(page, WARMUP_S, true);
      const streaming = await sampleWindow(page, MEASURE_S, true);
      const quiet = await sampleWindow(page, MEASURE_S, false);
      const summary = summarize(n, snapshotMs, streaming, quiet);
      results.push(summary);
      console.log(
        `${n.toLocaleString('en-US')} vehicles @1 Hz: apply ${summary.apply.msPerSecond} ms/s (max ${summary.apply.maxMs} ms), glide+layer ${summary.glideAndLayer.meanMs} ms/frame (max ${summary.glideAndLayer.maxMs}) → ${summary.updateMsPerFrameAt60fps} ms per frame at 60 fps; ` +
          `measured here per frame mean ${summary.frameUpdateMs.mean} ms, p95 ${summary.frameUpdateMs.p95} ms ` +
          `(longest span ${summary.longestUpdateSpanMs} ms; ${summary.updateMsPerSecond} ms/s) · LoAF ${summary.longAnimationFrames.count} frames, script mean ${summary.longAnimationFrames.scriptMsMean} ms · ` +
          `frame p95 ${summary.frameTimeMs.p95} ms, ${summary.fps} fps · React commits ${summary.reactCommits.streaming} streaming / ${summary.reactCommits.quietSameLength} quiet · snapshot ${summary.snapshotLoadMs} ms · ` +
          `same store in Node: apply ${summary.storeInNode.applyMeanMs} ms per frame of ${Math.min(n / 10, 2000)}, glide ${summary.storeInNode.glideMeanMs} ms per animation frame → ${summary.storeInNode.updateMsPerFrameAt60fps} ms per frame at 60 fps`,
      );
      await page.screenshot({ path: path.join(root, 'bench-results', `map-${n}.png`) }).catch(() => undefined);
    }
    const out = {
      date: new Date().toISOString(),
      browser: `Chromium ${browser.version()} headless, SwiftShader WebGL`,
      measureSeconds: MEASURE_S,
      note: 'fps and frame times reflect software WebGL on a shared 2-core machine; update work is the cost the dashboard controls',
      results,
    };
    const file = path.join(root, 'bench-results', `map-${out.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(out, null, 2));
    console.log(`written ${path.relative(root, file)}`);
  } finally {
    await browser.close();
    process.kill(-server.pid!, 'SIGTERM');
    await new Promise((r) => server.once('exit', r));
    if (databaseUrl) await dropDatabase(process.env.DATABASE_URL!, BENCH_DB);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
