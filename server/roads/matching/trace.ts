/**
 * Offline matching of a whole trace (history, tests, benchmarks): every fix's decision, the
 * matched length, and a LineString that follows the roads between consecutive matches.
 */
import type { RoadGraph } from '../graph/build';
import { haversineMeters } from '../graph/geo';
import type { SnapPoint } from '../graph/snap';
import { FORWARD } from '../graph/types';
import { Searcher } from '../routing/search';
import { pointAt, projectOnSegment } from './candidates';
import type { MapMatcher, MatchSink } from './matcher';
import { MatchTrack } from './matcher';

export interface TraceFix {
  lng: number;
  lat: number;
  /** Epoch ms. */
  ts: number;
  speed?: number | null;
  accuracy?: number | null;
  /** Course over ground (degrees from north), when the device sends it. */
  heading?: number | null;
}

export interface RoadInfo {
  /** road_segments.id */
  segmentId: number;
  name: string | null;
  ref: string | null;
  class: string;
  /** Posted limit (km/h), null when the road has none. */
  limitKmh: number | null;
}

export interface MatchedFix extends RoadInfo {
  /** Graph segment index. */
  segment: number;
  fraction: number;
  lng: number;
  lat: number;
  /** Meters from the fix to its matched point. */
  distanceM: number;
  /** Road meters from the previous matched fix of the same track (null where a track starts). */
  stepM: number | null;
}

export interface MatchedTrace {
  /** Per fix, in the order given: its match, or null (unmatched, or late). */
  matches: (MatchedFix | null)[];
  /** Sum of the road distances between consecutive matches. */
  lengthM: number;
  /** The matched path, following the graph between matches (straight across track breaks). */
  line: [number, number][];
}

export function roadInfo(graph: RoadGraph, s: number): RoadInfo {
  const name = graph.segName[s]!;
  const ref = graph.segRef[s]!;
  const limit = graph.segMaxspeedKmh[s]!;
  return {
    segmentId: graph.segId[s]!,
    name: name >= 0 ? graph.names[name]! : null,
    ref: ref >= 0 ? graph.refs[ref]! : null,
    class: graph.classes[graph.segClass[s]!] ?? 'road',
    limitKmh: limit > 0 ? Math.round(limit * 10) / 10 : null,
  };
}

const searchers = new WeakMap<RoadGraph, Searcher>();

/** Runs the matcher over fixes (in time order) with a fresh track. */
export function matchTrace(matcher: MapMatcher, fixes: readonly TraceFix[], withLine = true): MatchedTrace {
  const graph = matcher.graph;
  const n = fixes.length;
  const seg = new Int32Array(n).fill(-1);
  const frac = new Float64Array(n);
  const step = new Float64Array(n).fill(NaN);
  const sameAs = new Int32Array(n).fill(-1);
  const nearOf = new Int32Array(n).fill(-1);
  const sink: MatchSink = {
    matched(id, s, f, stepM) {
      seg[id] = s;
      frac[id] = f;
      step[id] = stepM;
    },
    unmatched() {},
    same(id, previous) {
      sameAs[id] = previous;
    },
    near(id, after) {
      nearOf[id] = after;
    },
  };
  const track = new MatchTrack();
  for (let i = 0; i < n; i++) {
    const f = fixes[i]!;
    matcher.push(track, i, f.lng, f.lat, f.ts, f.speed ?? null, f.accuracy ?? null, sink, f.heading ?? null);
  }
  matcher.flush(track, sink);
  placeNearFixes(graph, fixes, seg, frac, step, nearOf);
  for (let i = 0; i < n; i++) {
    const p = sameAs[i]!;
    if (p >= 0) {
      seg[i] = seg[p]!;
      frac[i] = frac[p]!;
      step[i] = 0;
    }
  }

  const pt = new Float64Array(4);
  const matches: (MatchedFix | null)[] = [];
  let lengthM = 0;
  for (let i = 0; i < n; i++) {
    const s = seg[i]!;
    if (s < 0) {
      matches.push(null);
      continue;
    }
    pointAt(graph, s, frac[i]!, pt);
    const st = step[i]!;
    if (Number.isFinite(st)) lengthM += st;
    matches.push({
      segment: s,
      fraction: frac[i]!,
      lng: pt[2]!,
      lat: pt[3]!,
      distanceM: haversineMeters(fixes[i]!.lng, fixes[i]!.lat, pt[2]!, pt[3]!),
      stepM: Number.isFinite(st) ? st : null,
      ...roadInfo(graph, s),
    });
  }
  return { matches, lengthM, line: withLine ? matchedLine(graph, matches) : [] };
}

function searcherOf(graph: RoadGraph): Searcher {
  let searcher = searchers.get(graph);
  if (!searcher) {
    searcher = new Searcher(graph);
    searchers.set(graph, searcher);
  }
  return searcher;
}

function snapAt(graph: RoadGraph, s: number, fraction: number): SnapPoint {
  const pt = pointAt(graph, s, fraction, new Float64Array(4));
  return { segment: s, lng: pt[2]!, lat: pt[3]!, distanceM: 0, vertex: pt[0]!, t: pt[1]!, fraction };
}

/**
 * Fixes that were too near the previous step to be steps themselves go onto the matched path
 * between that step and the next one, where the time (and the reported speeds, when known) put
 * them: a fix 1 s after a step of a vehicle at 10 m/s is 10 m further along, whichever side of a
 * junction its own noisy point lies. Without a next step, the nearest point of the step's segment.
 */
function placeNearFixes(graph: RoadGraph, fixes: readonly TraceFix[], seg: Int32Array, frac: Float64Array, step: Float64Array, nearOf: Int32Array): void {
  const n = fixes.length;
  const proj = new Float64Array(2);
  const len = graph.segLengthM;
  let i = 0;
  while (i < n) {
    const p = nearOf[i]!;
    if (p < 0 || seg[p]! < 0) {
      i++;
      continue;
    }
    // The run of fixes near step p, and the next step q after it.
    let end = i;
    while (end < n && nearOf[end] === p) end++;
    let q = end;
    while (q < n && (seg[q]! < 0 || nearOf[q]! >= 0)) q++;
    // The path p → q as pieces: segment, fraction where it starts and ends.
    const pieces: [number, number, number][] = [];
    if (q < n && Number.isFinite(step[q]!)) {
      const leg = searcherOf(graph).search(snapAt(graph, seg[p]!, frac[p]!), snapAt(graph, seg[q]!, frac[q]!), 'distance');
      if (leg && leg.cost <= step[q]! + 1) {
        if (leg.kind === 'direct') pieces.push([seg[p]!, frac[p]!, frac[q]!]);
        else {
          pieces.push([seg[p]!, frac[p]!, leg.sourceDir === FORWARD ? 1 : 0]);
          for (const sd of leg.arcs) pieces.push([sd >> 1, (sd & 1) === FORWARD ? 0 : 1, (sd & 1) === FORWARD ? 1 : 0]);
          pieces.push([seg[q]!, leg.targetDir === FORWARD ? 0 : 1, frac[q]!]);
        }
      }
    }
    if (pieces.length > 0) {
      let total = 0;
      for (const [s, f0, f1] of pieces) total += Math.abs(f1 - f0) * len[s]!;
      // Share of the way p → q covered by each fix's time: by the reported speeds when all are known.
      const tp = fixes[p]!.ts;
      const tq = fixes[q]!.ts;
      let bySpeed = true;
      for (let k = p; k <= q && bySpeed; k++) if (fixes[k]!.speed == null) bySpeed = false;
      let travelled = 0;
      const share = new Float64Array(end - i);
      let covered = 0;
      for (let k = p + 1; k <= q; k++) {
        const dt = fixes[k]!.ts - fixes[k - 1]!.ts;
        covered += bySpeed ? (fixes[k]!.speed! + fixes[k - 1]!.speed!) * dt : dt;
        if (k >= i && k < end) share[k - i] = covered;
      }
      travelled = covered;
      for (let k = i; k < end; k++) {
        let want = travelled > 0 ? (share[k - i]! / travelled) * total : ((fixes[k]!.ts - tp) / Math.max(1, tq - tp)) * total;
        for (let pi = 0; pi < pieces.length; pi++) {
          const [s, f0, f1] = pieces[pi]!;
          const pl = Math.abs(f1 - f0) * len[s]!;
          if (want <= pl || pi === pieces.length - 1) {
            const t = pl > 0 ? Math.min(1, want / pl) : 0;
            seg[k] = s;
            frac[k] = f0 + (f1 - f0) * t;
            break;
          }
          want -= pl;
        }
        step[k] = 0;
      }
    } else {
      for (let k = i; k < end; k++) {
        projectOnSegment(graph, seg[p]!, fixes[k]!.lng, fixes[k]!.lat, proj);
        seg[k] = seg[p]!;
        frac[k] = proj[0]!;
        step[k] = 0;
      }
    }
    i = end;
  }
}

function snapPoint(graph: RoadGraph, m: MatchedFix): SnapPoint {
  const pt = pointAt(graph, m.segment, m.fraction, new Float64Array(4));
  return { segment: m.segment, lng: pt[2]!, lat: pt[3]!, distanceM: 0, vertex: pt[0]!, t: pt[1]!, fraction: m.fraction };
}

/** The road path through consecutive matches (by the shortest road path between each pair). */
export function matchedLine(graph: RoadGraph, matches: readonly (MatchedFix | null)[]): [number, number][] {
  const searcher = searcherOf(graph);
  const line: [number, number][] = [];
  const add = (lng: number, lat: number) => {
    const last = line[line.length - 1];
    if (!last || last[0] !== lng || last[1] !== lat) line.push([lng, lat]);
  };
  const { coords, coordStart } = graph;
  /** Vertices of segment s strictly between positions (v0,t0) and (v1,t1), in travel order. */
  const between = (s: number, v0: number, t0: number, v1: number, t1: number) => {
    const base = coordStart[s]!;
    const forward = v1 > v0 || (v1 === v0 && t1 >= t0);
    if (forward) for (let v = v0 + 1; v <= v1; v++) add(coords[base + v * 2]!, coords[base + v * 2 + 1]!);
    else for (let v = v0; v > v1; v--) add(coords[base + v * 2]!, coords[base + v * 2 + 1]!);
  };
  const lastVertex = (s: number) => (coordStart[s + 1]! - coordStart[s]!) / 2 - 2;
  let prev: SnapPoint | null = null;
  for (const m of matches) {
    // Jitter and fixes near the previous step lie on the path already drawn to the next step.
    if (!m || (m.stepM === 0 && prev)) continue;
    const here = snapPoint(graph, m);
    if (prev && m.stepM !== null && m.stepM > 0) {
      const leg = searcher.search(prev, here, 'distance');
      // Only a path as long as the matcher's step (not a detour around a one-way block).
      if (leg && leg.cost <= m.stepM + 1) {
        if (leg.kind === 'direct') between(prev.segment, prev.vertex, prev.t, here.vertex, here.t);
        else {
          const fs = prev.segment;
          if (leg.sourceDir === FORWARD) between(fs, prev.vertex, prev.t, lastVertex(fs), 1);
          else between(fs, prev.vertex, prev.t, 0, 0);
          add(coords[coordStart[fs]! + (leg.sourceDir === FORWARD ? (lastVertex(fs) + 1) * 2 : 0)]!, coords[coordStart[fs]! + (leg.sourceDir === FORWARD ? (lastVertex(fs) + 1) * 2 : 0) + 1]!);
          for (const sd of leg.arcs) {
            const s = sd >> 1;
            if ((sd & 1) === FORWARD) between(s, 0, 0, lastVertex(s), 1);
            else between(s, lastVertex(s), 1, 0, 0);
            const end = (sd & 1) === FORWARD ? coordStart[s + 1]! - 2 : coordStart[s]!;
            add(coords[end]!, coords[end + 1]!);
          }
          const ts = here.segment;
          if (leg.targetDir === FORWARD) between(ts, 0, 0, here.vertex, here.t);
          else between(ts, lastVertex(ts), 1, here.vertex, here.t);
        }
      }
    }
    add(here.lng, here.lat);
    prev = here;
  }
  if (line.length === 1) line.push([line[0]![0], line[0]![1]]);
  return line;
}
