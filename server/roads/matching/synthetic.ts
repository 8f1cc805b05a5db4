/**
 * Ground-truth drives for tests and the benchmark: a routed path on the graph (our A*), driven
 * at the roads' speeds, sampled every `intervalS` seconds, with Gaussian GPS noise and
 * occasional outliers. Each sample keeps the segment and point it truly was on.
 */
import type { RoadGraph } from '../graph/build';
import { METERS_PER_DEGREE, RAD } from '../graph/geo';
import { snapToNetwork } from '../graph/snap';
import { FORWARD } from '../graph/types';
import { Searcher } from '../routing/search';
import { pointAt } from './candidates';
import type { TraceFix } from './trace';

export interface DrivePiece {
  segment: number;
  fromFrac: number;
  toFrac: number;
}

export interface TruthSample extends TraceFix {
  segment: number;
  /** Index of the piece (of the drive) it was on. */
  piece: number;
  trueLng: number;
  trueLat: number;
  /** Meters driven since the start. */
  alongM: number;
}

/** The pieces of the fastest path between two points, or null (off network, unreachable, same segment). */
export function routedPieces(graph: RoadGraph, searcher: Searcher, from: [number, number], to: [number, number]): DrivePiece[] | null {
  const a = snapToNetwork(graph, from[0], from[1]);
  const b = snapToNetwork(graph, to[0], to[1]);
  if (!a || !b) return null;
  const leg = searcher.search(a, b, 'time');
  if (!leg || leg.kind === 'direct') return null;
  const pieces: DrivePiece[] = [{ segment: a.segment, fromFrac: a.fraction, toFrac: leg.sourceDir === FORWARD ? 1 : 0 }];
  for (const sd of leg.arcs) pieces.push({ segment: sd >> 1, fromFrac: (sd & 1) === FORWARD ? 0 : 1, toFrac: (sd & 1) === FORWARD ? 1 : 0 });
  pieces.push({ segment: b.segment, fromFrac: leg.targetDir === FORWARD ? 0 : 1, toFrac: b.fraction });
  return pieces.filter((p) => p.fromFrac !== p.toFrac);
}

export interface NoiseOptions {
  intervalS: number;
  sigmaM: number;
  /** Share of samples displaced by outlierM instead. */
  outlierShare: number;
  outlierM: number;
  startTs?: number;
  /** Noise (m/s, Gaussian) on the reported speed, which is then rounded to whole km/h as devices send it. Default 0: exact. */
  speedSigmaMps?: number;
  /** Noise (degrees, Gaussian) on the reported heading (course over ground). Default 0. */
  headingSigmaDeg?: number;
}

/** Samples a drive along pieces at the segments' speeds. */
export function sampleDrive(graph: RoadGraph, pieces: readonly DrivePiece[], rnd: () => number, o: NoiseOptions): TruthSample[] {
  const out: TruthSample[] = [];
  const pt = new Float64Array(4);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  let t0 = 0; // time at the start of the piece
  let along0 = 0;
  let next = 0; // time of the next sample
  const start = o.startTs ?? 1_700_000_000_000;
  for (let pi = 0; pi < pieces.length; pi++) {
    const p = pieces[pi]!;
    const s = p.segment;
    const share = Math.abs(p.toFrac - p.fromFrac);
    const dur = share * graph.segDurationS[s]!;
    const len = share * graph.segLengthM[s]!;
    const speedKmh = (graph.segLengthM[s]! / graph.segDurationS[s]!) * 3.6;
    while (next <= t0 + dur) {
      const k = dur > 0 ? (next - t0) / dur : 0;
      const f = p.fromFrac + (p.toFrac - p.fromFrac) * k;
      pointAt(graph, s, f, pt);
      const outlier = rnd() < o.outlierShare;
      let dx: number;
      let dy: number;
      if (outlier) {
        const angle = 2 * Math.PI * rnd();
        dx = Math.cos(angle) * o.outlierM;
        dy = Math.sin(angle) * o.outlierM;
      } else {
        dx = gauss() * o.sigmaM;
        dy = gauss() * o.sigmaM;
      }
      const reportedKmh = o.speedSigmaMps ? Math.max(0, Math.round(speedKmh + gauss() * o.speedSigmaMps * 3.6)) : speedKmh;
      const heading = (((bearingAt(graph, s, pt[0]!, p.toFrac < p.fromFrac) + (o.headingSigmaDeg ? gauss() * o.headingSigmaDeg : 0)) % 360) + 360) % 360;
      const lat = pt[3]! + dy / METERS_PER_DEGREE;
      const lng = pt[2]! + dx / (METERS_PER_DEGREE * Math.cos(pt[3]! * RAD));
      out.push({ lng, lat, ts: start + Math.round(next * 1000), speed: reportedKmh, heading, accuracy: o.sigmaM, segment: s, piece: pi, trueLng: pt[2]!, trueLat: pt[3]!, alongM: along0 + k * len });
      next += o.intervalS;
    }
    t0 += dur;
    along0 += len;
  }
  return out;
}

/** Bearing (degrees from north) of piece `vertex` of segment s, reversed when driven backwards. */
function bearingAt(graph: RoadGraph, s: number, vertex: number, backwards: boolean): number {
  const i = graph.coordStart[s]! + vertex * 2;
  const c = graph.coords;
  const dx = (c[i + 2]! - c[i]!) * Math.cos(c[i + 1]! * RAD);
  const dy = c[i + 3]! - c[i + 1]!;
  const b = (Math.atan2(dx, dy) * 180) / Math.PI;
  return backwards ? b + 180 : b;
}
