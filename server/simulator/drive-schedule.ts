/**
 * How one driver drives one tour, second by second: accelerating to the speed limit of each
 * stretch (times the driver's own factor and some variation), slowing for lower limits ahead,
 * braking to a halt at each stop and standing there a while, now and then braking hard. Built
 * once per (tour, driving profile), then read as a pure function of time.
 */
import { limitAt, type Tour } from './tour';

export interface DriveProfile {
  /** Cruise speed as a share of the limit (1 = at the limit; a speeder drives at 1.15–1.3). */
  factor: number;
  /** ± share of the cruise speed, redrawn every VARIATION_M meters. */
  variation: number;
  /** Seconds standing at each customer stop. */
  stopS: number;
  /** Seconds at the depot at the end of each tour, before the next one. */
  depotS: number;
  /** Mean meters between two hard brakings (Infinity: never). */
  hardBrakeEveryM: number;
  /** Corner speed as a share of a comfortable one (≈ 0.25 g; a speeder corners at 1.2–1.3, ≈ 0.4 g). */
  cornerFactor?: number;
}

export const STATE_DRIVING = 0;
export const STATE_STOPPED = 1;

export interface DriveSchedule {
  /** Seconds of one tour, depot stay included. */
  cycleS: number;
  /** Per second from the cycle's start: meters along the tour, speed (km/h), state. */
  along: Float64Array;
  speedKmh: Float32Array;
  state: Uint8Array;
}

const ACCEL = 1.4; // m/s², a loaded van
const DECEL = 2.0; // m/s², ordinary braking
const HARD_DECEL = 6.5; // m/s², hard braking (≥ 4 counts as harsh in telematics)
const VARIATION_M = 300;
const LOOKAHEAD_M = 150;
const MIN_KMH = 8;
/** Half the stretch over which a corner's heading change is spread (the simulator reports headings so). */
export const CORNER_HALF_M = 12;
/** Nominal lateral acceleration of a comfortable corner, m/s² (the reported headings peak ≈ 1.5× higher: ≈ 0.25 g). */
const CORNER_LAT = 1.6;
const CORNER_LOOKAHEAD_M = 100;

const TURN_STEP_M = 10;
const turnProfiles = new WeakMap<Tour, Float32Array>();

/** The heading change (radians) over ± CORNER_HALF_M around every TURN_STEP_M of the tour (once per tour). */
function turnProfile(tour: Tour): Float32Array {
  let profile = turnProfiles.get(tour);
  if (profile) return profile;
  profile = new Float32Array(Math.floor(tour.length / TURN_STEP_M) + 1);
  for (let i = 0; i < profile.length; i++) {
    const d = i * TURN_STEP_M;
    const a = tour.walker.at(Math.max(0, d - CORNER_HALF_M)).heading;
    const b = tour.walker.at(Math.min(tour.length, d + CORNER_HALF_M)).heading;
    profile[i] = (Math.abs(((b - a + 540) % 360) - 180) * Math.PI) / 180;
  }
  turnProfiles.set(tour, profile);
  return profile;
}

/**
 * The fastest speed (m/s) at `d` from which every corner of the next CORNER_LOOKAHEAD_M can be
 * taken at its corner speed with ordinary braking: a heading change θ spread over 2·CORNER_HALF_M
 * at speed v is a lateral acceleration ≈ θ·v² / (2·CORNER_HALF_M).
 */
function cornerCapAt(turns: Float32Array, d: number, factor: number): number {
  let cap = Infinity;
  const first = Math.round(d / TURN_STEP_M);
  for (let i = first; i <= first + CORNER_LOOKAHEAD_M / TURN_STEP_M && i < turns.length; i++) {
    const k = Math.max(0, i * TURN_STEP_M - d);
    const theta = turns[i]!;
    if (theta < 0.1) continue;
    const corner = factor * Math.sqrt((CORNER_LAT * 2 * CORNER_HALF_M) / theta);
    // Braking must be done where the turn begins (CORNER_HALF_M before), with a second's margin.
    cap = Math.min(cap, Math.sqrt(corner * corner + 2 * DECEL * Math.max(0, k - CORNER_HALF_M - 8)));
  }
  return cap;
}

/** Builds the schedule; `random` draws the variation and the hard brakings (seeded: deterministic). */
export function buildDriveSchedule(tour: Tour, profile: DriveProfile, random: () => number): DriveSchedule {
  const along: number[] = [];
  const speed: number[] = [];
  const state: number[] = [];
  const stand = (d: number, seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      along.push(d);
      speed.push(0);
      state.push(STATE_STOPPED);
    }
  };
  let d = 0;
  let v = 0; // m/s
  let noise = 1;
  let nextNoiseAt = 0;
  let nextBrakeAt = profile.hardBrakeEveryM === Infinity ? Infinity : -Math.log(1 - random()) * profile.hardBrakeEveryM;
  let braking = 0; // seconds of hard braking left
  const turns = turnProfile(tour);
  for (const stop of tour.stops) {
    // Drive to this stop, one second at a time.
    for (let guard = 0; guard < 100_000; guard++) {
      along.push(d);
      speed.push(v * 3.6);
      state.push(STATE_DRIVING);
      if (d >= nextNoiseAt) {
        noise = 1 + (random() * 2 - 1) * profile.variation;
        nextNoiseAt = d + VARIATION_M;
      }
      const limit = Math.min(limitAt(tour, d), limitAt(tour, Math.min(d + LOOKAHEAD_M, tour.length)));
      const cruise = Math.min(Math.max(MIN_KMH, limit * profile.factor * noise) / 3.6, cornerCapAt(turns, d, profile.cornerFactor ?? 1));
      const remaining = stop - d;
      let next: number;
      if (d >= nextBrakeAt && braking === 0 && v > 25 / 3.6 && remaining > 150) {
        braking = 2;
        nextBrakeAt = d + -Math.log(1 - random()) * profile.hardBrakeEveryM;
      }
      if (braking > 0) {
        next = Math.max(5 / 3.6, v - HARD_DECEL);
        braking--;
      } else if (v > cruise) {
        next = Math.max(cruise, v - DECEL);
      } else {
        next = Math.min(cruise, v + ACCEL);
      }
      // Never too fast to halt at the stop with ordinary braking.
      next = Math.min(next, Math.sqrt(2 * DECEL * Math.max(0, remaining - next * 0.5)));
      const step = (v + next) / 2;
      if (step >= remaining || remaining < 1.5) {
        d = stop;
        // The last metres: come to a halt with ordinary braking, not from whatever speed in one second.
        for (v = Math.max(0, v - DECEL); v > 0; v = Math.max(0, v - DECEL)) {
          along.push(d);
          speed.push(v * 3.6);
          state.push(STATE_DRIVING);
        }
        break;
      }
      d += step;
      v = next;
      if (v < 0.3 && remaining > 1.5) v = Math.min(cruise, ACCEL); // never stall short of the stop
    }
    stand(d, stop >= tour.length ? profile.depotS : profile.stopS);
  }
  return { cycleS: along.length, along: Float64Array.from(along), speedKmh: Float32Array.from(speed), state: Uint8Array.from(state) };
}

/** Where on the schedule `seconds` (any real number, repeating every cycle) falls. */
export function scheduleAt(schedule: DriveSchedule, seconds: number): { along: number; speedKmh: number; state: number } {
  const n = schedule.cycleS;
  const t = ((seconds % n) + n) % n;
  const i = Math.floor(t);
  const f = t - i;
  const j = i + 1 < n ? i + 1 : i;
  const a = schedule.along[i]!;
  // The last second of a cycle ends at the depot, where the next cycle begins.
  const b = j === i ? a : schedule.along[j]!;
  const speedA = schedule.speedKmh[i]!;
  const speedB = j === i ? speedA : schedule.speedKmh[j]!;
  return { along: a + (b - a) * f, speedKmh: speedA + (speedB - speedA) * f, state: schedule.state[i]! };
}
