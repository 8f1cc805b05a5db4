/**
 * Route snapping benchmark: positions per second per core through the route-progress tracker
 * (incremental snapping onto each vehicle's assigned route, status, stops, ETA), and memory per
 * tracked vehicle. Routes are real routed paths on the Baltimore network (data/osm, read in
 * memory through the import's reader, travel times from its graph) when the file is there, else
 * synthetic zig-zags; vehicles drive them start to end with GPS noise (σ 8 m), 1 fix per 5 s at
 * 8–15 m/s, 10 % of the vehicles leaving their route for a while (12 fixes, up to 600 m off).
 *
 *   node --expose-gc --import tsx scripts/bench/route-snapping.ts [--vehicles 2000] [--fixes 1000] [--seed 1]
 *
 * `runRouteSnappingBench()` returns the summary (the lead's `bench:matching` joins it with map
 * matching's); run standalone it prints it and writes bench-results/route-snapping-<timestamp>.json.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { destination } from '../../server/geofence/geometry';
import { buildRoadGraph, type RoadGraph } from '../../server/roads/graph/build';
import { random } from '../../server/roads/graph/fixtures';
import { readRoadSegmentRows } from '../../server/roads/graph/from-osm';
import { snapToNetwork } from '../../server/roads/graph/snap';
import { RoadRouter } from '../../server/roads/routing/route';
import { RouteTrack } from '../../server/route-plans/progress/route-track';
import { ProgressTracker, type Fix } from '../../server/route-plans/progress/tracker';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BALTIMORE = path.join(ROOT, 'data/osm/baltimore.osm.pbf');
export const TARGET_POSITIONS_PER_S = 100_000;

export interface RouteSnappingSummary {
  network: string;
  routes: number;
  meanRouteKm: number;
  meanRouteVertices: number;
  vehicles: number;
  positions: number;
  /** Best of 3 passes over every vehicle's drive, one core. */
  positionsPerSecond: number;
  microsecondsPerPosition: number;
  targetPositionsPerSecond: number;
  meetsTarget: boolean;
  /** Heap held per tracked vehicle (its state; routes counted apart). */
  bytesPerVehicle: number;
  /** A route's typed arrays, shared by all its vehicles (its segment index not counted). */
  bytesPerRoute: number;
  transitions: Record<string, number>;
}

const heapUsed = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

/** Points every `stepM` meters along a line, with the bearing there. */
function walk(line: ReadonlyArray<readonly [number, number]>, stepM: number): Array<{ lng: number; lat: number; heading: number }> {
  const track = new RouteTrack('walk', line);
  const out: Array<{ lng: number; lat: number; heading: number }> = [];
  for (let m = 0; m <= track.lengthM; m += stepM) {
    const seg = track.segmentAt(m);
    const a = track.cum[seg]!;
    const len = track.cum[seg + 1]! - a || 1;
    const t = Math.min(1, (m - a) / len);
    out.push({ lng: track.lng[seg]! + t * (track.lng[seg + 1]! - track.lng[seg]!), lat: track.lat[seg]! + t * (track.lat[seg + 1]! - track.lat[seg]!), heading: track.bearing[seg]! });
  }
  const last = track.vertexCount - 1;
  out.push({ lng: track.lng[last]!, lat: track.lat[last]!, heading: track.bearing[last - 1] ?? 0 }); // the end itself
  return out;
}

async function routesOn(rnd: () => number, count: number): Promise<{ network: string; lines: Array<Array<[number, number]>>; graph: RoadGraph | null }> {
  if (existsSync(BALTIMORE)) {
    const { graph } = buildRoadGraph(await readRoadSegmentRows(BALTIMORE));
    const router = new RoadRouter(graph);
    const lines: Array<Array<[number, number]>> = [];
    for (let tries = 0; lines.length < count && tries < count * 20; tries++) {
      const pick = () => {
        const s = Math.floor(rnd() * graph.segmentCount);
        const i = graph.coordStart[s]!;
        return { lng: graph.coords[i]!, lat: graph.coords[i + 1]! };
      };
      const result = router.route([{ label: 'from', ...pick() }, { label: 'to', ...pick() }], { optimize: 'time' });
      if (result.ok && result.route.properties.distanceM > 3000) lines.push(result.route.geometry.coordinates);
    }
    return { network: 'baltimore', lines, graph };
  }
  const lines: Array<Array<[number, number]>> = [];
  for (let r = 0; r < count; r++) {
    let p: [number, number] = [-76.6 + rnd() * 0.1, 39.25 + rnd() * 0.1];
    const line: Array<[number, number]> = [p];
    for (let i = 0; i < 300; i++) {
      const [lng, lat] = destination(p[0], p[1], 20 + rnd() * 30, i % 40 < 20 ? 90 : 0);
      line.push((p = [lng, lat]));
    }
    lines.push(line);
  }
  return { network: 'synthetic', lines, graph: null };
}

export async function runRouteSnappingBench(options: { vehicles?: number; fixes?: number; seed?: number; routes?: number } = {}): Promise<RouteSnappingSummary> {
  const vehicles = options.vehicles ?? 2000;
  const fixesPerVehicle = options.fixes ?? 1000;
  const rnd = random(options.seed ?? 1);
  const { network, lines, graph } = await routesOn(rnd, options.routes ?? 50);
  const tracks = lines.map((line, i) => new RouteTrack(`r${i}`, line, [{ name: 'middle', position: line[Math.floor(line.length / 2)]! }]));
  if (graph) {
    for (const track of tracks) {
      track.setSpeeds((lng, lat) => {
        const hit = snapToNetwork(graph, lng, lat, 25);
        return hit ? graph.segLengthM[hit.segment]! / graph.segDurationS[hit.segment]! : null;
      }, graph);
    }
  }
  // Its typed arrays (vertices, distances, bearings, travel times); the segment index comes on top.
  const bytesPerRoute = tracks.reduce((n, t) => n + t.bytes, 0) / tracks.length;
  let bytesPerVehicle = 0;
  {
  // Memory: 20,000 vehicles' states (assigned, each judged once), the routes shared.
    const MEASURED = 20_000;
    const before = heapUsed();
    const held = new ProgressTracker({ offRouteMeters: 100, stoppedAfterS: 120 });
    for (let v = 0; v < MEASURED; v++) {
      held.assign(`m${v}`, tracks[v % tracks.length]!, 0);
      const t = tracks[v % tracks.length]!;
      held.observe([{ vehicleId: `m${v}`, lng: t.lng[1]!, lat: t.lat[1]!, ts: 1, speed: 30, heading: null, accuracy: 5 }]);
    }
    bytesPerVehicle = (heapUsed() - before) / MEASURED;
    if (held.size !== MEASURED) throw new Error('lost vehicles');
  }

  // Each vehicle's drive: its route walked at 8–15 m/s, a fix every 5 s, σ 8 m noise; 10 % leave it for 12 fixes.
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd());
  const drives: Fix[][] = [];
  for (let v = 0; v < vehicles; v++) {
    const line = lines[v % lines.length]!;
    const points = walk(line, (8 + rnd() * 7) * 5);
    const leaves = rnd() < 0.1 ? Math.floor(rnd() * Math.max(1, points.length - 20)) : -1;
    const fixes: Fix[] = [];
    const t0 = 1_800_000_000_000;
    // Its route from start to end (at most `fixes` fixes), then 3 fixes standing at the end.
    for (let i = 0; i < Math.min(fixesPerVehicle, points.length + 3); i++) {
      const p = points[Math.min(i, points.length - 1)]!;
      let [lng, lat] = destination(p.lng, p.lat, Math.abs(gauss()) * 8, rnd() * 360);
      if (leaves >= 0 && i >= leaves && i < leaves + 12) [lng, lat] = destination(lng, lat, 150 + 40 * (i - leaves), (p.heading + 90) % 360);
      fixes.push({ vehicleId: `v${v}`, lng, lat, ts: t0 + i * 5000, speed: i < points.length ? 40 : 0, heading: p.heading, accuracy: 8 });
    }
    drives.push(fixes);
  }
  // Interleaved as ingest commits them: one fix per vehicle per batch.
  const batches: Fix[][] = [];
  for (let i = 0; i < fixesPerVehicle; i++) {
    const batch = drives.flatMap((d) => (i < d.length ? [d[i]!] : []));
    if (batch.length > 0) batches.push(batch);
  }
  const positions = batches.reduce((n, b) => n + b.length, 0);

  let best = Infinity;
  let transitions: Record<string, number> = {};
  for (let pass = 0; pass < 3; pass++) {
    const tracker = new ProgressTracker({ offRouteMeters: 100, stoppedAfterS: 120 });
    for (let v = 0; v < vehicles; v++) tracker.assign(`v${v}`, tracks[v % tracks.length]!, 0);
    const counts: Record<string, number> = {};
    const t = performance.now();
    for (const batch of batches) for (const tr of tracker.observe(batch)) counts[tr.kind] = (counts[tr.kind] ?? 0) + 1;
    best = Math.min(best, performance.now() - t);
    transitions = counts;
  }
  const perS = positions / (best / 1000);
  return {
    network,
    routes: tracks.length,
    meanRouteKm: Math.round(tracks.reduce((s, t) => s + t.lengthM, 0) / tracks.length / 100) / 10,
    meanRouteVertices: Math.round(tracks.reduce((s, t) => s + t.vertexCount, 0) / tracks.length),
    vehicles,
    positions,
    positionsPerSecond: Math.round(perS),
    microsecondsPerPosition: Math.round((best * 1000 * 100) / positions) / 100,
    targetPositionsPerSecond: TARGET_POSITIONS_PER_S,
    meetsTarget: perS >= TARGET_POSITIONS_PER_S,
    bytesPerVehicle: Math.round(bytesPerVehicle),
    bytesPerRoute: Math.round(bytesPerRoute),
    transitions,
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('route-snapping.ts')) {
  const { values: args } = parseArgs({ options: { vehicles: { type: 'string', default: '2000' }, fixes: { type: 'string', default: '1000' }, seed: { type: 'string', default: '1' } } });
  const summary = await runRouteSnappingBench({ vehicles: Number(args.vehicles), fixes: Number(args.fixes), seed: Number(args.seed) });
  console.log(
    `route snapping (${summary.network}: ${summary.routes} routes, ${summary.meanRouteKm} km / ${summary.meanRouteVertices} vertices on average): ` +
      `${summary.positionsPerSecond.toLocaleString('en')} positions/s on one core (${summary.microsecondsPerPosition} µs each; target ${TARGET_POSITIONS_PER_S.toLocaleString('en')}: ${summary.meetsTarget ? 'met' : 'NOT met'}), ` +
      `${summary.bytesPerVehicle} B per tracked vehicle, ${(summary.bytesPerRoute / 1024).toFixed(1)} KiB of arrays per route; transitions ${JSON.stringify(summary.transitions)}`,
  );
  mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  const out = path.join(ROOT, 'bench-results', `route-snapping-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), node: process.version, loadAverage: os.loadavg(), ...summary }, null, 2));
  console.log(`wrote ${path.relative(ROOT, out)}`);
}
