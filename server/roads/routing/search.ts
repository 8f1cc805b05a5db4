/**
 * A* between two positions ON segments (snap points), so the first and last segments are paid
 * only in part. Costs are meters (optimize=distance) or seconds (optimize=time); the heuristic is
 * the great-circle distance to the destination, divided by the graph's fastest speed for time.
 * Both stay below the true remaining cost (a road is never shorter than the straight line),
 * scaled by HEURISTIC_SLACK to absorb the spheroid/sphere difference between the rows' lengths
 * and haversine.
 */
import type { RoadGraph } from '../graph/build';
import { haversineMeters } from '../graph/geo';
import type { SnapPoint } from '../graph/snap';
import { BACKWARD, FORWARD } from '../graph/types';
import { NodeHeap } from './heap';

export type Optimize = 'time' | 'distance';

const HEURISTIC_SLACK = 0.99;

/** How one leg runs: along its first segment only, or first segment → arcs → last segment. */
export type LegPath =
  | { kind: 'direct'; dir: typeof FORWARD | typeof BACKWARD; cost: number }
  | { kind: 'path'; sourceDir: number; arcs: number[]; targetDir: number; cost: number };

/** Reusable search state for one graph (one search at a time: JavaScript runs one anyway). */
export class Searcher {
  private readonly dist: Float64Array;
  /** Arc that reached the node; -1 - dir for the source's own segment. */
  private readonly prev: Int32Array;
  private readonly seen: Uint32Array;
  private generation = 0;
  private readonly heap = new NodeHeap();
  /** Nodes settled by the last search (for benchmarks and tests). */
  settled = 0;

  constructor(private readonly graph: RoadGraph) {
    this.dist = new Float64Array(graph.nodeCount);
    this.prev = new Int32Array(graph.nodeCount);
    this.seen = new Uint32Array(graph.nodeCount);
  }

  /** The cheapest way from `from` to `to` respecting one-way segments, or null. */
  search(from: SnapPoint, to: SnapPoint, optimize: Optimize): LegPath | null {
    const g = this.graph;
    const cost = optimize === 'time' ? g.segDurationS : g.segLengthM;
    const { firstArc, arcHead, arcSegDir, nodeLng, nodeLat } = g;
    const hScale = (optimize === 'time' ? 1 / g.maxSpeedMps : 1) * HEURISTIC_SLACK;
    const toLng = to.lng;
    const toLat = to.lat;

    let best = Infinity;
    let bestPath: LegPath | null = null;
    const fs = from.segment;
    const ts = to.segment;
    const fOneway = g.segOneway[fs]!;
    const tOneway = g.segOneway[ts]!;
    // Both on one segment: straight along it when its direction allows.
    if (fs === ts) {
      const c = cost[fs]!;
      if (fOneway >= 0 && to.fraction >= from.fraction) {
        best = (to.fraction - from.fraction) * c;
        bestPath = { kind: 'direct', dir: FORWARD, cost: best };
      } else if (fOneway <= 0 && to.fraction <= from.fraction) {
        best = (from.fraction - to.fraction) * c;
        bestPath = { kind: 'direct', dir: BACKWARD, cost: best };
      }
    }

    let gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.seen.fill(0);
      gen = this.generation = 1;
    }
    const { dist, prev, seen, heap } = this;
    heap.clear();
    const h = (n: number) => haversineMeters(nodeLng[n]!, nodeLat[n]!, toLng, toLat) * hScale;
    const start = (node: number, gCost: number, dir: number) => {
      if (seen[node] === gen && dist[node]! <= gCost) return;
      seen[node] = gen;
      dist[node] = gCost;
      prev[node] = -1 - dir;
      heap.push(node, gCost + h(node), gCost);
    };
    const fc = cost[fs]!;
    // A point exactly on a segment end is at that node, whichever way the segment runs.
    if (fOneway >= 0 || from.fraction === 1) start(g.segTo[fs]!, (1 - from.fraction) * fc, FORWARD);
    if (fOneway <= 0 || from.fraction === 0) start(g.segFrom[fs]!, from.fraction * fc, BACKWARD);

    // Where the destination's segment can be entered, and what its part costs from there.
    const tc = cost[ts]!;
    const enterFwd = tOneway >= 0 || to.fraction === 0 ? g.segFrom[ts]! : -1;
    const extraFwd = to.fraction * tc;
    const enterBwd = tOneway <= 0 || to.fraction === 1 ? g.segTo[ts]! : -1;
    const extraBwd = (1 - to.fraction) * tc;
    let bestNode = -1;
    let bestDir = FORWARD;

    let settled = 0;
    while (heap.length > 0) {
      if (heap.peekKey() >= best) break;
      heap.pop();
      const u = heap.topNode;
      const gu = heap.topG;
      if (gu > dist[u]!) continue;
      settled++;
      if (u === enterFwd && gu + extraFwd < best) {
        best = gu + extraFwd;
        bestNode = u;
        bestDir = FORWARD;
      }
      if (u === enterBwd && gu + extraBwd < best) {
        best = gu + extraBwd;
        bestNode = u;
        bestDir = BACKWARD;
      }
      for (let a = firstArc[u]!, end = firstArc[u + 1]!; a < end; a++) {
        const v = arcHead[a]!;
        const gv = gu + cost[arcSegDir[a]! >> 1]!;
        if (seen[v] === gen && dist[v]! <= gv) continue;
        seen[v] = gen;
        dist[v] = gv;
        prev[v] = a;
        heap.push(v, gv + h(v), gv);
      }
    }
    this.settled = settled;
    if (bestNode < 0) return bestPath;

    const arcs: number[] = [];
    let n = bestNode;
    for (;;) {
      const a = prev[n]!;
      if (a < 0) {
        arcs.reverse();
        return { kind: 'path', sourceDir: -1 - a, arcs: arcs.map((x) => arcSegDir[x]!), targetDir: bestDir, cost: best };
      }
      arcs.push(a);
      const sd = arcSegDir[a]!;
      n = (sd & 1) === FORWARD ? g.segFrom[sd >> 1]! : g.segTo[sd >> 1]!;
    }
  }
}
