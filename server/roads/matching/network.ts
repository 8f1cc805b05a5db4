/**
 * Road distance (m) from one position on the network (segment + fraction) to several others, by
 * one bounded Dijkstra over the graph's arcs (one-way streets respected). State is per graph and
 * reused across searches (JavaScript runs one at a time).
 *
 * Moving backwards on the same segment is allowed: freely where the segment runs both ways (a
 * U-turn mid-street, or the fix's own jitter), and against a one-way segment within
 * ONEWAY_JITTER_M (GPS noise on a slow vehicle), beyond that with U_TURN_PENALTY_M added.
 */
import type { RoadGraph } from '../graph/build';
import { NodeHeap } from '../routing/heap';

/** Backwards on a one-way segment up to this far costs only the distance (noise, not driving). */
export const ONEWAY_JITTER_M = 15;
/** Added to a backwards move against a one-way segment beyond the jitter. */
export const U_TURN_PENALTY_M = 60;

export class NetworkDistance {
  private readonly dist: Float64Array;
  private readonly seen: Uint32Array;
  /** The arc that reached each node in the latest search (-1 at a start). */
  private readonly parent: Int32Array;
  /** Nodes where a target segment is entered, stamped with the generation. */
  private readonly target: Uint32Array;
  private generation = 0;
  private readonly heap = new NodeHeap();
  /** Whether the latest many() searched the graph (else pathTo has nothing to follow). */
  private searched = false;
  /** Nodes settled by all searches so far (benchmarks). */
  settledTotal = 0;

  constructor(private readonly graph: RoadGraph) {
    this.dist = new Float64Array(graph.nodeCount);
    this.seen = new Uint32Array(graph.nodeCount);
    this.parent = new Int32Array(graph.nodeCount);
    this.target = new Uint32Array(graph.nodeCount);
  }

  get bytes(): number {
    return this.dist.byteLength + this.seen.byteLength + this.target.byteLength + this.parent.byteLength;
  }

  /**
   * Fills out[j] with the road distance from (fromSeg, fromFrac) to (toSeg[j], toFrac[j]) for
   * j < n, Infinity when farther than `limitM` or unreachable; entered[j] says how the target
   * segment was entered: 1 at its start (driving along it), -1 at its end, 0 along the same segment.
   */
  many(fromSeg: number, fromFrac: number, toSeg: Int32Array, toFrac: Float64Array, n: number, limitM: number, out: Float64Array, entered: Int8Array): void {
    const g = this.graph;
    const len = g.segLengthM;
    const oneway = g.segOneway;
    const fl = len[fromSeg]!;
    const fo = oneway[fromSeg]!;
    // Direct answers on the same segment; do we need the graph search at all?
    let needSearch = false;
    for (let j = 0; j < n; j++) {
      const ts = toSeg[j]!;
      entered[j] = 0;
      if (ts !== fromSeg) {
        out[j] = Infinity;
        needSearch = true;
        continue;
      }
      const d = (toFrac[j]! - fromFrac) * fl;
      if (d >= 0) out[j] = fo >= 0 ? d : d + U_TURN_PENALTY_M;
      else out[j] = fo <= 0 ? -d : -d <= ONEWAY_JITTER_M ? -d : -d + U_TURN_PENALTY_M;
      // The other way round through the network may still be shorter (around a block): rare, ignored.
    }
    this.searched = needSearch;
    if (!needSearch) return;

    let gen = ++this.generation;
    if (gen === 0xffffffff) {
      this.seen.fill(0);
      this.target.fill(0);
      gen = this.generation = 1;
    }
    const { dist, seen, heap, target, parent } = this;
    // The search ends once every node a target can be entered from is settled.
    let remaining = 0;
    for (let j = 0; j < n; j++) {
      const ts = toSeg[j]!;
      const a = g.segFrom[ts]!;
      const b = g.segTo[ts]!;
      if (target[a] !== gen) {
        target[a] = gen;
        remaining++;
      }
      if (target[b] !== gen) {
        target[b] = gen;
        remaining++;
      }
    }
    heap.clear();
    const push = (node: number, d: number) => {
      if (d > limitM) return;
      if (seen[node] === gen && dist[node]! <= d) return;
      seen[node] = gen;
      dist[node] = d;
      parent[node] = -1;
      heap.push(node, d, d);
    };
    if (fo >= 0) push(g.segTo[fromSeg]!, (1 - fromFrac) * fl);
    if (fo <= 0) push(g.segFrom[fromSeg]!, fromFrac * fl);
    // Against a one-way segment, a short way back to its start counts (jitter), as above.
    if (fo === 1 && fromFrac * fl <= ONEWAY_JITTER_M) push(g.segFrom[fromSeg]!, fromFrac * fl);
    if (fo === -1 && (1 - fromFrac) * fl <= ONEWAY_JITTER_M) push(g.segTo[fromSeg]!, (1 - fromFrac) * fl);

    const { firstArc, arcHead, arcSegDir } = g;
    let settled = 0;
    while (heap.length > 0) {
      heap.pop();
      const u = heap.topNode;
      const du = heap.topG;
      if (du > dist[u]!) continue;
      settled++;
      if (target[u] === gen) {
        target[u] = 0;
        if (--remaining === 0) break;
      }
      for (let a = firstArc[u]!, end = firstArc[u + 1]!; a < end; a++) {
        const v = arcHead[a]!;
        const dv = du + len[arcSegDir[a]! >> 1]!;
        if (dv > limitM) continue;
        if (seen[v] === gen) {
          if (dist[v]! <= dv) continue;
        } else seen[v] = gen;
        dist[v] = dv;
        parent[v] = a;
        heap.push(v, dv, dv);
      }
    }
    this.settledTotal += settled;

    for (let j = 0; j < n; j++) {
      const ts = toSeg[j]!;
      // On the same two-way segment the direct answer is the shortest; on a one-way one the
      // network way round can still beat a penalised backwards move.
      if (ts === fromSeg && oneway[ts] === 0) continue;
      const tf = toFrac[j]!;
      const tl = len[ts]!;
      const to = oneway[ts]!;
      let best = out[j]!;
      const a = g.segFrom[ts]!;
      const b = g.segTo[ts]!;
      if (seen[a] === gen && (to >= 0 || tf * tl <= ONEWAY_JITTER_M)) {
        const d = dist[a]! + tf * tl;
        if (d < best) {
          best = d;
          entered[j] = 1;
        }
      }
      if (seen[b] === gen && (to <= 0 || (1 - tf) * tl <= ONEWAY_JITTER_M)) {
        const d = dist[b]! + (1 - tf) * tl;
        if (d < best) {
          best = d;
          entered[j] = -1;
        }
      }
      out[j] = best <= limitM ? best : Infinity;
    }
  }

  /**
   * After many(): the arcs (segment × 2 + direction) of the path found to `node`, from the start
   * of the search, in driving order, into out; their count (0 when the node was not reached or
   * more than out holds).
   */
  pathTo(node: number, out: Int32Array): number {
    if (!this.searched || this.seen[node] !== this.generation) return 0;
    const g = this.graph;
    let n = 0;
    for (let v = node, a = this.parent[v]!; a >= 0; a = this.parent[v]!) {
      if (n === out.length) return 0;
      const sd = g.arcSegDir[a]!;
      out[n++] = sd;
      v = (sd & 1) === 0 ? g.segFrom[sd >> 1]! : g.segTo[sd >> 1]!;
    }
    out.subarray(0, n).reverse();
    return n;
  }
}
