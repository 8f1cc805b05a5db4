/**
 * ALT landmarks (A*, Landmarks, Triangle inequality; Goldberg & Harrelson 2005): exact costs
 * from and to a few far-apart nodes, computed once per graph, give A* a lower bound on the
 * remaining cost that is far tighter than straight-line distance over the fastest speed:
 *   d(v, t) ≥ d(v, L) − d(t, L)   and   d(v, t) ≥ d(L, t) − d(L, v).
 * The bounds also prove unreachability early: when L reaches v but not t, or t reaches L but v
 * does not, v cannot reach t, and the search never expands it.
 *
 * Stored as Float32Array, one per (landmark, direction, metric): 2 · 2 · K · 4 bytes per node.
 */
import type { RoadGraph } from '../graph/build';
import { NodeHeap } from './heap';

export const LANDMARK_COUNT = 8;

export interface Landmarks {
  count: number;
  /** Per metric (0 distance, 1 time): from[k][v] = d(L_k, v), to[k][v] = d(v, L_k); Infinity when none. */
  from: [Float32Array[], Float32Array[]];
  to: [Float32Array[], Float32Array[]];
  nodes: Int32Array;
  bytes: number;
}

/** Reverse CSR: arcs entering each node (their tail and segment·2+dir). */
function reverseAdjacency(g: RoadGraph): { first: Int32Array; tail: Int32Array; segDir: Int32Array } {
  const first = new Int32Array(g.nodeCount + 1);
  for (let a = 0; a < g.arcCount; a++) first[g.arcHead[a]! + 1]!++;
  for (let n = 0; n < g.nodeCount; n++) first[n + 1]! += first[n]!;
  const fill = first.slice(0, g.nodeCount);
  const tail = new Int32Array(g.arcCount);
  const segDir = new Int32Array(g.arcCount);
  for (let u = 0; u < g.nodeCount; u++) {
    for (let a = g.firstArc[u]!; a < g.firstArc[u + 1]!; a++) {
      const i = fill[g.arcHead[a]!]!++;
      tail[i] = u;
      segDir[i] = g.arcSegDir[a]!;
    }
  }
  return { first, tail, segDir };
}

function dijkstra(source: number, first: Int32Array, next: Int32Array, segDir: Int32Array, cost: Float64Array, heap: NodeHeap): Float64Array {
  const dist = new Float64Array(first.length - 1).fill(Infinity);
  dist[source] = 0;
  heap.clear();
  heap.push(source, 0, 0);
  while (heap.length > 0) {
    heap.pop();
    const u = heap.topNode;
    const du = heap.topG;
    if (du > dist[u]!) continue;
    for (let a = first[u]!, end = first[u + 1]!; a < end; a++) {
      const v = next[a]!;
      const dv = du + cost[segDir[a]! >> 1]!;
      if (dv < dist[v]!) {
        dist[v] = dv;
        heap.push(v, dv, dv);
      }
    }
  }
  return dist;
}

/**
 * Landmarks chosen by farthest-point selection on distance: each next landmark is the node
 * farthest (fewest meters being the worst) from those already chosen, among nodes reachable from
 * the first; nodes on small islands are never chosen.
 */
export function computeLandmarks(g: RoadGraph, count = LANDMARK_COUNT): Landmarks | null {
  if (g.nodeCount < 2 || count < 1) return null;
  const heap = new NodeHeap();
  const rev = reverseAdjacency(g);
  const metrics = [g.segLengthM, g.segDurationS] as const;
  const from: [Float32Array[], Float32Array[]] = [[], []];
  const to: [Float32Array[], Float32Array[]] = [[], []];
  const chosen: number[] = [];
  // The first landmark: the node farthest from node 0 (within what node 0 reaches).
  let candidate = farthest(dijkstra(0, g.firstArc, g.arcHead, g.arcSegDir, g.segLengthM, heap));
  const nearest = new Float64Array(g.nodeCount).fill(Infinity);
  for (let k = 0; k < count && candidate >= 0; k++) {
    chosen.push(candidate);
    for (let m = 0; m < 2; m++) {
      const f = dijkstra(candidate, g.firstArc, g.arcHead, g.arcSegDir, metrics[m]!, heap);
      const t = dijkstra(candidate, rev.first, rev.tail, rev.segDir, metrics[m]!, heap);
      from[m as 0 | 1].push(Float32Array.from(f));
      to[m as 0 | 1].push(Float32Array.from(t));
      if (m === 0) {
        for (let v = 0; v < g.nodeCount; v++) {
          const d = Math.min(f[v]!, t[v]!);
          if (d < nearest[v]!) nearest[v] = d;
        }
      }
    }
    candidate = farthest(nearest);
    if (candidate >= 0 && nearest[candidate] === 0) break;
  }
  const bytes = chosen.length * 2 * 2 * g.nodeCount * 4;
  return { count: chosen.length, from, to, nodes: Int32Array.from(chosen), bytes };
}

/** Index of the largest finite value, -1 when none. */
function farthest(values: Float64Array): number {
  let best = -1;
  let bestValue = -1;
  for (let v = 0; v < values.length; v++) {
    const x = values[v]!;
    if (x === Infinity) continue;
    if (x > bestValue) {
      bestValue = x;
      best = v;
    }
  }
  return best;
}
