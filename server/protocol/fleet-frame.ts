import type { VehicleLive } from './fleet';

/**
 * Compact encoding of `positions` frames, shared by the server (encode) and dashboards (decode).
 *
 * A frame's `v` is one flat array of numbers: for each vehicle `idx, mask, …values` where mask
 * bits say which fields follow, in this order:
 *   1 lng, 2 lat      integer micro-degrees (≈ 0.1 m)
 *   4 speed           tenths of km/h, -1 = unknown
 *   8 heading         tenths of a degree, -1 = unknown
 *   16 battery        tenths of a percent, -1 = unknown
 *   32 ts             milliseconds before the frame's `at`
 *   64 relative       lng/lat are differences from the vehicle's last transmitted values
 * Only fields that changed since the last frame are sent; a vehicle new to the socket has all,
 * absolute. Moving vehicles are sent relative (a few digits instead of eight), which relies on
 * Socket.IO's ordered delivery; a lost session means a fresh snapshot.
 */
export const FIELDS = { lng: 1, lat: 2, speed: 4, heading: 8, battery: 16, ts: 32, relative: 64 } as const;
export const ALL_FIELDS = 63;

const micro = (deg: number) => Math.round(deg * 1e6);
const tenths = (value: number | null) => (value === null ? -1 : Math.round(value * 10));

/** The mask of fields in which `next` differs from `previous` (all of them without a previous). */
export function changedFields(previous: VehicleLive | null | undefined, next: VehicleLive): number {
  if (!previous) return ALL_FIELDS;
  let mask = 0;
  if (micro(previous.lng) !== micro(next.lng)) mask |= FIELDS.lng;
  if (micro(previous.lat) !== micro(next.lat)) mask |= FIELDS.lat;
  if (tenths(previous.speed) !== tenths(next.speed)) mask |= FIELDS.speed;
  if (tenths(previous.heading) !== tenths(next.heading)) mask |= FIELDS.heading;
  if (tenths(previous.battery) !== tenths(next.battery)) mask |= FIELDS.battery;
  if (previous.ts !== next.ts) mask |= FIELDS.ts;
  return mask;
}

/**
 * Appends one vehicle's entry to a frame's `v`. With `previous` (the state the receiver holds),
 * coordinates go as differences.
 */
export function encodeEntry(out: number[], idx: number, mask: number, live: VehicleLive, at: number, previous?: VehicleLive | null): void {
  const relative = previous && mask & (FIELDS.lng | FIELDS.lat) ? FIELDS.relative : 0;
  out.push(idx, mask | relative);
  if (mask & FIELDS.lng) out.push(micro(live.lng) - (relative ? micro(previous!.lng) : 0));
  if (mask & FIELDS.lat) out.push(micro(live.lat) - (relative ? micro(previous!.lat) : 0));
  if (mask & FIELDS.speed) out.push(tenths(live.speed));
  if (mask & FIELDS.heading) out.push(tenths(live.heading));
  if (mask & FIELDS.battery) out.push(tenths(live.battery));
  if (mask & FIELDS.ts) out.push(at - live.ts);
}

/** A decoded entry: the fields present, in natural units. */
export interface DecodedEntry {
  idx: number;
  /** When true, lng/lat are differences to add to the held position. */
  relative?: boolean;
  lng?: number;
  lat?: number;
  speed?: number | null;
  heading?: number | null;
  battery?: number | null;
  ts?: number;
}

const fromTenths = (value: number) => (value < 0 ? null : value / 10);

/** Decodes a frame's `v`, calling `visit` per vehicle. Throws on a malformed frame. */
export function decodeEntries(v: readonly number[], at: number, visit: (entry: DecodedEntry) => void): void {
  let i = 0;
  const next = () => {
    if (i >= v.length) throw new Error('truncated positions frame');
    return v[i++]!;
  };
  while (i < v.length) {
    const entry: DecodedEntry = { idx: next() };
    const mask = next();
    if (mask & FIELDS.relative) entry.relative = true;
    if (mask & FIELDS.lng) entry.lng = next() / 1e6;
    if (mask & FIELDS.lat) entry.lat = next() / 1e6;
    if (mask & FIELDS.speed) entry.speed = fromTenths(next());
    if (mask & FIELDS.heading) entry.heading = fromTenths(next());
    if (mask & FIELDS.battery) entry.battery = fromTenths(next());
    if (mask & FIELDS.ts) entry.ts = at - next();
    visit(entry);
  }
}
