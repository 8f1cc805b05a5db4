/**
 * Online, incremental map matching after Newson & Krumm (2009, "Hidden Markov map matching
 * through noise and sparseness"): each GPS fix has candidate road positions (./candidates.ts);
 * the hidden state is which one the vehicle was on. Emission: the fix's distance from the
 * candidate against σ (the fix's accuracy, else a default), Gaussian near the road and linear
 * beyond 2σ so one outlier cannot drag the path to another street. Transition: |road distance −
 * great-circle distance| between consecutive fixes, exponential with scale β growing with the
 * time between them (./network.ts finds the road distance with a bounded Dijkstra). Viterbi runs
 * over a short sliding window; a fix is committed once every surviving path agrees on it and
 * LOOKAHEAD later fixes are known, at the latest when MAX_PENDING fixes wait. The committed point
 * is placed along the path where its own point, the previous placed one plus the distance the
 * reported speeds cover, and the later fixes agree best (place()); the fix's reported heading
 * counts in the emission.
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
  /** Candidates within max(minRadiusM, 5σ), at most maxRadiusM, of the fix (5σ: a 50 m outlier at σ 10 m still has its road among them). */
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
  /**
   * Placing a committed fix along its path: the reported speeds × time predict how far the vehicle
   * went; that prediction's error grows by this (m/s) per second it spans. 0 turns placing off
   * (each fix is its own candidate's point).
   */
  alongSpeedSigmaMps: number;
  /**
   * Heading as evidence: a candidate whose segment runs at angle δ to the fix's reported course
   * costs headingWeight × (1 − cos δ) (against a one-way segment's direction; the nearer way on a
   * two-way one), scaled down below headingFullKmh (a slow vehicle's course is noise). 0: off.
   */
  headingWeight: number;
  headingFullKmh: number;
  /** Not a step while the vehicle cannot have gone this many σ since the previous one (by the reported speeds, else by the fix itself; Newson & Krumm use 2). */
  nearSigmas: number;
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
  alongSpeedSigmaMps: 0.5,
  headingWeight: 4,
  headingFullKmh: 20,
  nearSigmas: 3,
};

/** Fixes waiting for their decision at most (the bounded delay). */
export const MAX_PENDING = 3;
/** Later fixes a fix waits for to be placed along its path (unless the window is full first). */
const LOOKAHEAD = 2;
/** Paths this much less likely (−log) than the best are dropped. */
const PRUNE = 40;

/** What push() did with a fix. */
export const LATE = 0;
export const UNMATCHED = 1;
export const JITTER = 2;
export const MATCHED = 3;
/** Not a step: the vehicle cannot have gone nearSigmas σ (3) since the previous step, so noise exceeds movement (Newson & Krumm §4.1). */
export const NEAR = 4;
export type PushResult = typeof LATE | typeof UNMATCHED | typeof JITTER | typeof MATCHED | typeof NEAR;

/** Receives decisions (offline matching, tests); live matching passes none and reads the head. */
export interface MatchSink {
  /** Fix `id` was on segment `seg` at `fraction`; `stepM` is the road distance from the previous committed fix (NaN at a track's start). */
  matched(id: number, seg: number, fraction: number, stepM: number): void;
  unmatched(id: number): void;
  /** Jitter: fix `id` is where fix `sameAs` was. */
  same(id: number, sameAs: number): void;
  /** Fix `id` is not a step after fix `after`: somewhere on the path between it and the next step. */
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
/** Per slot: id, ts, lng, lat, candidate count + 16 × σ in decimeters, speed (km/h, NaN unknown). */
const SF = 6;
const countOf = (packed: number) => packed & 15;
const sigmaOfSlot = (packed: number) => (packed >> 4) / 10;

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
  /** Where the anchor was placed along the path (m after its candidate's point). */
  anchorShiftM = 0;
  /** The forward (filtered: past fixes only) estimate of the anchor's place, m after its candidate's point, and its variance (m²). */
  anchorFilterM = 0;
  anchorVarM2 = Infinity;

  reset(): void {
    this.len = 0;
    this.anchored = false;
    this.headSeg = -1;
    this.steps = 0;
    this.anchorShiftM = 0;
    this.anchorFilterM = 0;
    this.anchorVarM2 = Infinity;
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
  /** Estimates of a committed fix's place along the path (m) and their variances. */
  private readonly est = new Float64Array(W + 1);
  private readonly estVar = new Float64Array(W + 1);
  /** The placed fix: segment, fraction, road meters from the previous placed fix. */
  private placedSeg = 0;
  private placedFrac = 0;
  private placedStep = NaN;
  private readonly oneSeg = new Int32Array(1);
  private readonly oneFrac = new Float64Array(1);
  private readonly oneOut = new Float64Array(1);
  private readonly oneEntered = new Int8Array(1);
  private readonly path = new Int32Array(64);

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
  push(track: MatchTrack, id: number, lng: number, lat: number, ts: number, speedKmh: number | null, accuracyM: number | null, sink: MatchSink | null = null, headingDeg: number | null = null): PushResult {
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
      else {
        // Not a step while the vehicle cannot have gone nearSigmas σ since the last one: by the
        // reported speeds when known (choosing steps by their own noisy displacement would keep
        // the fixes whose noise points ahead, and shift the path forward), else by the fix.
        const near = o.nearSigmas * this.sigmaOf(accuracyM);
        const pv = slot[sb + 5]!;
        const covered = speedKmh !== null && pv === pv ? (((pv + speedKmh) / 2) * gapS) / 3.6 : NaN;
        if (covered === covered ? covered < near && moved < 2 * near : moved < near) {
          track.lastTs = ts;
          sink?.near(id, slot[sb]!);
          return NEAR;
        }
      }
    }
    track.lastTs = ts;

    const sigma = this.sigmaOf(accuracyM);
    const radius = Math.min(o.maxRadiusM, Math.max(o.minRadiusM, 5 * sigma));
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
    if (headingDeg !== null && o.headingWeight > 0 && headingDeg === headingDeg) {
      const w = o.headingWeight * (speedKmh === null ? 0.5 : Math.min(1, speedKmh / o.headingFullKmh));
      const h = headingDeg * (Math.PI / 180);
      const oneway = this.graph.segOneway;
      for (let j = 0; j < n; j++) {
        const c = Math.cos(h - cs.bearing[j]!);
        const ow = oneway[cs.seg[j]!]!;
        em[j] = em[j]! + w * (ow === 0 ? 1 - Math.abs(c) : 1 - ow * c);
      }
    }

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
      const prevCount = countOf(slot[pb + 4]!);
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
    slot[sb + 4] = n + 16 * Math.round(sigma * 10);
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
    const n = countOf(slot[last * SF + 4]!);
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
    const n = countOf(slot[last * SF + 4]!);
    let alive = 0;
    for (let j = 0; j < n; j++) {
      mask[j] = cand[(last * K + j) * CF + 2]! !== Infinity ? 1 : 0;
      alive += mask[j]!;
    }
    let agreed = alive === 1 ? last : -1;
    for (let s = last; s > first && agreed < 0; s--) {
      const pn = countOf(slot[(s - 1) * SF + 4]!);
      next.fill(0, 0, pn);
      const cn = countOf(slot[s * SF + 4]!);
      for (let j = 0; j < cn; j++) if (mask[j]) next[cand[(s * K + j) * CF + 3]!] = 1;
      alive = 0;
      for (let i = 0; i < pn; i++) {
        mask[i] = next[i]!;
        alive += mask[i]!;
      }
      if (alive === 1) agreed = s - 1;
    }
    // Every surviving path runs through the best one there: commit first..agreed along it, but
    // not the newest fix (the next one helps to place it along the path).
    if (agreed > last - LOOKAHEAD) agreed = last - LOOKAHEAD;
    for (let k = first; k <= agreed; k++) this.commitFirst(track, this.bestChain(track), sink);
  }

  /** Commits the first pending fix to chain[its slot]; it becomes the anchor. */
  private commitFirst(track: MatchTrack, chain: Int32Array, sink: MatchSink | null): void {
    const { cand, slot } = track;
    const s = track.anchored ? 1 : 0;
    const c = chain[s]!;
    this.place(track, chain, s);
    sink?.matched(slot[s * SF]!, this.placedSeg, this.placedFrac, this.placedStep);
    // The committed fix becomes slot 0 with its one candidate; the older anchor goes.
    if (s === 1) {
      cand.copyWithin(0, K * CF, track.len * K * CF);
      slot.copyWithin(0, SF, track.len * SF);
      track.len--;
    }
    cand.copyWithin(0, c * CF, c * CF + CF);
    cand[2] = 0;
    slot[4] = 1 + (slot[4]! - countOf(slot[4]!));
    track.anchored = true;
    if (track.len > 1) {
      // Only paths through the committed candidate go on.
      const nn = countOf(slot[SF + 4]!);
      for (let j = 0; j < nn; j++) {
        const cj = (K + j) * CF;
        if (cand[cj + 3] === c) cand[cj + 3] = 0;
        else cand[cj + 2] = Infinity;
      }
      // …and so do only their descendants.
      for (let t = 2; t < track.len; t++) {
        const tn = countOf(slot[t * SF + 4]!);
        for (let j = 0; j < tn; j++) {
          const cj = (t * K + j) * CF;
          if (cand[cj + 2] !== Infinity && cand[((t - 1) * K + cand[cj + 3]!) * CF + 2] === Infinity) cand[cj + 2] = Infinity;
        }
      }
    }
  }

  /**
   * Places the fix in slot s along the best path: its own candidate's point, the anchor's place
   * plus the distance the reported speeds cover, and the later fixes' points minus theirs,
   * weighted by their variances (a fixed-lag smoother along the path; estimates more than 3
   * standard deviations off the first weighted mean are dropped as outliers). Near a junction this
   * decides which side of it the vehicle was, which the fix's own nearest point cannot within σ.
   */
  private place(track: MatchTrack, chain: Int32Array, s: number): void {
    const { cand, slot } = track;
    const g = this.graph;
    const ci = (s * K + chain[s]!) * CF;
    const seg = cand[ci]!;
    const frac = cand[ci + 1]!;
    const d = cand[ci + 4]!;
    const dir = cand[ci + 5]!;
    this.placedSeg = seg;
    this.placedFrac = frac;
    this.placedStep = d;
    const sv = this.options.alongSpeedSigmaMps;
    const sigma = sigmaOfSlot(slot[s * SF + 4]!);
    const ts = slot[s * SF + 1]!;
    const vs = slot[s * SF + 5]!;
    // Offsets (m) along the path from this fix's candidate point.
    const { est, estVar } = this;
    let m = 0;
    let priorVar = Infinity;
    let lower = -Infinity;
    // A U-turn on the anchor's segment: the anchor's place ahead of its point is not on the way back.
    const uTurn = s === 1 && cand[0] === seg && cand[5]! * dir < 0;
    if (uTurn) track.anchorVarM2 = Infinity;
    if (s === 1 && !uTurn) {
      lower = -d + track.anchorShiftM;
      const v0 = slot[5]!;
      const dt = (ts - slot[1]!) / 1000;
      if (track.anchorVarM2 < Infinity && v0 === v0 && vs === vs) {
        est[m] = -d + track.anchorFilterM + (((v0 + vs) / 2) * dt) / 3.6;
        // A change of speed between the fixes happened somewhere in between: (v1 − v0) · Δt / 4 more.
        estVar[m] = priorVar = track.anchorVarM2 + (sv * dt) ** 2 + ((Math.abs(vs - v0) / 3.6) * dt * 0.25) ** 2;
        m++;
      }
    }
    const own = m;
    est[m] = 0;
    estVar[m] = sigma * sigma;
    m++;
    if (sv > 0 && dir !== 0 && vs === vs) {
      let along = 0;
      let travel = 0;
      let change = 0;
      let vPrev = vs;
      let tPrev = ts;
      for (let k = s + 1; k < track.len; k++) {
        along += cand[(k * K + chain[k]!) * CF + 4]!;
        const vk = slot[k * SF + 5]!;
        const tk = slot[k * SF + 1]!;
        if (!(vk === vk) || !(along === along)) break;
        travel += (((vPrev + vk) / 2) * (tk - tPrev)) / 3600;
        change += (((Math.abs(vk - vPrev) / 3.6) * (tk - tPrev)) / 1000) * 0.25;
        const sk = sigmaOfSlot(slot[k * SF + 4]!);
        est[m] = along - travel;
        estVar[m] = sk * sk + ((sv * (tk - ts)) / 1000) ** 2 + change * change;
        m++;
        vPrev = vk;
        tPrev = tk;
      }
    }
    let p = 0;
    let filterVar = sigma * sigma;
    let filterM = 0;
    if (m > 1 && sv > 0 && dir !== 0) {
      // The prior (anchor + speed × Δt) against this fix's own point: when they disagree beyond
      // 3 standard deviations, the later fixes say which is wrong (an outlier fix, or a prior
      // gone astray: the filter restarts from this fix).
      let usePrior = priorVar < Infinity;
      let useOwn = true;
      if (usePrior) {
        const r = est[0]!;
        if (r * r > 9 * (priorVar + sigma * sigma)) {
          let w = 0;
          let sum = 0;
          for (let i = own + 1; i < m; i++) {
            w += 1 / estVar[i]!;
            sum += est[i]! / estVar[i]!;
          }
          const later = w > 0 ? sum / w : NaN;
          if (later === later && Math.abs(later - r) < Math.abs(later)) useOwn = false;
          else usePrior = false;
        }
      }
      if (usePrior) {
        filterVar = useOwn ? 1 / (1 / priorVar + 1 / (sigma * sigma)) : priorVar;
        filterM = useOwn ? (est[0]! / priorVar) * filterVar : est[0]!;
      }
      // The place: the filtered estimate with the later fixes that agree with it.
      let w = 1 / filterVar;
      let sum = filterM / filterVar;
      for (let i = own + 1; i < m; i++) {
        const r = est[i]! - filterM;
        if (r * r > 9 * (estVar[i]! + filterVar)) continue;
        w += 1 / estVar[i]!;
        sum += est[i]! / estVar[i]!;
      }
      p = sum / w;
    }
    if (p < lower) p = lower;
    if (p !== 0) {
      // Which segment that place is on: this one, the one before (the anchor's) or the next
      // fix's, when they adjoin; else the place stops at this segment's end.
      const len = g.segLengthM;
      const L = len[seg]!;
      const before = dir > 0 ? frac * L : (1 - frac) * L;
      const after = L - before;
      if (p > after) {
        // Ahead: along the road path to the next fix's candidate.
        if (s + 1 < track.len) {
          const cn = ((s + 1) * K + chain[s + 1]!) * CF;
          p = after + this.walk(seg, frac, dir > 0 ? g.segTo[seg]! : g.segFrom[seg]!, cand[cn]!, cand[cn + 1]!, cand[cn + 4]!, p - after, true);
        } else p = after;
        if (p <= after) {
          this.placedSeg = seg;
          this.placedFrac = dir > 0 ? 1 : 0;
        }
      } else if (p < -before) {
        // Behind: along the road path from the anchor's candidate.
        if (s === 1) p = -before - this.walk(cand[0]!, cand[1]!, dir > 0 ? g.segFrom[seg]! : g.segTo[seg]!, seg, frac, d, -p - before, false);
        else p = -before;
        if (p >= -before) {
          this.placedSeg = seg;
          this.placedFrac = dir > 0 ? 0 : 1;
        }
      } else this.placedFrac = frac + (dir > 0 ? p : -p) / L;
    }
    if (s === 1) this.placedStep = Math.max(0, d + p - (uTurn ? 0 : track.anchorShiftM));
    track.anchorShiftM = p;
    track.anchorFilterM = filterM;
    track.anchorVarM2 = filterVar;
  }

  /**
   * Follows the road path from (fromSeg, fromFrac) to (toSeg, toFrac) (`roadM` long), which passes
   * `node`, for `meters` after that node (ahead) or before it (behind), and leaves the segment
   * and fraction there in placedSeg / placedFrac. Returns how far it got (0 when the path is
   * not the one expected).
   */
  private walk(fromSeg: number, fromFrac: number, node: number, toSeg: number, toFrac: number, roadM: number, meters: number, ahead: boolean): number {
    const g = this.graph;
    const len = g.segLengthM;
    this.oneSeg[0] = toSeg;
    this.oneFrac[0] = toFrac;
    this.network.many(fromSeg, fromFrac, this.oneSeg, this.oneFrac, 1, roadM + 1, this.oneOut, this.oneEntered);
    const e = this.oneEntered[0]!;
    if (e === 0 || Math.abs(this.oneOut[0]! - roadM) > 1) return 0;
    const n = this.network.pathTo(e > 0 ? g.segFrom[toSeg]! : g.segTo[toSeg]!, this.path);
    const path = this.path;
    // The path runs fromSeg, path[0..n), toSeg; find `node` on it.
    const tailOf = (sd: number) => ((sd & 1) === 0 ? g.segFrom[sd >> 1]! : g.segTo[sd >> 1]!);
    if (ahead) {
      // node = where the path leaves fromSeg.
      if (n > 0 ? tailOf(path[0]!) !== node : (e > 0 ? g.segFrom[toSeg]! : g.segTo[toSeg]!) !== node) return 0;
      let rem = meters;
      for (let k = 0; k < n; k++) {
        const sd = path[k]!;
        const x = sd >> 1;
        const lx = len[x]!;
        if (rem <= lx) {
          this.placedSeg = x;
          this.placedFrac = (sd & 1) === 0 ? rem / lx : 1 - rem / lx;
          return meters;
        }
        rem -= lx;
      }
      const lt = len[toSeg]!;
      const into = Math.min(rem, e > 0 ? toFrac * lt : (1 - toFrac) * lt);
      this.placedSeg = toSeg;
      this.placedFrac = e > 0 ? into / lt : 1 - into / lt;
      return meters - rem + into;
    }
    // node = where the path enters toSeg.
    if ((e > 0 ? g.segFrom[toSeg]! : g.segTo[toSeg]!) !== node) return 0;
    let rem = meters;
    for (let k = n - 1; k >= 0; k--) {
      const sd = path[k]!;
      const x = sd >> 1;
      const lx = len[x]!;
      if (rem <= lx) {
        this.placedSeg = x;
        this.placedFrac = (sd & 1) === 0 ? 1 - rem / lx : rem / lx;
        return meters;
      }
      rem -= lx;
    }
    // Back onto fromSeg, before where the path leaves it.
    const leave = n > 0 ? tailOf(path[0]!) : node;
    const lf = len[fromSeg]!;
    const leavesAtEnd = leave === g.segTo[fromSeg]!;
    const avail = leavesAtEnd ? (1 - fromFrac) * lf : fromFrac * lf;
    const back = Math.min(rem, avail);
    this.placedSeg = fromSeg;
    this.placedFrac = leavesAtEnd ? 1 - back / lf : back / lf;
    return meters - rem + back;
  }
}
