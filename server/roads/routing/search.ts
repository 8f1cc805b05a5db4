/**
 * A* between two positions ON segments (snap points), so the first and last segments are paid
 * only in part. Costs are meters (optimize=distance) or seconds (optimize=time); the heuristic is
 * the straight-line (chord) distance to the destination through the Earth — never more than the
 * great-circle distance, and cheap: three products and a square root over unit vectors computed
 * once per graph — divided by the graph's fastest speed for time. Both stay below the true
 * remaining cost (a road is never shorter than the straight line), scaled by HEURISTIC_SLACK to
 * absorb the spheroid/sphere difference between the rows' lengths and the sphere.
 */
import type { RoadGraph } from '../graph/build';
import { EARTH_RADIUS_M, RAD } from '../graph/geo';
import type { SnapPoint } from '../graph/snap';
import { BACKWARD, FORWARD } from '../graph/types';
import { NodeHeap } from './heap';
import type { Landmarks } from './landmarks';

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
  /** Node positions as unit vectors (x, y, z), for the chord heuristic. */
  private readonly unit: Float64Array;
  /** The heuristic of each node seen in this search (computed once per node and search). */
  private readonly hv: Float64Array;
  /** d(t, L) and d(L, t) for the current destination, per landmark. */
  private readonly toLandmark: Float64Array;
  private readonly fromLandmark: Float64Array;
  private generation = 0;
  private readonly heap = new NodeHeap();
  /** Nodes settled by the last search (for benchmarks and tests). */
  settled = 0;

  constructor(
    private readonly graph: RoadGraph,
    private readonly landmarks: Landmarks | null = null,
  ) {
    this.hv = new Float64Array(graph.nodeCount);
    this.toLandmark = new Float64Array(landmarks?.count ?? 0);
    this.fromLandmark = new Float64Array(landmarks?.count ?? 0);
    this.dist = new Float64Array(graph.nodeCount);
    this.prev = new Int32Array(graph.nodeCount);
    this.seen = new Uint32Array(graph.nodeCount);
    this.unit = new Float64Array(graph.nodeCount * 3);
    for (let n = 0; n < graph.nodeCount; n++) {
      const lat = graph.nodeLat[n]! * RAD;
      const lng = graph.nodeLng[n]! * RAD;
      this.unit[n * 3] = Math.cos(lat) * Math.cos(lng);
      this.unit[n * 3 + 1] = Math.cos(lat) * Math.sin(lng);
      this.unit[n * 3 + 2] = Math.sin(lat);
    }
  }

  /** Bytes of the search state (per graph). */
  get bytes(): number {
    return this.dist.byteLength + this.prev.byteLength + this.seen.byteLength + this.unit.byteLength + this.hv.byteLength;
  }

  /** The cheapest way from `from` to `to` respecting one-way segments, or null. */
  search(from: SnapPoint, to: SnapPoint, optimize: Optimize): LegPath | null {
    const g = this.graph;
    const cost = optimize === 'time' ? g.segDurationS : g.segLengthM;
    const { firstArc, arcHead, arcSegDir } = g;
    const unit = this.unit;
    const hScale = (optimize === 'time' ? 1 / g.maxSpeedMps : 1) * HEURISTIC_SLACK * EARTH_RADIUS_M;
    const tx = Math.cos(to.lat * RAD) * Math.cos(to.lng * RAD);
    const ty = Math.cos(to.lat * RAD) * Math.sin(to.lng * RAD);
    const tz = Math.sin(to.lat * RAD);

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
    const { hv } = this;
    // Where the destination's segment can be entered, and what its part costs from there.
    const tc = cost[ts]!;
    const enterFwd = tOneway >= 0 || to.fraction === 0 ? g.segFrom[ts]! : -1;
    const extraFwd = to.fraction * tc;
    const enterBwd = tOneway <= 0 || to.fraction === 1 ? g.segTo[ts]! : -1;
    const extraBwd = (1 - to.fraction) * tc;

    // Landmark costs of the destination point: d(L, t) through its entries, d(t, L) through its exits.
    const lm = this.landmarks;
    const K = lm ? lm.count : 0;
    const m = optimize === 'time' ? 1 : 0;
    const lmFrom = lm ? lm.from[m] : [];
    const lmTo = lm ? lm.to[m] : [];
    const { toLandmark, fromLandmark } = this;
    const exitFwd = tOneway >= 0 || to.fraction === 1 ? g.segTo[ts]! : -1;
    const exitBwd = tOneway <= 0 || to.fraction === 0 ? g.segFrom[ts]! : -1;
    for (let k = 0; k < K; k++) {
      const f = lmFrom[k]!;
      const t = lmTo[k]!;
      fromLandmark[k] = Math.min(enterFwd >= 0 ? f[enterFwd]! + extraFwd : Infinity, enterBwd >= 0 ? f[enterBwd]! + extraBwd : Infinity);
      toLandmark[k] = Math.min(exitFwd >= 0 ? extraBwd + t[exitFwd]! : Infinity, exitBwd >= 0 ? extraFwd + t[exitBwd]! : Infinity);
    }
    const h = (n: number): number => {
      const dx = unit[n * 3]! - tx;
      const dy = unit[n * 3 + 1]! - ty;
      const dz = unit[n * 3 + 2]! - tz;
      let lb = Math.sqrt(dx * dx + dy * dy + dz * dz) * hScale;
      for (let k = 0; k < K; k++) {
        const dTL = toLandmark[k]!;
        const dvL = lmTo[k]![n]!;
        if (dTL !== Infinity) {
          if (dvL === Infinity) return Infinity; // t reaches L, v does not: v cannot reach t
          if (dvL - dTL > lb) lb = dvL - dTL;
        }
        const dLv = lmFrom[k]![n]!;
        if (dLv !== Infinity) {
          const dLT = fromLandmark[k]!;
          if (dLT === Infinity) return Infinity; // L reaches v but not t: v cannot reach t
          if (dLT - dLv > lb) lb = dLT - dLv;
        }
      }
      return lb;
    };
    const start = (node: number, gCost: number, dir: number) => {
      if (seen[node] === gen) {
        if (dist[node]! <= gCost) return;
      } else {
        seen[node] = gen;
        hv[node] = h(node);
      }
      dist[node] = gCost;
      prev[node] = -1 - dir;
      if (hv[node] !== Infinity) heap.push(node, gCost + hv[node]!, gCost);
    };
    const fc = cost[fs]!;
    // A point exactly on a segment end is at that node, whichever way the segment runs.
    if (fOneway >= 0 || from.fraction === 1) start(g.segTo[fs]!, (1 - from.fraction) * fc, FORWARD);
    if (fOneway <= 0 || from.fraction === 0) start(g.segFrom[fs]!, from.fraction * fc, BACKWARD);

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
        if (seen[v] === gen) {
          if (dist[v]! <= gv) continue;
        } else {
          seen[v] = gen;
          hv[v] = h(v);
        }
        dist[v] = gv;
        prev[v] = a;
        const hn = hv[v]!;
        if (hn !== Infinity) heap.push(v, gv + hn, gv);
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
