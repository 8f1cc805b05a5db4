import type { Position } from '../protocol/position';
import { spheroidMeters } from './spheroid';

/**
 * Movement trips and stops ("journeys"), derived from each vehicle's committed positions in
 * order. Pure: no clock, no I/O; per-vehicle state keyed by vehicle id, so it can be rebuilt by
 * feeding the same positions again (server/history/rebuild.ts) and run in any worker that owns
 * the vehicle. Not to be confused with dispatched trips (server/trips): these are what the
 * vehicle did, not what it was asked to do.
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

interface Fix {
  ts: number;
  lng: number;
  lat: number;
}

interface OpenTrip {
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

interface VehicleMotion {
  tenantId: string;
  last: Fix;
  /** The journey under way, or a candidate not yet confirmed while `stop` is set. */
  trip: OpenTrip | null;
  /** The stationary period under way (null while a confirmed journey runs). */
  stop: (Fix & { driverId: string | null }) | null;
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
