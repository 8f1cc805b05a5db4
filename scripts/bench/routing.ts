/**
 * Routing benchmark: graph build time and memory, and route query times, on real OSM networks
 * read in memory through the import's reader (no database).
 *
 *   npm run bench:routing -- [--queries 2000] [--seed 1] [--network baltimore|liechtenstein|all]
 *
 * For each network: reading the file (import reader), building the graph and its ALT landmarks
 * (best of 3), bytes of its typed arrays per node and per arc, heap growth while holding it, then p50/p95/p99 of
 * whole route() calls (snap both ends + A* + geometry and steps) between random points on the
 * network, for optimize=time and optimize=distance. Writes bench-results/routing-<timestamp>.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildRoadGraph, graphBytes, type RoadGraph } from '../../server/roads/graph/build';
import { random } from '../../server/roads/graph/fixtures';
import { readRoadSegmentRows } from '../../server/roads/graph/from-osm';
import { RoadRouter, type RoutePoint } from '../../server/roads/routing/route';

const NETWORKS: Record<string, { file: string; targetP95Ms: number }> = {
  baltimore: { file: 'data/osm/baltimore.osm.pbf', targetP95Ms: 5 },
  liechtenstein: { file: '../shared/data/osm/liechtenstein.osm.pbf', targetP95Ms: 20 },
};

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    network: { type: 'string', default: 'all' },
  },
});
const QUERIES = Number(args.queries);
const ROOT = path.resolve(import.meta.dirname, '../..');

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A random position on a random segment (weighted by segment, not length). */
function randomPoint(g: RoadGraph, rnd: () => number, label: string): RoutePoint {
  const s = Math.floor(rnd() * g.segmentCount);
  const start = g.coordStart[s]!;
  const pieces = (g.coordStart[s + 1]! - start) / 2 - 1;
  const i = start + Math.floor(rnd() * pieces) * 2;
  const t = rnd();
  return { label, lng: g.coords[i]! + t * (g.coords[i + 2]! - g.coords[i]!), lat: g.coords[i + 1]! + t * (g.coords[i + 3]! - g.coords[i + 1]!) };
}

const heapUsed = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

async function benchNetwork(name: string, file: string, targetP95Ms: number) {
  const full = path.resolve(ROOT, file);
  if (!existsSync(full)) {
    console.log(`${name}: ${file} not found, skipped`);
    return null;
  }
  let t = performance.now();
  const rows = await readRoadSegmentRows(full);
  const readMs = performance.now() - t;

  const before = heapUsed();
  const buildTimes: number[] = [];
  let built = buildRoadGraph(rows);
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    built = buildRoadGraph(rows);
    buildTimes.push(performance.now() - t);
  }
  const graph = built.graph;
  const landmarkTimes: number[] = [];
  let router = new RoadRouter(graph);
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    router = new RoadRouter(graph);
    landmarkTimes.push(performance.now() - t);
  }
  const heldBytes = heapUsed() - before;
  const bytes = graphBytes(graph);
  const routerBytes = router.bytes;

  const results: Record<string, unknown> = {};
  for (const optimize of ['time', 'distance'] as const) {
    const rnd = random(Number(args.seed));
    // Warm-up.
    for (let i = 0; i < 100; i++) router.route([randomPoint(graph, rnd, 'from'), randomPoint(graph, rnd, 'to')], { optimize });
    const times: number[] = [];
    const settled: number[] = [];
    let unreachable = 0;
    let offNetwork = 0;
    let distance = 0;
    for (let i = 0; i < QUERIES; i++) {
      const points = [randomPoint(graph, rnd, 'from'), randomPoint(graph, rnd, 'to')];
      const t0 = performance.now();
      const result = router.route(points, { optimize });
      times.push(performance.now() - t0);
      settled.push(router.lastSettled);
      if (result.ok) distance += result.route.properties.distanceM;
      else if (result.error.code === 'UNREACHABLE') unreachable++;
      else offNetwork++;
    }
    times.sort((a, b) => a - b);
    settled.sort((a, b) => a - b);
    results[optimize] = {
      queries: QUERIES,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      p99Ms: percentile(times, 99),
      maxMs: times[times.length - 1],
      meanMs: times.reduce((a, b) => a + b, 0) / times.length,
      settledP50: percentile(settled, 50),
      settledP95: percentile(settled, 95),
      unreachable,
      offNetwork,
      meanRouteKm: distance / 1000 / Math.max(1, QUERIES - unreachable - offNetwork),
    };
  }
  return {
    network: name,
    file,
    rows: rows.length,
    readMs,
    nodes: graph.nodeCount,
    segments: graph.segmentCount,
    arcs: graph.arcCount,
    coordinates: graph.coords.length / 2,
    buildMsBest: Math.min(...buildTimes),
    buildMsAll: buildTimes,
    landmarks: router.landmarks?.count ?? 0,
    landmarksMsBest: Math.min(...landmarkTimes),
    graphBytes: bytes,
    bytesPerNode: bytes / graph.nodeCount,
    bytesPerArc: bytes / graph.arcCount,
    routerBytes,
    routerBytesPerNode: routerBytes / graph.nodeCount,
    heapGrowthBytes: heldBytes,
    targetP95Ms: targetP95Ms,
    queries: results,
  };
}

const fmt = (x: number) => x.toFixed(2);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (timings on a busy machine run long)`);
const report: unknown[] = [];
for (const [name, { file, targetP95Ms }] of Object.entries(NETWORKS)) {
  if (args.network !== 'all' && args.network !== name) continue;
  const r = await benchNetwork(name, file, targetP95Ms);
  if (!r) continue;
  report.push(r);
  console.log(`\n${name}: ${r.rows} segment rows read in ${r.readMs.toFixed(0)} ms`);
  console.log(`  graph: ${r.nodes} nodes, ${r.segments} segments, ${r.arcs} arcs, ${r.coordinates} coordinates`);
  console.log(`  build: graph ${r.buildMsBest.toFixed(1)} ms (best of 3: ${r.buildMsAll.map((x) => x.toFixed(0)).join(', ')}), ${r.landmarks} landmarks ${r.landmarksMsBest.toFixed(1)} ms`);
  console.log(
    `  memory: ${(r.graphBytes / 1048576).toFixed(2)} MiB in typed arrays + index (${r.bytesPerNode.toFixed(0)} B/node, ${r.bytesPerArc.toFixed(0)} B/arc) + ${(r.routerBytes / 1048576).toFixed(2)} MiB landmarks and search state (${r.routerBytesPerNode.toFixed(0)} B/node); heap+arrays growth ${(r.heapGrowthBytes / 1048576).toFixed(2)} MiB${(globalThis as { gc?: unknown }).gc ? '' : ' (run with --expose-gc for an exact figure)'}`,
  );
  for (const [optimize, q] of Object.entries(r.queries) as [string, Record<string, number>][]) {
    const verdict = q.p95Ms! <= r.targetP95Ms ? 'within' : 'OVER';
    console.log(
      `  route optimize=${optimize}: p50 ${fmt(q.p50Ms!)} ms, p95 ${fmt(q.p95Ms!)} ms (${verdict} target ${r.targetP95Ms} ms), p99 ${fmt(q.p99Ms!)} ms, max ${fmt(q.maxMs!)} ms; settled nodes p50 ${q.settledP50}, p95 ${q.settledP95}; ${q.unreachable} unreachable, ${q.offNetwork} off network; mean route ${q.meanRouteKm!.toFixed(2)} km`,
    );
  }
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `routing-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, loadAverage: os.loadavg(), queriesPerNetwork: QUERIES, networks: report }, null, 2));
console.log(`\nwrote ${path.relative(ROOT, out)}`);
