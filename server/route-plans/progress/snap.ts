import { METERS_PER_DEGREE, RAD } from '../../geofence/geometry';
import type { RouteTrack, Snap } from './route-track';

/** Where the vehicle was last placed on its route, and how it moves (what the search starts from). */
export interface SnapHint {
  seg: number;
  alongM: number;
  /** Seconds since the hint's fix (bounds how far ahead the vehicle can be). */
  dtS: number;
  /** Heading of travel (degrees) when known and moving, else null. */
  heading: number | null;
}

/** Meters behind the hint still searched (GPS noise along the line, a vehicle backing up). */
export const BACK_WINDOW_M = 100;
/** Meters ahead always searched, plus FAST_MPS per second since the last fix. */
export const FORWARD_WINDOW_M = 300;
const FAST_MPS = 60;
/** Cost per meter behind the hint, and per meter ahead beyond what the elapsed time explains. */
const BACK_COST = 0.5;
const AHEAD_COST = 0.05;
/** Cost of driving against the segment's direction (scaled by 1 − cos of the difference, halved). */
const HEADING_COST = 25;

const scratch: Snap = { seg: 0, alongM: 0, distanceM: 0, lng: 0, lat: 0 };

/**
 * Places a point on `track` near where the vehicle was (`hint`): the segments from
 * BACK_WINDOW_M behind to FORWARD_WINDOW_M (+ what the elapsed time allows) ahead, each scored
 * by its distance plus penalties for going backwards, for jumping further ahead than the time
 * explains, and for facing against the line. A route that passes the same street twice (a loop,
 * an out-and-back) is therefore followed in order. Only when nothing in the window lies within
 * `globalM` is the whole line searched (through its segment index, within `globalM`). Returns
 * null when no segment lies within `globalM` anywhere. Without a hint: the earliest best point.
 */
export function snapHinted(track: RouteTrack, lng: number, lat: number, hint: SnapHint | null, globalM: number, out: Snap): Snap | null {
  const kx = Math.cos(lat * RAD) * METERS_PER_DEGREE;
  let bestCost = Infinity;
  out.distanceM = Infinity;
  const n = track.segmentCount;
  if (n === 0) return null;
  const cum = track.cum;
  const consider = (i: number) => {
    const s = track.project(i, lng, lat, kx, scratch);
    const cost = s.distanceM + penalty(track, s, hint);
    if (cost < bestCost) {
      bestCost = cost;
      out.seg = s.seg;
      out.alongM = s.alongM;
      out.distanceM = s.distanceM;
      out.lng = s.lng;
      out.lat = s.lat;
    }
  };
  if (hint) {
    const back = hint.alongM - BACK_WINDOW_M;
    const ahead = hint.alongM + FORWARD_WINDOW_M + FAST_MPS * Math.max(0, hint.dtS);
    const start = Math.min(Math.max(0, hint.seg), n - 1);
    for (let i = start; i >= 0 && cum[i + 1]! >= back; i--) consider(i);
    for (let i = start + 1; i < n && cum[i]! <= ahead; i++) consider(i);
    if (out.distanceM <= globalM) return out;
  }
  bestCost = Infinity; // the whole line: the best of what lies within globalM
  out.distanceM = Infinity;
  for (const i of track.segmentsNear(lng, lat, globalM)) consider(i);
  return out.distanceM <= globalM ? out : null;
}

function penalty(track: RouteTrack, s: Snap, hint: SnapHint | null): number {
  if (!hint) return s.alongM * 1e-4; // no history: the earliest of equally near places
  let cost = 0;
  const d = s.alongM - hint.alongM;
  if (d < 0) cost += -d * BACK_COST;
  else {
    const explained = FORWARD_WINDOW_M / 2 + 40 * Math.max(0, hint.dtS);
    if (d > explained) cost += (d - explained) * AHEAD_COST;
  }
  if (hint.heading !== null) {
    const diff = (hint.heading - track.bearing[s.seg]!) * RAD;
    cost += (HEADING_COST * (1 - Math.cos(diff))) / 2;
  }
  return cost;
}
