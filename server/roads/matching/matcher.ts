/**
 * Online, incremental map matching after Newson & Krumm (2009, "Hidden Markov map matching
 * through noise and sparseness"): each GPS fix has candidate road positions (./candidates.ts);
 * the hidden state is which one the vehicle was on. Emission: the fix's distance from the
 * candidate against σ (the fix's accuracy, else a default), Gaussian near the road and linear
 * beyond 2σ so one outlier cannot drag the path to another street. Transition: |road distance −
 * great-circle distance| between consecutive fixes, exponential with scale β growing with the
 * time between them (./network.ts finds the road distance with a bounded Dijkstra). Viterbi runs
 * over a short sliding window; a fix is committed as soon as every surviving path agrees on it,
 * and at the latest when MAX_PENDING fixes wait.
 *
 * A track restarts (nothing is an error) after a gap over maxGapS, or when no candidate of the
 * new fix can be reached from any of the previous one's; a fix with no road within reach is
 * "unmatched" and leaves the track as it was; a stationary vehicle's jitter keeps its match; a
 * fix older than the last one is ignored.
 *
 * Pure: no I/O. One MapMatcher per graph holds the search state shared by all vehicles; one
 * MatchTrack per vehicle holds its window in two small typed arrays.
 */
import type { RoadGraph } from '../graph/build';
import { haversineMeters } from '../graph/geo';
import { CandidateSearch, MAX_CANDIDATES } from './candidates';
import { NetworkDistance, ONEWAY_JITTER_M } from './network';

export interface MatcherOptions {
  /** σ (m) of a fix that reports no accuracy. */
  defaultSigmaM: number;
  /** Candidates within max(minRadiusM, 3σ), at most maxRadiusM, of the fix. */
  minRadiusM: number;
  maxRadiusM: number;
  /** A longer silence restarts the track. */
  maxGapS: number;
  /** A fix nearer than this to the previous one, not moving, is jitter: the match stays. */
  jitterM: number;
  /** At or under this speed (km/h) a vehicle counts as standing still. */
  stationaryKmh: number;
  /** β (m) of the transition: betaM + betaPerS · seconds between the fixes. */
  betaM: number;
  betaPerS: number;
  /** Scale (m) of |road distance − distance the reported speeds cover|: betaSpeedM + betaSpeedShare · that distance. */
  betaSpeedM: number;
  betaSpeedShare: number;
}

export const DEFAULT_MATCHER_OPTIONS: MatcherOptions = {
  defaultSigmaM: 10,
  minRadiusM: 25,
  maxRadiusM: 100,
  maxGapS: 60,
  jitterM: 5,
  stationaryKmh: 3,
  betaM: 3,
  betaPerS: 0.5,
  betaSpeedM: 10,
  betaSpeedShare: 0.2,
};

/** Fixes waiting for their decision at most (the bounded delay). */
export const MAX_PENDING = 3;
/** Paths this much less likely (−log) than the best are dropped. */
const PRUNE = 40;

/** What push() did with a fix. */
export const LATE = 0;
export const UNMATCHED = 1;
export const JITTER = 2;
export const MATCHED = 3;
/** Within 2σ of the previous fix: noise more than movement, so not a step of the path (Newson & Krumm §4.1). */
export const NEAR = 4;
export type PushResult = typeof LATE | typeof UNMATCHED | typeof JITTER | typeof MATCHED | typeof NEAR;

/** Receives decisions (offline matching, tests); live matching passes none and reads the head. */
export interface MatchSink {
  /** Fix `id` was on segment `seg` at `fraction`; `stepM` is the road distance from the previous committed fix (NaN at a track's start). */
  matched(id: number, seg: number, fraction: number, stepM: number): void;
  unmatched(id: number): void;
  /** Jitter: fix `id` is where fix `sameAs` was. */
  same(id: number, sameAs: number): void;
  /** Fix `id` lies within 2σ of fix `after`: somewhere on the path between it and the next step. */
  near(id: number, after: number): void;
}

const K = MAX_CANDIDATES;
/** Slots: the last committed fix (anchor), MAX_PENDING pending ones, and the new one. */
const W = MAX_PENDING + 2;
/**
 * Per candidate: segment, fraction, cost, back pointer, road distance from the back candidate,
 * and the way it is driven along its segment (1 towards its end, -1 towards its start, 0 unknown).
 */
const CF = 6;
/** Per slot: id, ts, lng, lat, candidate count, speed (km/h, NaN unknown). */
const SF = 6;

/** One vehicle's matching state (≈1 KB). */
export class MatchTrack {
  readonly cand = new Float32Array(W * K * CF);
  readonly slot = new Float64Array(W * SF);
  len = 0;
  /** Slot 0 holds the last committed fix (one candidate, the path so far). */
  anchored = false;
  /** The last fix's time (late ones are older). */
  lastTs = -Infinity;
  /** The newest fix's provisional match: segment (-1 unmatched) and fraction. */
  headSeg = -1;
  headFrac = 0;
  /** Fixes matched since the track (re)started: with one, the head is only the nearest road. */
  steps = 0;

  reset(): void {
    this.len = 0;
    this.anchored = false;
    this.headSeg = -1;
    this.steps = 0;
  }
}

/** Bytes of a MatchTrack's arrays (plus a few object headers). */
export const TRACK_BYTES = W * K * CF * 4 + W * SF * 8;

const huber = (z: number) => (z <= 2 ? 0.5 * z * z : 2 * z - 2);

export class MapMatcher {
  readonly options: MatcherOptions;
  private readonly candidates: CandidateSearch;
  readonly network: NetworkDistance;
  private readonly emission = new Float64Array(K);
  private readonly roadM = new Float64Array(K);
  private readonly entered = new Int8Array(K);
  private readonly dirOf = new Int8Array(K);
  private readonly heldAt = new Float64Array(K);
  private readonly chain = new Int32Array(W);
  private readonly mask = new Uint8Array(K);
  private readonly next = new Uint8Array(K);

  constructor(
    readonly graph: RoadGraph,
    options: Partial<MatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_MATCHER_OPTIONS, ...options };
    this.candidates = new CandidateSearch(graph);
    this.network = new NetworkDistance(graph);
  }

  /** Bytes of the per-graph search state. */
  get bytes(): number {
    return this.network.bytes;
  }

  /**
   * Feeds one fix (speed km/h and accuracy m when known). `id` names it to the sink. The
   * newest fix's provisional match is left in track.headSeg / headFrac.
   */
  push(track: MatchTrack, id: number, lng: number, lat: number, ts: number, speedKmh: number | null, accuracyM: number | null, sink: MatchSink | null = null): PushResult {
    if (!(ts > track.lastTs)) return LATE;
    const o = this.options;
    const { cand, slot } = track;
    const lastSlot = track.len - 1;
    if (track.len > 0) {
      const sb = lastSlot * SF;
      const gapS = (ts - slot[sb + 1]!) / 1000;
      const moved = haversineMeters(slot[sb + 2]!, slot[sb + 3]!, lng, lat);
      if (gapS <= o.maxGapS && moved < o.jitterM && (speedKmh === null || speedKmh <= o.stationaryKmh)) {
        track.lastTs = ts;
        sink?.same(id, slot[sb]!);
        return JITTER;
      }
      if (gapS > o.maxGapS) this.flush(track, sink);
      else if (moved < 2 * this.sigmaOf(accuracyM)) {
        track.lastTs = ts;
        sink?.near(id, slot[sb]!);
        return NEAR;
      }
    }
    track.lastTs = ts;

    const sigma = this.sigmaOf(accuracyM);
    const radius = Math.min(o.maxRadiusM, Math.max(o.minRadiusM, 3 * sigma));
    const cs = this.candidates;
    let n = cs.find(lng, lat, radius);
    if (n === 0 && radius < o.maxRadiusM) n = cs.find(lng, lat, o.maxRadiusM);
    if (n === 0) {
      track.headSeg = -1;
      sink?.unmatched(id);
      return UNMATCHED;
    }
    const em = this.emission;
    for (let j = 0; j < n; j++) em[j] = huber(cs.distM[j]! / sigma);

    let s = track.len;
    let reached = false;
    if (s > 0) {
      // Transitions from every surviving candidate of the previous fix.
      const pb = (s - 1) * SF;
      const gc = haversineMeters(slot[pb + 2]!, slot[pb + 3]!, lng, lat);
      const dt = (ts - slot[pb + 1]!) / 1000;
      const beta = o.betaM + o.betaPerS * dt;
      const limit = 2 * gc + 100;
      // Both speeds known: the road distance should also match what that speed covers.
      const pv = slot[pb + 5]!;
      const expected = speedKmh !== null && pv === pv ? (((pv + speedKmh) / 2) * dt) / 3.6 : NaN;
      const betaV = o.betaSpeedM + o.betaSpeedShare * expected;
      const base = s * K * CF;
      for (let j = 0; j < n; j++) cand[base + j * CF + 2] = Infinity;
      const prevCount = slot[pb + 4]!;
      const prevBase = (s - 1) * K * CF;
      const road = this.roadM;
      const { entered, dirOf, heldAt } = this;
      // A step back along the segment shorter than this is noise, not a U-turn.
      const holdM = Math.max(ONEWAY_JITTER_M, 3 * sigma);
      for (let i = 0; i < prevCount; i++) {
        const ci = prevBase + i * CF;
        const cost = cand[ci + 2]!;
        if (cost === Infinity) continue;
        const fs = cand[ci]!;
        const ff = cand[ci + 1]!;
        const fd = cand[ci + 5]!;
        this.network.many(fs, ff, cs.seg, cs.fraction, n, limit, road, entered);
        for (let j = 0; j < n; j++) {
          const d = road[j]!;
          if (d === Infinity) continue;
          let c = cost + Math.abs(d - gc) / beta + em[j]!;
          if (expected === expected) c += Math.abs(d - expected) / betaV;
          const cj = base + j * CF;
          if (c < cand[cj + 2]!) {
            cand[cj + 2] = c;
            cand[cj + 3] = i;
            cand[cj + 4] = d;
            reached = true;
            // Along the same segment: the way it is driven, and a short step against that way
            // (under 3σ) is noise: the vehicle is held where it was (no zigzag, no length added).
            let dir = entered[j]!;
            let held = NaN;
            if (dir === 0) {
              const df = cs.fraction[j]! - ff;
              dir = df > 0 ? 1 : df < 0 ? -1 : fd;
              if (fd !== 0 && dir !== fd && Math.abs(df) * this.graph.segLengthM[fs]! <= holdM) {
                dir = fd;
                held = ff;
                cand[cj + 4] = 0;
              }
            }
            dirOf[j] = dir;
            heldAt[j] = held;
          }
        }
      }
      if (!reached) {
        // Nothing connects: decide what is pending and start a new track with this fix.
        this.flush(track, sink);
        s = 0;
      }
    }
    const base = s * K * CF;
    for (let j = 0; j < n; j++) {
      const cj = base + j * CF;
      cand[cj] = cs.seg[j]!;
      if (s === 0) {
        cand[cj + 1] = cs.fraction[j]!;
        cand[cj + 2] = em[j]!;
        cand[cj + 3] = -1;
        cand[cj + 4] = NaN;
        cand[cj + 5] = 0;
      } else {
        const held = this.heldAt[j]!;
        cand[cj + 1] = held === held && cand[cj + 2] !== Infinity ? held : cs.fraction[j]!;
        cand[cj + 5] = cand[cj + 2] !== Infinity ? this.dirOf[j]! : 0;
      }
    }
    const sb = s * SF;
    slot[sb] = id;
    slot[sb + 1] = ts;
    slot[sb + 2] = lng;
    slot[sb + 3] = lat;
    slot[sb + 4] = n;
    slot[sb + 5] = speedKmh ?? NaN;
    track.len = s + 1;

    // Normalise and prune the newest fix's costs; its best is the provisional answer.
    let best = 0;
    let min = Infinity;
    for (let j = 0; j < n; j++) {
      const c = cand[base + j * CF + 2]!;
      if (c < min) {
        min = c;
        best = j;
      }
    }
    for (let j = 0; j < n; j++) {
      const cj = base + j * CF + 2;
      const c = cand[cj]! - min;
      cand[cj] = c > PRUNE ? Infinity : c;
    }
    track.headSeg = cand[base + best * CF]!;
    track.headFrac = cand[base + best * CF + 1]!;
    track.steps = s === 0 ? 1 : track.steps + 1;

    this.commitConverged(track, sink);
    while (track.len - (track.anchored ? 1 : 0) > MAX_PENDING) this.commitFirst(track, this.bestChain(track), sink);
    return MATCHED;
  }

  private sigmaOf(accuracyM: number | null): number {
    return accuracyM !== null && accuracyM > 0 ? Math.min(50, Math.max(3, accuracyM)) : this.options.defaultSigmaM;
  }

  /** Decides every pending fix along the best path, and ends the track (a new one starts). */
  flush(track: MatchTrack, sink: MatchSink | null): void {
    while (track.len - (track.anchored ? 1 : 0) > 0) this.commitFirst(track, this.bestChain(track), sink);
    track.reset();
  }

  /** chain[slot] = the candidate on the best path through the newest fix. */
  private bestChain(track: MatchTrack): Int32Array {
    const { cand, slot } = track;
    const chain = this.chain;
    const last = track.len - 1;
    const n = slot[last * SF + 4]!;
    let best = 0;
    let min = Infinity;
    for (let j = 0; j < n; j++) {
      const c = cand[(last * K + j) * CF + 2]!;
      if (c < min) {
        min = c;
        best = j;
      }
    }
    chain[last] = best;
    for (let s = last; s > 0; s--) chain[s - 1] = cand[(s * K + chain[s]!) * CF + 3]!;
    return chain;
  }

  /** Commits the pending fixes on which every surviving path agrees. */
  private commitConverged(track: MatchTrack, sink: MatchSink | null): void {
    const { cand, slot } = track;
    const first = track.anchored ? 1 : 0;
    const last = track.len - 1;
    const { mask, next } = this;
    const n = slot[last * SF + 4]!;
    let alive = 0;
    for (let j = 0; j < n; j++) {
      mask[j] = cand[(last * K + j) * CF + 2]! !== Infinity ? 1 : 0;
      alive += mask[j]!;
    }
    let agreed = alive === 1 ? last : -1;
    for (let s = last; s > first && agreed < 0; s--) {
      const pn = slot[(s - 1) * SF + 4]!;
      next.fill(0, 0, pn);
      const cn = slot[s * SF + 4]!;
      for (let j = 0; j < cn; j++) if (mask[j]) next[cand[(s * K + j) * CF + 3]!] = 1;
      alive = 0;
      for (let i = 0; i < pn; i++) {
        mask[i] = next[i]!;
        alive += mask[i]!;
      }
      if (alive === 1) agreed = s - 1;
    }
    // Every surviving path runs through the best one there: commit first..agreed along it.
    for (let k = first; k <= agreed; k++) this.commitFirst(track, this.bestChain(track), sink);
  }

  /** Commits the first pending fix to chain[its slot]; it becomes the anchor. */
  private commitFirst(track: MatchTrack, chain: Int32Array, sink: MatchSink | null): void {
    const { cand, slot } = track;
    const s = track.anchored ? 1 : 0;
    const c = chain[s]!;
    const ci = (s * K + c) * CF;
    sink?.matched(slot[s * SF]!, cand[ci]!, cand[ci + 1]!, cand[ci + 4]!);
    // The committed fix becomes slot 0 with its one candidate; the older anchor goes.
    if (s === 1) {
      cand.copyWithin(0, K * CF, track.len * K * CF);
      slot.copyWithin(0, SF, track.len * SF);
      track.len--;
    }
    cand.copyWithin(0, c * CF, c * CF + CF);
    cand[2] = 0;
    slot[4] = 1;
    track.anchored = true;
    if (track.len > 1) {
      // Only paths through the committed candidate go on.
      const nn = slot[SF + 4]!;
      for (let j = 0; j < nn; j++) {
        const cj = (K + j) * CF;
        if (cand[cj + 3] === c) cand[cj + 3] = 0;
        else cand[cj + 2] = Infinity;
      }
      // …and so do only their descendants.
      for (let t = 2; t < track.len; t++) {
        const tn = slot[t * SF + 4]!;
        for (let j = 0; j < tn; j++) {
          const cj = (t * K + j) * CF;
          if (cand[cj + 2] !== Infinity && cand[((t - 1) * K + cand[cj + 3]!) * CF + 2] === Infinity) cand[cj + 2] = Infinity;
        }
      }
    }
  }
}
