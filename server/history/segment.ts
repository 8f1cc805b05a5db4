import type { Position } from '../protocol/position';
import { spheroidMeters } from './spheroid';

/**
 * Movement trips and stops ("journeys"), derived from each vehicle's committed positions in
 * order. Pure: no clock, no I/O; per-vehicle state keyed by vehicle id, so it can be rebuilt by
 * feeding the same positions again (server/history/rebuild.ts) and run in any worker that owns
 * the vehicle, and exported as plain JSON (exportState/importState) so that what is under way
 * survives a restart (history_open_segments, server/history/service.ts). Not to be confused
 * with dispatched trips (server/trips): these are what the vehicle did, not what it was asked
 * to do.
 *
 * Rules (docs/reports.md):
 *  - a fix is moving when its speed (or, without one, the speed between fixes) is at least
 *    `movingKmh`, unless the device reports the ignition off;
 *  - a journey starts at the last fix before motion and is confirmed once it has covered
 *    `minTripM` (GPS drift while parked never makes a journey);
 *  - a pause of `stopMinS` or longer ends the journey where the vehicle came to rest, and is a
 *    stop until the next confirmed journey starts; shorter pauses are idle time in the journey;
 *  - a silence longer than `maxGapS` ends the journey at its last fix (the time is a stop).
 */
export interface SegmentOptions {
  stopMinS: number;
  movingKmh: number;
  minTripM: number;
  maxGapS: number;
}

export const DEFAULT_SEGMENT_OPTIONS: SegmentOptions = { stopMinS: 300, movingKmh: 5, minTripM: 200, maxGapS: 900 };

export interface MovementTrip {
  tenantId: string;
  vehicleId: string;
  driverId: string | null;
  startTs: number;
  endTs: number;
  startLng: number;
  startLat: number;
  endLng: number;
  endLat: number;
  distanceM: number;
  /** Seconds in motion. */
  drivingS: number;
  /** Seconds standing within the journey (pauses shorter than a stop). */
  idleS: number;
  maxSpeedKmh: number;
  /** Distance over driving time. */
  avgSpeedKmh: number;
  positions: number;
}

export interface MovementStop {
  tenantId: string;
  vehicleId: string;
  driverId: string | null;
  startTs: number;
  endTs: number;
  lng: number;
  lat: number;
}

export interface Segments {
  trips: MovementTrip[];
  stops: MovementStop[];
}

/** A fix as the segmenter keeps it (ms since the epoch, WGS 84 degrees). */
export interface SegmentFix {
  ts: number;
  lng: number;
  lat: number;
}
type Fix = SegmentFix;

/** A journey under way (confirmed, or a candidate while the stop before it goes on). */
export interface OpenTripState {
  start: Fix;
  driverId: string | null;
  distanceM: number;
  drivingS: number;
  idleS: number;
  maxSpeedKmh: number;
  positions: number;
  /** Where and when the current pause began (null while moving), and the totals at that moment. */
  pause: Fix | null;
  distanceAtPause: number;
  idleAtPause: number;
}

type OpenTrip = OpenTripState;

interface VehicleMotion {
  tenantId: string;
  last: Fix;
  /** The journey under way, or a candidate not yet confirmed while `stop` is set. */
  trip: OpenTrip | null;
  /** The stationary period under way (null while a confirmed journey runs). */
  stop: (Fix & { driverId: string | null }) | null;
}

/** The version of `SegmentState`; `importState` reads this one only (an older state is dropped: the vehicle starts fresh). */
export const SEGMENT_STATE_VERSION = 1;

/**
 * One vehicle's open state as plain JSON (history_open_segments.state): everything the
 * segmenter knows about it, so that feeding positions A, exporting, importing into another
 * segmenter and feeding B derives exactly what feeding A then B into one does.
 */
export interface SegmentState {
  version: typeof SEGMENT_STATE_VERSION;
  tenantId: string;
  /** The last fix fed. */
  last: SegmentFix;
  /** The journey under way, or a candidate not yet confirmed while `stop` is set. */
  trip: OpenTripState | null;
  /** The stationary period under way since `ts` (null while a confirmed journey runs). */
  stop: (SegmentFix & { driverId: string | null }) | null;
}

export class MovementSegmenter {
  private readonly state = new Map<string, VehicleMotion>();

  constructor(
    private readonly options: SegmentOptions = DEFAULT_SEGMENT_OPTIONS,
    private readonly driverOf: (vehicleId: string) => string | null = () => null,
  ) {}

  get vehicles(): number {
    return this.state.size;
  }

  /** Feeds one committed position (each vehicle's in time order; older or equal times are ignored). */
  observe(p: Position, out: Segments): void {
    const o = this.options;
    const v = this.state.get(p.vehicleId);
    const fix: Fix = { ts: p.ts, lng: p.lng, lat: p.lat };
    if (!v) {
      const fresh: VehicleMotion = { tenantId: p.tenantId, last: fix, trip: null, stop: { ...fix, driverId: this.driverOf(p.vehicleId) } };
      this.state.set(p.vehicleId, fresh);
      return;
    }
    const dtS = (p.ts - v.last.ts) / 1000;
    if (dtS <= 0) return;
    const d = spheroidMeters(v.last.lng, v.last.lat, p.lng, p.lat);
    const kmh = p.speed ?? (d / dtS) * 3.6;
    const ignitionOff = p.attributes !== null && (p.attributes.ignition === false || p.attributes.ignition === 'false');
    const moving = !ignitionOff && kmh >= o.movingKmh;

    if (dtS > o.maxGapS) {
      // A silence: the journey ends at its last fix (or where it paused); the time is a stop.
      if (v.trip && !v.stop) this.endTrip(p.vehicleId, v, out);
      else v.trip = null;
      v.last = fix;
      if (moving) this.candidate(v, fix, p.vehicleId);
      return;
    }

    const trip = v.trip;
    if (!trip) {
      if (moving) {
        const t = this.candidate(v, v.last, p.vehicleId);
        this.advance(t, d, dtS, kmh);
      }
      v.last = fix;
      return;
    }
    if (moving) {
      trip.pause = null;
      this.advance(trip, d, dtS, kmh);
      if (v.stop && trip.distanceM >= o.minTripM) {
        // Confirmed: the stop before it ends where the journey began.
        this.endStop(p.vehicleId, v, trip.start.ts, out);
      }
    } else if (!trip.pause) {
      // Came to rest somewhere between the fixes: the interval was still driving.
      trip.drivingS += dtS;
      trip.distanceM += d;
      trip.positions++;
      trip.pause = fix;
      trip.distanceAtPause = trip.distanceM;
      trip.idleAtPause = trip.idleS;
    } else {
      trip.idleS += dtS;
      trip.distanceM += d;
      trip.positions++;
      if ((p.ts - trip.pause.ts) / 1000 >= o.stopMinS) {
        if (v.stop) v.trip = null; // a candidate that never went far enough: the stop goes on
        else this.endTrip(p.vehicleId, v, out);
      }
    }
    v.last = fix;
  }

  /**
   * The open state of every vehicle (or of those `include` picks, by id and last fix time: what
   * changed since a save), copied as plain JSON. Never on the position path: at shutdown and
   * checkpoints. A vehicle's state changes only with a newer fix, so its last fix time tells
   * whether it changed.
   */
  exportState(include?: (vehicleId: string, lastTs: number) => boolean): Array<{ vehicleId: string; state: SegmentState }> {
    const out: Array<{ vehicleId: string; state: SegmentState }> = [];
    for (const [vehicleId, v] of this.state) {
      if (include && !include(vehicleId, v.last.ts)) continue;
      out.push({
        vehicleId,
        state: {
          version: SEGMENT_STATE_VERSION,
          tenantId: v.tenantId,
          last: fixOf(v.last),
          trip: v.trip && tripOf(v.trip),
          stop: v.stop && { ...fixOf(v.stop), driverId: v.stop.driverId },
        },
      });
    }
    return out;
  }

  /**
   * Takes back a vehicle's exported state (at start). Refused (false, nothing changes) when it is
   * not a state of this version, or when the vehicle was already fed since: what it did since
   * wins. A state much older than the vehicle's next fix needs nothing special: the gap rule
   * ends what was under way at its last fix.
   */
  importState(vehicleId: string, state: unknown): boolean {
    if (this.state.has(vehicleId) || !isSegmentState(state)) return false;
    this.state.set(vehicleId, {
      tenantId: state.tenantId,
      last: fixOf(state.last),
      trip: state.trip && tripOf(state.trip),
      stop: state.stop && { ...fixOf(state.stop), driverId: state.stop.driverId },
    });
    return true;
  }

  /** Forgets a vehicle (deleted); what was under way is dropped. */
  forget(vehicleId: string): void {
    this.state.delete(vehicleId);
  }

  /**
   * Ends everything under way at each vehicle's last fix (the end of a rebuilt range): a
   * confirmed journey, and a stop that lasted long enough. The state is cleared.
   */
  closeAll(out: Segments): void {
    for (const [vehicleId, v] of this.state) {
      if (v.trip && !v.stop) this.endTrip(vehicleId, v, out);
      if (v.stop && (v.last.ts - v.stop.ts) / 1000 >= this.options.stopMinS) {
        out.stops.push({ tenantId: v.tenantId, vehicleId, driverId: v.stop.driverId, startTs: v.stop.ts, endTs: v.last.ts, lng: v.stop.lng, lat: v.stop.lat });
      }
    }
    this.state.clear();
  }

  private candidate(v: VehicleMotion, start: Fix, vehicleId: string): OpenTrip {
    v.trip = { start, driverId: this.driverOf(vehicleId), distanceM: 0, drivingS: 0, idleS: 0, maxSpeedKmh: 0, positions: 1, pause: null, distanceAtPause: 0, idleAtPause: 0 };
    return v.trip;
  }

  private advance(t: OpenTrip, d: number, dtS: number, kmh: number): void {
    t.distanceM += d;
    t.drivingS += dtS;
    t.positions++;
    if (kmh > t.maxSpeedKmh) t.maxSpeedKmh = kmh;
  }

  private endStop(vehicleId: string, v: VehicleMotion, endTs: number, out: Segments): void {
    const s = v.stop!;
    if ((endTs - s.ts) / 1000 >= this.options.stopMinS) {
      out.stops.push({ tenantId: v.tenantId, vehicleId, driverId: s.driverId, startTs: s.ts, endTs, lng: s.lng, lat: s.lat });
    }
    v.stop = null;
  }

  /** Ends the confirmed journey where it came to rest (its pause) or at the last fix; a stop begins there. */
  private endTrip(vehicleId: string, v: VehicleMotion, out: Segments): void {
    const t = v.trip!;
    const end = t.pause ?? v.last;
    const distanceM = t.pause ? t.distanceAtPause : t.distanceM;
    const idleS = t.pause ? t.idleAtPause : t.idleS;
    out.trips.push({
      tenantId: v.tenantId,
      vehicleId,
      driverId: t.driverId,
      startTs: t.start.ts,
      endTs: end.ts,
      startLng: t.start.lng,
      startLat: t.start.lat,
      endLng: end.lng,
      endLat: end.lat,
      distanceM,
      drivingS: t.drivingS,
      idleS,
      maxSpeedKmh: t.maxSpeedKmh,
      avgSpeedKmh: t.drivingS > 0 ? (distanceM / t.drivingS) * 3.6 : 0,
      positions: t.positions,
    });
    v.trip = null;
    v.stop = { ...end, driverId: this.driverOf(vehicleId) };
  }
}

/** Copies (field by field: only what the shape names, whatever else an object carries). */
const fixOf = (f: SegmentFix): SegmentFix => ({ ts: f.ts, lng: f.lng, lat: f.lat });
const tripOf = (t: OpenTripState): OpenTripState => ({
  start: fixOf(t.start),
  driverId: t.driverId,
  distanceM: t.distanceM,
  drivingS: t.drivingS,
  idleS: t.idleS,
  maxSpeedKmh: t.maxSpeedKmh,
  positions: t.positions,
  pause: t.pause && fixOf(t.pause),
  distanceAtPause: t.distanceAtPause,
  idleAtPause: t.idleAtPause,
});

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isFix = (x: unknown): x is SegmentFix => isObject(x) && isNumber(x.ts) && isNumber(x.lng) && isNumber(x.lat);
const isDriver = (x: unknown): x is string | null => x === null || typeof x === 'string';

function isTrip(x: unknown): x is OpenTripState {
  return (
    isObject(x) &&
    isFix(x.start) &&
    isDriver(x.driverId) &&
    [x.distanceM, x.drivingS, x.idleS, x.maxSpeedKmh, x.positions, x.distanceAtPause, x.idleAtPause].every(isNumber) &&
    (x.pause === null || isFix(x.pause))
  );
}

/** A stored state this version reads: the shape, finite numbers, and a journey or a stop under way. */
export function isSegmentState(x: unknown): x is SegmentState {
  return (
    isObject(x) &&
    x.version === SEGMENT_STATE_VERSION &&
    typeof x.tenantId === 'string' &&
    isFix(x.last) &&
    (x.trip === null || isTrip(x.trip)) &&
    (x.stop === null || (isObject(x.stop) && isDriver(x.stop.driverId) && isFix(x.stop))) &&
    (x.trip !== null || x.stop !== null)
  );
}
