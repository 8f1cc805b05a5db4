/**
 * A route through points in order (from, vias…, to): each point snapped to the network, one A*
 * leg between consecutive points, and the legs joined into one GeoJSON LineString with its
 * distance, duration and street-by-street steps. Failures are data: which point is off the
 * network, or which leg has no path that respects one-way streets.
 */
import type { RoadGraph } from '../graph/build';
import { DEFAULT_MAX_SNAP_M, snapToNetwork, type SnapPoint } from '../graph/snap';
import { FORWARD } from '../graph/types';
import { computeLandmarks, LANDMARK_COUNT, type Landmarks } from './landmarks';
import { Searcher, type LegPath, type Optimize } from './search';

export type { Optimize };

export interface RoutePoint {
  /** How errors name it: "from", "to", "via[0]", … */
  label: string;
  lng: number;
  lat: number;
}

export interface RouteStep {
  name: string | null;
  ref: string | null;
  distanceM: number;
  durationS: number;
}

export interface SnappedPoint {
  label: string;
  lng: number;
  lat: number;
  /** How far the given point was from the road. */
  distanceM: number;
}

export interface RouteFeature {
  type: 'Feature';
  geometry: { type: 'LineString'; coordinates: [number, number][] };
  properties: {
    distanceM: number;
    durationS: number;
    optimize: Optimize;
    steps: RouteStep[];
    /** Where each given point joined the network, in order. */
    snapped: SnappedPoint[];
  };
}

export type RouteError =
  | { code: 'OFF_NETWORK'; point: string; maxSnapM: number; message: string }
  | { code: 'UNREACHABLE'; from: string; to: string; message: string };

export type RouteResult = { ok: true; route: RouteFeature } | { ok: false; error: RouteError };

export interface RouteOptions {
  optimize: Optimize;
  maxSnapM?: number;
}

/** One stretch of one segment, from one fraction of its length to another. */
interface Piece {
  segment: number;
  /** Positions as (vertex, t) at both ends. */
  fromVertex: number;
  fromT: number;
  toVertex: number;
  toT: number;
  share: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function planRoute(graph: RoadGraph, searcher: Searcher, points: readonly RoutePoint[], options: RouteOptions): RouteResult {
  const maxSnapM = options.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  const snaps: SnapPoint[] = [];
  for (const p of points) {
    const snap = snapToNetwork(graph, p.lng, p.lat, maxSnapM);
    if (!snap) {
      return { ok: false, error: { code: 'OFF_NETWORK', point: p.label, maxSnapM, message: `${p.label} is more than ${maxSnapM} m from any road of the network` } };
    }
    snaps.push(snap);
  }
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < snaps.length; i++) {
    const leg = searcher.search(snaps[i]!, snaps[i + 1]!, options.optimize);
    if (!leg) {
      const from = points[i]!.label;
      const to = points[i + 1]!.label;
      return { ok: false, error: { code: 'UNREACHABLE', from, to, message: `no route from ${from} to ${to} that respects one-way streets` } };
    }
    pieces.push(...legPieces(graph, leg, snaps[i]!, snaps[i + 1]!));
  }
  return {
    ok: true,
    route: assemble(graph, pieces, snaps, points, options.optimize),
  };
}

function legPieces(graph: RoadGraph, leg: LegPath, from: SnapPoint, to: SnapPoint): Piece[] {
  const lastVertex = (s: number) => (graph.coordStart[s + 1]! - graph.coordStart[s]!) / 2 - 2;
  if (leg.kind === 'direct') {
    return [{ segment: from.segment, fromVertex: from.vertex, fromT: from.t, toVertex: to.vertex, toT: to.t, share: Math.abs(to.fraction - from.fraction) }];
  }
  const out: Piece[] = [];
  const fs = from.segment;
  if (leg.sourceDir === FORWARD) out.push({ segment: fs, fromVertex: from.vertex, fromT: from.t, toVertex: lastVertex(fs), toT: 1, share: 1 - from.fraction });
  else out.push({ segment: fs, fromVertex: from.vertex, fromT: from.t, toVertex: 0, toT: 0, share: from.fraction });
  for (const sd of leg.arcs) {
    const s = sd >> 1;
    if ((sd & 1) === FORWARD) out.push({ segment: s, fromVertex: 0, fromT: 0, toVertex: lastVertex(s), toT: 1, share: 1 });
    else out.push({ segment: s, fromVertex: lastVertex(s), fromT: 1, toVertex: 0, toT: 0, share: 1 });
  }
  const ts = to.segment;
  if (leg.targetDir === FORWARD) out.push({ segment: ts, fromVertex: 0, fromT: 0, toVertex: to.vertex, toT: to.t, share: to.fraction });
  else out.push({ segment: ts, fromVertex: lastVertex(ts), fromT: 1, toVertex: to.vertex, toT: to.t, share: 1 - to.fraction });
  return out;
}

function assemble(graph: RoadGraph, pieces: Piece[], snaps: SnapPoint[], points: readonly RoutePoint[], optimize: Optimize): RouteFeature {
  const { coords, coordStart } = graph;
  const line: [number, number][] = [];
  const add = (lng: number, lat: number) => {
    const last = line[line.length - 1];
    if (!last || last[0] !== lng || last[1] !== lat) line.push([lng, lat]);
  };
  const at = (s: number, vertex: number, t: number): [number, number] => {
    const i = coordStart[s]! + vertex * 2;
    if (t === 0) return [coords[i]!, coords[i + 1]!];
    if (t === 1) return [coords[i + 2]!, coords[i + 3]!];
    return [coords[i]! + t * (coords[i + 2]! - coords[i]!), coords[i + 1]! + t * (coords[i + 3]! - coords[i + 1]!)];
  };
  const vertex = (s: number, v: number) => add(coords[coordStart[s]! + v * 2]!, coords[coordStart[s]! + v * 2 + 1]!);

  const steps: RouteStep[] = [];
  let distanceM = 0;
  let durationS = 0;
  let lastName = -2;
  let lastRef = -2;
  for (const p of pieces) {
    const s = p.segment;
    add(...at(s, p.fromVertex, p.fromT));
    const forward = p.toVertex > p.fromVertex || (p.toVertex === p.fromVertex && p.toT >= p.fromT);
    // Interior vertices between the two positions, in travel order.
    if (forward) for (let v = p.fromVertex + 1; v <= p.toVertex; v++) vertex(s, v);
    else for (let v = p.fromVertex; v > p.toVertex; v--) vertex(s, v);
    add(...at(s, p.toVertex, p.toT));

    const d = p.share * graph.segLengthM[s]!;
    const t = p.share * graph.segDurationS[s]!;
    distanceM += d;
    durationS += t;
    if (d <= 0) continue;
    const name = graph.segName[s]!;
    const ref = graph.segRef[s]!;
    const step = steps[steps.length - 1];
    if (step && name === lastName && ref === lastRef) {
      step.distanceM += d;
      step.durationS += t;
    } else {
      steps.push({ name: name >= 0 ? graph.names[name]! : null, ref: ref >= 0 ? graph.refs[ref]! : null, distanceM: d, durationS: t });
      lastName = name;
      lastRef = ref;
    }
  }
  // A route from a point to itself is still a (degenerate) LineString of two positions.
  if (line.length === 1) line.push([line[0]![0], line[0]![1]]);
  for (const step of steps) {
    step.distanceM = round1(step.distanceM);
    step.durationS = round1(step.durationS);
  }
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: line },
    properties: {
      distanceM: round1(distanceM),
      durationS: round1(durationS),
      optimize,
      steps,
      snapped: snaps.map((s, i) => ({ label: points[i]!.label, lng: s.lng, lat: s.lat, distanceM: round1(s.distanceM) })),
    },
  };
}

/** A graph ready to route on: the graph, its landmarks (computed here) and its search state. */
export class RoadRouter {
  private readonly searcher: Searcher;
  readonly landmarks: Landmarks | null;
  constructor(
    readonly graph: RoadGraph,
    landmarkCount = LANDMARK_COUNT,
  ) {
    this.landmarks = landmarkCount > 0 ? computeLandmarks(graph, landmarkCount) : null;
    this.searcher = new Searcher(graph, this.landmarks);
  }

  /** Bytes of the landmark tables and search state (beyond the graph's own). */
  get bytes(): number {
    return (this.landmarks?.bytes ?? 0) + this.searcher.bytes;
  }

  route(points: readonly RoutePoint[], options: RouteOptions): RouteResult {
    return planRoute(this.graph, this.searcher, points, options);
  }

  /** Nodes settled by the last leg searched (benchmarks). */
  get lastSettled(): number {
    return this.searcher.settled;
  }
}
