/**
 * Drives for the ingest benchmark (scripts/bench/ingest.ts): closed loops routed on the demo's
 * road network (data/osm/baltimore.osm.pbf, read in memory through the import's reader, no
 * database), each driven as the demo fleet drives (server/simulator/drive-schedule.ts: near the
 * posted limit, slowing for corners, a short stop at the far end and at the start; one loop in 16
 * by a speeder who also brakes hard now and then) and sampled
 * once per second, so simulated devices follow real streets at street speed. Built once per bench
 * run; vehicles share the loops with offsets (ingest-client.ts adds GPS noise when it sends).
 */
import { buildRoadGraph, type RoadGraph } from '../../server/roads/graph/build';
import { readRoadSegmentRows } from '../../server/roads/graph/from-osm';
import { RoadRouter, type RoutePoint } from '../../server/roads/routing/route';
import { buildDriveSchedule, CORNER_HALF_M } from '../../server/simulator/drive-schedule';
import { bearingDegrees, haversineMeters } from '../../server/simulator/path-walker';
import { seeded } from '../../server/simulator/random';
import { tourFromRoute } from '../../server/simulator/tour';

export interface BenchDrive {
  /** The routed loop (from → to → from) as the route line of vehicles assigned to it. */
  line: [number, number][];
  lengthM: number;
  /** One position per second: lng, lat, heading (degrees), speed (km/h) flat. */
  samples: number[];
}

export interface BenchDrives {
  /** [west, south, east, north] of the network. */
  bbox: [number, number, number, number];
  drives: BenchDrive[];
}

/** One loop in this many is driven by a speeder (≈ 6 %, the demo fleet's share). */
const SPEEDER_EVERY = 16;

function randomRoadPoint(g: RoadGraph, random: () => number, label: string): RoutePoint {
  const s = Math.floor(random() * g.segmentCount);
  const i = g.coordStart[s]!;
  return { label, lng: g.coords[i]!, lat: g.coords[i + 1]! };
}

/**
 * `count` loops between random points on the network `minM`–`maxM` apart (straight line),
 * deterministic for a seed.
 */
export async function buildBenchDrives(file: string, count: number, seed = 'bench-ingest', minM = 1_500, maxM = 5_000): Promise<BenchDrives> {
  const { graph } = buildRoadGraph(await readRoadSegmentRows(file));
  const router = new RoadRouter(graph);
  const random = seeded(seed);
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (let n = 0; n < graph.nodeCount; n++) {
    west = Math.min(west, graph.nodeLng[n]!);
    east = Math.max(east, graph.nodeLng[n]!);
    south = Math.min(south, graph.nodeLat[n]!);
    north = Math.max(north, graph.nodeLat[n]!);
  }
  const drives: BenchDrive[] = [];
  for (let attempt = 0; drives.length < count && attempt < count * 20; attempt++) {
    const from = randomRoadPoint(graph, random, 'from');
    const to = randomRoadPoint(graph, random, 'to');
    const apart = haversineMeters([from.lng, from.lat], [to.lng, to.lat]);
    if (apart < minM || apart > maxM) continue;
    const result = router.route([from, to, { ...from, label: 'back' }], { optimize: 'time' });
    if (!result.ok || result.route.geometry.coordinates.length < 2) continue;
    const tour = tourFromRoute(`bench loop ${drives.length}`, result.route);
    // Most loops driven near the limit with comfortable corners; one in SPEEDER_EVERY by a
    // speeder (15–30 % over, faster corners, braking hard now and then), as in the demo fleet.
    const speeder = drives.length % SPEEDER_EVERY === SPEEDER_EVERY - 1;
    const profile = speeder
      ? { factor: 1.15 + random() * 0.15, variation: 0.1, stopS: 10, depotS: 20, hardBrakeEveryM: 2_500, cornerFactor: 1.25 }
      : { factor: 0.85 + random() * 0.15, variation: 0.1, stopS: 10, depotS: 20, hardBrakeEveryM: Infinity };
    const schedule = buildDriveSchedule(tour, profile, random);
    const samples: number[] = [];
    for (let t = 0; t < schedule.cycleS; t++) {
      const along = schedule.along[t]!;
      const point = tour.walker.at(along);
      // Heading across the corner (as the demo fleet reports it), not the piece's bearing.
      const behind = tour.walker.at(Math.max(0, along - CORNER_HALF_M));
      const ahead = tour.walker.at(Math.min(tour.length, along + CORNER_HALF_M));
      const heading = behind.lng === ahead.lng && behind.lat === ahead.lat ? point.heading : bearingDegrees([behind.lng, behind.lat], [ahead.lng, ahead.lat]);
      samples.push(point.lng, point.lat, Math.round(heading) % 360, Math.round(schedule.speedKmh[t]! * 10) / 10);
    }
    if (samples.length < 4 * 3 * 60) continue;
    drives.push({ line: result.route.geometry.coordinates, lengthM: result.route.properties.distanceM, samples });
  }
  if (drives.length === 0) throw new Error(`no drives could be routed on ${file}`);
  return { bbox: [west, south, east, north], drives };
}
