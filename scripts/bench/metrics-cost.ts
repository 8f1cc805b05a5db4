/**
 * What the Prometheus metrics cost the ingest process, measured directly (no database, no
 * sockets): a scrape (`registry.metrics()`, run on the event loop every scrape interval) with
 * HTTP routes, stages and histograms filled as a busy server has them, and the hooks the ingest
 * path calls per committed batch (batch size, commit time, device→commit, publish, two stages).
 * The `bench:ingest -- --metrics ab` A/B shows the effect end to end; on a shared two-core
 * machine its run-to-run spread is wider than this cost, which is why this figure exists.
 *
 *   npm run bench:metrics-cost
 *   npm run bench:metrics-cost -- --scrapes 200 --batches 200000
 *
 * Prints a summary; writes bench-results/metrics-cost-<ts>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createTelemetry } from '../../server/telemetry/metrics';
import { fakeSources } from '../../server/telemetry/test-sources';

const { values } = parseArgs({
  options: {
    scrapes: { type: 'string', default: '100' },
    batches: { type: 'string', default: '100000' },
    routes: { type: 'string', default: '60' },
  },
});
const SCRAPES = Number(values.scrapes);
const BATCHES = Number(values.batches);
const ROUTES = Number(values.routes);

// The scrape-time sources are plain numbers; what costs is the histograms and their label sets.
const telemetry = createTelemetry(fakeSources());
// Every label combination a busy server has: routes × methods × statuses, each stage.
for (let i = 0; i < ROUTES; i++) {
  for (const [method, status] of [['GET', 200], ['POST', 201], ['GET', 404], ['POST', 400]] as const) telemetry.httpRequest(`/api/v1/route-${i}`, method, status, 0.004 * (i % 7));
}
for (const stage of ['geofence', 'route-progress', 'map-matching', 'driving', 'history']) telemetry.stageEvaluated(stage, 100, 0.002);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  const scrapeMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SCRAPES; i++) {
    const start = performance.now();
    bytes = (await telemetry.scrape()).body.length;
    scrapeMs.push(performance.now() - start);
  }
  scrapeMs.sort((a, b) => a - b);

  const start = performance.now();
  for (let i = 0; i < BATCHES; i++) {
    telemetry.batchCommitted(100, 0.012, 0.2);
    telemetry.batchPublished(0.004);
    telemetry.stageEvaluated('geofence', 100, 0.001);
    telemetry.stageEvaluated('route-progress', 100, 0.0004);
  }
  const usPerBatch = ((performance.now() - start) * 1000) / BATCHES;

  const summary = {
    scrapes: SCRAPES,
    scrapeBytes: bytes,
    scrapeMs: { p50: +percentile(scrapeMs, 50).toFixed(2), p95: +percentile(scrapeMs, 95).toFixed(2), max: +scrapeMs.at(-1)!.toFixed(2) },
    batches: BATCHES,
    hooksMicrosecondsPerBatch: +usPerBatch.toFixed(2),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
  };
  console.log(`metrics cost: a scrape (${(bytes / 1024).toFixed(0)} KB, ${ROUTES} routes) takes p50 ${summary.scrapeMs.p50} ms, p95 ${summary.scrapeMs.p95} ms, max ${summary.scrapeMs.max} ms of the event loop`);
  console.log(`  the ingest hooks cost ${summary.hooksMicrosecondsPerBatch} µs per committed batch (batch, commit, device→commit, publish, two stages)`);
  mkdirSync('bench-results', { recursive: true });
  const file = `bench-results/metrics-cost-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, JSON.stringify(summary, null, 2));
  console.log(`  → ${file}`);
}

void main();
