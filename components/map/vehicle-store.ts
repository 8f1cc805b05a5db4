import type { PositionsFrame, VehicleInfo, VehicleLive, VehicleSnapshot } from '@/server/protocol/fleet';
import type { VehicleRouteProgress } from '@/server/protocol/route-progress';
import type { DriverStatus } from '@/server/protocol/dispatch';
import { FIELDS } from '@/server/protocol/fleet-frame';
import { MOVING_SPEED_KMH } from '@/server/protocol/metrics';

export const STATUSES = ['moving', 'stopped', 'offRoute', 'offline'] as const;
export type VehicleStatus = (typeof STATUSES)[number];
const MOVING = 0, STOPPED = 1, OFF_ROUTE = 2, OFFLINE = 3;

/** Fill colors by status (the legend uses the same Tailwind shades: emerald-500, amber-500, violet-500, slate-400). */
export const VEHICLE_COLORS: Record<VehicleStatus, readonly [number, number, number, number]> = {
  moving: [16, 185, 129, 255],
  stopped: [245, 158, 11, 255],
  offRoute: [139, 92, 246, 255],
  offline: [148, 163, 184, 210],
};
const COLOR_BY_CODE = STATUSES.map((status) => VEHICLE_COLORS[status]);

/** How each status reads in the filter chips, tooltips and the vehicle panel. */
export const STATUS_LABELS: Record<VehicleStatus, string> = { moving: 'Moving', stopped: 'Stopped', offRoute: 'Off route', offline: 'Offline' };

/** A glide lasts as long as the gap between a vehicle's last two updates, within these bounds. */
const MIN_GLIDE_MS = 150;
const MAX_GLIDE_MS = 2_000;
const INITIAL_CAPACITY = 256;
/** Device → dashboard latencies kept for the latency KPI. */
export const LATENCY_SAMPLES = 2048;

/** Which vehicles are drawn: statuses and types shown (empty type set = every type). */
export interface VehicleFilter {
  statuses: ReadonlySet<VehicleStatus>;
  types: ReadonlySet<string>;
  /** Vehicle group ("North depot", admin console); absent: every group. */
  group?: string;
  /** Driver status as dispatch sees it (available, busy, on a trip, offline); absent: any. */
  dispatch?: DriverStatus;
  /** The vehicles `group` and `dispatch` leave, resolved by the page (null or absent: neither is set). */
  vehicleIds?: ReadonlySet<string> | null;
}

/** The vehicles both sets allow (a null set allows every vehicle; both null: no filter). */
export function allowedIds(a: ReadonlySet<string> | null, b: ReadonlySet<string> | null): ReadonlySet<string> | null {
  if (!a || !b) return a ?? b;
  return new Set([...a].filter((id) => b.has(id)));
}

/** What the store reports for one vehicle (panel, tooltip, tests): its facts, last state and status. */
export interface VehicleReading extends Omit<VehicleLive, 'id'> {
  info: VehicleInfo;
  status: VehicleStatus;
}

/**
 * Live vehicle state held outside React, in typed arrays deck.gl reads as binary attributes.
 * Slot i of every array is the vehicle `infos[i]`; only vehicles with a position have a slot
 * (the others wait in `unplaced`). Frames are decoded straight from the wire array into the
 * slots (no object per vehicle), and `advance(now)` moves the drawn positions towards the
 * received ones (glide), writing `renderPositions` in place. React sees none of this: it reads
 * counts through `onChange`, which fires for membership changes only, never for positions.
 */
export class VehicleStore {
  /** Vehicles with a position: the length of the attribute arrays in use. */
  count = 0;
  framesReceived = 0;
  /** Bumped when colors, sizes or angles changed (the layer re-uploads those attributes). */
  styleVersion = 0;
  /** Bumped when the set of slots changed (added, removed, reordered). */
  membershipVersion = 0;
  /** Bumped when a drawn position (`renderPositions`) changed: a glide step or a jump. */
  drawnVersion = 0;
  /** Received positions, integer micro-degrees (the frames' unit: exact relative arithmetic). */
  micro = new Int32Array(INITIAL_CAPACITY * 2);
  /** Where each vehicle is drawn now (glide), degrees. */
  renderPositions = new Float32Array(INITIAL_CAPACITY * 2);
  colors = new Uint8Array(INITIAL_CAPACITY * 4);
  /** Icon size factor: 1 drawn, 0 filtered out (not drawn, not pickable). */
  sizes = new Float32Array(INITIAL_CAPACITY);
  /** deck.gl angle: degrees counter-clockwise, i.e. −heading. */
  angles = new Float32Array(INITIAL_CAPACITY);
  speeds = new Float32Array(INITIAL_CAPACITY);
  headings = new Float32Array(INITIAL_CAPACITY);
  batteries = new Float32Array(INITIAL_CAPACITY);
  online = new Uint8Array(INITIAL_CAPACITY);
  /** 1 while the server says the vehicle is off its assigned route. */
  offRoute = new Uint8Array(INITIAL_CAPACITY);
  status = new Uint8Array(INITIAL_CAPACITY);
  timestamps = new Float64Array(INITIAL_CAPACITY);
  private glideFrom = new Float32Array(INITIAL_CAPACITY * 2);
  private glideStart = new Float64Array(INITIAL_CAPACITY);
  private glideMs = new Float32Array(INITIAL_CAPACITY);
  private arrivedAt = new Float64Array(INITIAL_CAPACITY);
  private gliding = new Uint8Array(INITIAL_CAPACITY);
  private glidingCount = 0;
  infos: VehicleInfo[] = [];
  /** Device → dashboard latency (ms) of the last LATENCY_SAMPLES positions, a ring. */
  readonly latencies = new Float32Array(LATENCY_SAMPLES);
  latencyWrites = 0;
  /** The filter as the hot path reads it: a bit per shown status, the shown types or null for all. */
  private shownStatuses = 0b1111;
  private shownTypes: ReadonlySet<string> | null = null;
  private shownIds: ReadonlySet<string> | null = null;
  /** idx → slot + 1 (0: no slot). Frames name vehicles by idx, a small integer: a table beats a Map. */
  private slotByIdx = new SlotTable();
  private idxById = new Map<string, number>();
  private unplaced = new Map<number, VehicleInfo>();
  private listeners = new Set<() => void>();
  /** Vehicle id → progress along its route (rare messages: a Map is enough). */
  private readonly routes = new Map<string, VehicleRouteProgress>();

  /** Replace everything with a subscribe snapshot. */
  loadSnapshot(vehicles: readonly VehicleSnapshot[]): void {
    this.count = 0;
    this.infos = [];
    this.glidingCount = 0;
    this.slotByIdx.clear();
    this.idxById.clear();
    this.unplaced.clear();
    this.routes.clear();
    for (const { live, online, offRoute, route, ...info } of vehicles) {
      this.idxById.set(info.id, info.idx);
      if (route) this.routes.set(info.id, route);
      if (!live) {
        this.unplaced.set(info.idx, info);
        continue;
      }
      const slot = this.place(info);
      this.online[slot] = online ? 1 : 0;
      this.offRoute[slot] = offRoute ? 1 : 0;
      this.write(slot, live);
    }
    this.styleVersion += 1;
    this.changed();
  }

  /**
   * Apply one positions frame: only the changed fields of the vehicles that changed, decoded in
   * place (see server/protocol/fleet-frame.ts for the encoding). `now` is the dashboard's clock.
   */
  applyFrame(frame: PositionsFrame, now = Date.now()): void {
    this.framesReceived += 1;
    let membership = false;
    if (frame.n) for (const info of frame.n) membership = this.describe(info, false) || membership;
    const v = frame.v;
    const at = frame.at;
    let i = 0;
    while (i < v.length) {
      const idx = v[i++]!;
      const mask = v[i++]!;
      const lng = mask & FIELDS.lng ? v[i++]! : 0;
      const lat = mask & FIELDS.lat ? v[i++]! : 0;
      const speed = mask & FIELDS.speed ? v[i++]! : 0;
      const heading = mask & FIELDS.heading ? v[i++]! : 0;
      const battery = mask & FIELDS.battery ? v[i++]! : 0;
      const age = mask & FIELDS.ts ? v[i++]! : 0;
      if (i > v.length) throw new Error('truncated positions frame');
      let slot = this.slotByIdx.get(idx);
      if (slot === undefined) {
        // First position of a vehicle: absolute, with every field.
        const info = this.unplaced.get(idx);
        if (!info || mask & FIELDS.relative || !(mask & FIELDS.lng) || !(mask & FIELDS.lat)) continue;
        this.unplaced.delete(idx);
        slot = this.place(info);
        this.micro[slot * 2] = this.micro[slot * 2 + 1] = 0;
        this.speeds[slot] = this.headings[slot] = this.batteries[slot] = Number.NaN;
        this.online[slot] = 0; // painted below
        this.renderPositions[slot * 2] = lng / 1e6;
        this.renderPositions[slot * 2 + 1] = lat / 1e6;
        this.arrivedAt[slot] = 0;
        membership = true;
      }
      if (mask & (FIELDS.lng | FIELDS.lat)) {
        const keep = mask & FIELDS.relative ? 1 : 0;
        if (mask & FIELDS.lng) this.micro[slot * 2] = keep * this.micro[slot * 2]! + lng;
        if (mask & FIELDS.lat) this.micro[slot * 2 + 1] = keep * this.micro[slot * 2 + 1]! + lat;
        this.startGlide(slot, now);
      }
      if (mask & FIELDS.speed) this.speeds[slot] = speed < 0 ? Number.NaN : speed / 10;
      if (mask & FIELDS.heading) {
        this.headings[slot] = heading < 0 ? Number.NaN : heading / 10;
        this.angles[slot] = heading < 0 ? 0 : -heading / 10;
      }
      if (mask & FIELDS.battery) this.batteries[slot] = battery < 0 ? Number.NaN : battery / 10;
      if (mask & FIELDS.ts) {
        const ts = at - age;
        this.timestamps[slot] = ts;
        this.latencies[this.latencyWrites++ % LATENCY_SAMPLES] = now - ts;
      }
      // Status depends on presence, speed and off-route (its own event) only.
      if (mask & FIELDS.speed || !this.online[slot]) {
        this.online[slot] = 1;
        this.paint(slot);
      }
    }
    if (frame.out) for (const idx of frame.out) membership = this.remove(idx, false) || membership;
    this.styleVersion += 1;
    if (membership) this.changed();
  }

  /** A vehicle was created or renamed. Returns whether a placed vehicle's facts changed. */
  describe(info: VehicleInfo, notify = true): boolean {
    this.idxById.set(info.id, info.idx);
    const slot = this.slotByIdx.get(info.idx);
    if (slot === undefined) {
      this.unplaced.set(info.idx, info);
      if (notify) this.changed();
      return false;
    }
    this.infos[slot] = info;
    if (notify) this.changed();
    return true;
  }

  setOnline(idx: number, online: boolean): void {
    this.setFlag(this.online, idx, online);
  }

  /** The server judged the vehicle off its assigned route, or back on it. */
  setOffRoute(idx: number, offRoute: boolean): void {
    this.setFlag(this.offRoute, idx, offRoute);
  }

  /** A vehicle's progress along its route (`vehicle:route`; null: it has no route any more). */
  setRoute(id: string, idx: number, offRoute: boolean, route: VehicleRouteProgress | null): void {
    if (route) this.routes.set(id, route);
    else this.routes.delete(id);
    this.setOffRoute(idx, offRoute);
  }

  /** Facts of vehicle `id` (placed or not yet), or null when the store does not know it. */
  infoOf(id: string): VehicleInfo | null {
    const slot = this.slotOf(id);
    if (slot !== undefined) return this.infos[slot] ?? null;
    const idx = this.idxById.get(id);
    return idx === undefined ? null : (this.unplaced.get(idx) ?? null);
  }

  /** Progress along its assigned route of vehicle `id`, as last heard (null: none). */
  routeOf(id: string): VehicleRouteProgress | null {
    return this.routes.get(id) ?? null;
  }

  /** Forget a vehicle (deleted, or out of a viewport subscription). Returns whether it had a slot. */
  remove(idx: number, notify = true): boolean {
    this.unplaced.delete(idx);
    const slot = this.slotByIdx.get(idx);
    if (slot === undefined) return false;
    this.idxById.delete(this.infos[slot]!.id);
    if (this.gliding[slot]) this.glidingCount -= 1;
    const last = this.count - 1;
    if (slot !== last) this.moveSlot(last, slot);
    this.slotByIdx.delete(idx);
    this.infos.length = last;
    this.count = last;
    this.membershipVersion += 1;
    if (notify) this.changed();
    return true;
  }

  /** Show only vehicles matching the filter (their size becomes 0 otherwise). */
  setFilter(filter: VehicleFilter): void {
    this.shownStatuses = STATUSES.reduce((bits, status, code) => (filter.statuses.has(status) ? bits | (1 << code) : bits), 0);
    this.shownTypes = filter.types.size ? filter.types : null;
    this.shownIds = filter.vehicleIds ?? null;
    for (let slot = 0; slot < this.count; slot++) this.paint(slot);
    this.styleVersion += 1;
    this.changed();
  }

  /**
   * Moves every gliding vehicle to where it is at `now` (linear between the drawn position when
   * the update came and the received one). Returns whether anything moved.
   */
  advance(now: number): boolean {
    if (this.glidingCount === 0) return false;
    this.drawnVersion += 1;
    const render = this.renderPositions, from = this.glideFrom, micro = this.micro;
    for (let slot = 0; slot < this.count; slot++) {
      if (!this.gliding[slot]) continue;
      const t = (now - this.glideStart[slot]!) / this.glideMs[slot]!;
      const x = slot * 2;
      if (t >= 1) {
        render[x] = micro[x]! / 1e6;
        render[x + 1] = micro[x + 1]! / 1e6;
        this.gliding[slot] = 0;
        this.glidingCount -= 1;
      } else {
        render[x] = from[x]! + (micro[x]! / 1e6 - from[x]!) * t;
        render[x + 1] = from[x + 1]! + (micro[x + 1]! / 1e6 - from[x + 1]!) * t;
      }
    }
    return true;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether the vehicle is drawn (placed and let through by the filter). */
  isShown(id: string): boolean {
    const slot = this.slotOf(id);
    return slot !== undefined && this.sizes[slot] === 1;
  }

  /** All vehicles known, with or without a position. */
  vehicleCount(): number {
    return this.count + this.unplaced.size;
  }

  slotOf(id: string): number | undefined {
    const idx = this.idxById.get(id);
    return idx === undefined ? undefined : this.slotByIdx.get(idx);
  }

  /** The vehicle in `slot` as plain values, or null. */
  read(slot: number | undefined): VehicleReading | null {
    if (slot === undefined || slot < 0 || slot >= this.count) return null;
    const nan = (x: number) => (Number.isNaN(x) ? null : x);
    return {
      info: this.infos[slot]!,
      lng: this.micro[slot * 2]! / 1e6,
      lat: this.micro[slot * 2 + 1]! / 1e6,
      speed: nan(this.speeds[slot]!),
      heading: nan(this.headings[slot]!),
      battery: nan(this.batteries[slot]!),
      ts: this.timestamps[slot]!,
      status: STATUSES[this.status[slot]!]!,
    };
  }

  /** Where `slot` is drawn right now (mid-glide), degrees. */
  drawnAt(slot: number): [number, number] {
    return [this.renderPositions[slot * 2]!, this.renderPositions[slot * 2 + 1]!];
  }

  positionsOf(): Array<[string, number, number]> {
    return this.infos.map((info, i) => [info.id, this.micro[i * 2]! / 1e6, this.micro[i * 2 + 1]! / 1e6]);
  }

  /** Vehicle types present, sorted (for the type filter). */
  types(): string[] {
    const types = new Set<string>();
    for (const info of this.infos) types.add(info.type);
    for (const info of this.unplaced.values()) types.add(info.type);
    return [...types].sort();
  }

  /** Placed vehicles whose name or plate contains `text` (case-insensitive), names first. */
  search(text: string, limit: number): VehicleInfo[] {
    const needle = text.trim().toLowerCase();
    if (!needle) return [];
    const found: VehicleInfo[] = [];
    for (const info of this.infos) {
      if (info.name.toLowerCase().includes(needle) || info.plate?.toLowerCase().includes(needle)) {
        found.push(info);
        if (found.length === limit) break;
      }
    }
    return found;
  }

  /** [[west, south], [east, north]] of the placed vehicles, or null when there are none. */
  /**
   * The box the map first fits: the fleet's main area. Vehicles far from the rest (one reported
   * from another continent) are left out: those farther from the median position than three
   * times the median distance (and at least 50 km) do not stretch the view to the whole world.
   */
  bounds(): [[number, number], [number, number]] | null {
    if (this.count === 0) return null;
    const lngs = new Float64Array(this.count);
    const lats = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) {
      lngs[i] = this.micro[i * 2]! / 1e6;
      lats[i] = this.micro[i * 2 + 1]! / 1e6;
    }
    const median = (xs: Float64Array) => Float64Array.from(xs).sort()[xs.length >> 1]!;
    const mLng = median(lngs);
    const mLat = median(lats);
    const kx = Math.cos((mLat * Math.PI) / 180);
    const km = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) km[i] = Math.hypot((lngs[i]! - mLng) * kx, lats[i]! - mLat) * 111.32;
    const reach = Math.max(50, 3 * median(km));
    let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
    for (let i = 0; i < this.count; i++) {
      if (km[i]! > reach) continue;
      west = Math.min(west, lngs[i]!);
      east = Math.max(east, lngs[i]!);
      south = Math.min(south, lats[i]!);
      north = Math.max(north, lats[i]!);
    }
    return [[west, south], [east, north]];
  }

  private startGlide(slot: number, now: number): void {
    const x = slot * 2;
    const previous = this.arrivedAt[slot]!;
    this.arrivedAt[slot] = now;
    if (previous === 0) {
      // Just placed: no gap to glide over.
      this.renderPositions[x] = this.micro[x]! / 1e6;
      this.renderPositions[x + 1] = this.micro[x + 1]! / 1e6;
      this.drawnVersion += 1;
      return;
    }
    this.glideFrom[x] = this.renderPositions[x]!;
    this.glideFrom[x + 1] = this.renderPositions[x + 1]!;
    this.glideStart[slot] = now;
    this.glideMs[slot] = Math.min(MAX_GLIDE_MS, Math.max(MIN_GLIDE_MS, now - previous));
    if (!this.gliding[slot]) {
      this.gliding[slot] = 1;
      this.glidingCount += 1;
    }
  }

  private place(info: VehicleInfo): number {
    const slot = this.count;
    if (slot === this.speeds.length) this.grow();
    this.count += 1;
    this.infos[slot] = info;
    this.slotByIdx.set(info.idx, slot);
    this.gliding[slot] = 0;
    this.offRoute[slot] = 0;
    this.membershipVersion += 1;
    return slot;
  }

  private write(slot: number, live: VehicleLive): void {
    this.micro[slot * 2] = Math.round(live.lng * 1e6);
    this.micro[slot * 2 + 1] = Math.round(live.lat * 1e6);
    this.renderPositions[slot * 2] = live.lng;
    this.renderPositions[slot * 2 + 1] = live.lat;
    this.drawnVersion += 1;
    this.arrivedAt[slot] = 0;
    this.speeds[slot] = live.speed ?? Number.NaN;
    this.headings[slot] = live.heading ?? Number.NaN;
    this.angles[slot] = live.heading === null ? 0 : -live.heading;
    this.batteries[slot] = live.battery ?? Number.NaN;
    this.timestamps[slot] = live.ts;
    this.paint(slot);
  }

  /** Sets a placed vehicle's presence or off-route flag and repaints it (a vehicle without a slot has no color yet). */
  private setFlag(flags: Uint8Array, idx: number, on: boolean): void {
    const slot = this.slotByIdx.get(idx);
    if (slot === undefined) return;
    flags[slot] = on ? 1 : 0;
    this.paint(slot);
    this.styleVersion += 1;
  }

  /** Status, color and visibility of a slot from its presence, off-route flag, speed and the filter. */
  private paint(slot: number): void {
    const speed = this.speeds[slot]!;
    const code = !this.online[slot] ? OFFLINE : this.offRoute[slot] ? OFF_ROUTE : speed >= MOVING_SPEED_KMH ? MOVING : STOPPED;
    this.status[slot] = code;
    const color = COLOR_BY_CODE[code]!, o = slot * 4;
    this.colors[o] = color[0];
    this.colors[o + 1] = color[1];
    this.colors[o + 2] = color[2];
    this.colors[o + 3] = color[3];
    const info = this.infos[slot]!;
    const shown = this.shownStatuses & (1 << code) && (this.shownTypes === null || this.shownTypes.has(info.type)) && (this.shownIds === null || this.shownIds.has(info.id));
    this.sizes[slot] = shown ? 1 : 0;
  }

  private moveSlot(from: number, to: number): void {
    for (const array of [this.micro, this.renderPositions, this.glideFrom]) array.copyWithin(to * 2, from * 2, from * 2 + 2);
    this.colors.copyWithin(to * 4, from * 4, from * 4 + 4);
    for (const array of [this.sizes, this.angles, this.speeds, this.headings, this.batteries, this.online, this.offRoute, this.status, this.timestamps, this.glideStart, this.glideMs, this.arrivedAt, this.gliding]) {
      array[to] = array[from]!;
    }
    const info = this.infos[from]!;
    this.infos[to] = info;
    this.slotByIdx.set(info.idx, to);
  }

  private grow(): void {
    const capacity = this.speeds.length * 2;
    this.micro = resized(this.micro, capacity * 2);
    this.renderPositions = resized(this.renderPositions, capacity * 2);
    this.glideFrom = resized(this.glideFrom, capacity * 2);
    this.colors = resized(this.colors, capacity * 4);
    this.sizes = resized(this.sizes, capacity);
    this.angles = resized(this.angles, capacity);
    this.speeds = resized(this.speeds, capacity);
    this.headings = resized(this.headings, capacity);
    this.batteries = resized(this.batteries, capacity);
    this.online = resized(this.online, capacity);
    this.offRoute = resized(this.offRoute, capacity);
    this.status = resized(this.status, capacity);
    this.timestamps = resized(this.timestamps, capacity);
    this.glideStart = resized(this.glideStart, capacity);
    this.glideMs = resized(this.glideMs, capacity);
    this.arrivedAt = resized(this.arrivedAt, capacity);
    this.gliding = resized(this.gliding, capacity);
  }

  private changed(): void {
    this.listeners.forEach((listener) => listener());
  }
}

/** A growable idx → slot map over an Int32Array (slot + 1 stored, 0 = none). */
class SlotTable {
  private table = new Int32Array(1024);

  get(idx: number): number | undefined {
    const v = this.table[idx] ?? 0; // undefined past the end, or for an idx that is not an index
    return v === 0 ? undefined : v - 1;
  }

  set(idx: number, slot: number): void {
    if (!Number.isInteger(idx) || idx < 0) throw new Error(`vehicle idx ${idx} is not a small non-negative integer`);
    if (idx >= this.table.length) {
      let length = this.table.length;
      while (length <= idx) length *= 2;
      this.table = resized(this.table, length);
    }
    this.table[idx] = slot + 1;
  }

  delete(idx: number): void {
    if (idx < this.table.length) this.table[idx] = 0;
  }

  clear(): void {
    this.table.fill(0);
  }
}

type Typed = Float64Array | Float32Array | Int32Array | Uint8Array;
function resized<T extends Typed>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
