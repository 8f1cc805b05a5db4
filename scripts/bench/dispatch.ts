/**
 * bench:dispatch — the dispatch engine on the Baltimore road network (data/osm), in memory:
 *
 * 1. Single decision with 10,000 vehicles in the tenant: scoring every vehicle, road ETAs (A* on
 *    the tenant's graph, as the service does) for the `--routed` nearest eligible ones, factors,
 *    ranking. p50/p95 over `--decisions` random pickups. Target p95 ≤ 50 ms.
 * 2. Batch: 100 requests × 1,000 available vehicles, as the scheduler runs it (candidates and
 *    ETAs per request, then one assignment problem): scoring time, solve time, total score vs
 *    greedy on the same candidates. And the solver alone on the dense problem (every vehicle a
 *    candidate of every request, straight-line scores): 100 × 1,000 pairs. Target solve ≤ 1 s.
 *
 * Writes bench-results/dispatch-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assignBatch, scoreJob, type DispatchJob, type DispatchVehicle, type EngineOptions, type EtaFn } from '../../server/dispatch/engine';
import { greedy, hungarian, type Pair } from '../../server/dispatch/solver';
import { haversineMeters } from '../../server/geofence/geometry';
import { DEFAULT_WEIGHTS } from '../../server/protocol/dispatch';
import { buildRoadGraph, type RoadGraph } from '../../server/roads/graph/build';
import { random } from '../../server/roads/graph/fixtures';
import { readRoadSegmentRows } from '../../server/roads/graph/from-osm';
import { RoadRouter } from '../../server/roads/routing/route';

const { values: args } = parseArgs({
  options: {
    vehicles: { type: 'string', default: '10000' },
    decisions: { type: 'string', default: '200' },
    routed: { type: 'string', default: '8' },
    'batch-requests': { type: 'string', default: '100' },
    'batch-vehicles': { type: 'string', default: '1000' },
    network: { type: 'string', default: 'data/osm/baltimore.osm.pbf' },
  },
});
const ROOT = path.resolve(import.meta.dirname, '../..');
const N_VEHICLES = Number(args.vehicles);
const DECISIONS = Number(args.decisions);
const ROUTED = Number(args.routed);
const BATCH_REQUESTS = Number(args['batch-requests']);
const BATCH_VEHICLES = Number(args['batch-vehicles']);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function randomPoint(g: RoadGraph, rnd: () => number): { lng: number; lat: number } {
  const s = Math.floor(rnd() * g.segmentCount);
  const i = g.coordStart[s]!;
  const t = rnd();
  return { lng: g.coords[i]! + t * (g.coords[i + 2]! - g.coords[i]!), lat: g.coords[i + 1]! + t * (g.coords[i + 3]! - g.coords[i + 1]!) };
}

const TYPES = ['van', 'van', 'van', 'truck', 'car'];
function fleet(g: RoadGraph, n: number, rnd: () => number): DispatchVehicle[] {
  return Array.from({ length: n }, (_, i) => {
    const p = randomPoint(g, rnd);
    const type = TYPES[i % TYPES.length]!;
    const caps = new Set([type]);
    if (rnd() < 0.2) caps.add('refrigerated');
    const r = rnd();
    return {
      id: `v${i}`,
      name: `Vehicle ${i}`,
      driverId: `d${i}`,
      type,
      capabilities: caps,
      capacity: null,
      ...p,
      status: r < 0.1 ? 'OFFLINE' : r < 0.2 ? 'ON_TRIP' : 'ONLINE',
      heldPriority: -1,
      utilization: rnd(),
      drivingScore: rnd() < 0.8 ? 50 + rnd() * 50 : null,
    } satisfies DispatchVehicle;
  });
}

function job(g: RoadGraph, i: number, rnd: () => number): DispatchJob {
  return { id: `j${i}`, kind: 'service', priority: 'normal', ...randomPoint(g, rnd), capabilities: rnd() < 0.2 ? ['refrigerated'] : [], capacity: null, declined: new Set() };
}

console.log(`reading ${args.network}…`);
const rows = await readRoadSegmentRows(path.resolve(ROOT, args.network!));
const { graph } = buildRoadGraph(rows);
const router = new RoadRouter(graph);
console.log(`graph: ${graph.nodeCount} nodes, ${graph.segmentCount} segments`);
let routes = 0;
const eta: EtaFn = (v, j) => {
  routes++;
  const r = router.route([{ label: 'from', lng: v.lng, lat: v.lat }, { label: 'to', lng: j.lng, lat: j.lat }], { optimize: 'time' });
  return r.ok ? { etaS: r.route.properties.durationS, distanceM: r.route.properties.distanceM } : null;
};
const options: EngineOptions = { routed: ROUTED, weights: DEFAULT_WEIGHTS, emergencyUsesOnTrip: false };

// ── 1. single decisions ──
const rnd = random(42);
const big = fleet(graph, N_VEHICLES, rnd);
for (let i = 0; i < 20; i++) scoreJob(job(graph, i, rnd), big, eta, options); // warm-up
const times: number[] = [];
let roadWins = 0;
for (let i = 0; i < DECISIONS; i++) {
  const j = job(graph, i, rnd);
  const t0 = performance.now();
  const res = scoreJob(j, big, eta, options);
  times.push(performance.now() - t0);
  // How often the road ETA changed the answer: the winner is not the nearest as the crow flies.
  const nearestByCrow = [...res.eligible].sort((a, b) => a.candidate.crowM! - b.candidate.crowM!)[0];
  if (nearestByCrow && res.eligible[0]!.vehicle.id !== nearestByCrow.vehicle.id) roadWins++;
}
times.sort((a, b) => a - b);
const single = { vehicles: N_VEHICLES, routed: ROUTED, decisions: DECISIONS, p50Ms: round(pct(times, 50)), p95Ms: round(pct(times, 95)), maxMs: round(times[times.length - 1]!), notNearestByCrowShare: round(roadWins / DECISIONS, 3) };
console.log(`single decision, ${N_VEHICLES} vehicles, ${ROUTED} routed: p50 ${single.p50Ms} ms, p95 ${single.p95Ms} ms (target ≤ 50), max ${single.maxMs} ms; winner ≠ nearest by crow in ${round(100 * single.notNearestByCrowShare, 1)} %`);

// ── 2. batch ──
const rndB = random(7);
const available = fleet(graph, BATCH_VEHICLES, rndB).map((v) => ({ ...v, status: 'ONLINE' as const }));
const jobs = Array.from({ length: BATCH_REQUESTS }, (_, i) => job(graph, i, rndB));
routes = 0;
const tb = performance.now();
const outcome = assignBatch(jobs, available, eta, options);
const batchMs = performance.now() - tb;
const assigned = outcome.decisions.filter((d) => d.chosen).length;
const batch = {
  requests: BATCH_REQUESTS,
  vehicles: BATCH_VEHICLES,
  routed: ROUTED,
  routes,
  totalMs: round(batchMs),
  solveMs: round(outcome.solveMs, 3),
  assigned,
  total: outcome.total,
  greedyTotal: outcome.greedyTotal,
  gainPercent: round((100 * (outcome.total - outcome.greedyTotal)) / Math.max(1e-9, outcome.greedyTotal), 2),
};
console.log(`batch ${BATCH_REQUESTS} × ${BATCH_VEHICLES} (engine, ${ROUTED} routed each): ${batch.totalMs} ms in all (${routes} road ETAs), solve ${batch.solveMs} ms; total score ${batch.total} vs greedy ${batch.greedyTotal} (+${batch.gainPercent} %), ${assigned} assigned`);

// Dense: every vehicle a candidate of every request (straight-line distance + utilization + rating).
const pairs: Pair[] = [];
for (let r = 0; r < jobs.length; r++) {
  const j = jobs[r]!;
  for (let c = 0; c < available.length; c++) {
    const v = available[c]!;
    const km = haversineMeters(v.lng, v.lat, j.lng, j.lat) / 1000;
    const score = 0.3 / (1 + km) + 0.25 * 0.7 + 0.25 * (1 - v.utilization) + 0.2 * ((v.drivingScore ?? 50) / 100);
    pairs.push({ row: r, col: c, score });
  }
}
const solveTimes: number[] = [];
let dense = hungarian(jobs.length, available.length, pairs);
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  dense = hungarian(jobs.length, available.length, pairs);
  solveTimes.push(performance.now() - t0);
}
solveTimes.sort((a, b) => a - b);
const tg = performance.now();
const g = greedy(jobs.length, pairs);
const greedyMs = performance.now() - tg;
const denseReport = {
  requests: jobs.length,
  vehicles: available.length,
  pairs: pairs.length,
  solveMedianMs: round(pct(solveTimes, 50)),
  solveMaxMs: round(solveTimes[solveTimes.length - 1]!),
  greedyMs: round(greedyMs),
  total: round(dense.total, 3),
  greedyTotal: round(g.total, 3),
  gainPercent: round((100 * (dense.total - g.total)) / g.total, 2),
};
console.log(`dense ${jobs.length} × ${available.length} (${pairs.length} pairs): Hungarian ${denseReport.solveMedianMs} ms median (target ≤ 1000), greedy ${denseReport.greedyMs} ms; total ${denseReport.total} vs greedy ${denseReport.greedyTotal} (+${denseReport.gainPercent} %)`);

mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `dispatch-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, loadAverage: os.loadavg(), graph: { nodes: graph.nodeCount, segments: graph.segmentCount }, single, batch, dense: denseReport }, null, 2));
console.log(`written ${path.relative(ROOT, out)}`);
