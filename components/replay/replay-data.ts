import type { ReplayChunk } from '@/server/protocol/reports';
import { indexAt } from '@/components/reports/format';

/** One vehicle's replayed track: columns in time order (typed arrays once loading is done). */
export interface ReplayTrack {
  id: string;
  name: string;
  color: [number, number, number];
  t: number[];
  lng: number[];
  lat: number[];
  /** km/h; NaN when the device sent none. */
  speed: number[];
}

export interface ReplayStop {
  vehicleId: string;
  startAt: number;
  endAt: number;
  lng: number;
  lat: number;
  durationS: number;
}

export interface ReplayEvent {
  vehicleId: string;
  at: number;
  type: string;
  label: string;
  lng: number;
  lat: number;
}

export interface ReplayData {
  tracks: ReplayTrack[];
  stops: ReplayStop[];
  events: ReplayEvent[];
  start: number;
  end: number;
  positions: number;
}

const PALETTE: Array<[number, number, number]> = [
  [37, 99, 235], [220, 38, 38], [5, 150, 105], [217, 119, 6], [124, 58, 237], [219, 39, 119], [8, 145, 178], [101, 163, 13],
  [234, 88, 12], [71, 85, 105], [190, 24, 93], [13, 148, 136], [202, 138, 4], [79, 70, 229], [22, 163, 74], [225, 29, 72],
  [2, 132, 199], [147, 51, 234], [132, 204, 22], [244, 63, 94],
];

export function emptyReplay(start: number, end: number): ReplayData {
  return { tracks: [], stops: [], events: [], start, end, positions: 0 };
}

/** Adds one chunk (column arrays of all vehicles in time order) to the per-vehicle tracks. */
export function addChunk(data: ReplayData, chunk: ReplayChunk): ReplayData {
  if (data.tracks.length === 0) {
    data.tracks = chunk.vehicles.map((v, i) => ({ id: v.id, name: v.name, color: PALETTE[i % PALETTE.length]!, t: [], lng: [], lat: [], speed: [] }));
  }
  for (let i = 0; i < chunk.t.length; i++) {
    const track = data.tracks[chunk.v[i]!];
    if (!track) continue;
    track.t.push(chunk.t[i]!);
    track.lng.push(chunk.lng[i]!);
    track.lat.push(chunk.lat[i]!);
    track.speed.push(chunk.speed[i] ?? Number.NaN);
  }
  for (const s of chunk.stops) {
    data.stops.push({ vehicleId: s.vehicleId, startAt: Date.parse(s.startAt), endAt: Date.parse(s.endAt), lng: s.lng, lat: s.lat, durationS: s.durationS });
  }
  for (const e of chunk.events ?? []) data.events.push({ vehicleId: e.vehicleId, at: Date.parse(e.at), type: e.type, label: e.label, lng: e.lng, lat: e.lat });
  data.positions += chunk.t.length;
  return data;
}

/** Where a track is at `t`: interpolated between the fixes around it; null before its first fix. */
export function positionAt(track: ReplayTrack, t: number): { lng: number; lat: number; speed: number; heading: number } | null {
  const i = indexAt(track.t, t);
  if (i < 0) return null;
  const j = Math.min(i + 1, track.t.length - 1);
  const t0 = track.t[i]!;
  const t1 = track.t[j]!;
  const f = j === i || t1 === t0 ? 0 : Math.min(1, (t - t0) / (t1 - t0));
  const lng = track.lng[i]! + (track.lng[j]! - track.lng[i]!) * f;
  const lat = track.lat[i]! + (track.lat[j]! - track.lat[i]!) * f;
  const heading = (Math.atan2(track.lng[j]! - track.lng[i]!, track.lat[j]! - track.lat[i]!) * 180) / Math.PI;
  return { lng, lat, speed: track.speed[i]!, heading };
}

/** The track's path over the last `windowMs` before `t` (at most `maxPoints`, thinned evenly), ending where it is now. */
export function trailAt(track: ReplayTrack, t: number, windowMs: number, maxPoints = 600): Array<[number, number]> {
  const end = indexAt(track.t, t);
  if (end < 0) return [];
  const begin = Math.max(0, indexAt(track.t, t - windowMs));
  const step = Math.max(1, Math.ceil((end - begin + 1) / maxPoints));
  const path: Array<[number, number]> = [];
  for (let i = begin; i <= end; i += step) path.push([track.lng[i]!, track.lat[i]!]);
  const now = positionAt(track, t);
  if (now) path.push([now.lng, now.lat]);
  return path;
}

/** The whole track as a path thinned to at most `maxPoints` (the faint route under the trail). */
export function fullPath(track: ReplayTrack, maxPoints = 5000): Array<[number, number]> {
  const step = Math.max(1, Math.ceil(track.t.length / maxPoints));
  const path: Array<[number, number]> = [];
  for (let i = 0; i < track.t.length; i += step) path.push([track.lng[i]!, track.lat[i]!]);
  if (track.t.length > 0 && (track.t.length - 1) % step !== 0) path.push([track.lng[track.t.length - 1]!, track.lat[track.t.length - 1]!]);
  return path;
}

/** Bounds of every track: [west, south, east, north], or null when nothing was loaded. */
export function boundsOf(data: ReplayData): [number, number, number, number] | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const tr of data.tracks) {
    for (let i = 0; i < tr.t.length; i++) {
      const x = tr.lng[i]!;
      const y = tr.lat[i]!;
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return Number.isFinite(w) ? [w, s, e, n] : null;
}
