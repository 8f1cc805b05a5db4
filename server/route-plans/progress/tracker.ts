import type { Position } from '../../protocol/position';
import type { RouteStatus } from '../../protocol/route-progress';
import type { RouteTrack, Snap } from './route-track';
import { snapHinted } from './snap';

/** Back on the route once within this share of OFF_ROUTE_METERS (GPS jitter along the edge does not flap). */
export const BACK_ON_ROUTE_SHARE = 0.75;
/** Within this many meters of the end (along the line): the route is completed. */
export const COMPLETED_WITHIN_M = 30;
/** A stop is reached once the vehicle is this close to it along the line. */
export const STOP_REACHED_WITHIN_M = 30;
/** Moving: at least this speed (km/h) reported, or, without a reported speed, covered between fixes. */
export const MOVING_KMH = 3;
/** Started: this far along the line (before that, a still vehicle is IDLE). */
export const STARTED_AFTER_M = 50;
/** How much one fix's pace moves the vehicle's pace (exponential average). */
const PACE_WEIGHT = 0.25;
const PACE_MIN = 0.4;
const PACE_MAX = 4;

export interface ProgressOptions {
  offRouteMeters: number;
  /** Seconds still on the route before IN_TRANSIT becomes STOPPED. */
  stoppedAfterS: number;
}

/** One vehicle's place on its route (the tracker's state, also what status answers read). */
export interface VehicleProgress {
  vehicleId: string;
  track: RouteTrack;
  status: RouteStatus;
  /** The last place on the route (kept while off it: progress does not move then). */
  seg: number;
  alongM: number;
  snapLng: number;
  snapLat: number;
  /** Meters from the route at the last judged fix. */
  distanceM: number;
  /** Time of the newest fix seen (later ones only), and of the last judged one. */
  lastTs: number;
  judgedTs: number;
  lastLng: number;
  lastLat: number;
  started: boolean;
  /** Since when the vehicle has not moved (position time), null while moving. */
  stillSince: number | null;
  /** Actual time over the profile's time for the stretches driven lately (1: as the road network says). */
  pace: number;
  /** Index of the next stop not yet reached. */
  nextStop: number;
  /** The open deviation, if any. */
  off: { since: number; maxM: number; fromAlongM: number } | null;
}

/** What happened to a vehicle on its route (the stage turns these into domain events). */
export type ProgressTransition =
  | { kind: 'deviated'; vehicleId: string; routeId: string; at: number; lng: number; lat: number; deviationMeters: number; alongM: number; leftAt: { lng: number; lat: number } }
  | { kind: 'rejoined'; vehicleId: string; routeId: string; at: number; lng: number; lat: number; distanceMeters: number; alongM: number; offForS: number; maxDeviationMeters: number; reason: 'back_on_route' | 'route_changed' }
  | { kind: 'completed'; vehicleId: string; routeId: string; at: number; lng: number; lat: number; lengthM: number }
  | { kind: 'stop_reached'; vehicleId: string; routeId: string; at: number; lng: number; lat: number; stopIndex: number; stopName: string; alongM: number };

/** A fix as the tracker needs it (a Position fits). */
export type Fix = Pick<Position, 'vehicleId' | 'lng' | 'lat' | 'ts' | 'speed' | 'heading' | 'accuracy'>;

const snap: Snap = { seg: 0, alongM: 0, distanceM: 0, lng: 0, lat: 0 };

/**
 * Route progress of every vehicle assigned to a route, in memory, pure: per committed fix the
 * place on the route (incremental: searched from where the vehicle was, see snap.ts), the
 * distance from it, progress, status and pace; the transitions that are events (deviated,
 * rejoined, completed, stop reached). A fix vaguer than OFF_ROUTE_METERS, or older than the
 * newest seen, changes nothing. COMPLETED is final until the vehicle's route changes.
 */
export class ProgressTracker {
  private readonly vehicles = new Map<string, VehicleProgress>();

  constructor(private readonly options: ProgressOptions) {}

  get(vehicleId: string): VehicleProgress | undefined {
    return this.vehicles.get(vehicleId);
  }

  get size(): number {
    return this.vehicles.size;
  }

  values(): IterableIterator<VehicleProgress> {
    return this.vehicles.values();
  }

  /**
   * The vehicle's route is now `track` (null: none). State starts afresh; an open deviation
   * ends with a `rejoined` (reason route_changed) at `at`. When the route is the same line as
   * before (e.g. only its name changed), the state is kept with the new track.
   */
  assign(vehicleId: string, track: RouteTrack | null, at: number): ProgressTransition[] {
    const before = this.vehicles.get(vehicleId);
    if (before && track && before.track.routeId === track.routeId && sameLine(before.track, track)) {
      before.track = track;
      return [];
    }
    const out: ProgressTransition[] = [];
    if (before?.off) {
      out.push({ kind: 'rejoined', vehicleId, routeId: before.track.routeId, at, lng: before.lastLng, lat: before.lastLat, distanceMeters: before.distanceM, alongM: before.alongM, offForS: Math.max(0, (at - before.off.since) / 1000), maxDeviationMeters: round(before.off.maxM), reason: 'route_changed' });
    }
    if (track) this.vehicles.set(vehicleId, fresh(vehicleId, track));
    else this.vehicles.delete(vehicleId);
    return out;
  }

  /**
   * Restores a vehicle's state after a restart: its last committed fix judged without events,
   * then what the log says was open (a deviation since `openSince`, stops reached, completed).
   * Returns the transitions that reconcile the log with the fix (e.g. a deviation the log holds
   * open but the fix is back on the route → rejoined).
   */
  restore(vehicleId: string, track: RouteTrack, last: Fix | null, log: { deviatedSince: number | null; maxDeviationM?: number; stopsReached: number; completed: boolean }): ProgressTransition[] {
    const state = fresh(vehicleId, track);
    this.vehicles.set(vehicleId, state);
    state.nextStop = Math.min(log.stopsReached, track.stops.length);
    if (state.nextStop > 0) {
      // Searched from the last stop reached on (judgedTs set: the fix is judged with that hint).
      state.alongM = track.stops[state.nextStop - 1]!.alongM;
      state.seg = track.segmentAt(state.alongM);
      state.started = state.alongM >= STARTED_AFTER_M;
      state.judgedTs = 1;
    }
    if (log.completed) state.status = 'COMPLETED';
    if (log.deviatedSince !== null) state.off = { since: log.deviatedSince, maxM: log.maxDeviationM ?? 0, fromAlongM: 0 };
    if (log.deviatedSince !== null && !log.completed) state.status = 'OFF_ROUTE';
    if (!last) return [];
    const out = this.judge(state, last, true);
    return out.filter((t) => t.kind === 'rejoined' || t.kind === 'deviated');
  }

  /** Committed fixes (each vehicle's in time order): the transitions, in order. */
  observe(fixes: readonly Fix[], changed?: Set<string>): ProgressTransition[] {
    let out: ProgressTransition[] | null = null;
    if (this.vehicles.size === 0) return [];
    for (const p of fixes) {
      const state = this.vehicles.get(p.vehicleId);
      if (!state) continue; // the common case: no route
      const t = this.judge(state, p, false);
      changed?.add(p.vehicleId);
      if (t.length > 0) (out ??= []).push(...t);
    }
    return out ?? [];
  }

  private judge(state: VehicleProgress, p: Fix, restoring: boolean): ProgressTransition[] {
    if (p.ts < state.lastTs) return NONE; // late
    const { offRouteMeters } = this.options;
    const dtS = state.judgedTs > 0 ? (p.ts - state.judgedTs) / 1000 : 0;
    const prevLng = state.lastLng;
    const prevLat = state.lastLat;
    state.lastTs = p.ts;
    if (p.accuracy !== null && p.accuracy > offRouteMeters) return NONE; // too vague to judge
    state.lastLng = p.lng;
    state.lastLat = p.lat;
    const moving = p.speed !== null ? p.speed >= MOVING_KMH : dtS > 0 && Number.isFinite(prevLng) && metersBetween(prevLng, prevLat, p.lng, p.lat) / dtS >= MOVING_KMH / 3.6;
    if (moving) state.stillSince = null;
    else state.stillSince ??= p.ts;
    const firstJudged = state.judgedTs === 0;
    state.judgedTs = p.ts;
    const track = state.track;
    if (state.status === 'COMPLETED') {
      const placed = snapHinted(track, p.lng, p.lat, hintOf(state, dtS, p, moving), offRouteMeters, snap);
      state.distanceM = placed ? placed.distanceM : track.nearestFrom(p.lng, p.lat).distanceM;
      return NONE;
    }
    const wasOff = state.off !== null;
    const placed = snapHinted(track, p.lng, p.lat, firstJudged ? null : hintOf(state, dtS, p, moving), offRouteMeters, snap);
    const distance = placed ? placed.distanceM : track.nearestFrom(p.lng, p.lat).distanceM;
    state.distanceM = distance;
    const isOff = !placed || distance > (wasOff ? offRouteMeters * BACK_ON_ROUTE_SHARE : offRouteMeters);
    const out: ProgressTransition[] = [];
    const routeId = track.routeId;
    if (isOff) {
      if (!wasOff) {
        state.off = { since: p.ts, maxM: distance, fromAlongM: state.alongM };
        out.push({ kind: 'deviated', vehicleId: state.vehicleId, routeId, at: p.ts, lng: p.lng, lat: p.lat, deviationMeters: round(distance), alongM: round(state.alongM), leftAt: { lng: state.snapLng, lat: state.snapLat } });
      } else if (distance > state.off!.maxM) state.off!.maxM = distance;
      state.status = 'OFF_ROUTE';
      return out;
    }
    if (wasOff) {
      out.push({ kind: 'rejoined', vehicleId: state.vehicleId, routeId, at: p.ts, lng: p.lng, lat: p.lat, distanceMeters: round(distance), alongM: round(placed!.alongM), offForS: Math.max(0, (p.ts - state.off!.since) / 1000), maxDeviationMeters: round(state.off!.maxM), reason: 'back_on_route' });
      state.off = null;
    }
    const advanced = placed!.alongM - state.alongM;
    if (!firstJudged && dtS > 0 && advanced > 10) {
      const expected = track.timeAt(placed!.alongM, placed!.seg) - track.timeAt(state.alongM, state.seg);
      if (expected > 0) state.pace += PACE_WEIGHT * (clamp(dtS / expected, PACE_MIN, PACE_MAX) - state.pace);
    }
    state.seg = placed!.seg;
    state.alongM = placed!.alongM;
    state.snapLng = placed!.lng;
    state.snapLat = placed!.lat;
    if (state.alongM >= STARTED_AFTER_M) state.started = true;
    const stops = track.stops;
    while (state.nextStop < stops.length && state.alongM >= stops[state.nextStop]!.alongM - STOP_REACHED_WITHIN_M) {
      const stop = stops[state.nextStop++]!;
      if (!restoring) out.push({ kind: 'stop_reached', vehicleId: state.vehicleId, routeId, at: p.ts, lng: p.lng, lat: p.lat, stopIndex: stop.index, stopName: stop.name, alongM: round(stop.alongM) });
    }
    if (state.started && track.lengthM - state.alongM <= COMPLETED_WITHIN_M) {
      state.status = 'COMPLETED';
      if (!restoring) out.push({ kind: 'completed', vehicleId: state.vehicleId, routeId, at: p.ts, lng: p.lng, lat: p.lat, lengthM: round(track.lengthM) });
      return out;
    }
    if (moving) state.status = 'IN_TRANSIT';
    else if (!state.started) state.status = 'IDLE';
    else state.status = p.ts - state.stillSince! >= this.options.stoppedAfterS * 1000 ? 'STOPPED' : 'IN_TRANSIT';
    return out;
  }
}

const NONE: ProgressTransition[] = [];

/** Progress 0–1, meters left, and ETAs (seconds, at the vehicle's pace) of one vehicle. */
export function progressOf(state: VehicleProgress): { progress: number; remainingM: number; etaS: number; nextStop: { index: number; name: string; etaS: number; remainingM: number } | null } {
  const track = state.track;
  if (state.status === 'COMPLETED') return { progress: 1, remainingM: 0, etaS: 0, nextStop: null };
  const along = Math.min(state.alongM, track.lengthM);
  const now = track.timeAt(along, state.seg);
  const stop = track.stops[state.nextStop];
  return {
    progress: track.lengthM > 0 ? along / track.lengthM : 1,
    remainingM: Math.max(0, track.lengthM - along),
    etaS: Math.max(0, (track.totalTimeS - now) * state.pace),
    nextStop: stop ? { index: stop.index, name: stop.name, etaS: Math.max(0, (track.timeAt(stop.alongM) - now) * state.pace), remainingM: Math.max(0, stop.alongM - along) } : null,
  };
}

/** The route's bearing where the vehicle is (degrees). */
export function bearingOf(state: VehicleProgress): number | null {
  return state.track.segmentCount > 0 ? state.track.bearing[state.seg]! : null;
}

function fresh(vehicleId: string, track: RouteTrack): VehicleProgress {
  return {
    vehicleId,
    track,
    status: 'IDLE',
    seg: 0,
    alongM: 0,
    snapLng: track.lng[0] ?? NaN,
    snapLat: track.lat[0] ?? NaN,
    distanceM: NaN,
    lastTs: -Infinity,
    judgedTs: 0,
    lastLng: NaN,
    lastLat: NaN,
    started: false,
    stillSince: null,
    pace: 1,
    nextStop: 0,
    off: null,
  };
}

function hintOf(state: VehicleProgress, dtS: number, p: Fix, moving: boolean) {
  return { seg: state.seg, alongM: state.alongM, dtS, heading: moving && p.heading !== null ? p.heading : null };
}

function sameLine(a: RouteTrack, b: RouteTrack): boolean {
  if (a.vertexCount !== b.vertexCount) return false;
  for (let i = 0; i < a.vertexCount; i++) if (a.lng[i] !== b.lng[i] || a.lat[i] !== b.lat[i]) return false;
  return a.stops.length === b.stops.length && a.stops.every((s, i) => s.alongM === b.stops[i]!.alongM);
}

function metersBetween(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const kx = Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180)) * 111_195;
  return Math.hypot((lng2 - lng1) * kx, (lat2 - lat1) * 111_195);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
