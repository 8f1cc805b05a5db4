import type { PositionsFrame, VehicleInfo, VehicleLive, VehicleSnapshot } from '@/server/protocol/fleet';
import { decodeEntries, type DecodedEntry } from '@/server/protocol/fleet-frame';

/** Speed (km/h) at or above which a vehicle counts as moving. */
export const MOVING_SPEED = 1;

export const VEHICLE_COLORS = {
  moving: [16, 185, 129, 240],
  stopped: [245, 158, 11, 240],
  unknown: [100, 116, 139, 240],
  offline: [148, 163, 184, 150],
} as const;

const INITIAL_CAPACITY = 256;

/**
 * Live vehicle state held outside React, in typed arrays that deck.gl reads as binary
 * attributes. Slot i of every array is the vehicle `infos[i]`; only vehicles with a position get
 * a slot (the others wait in `unplaced` until their first position). The snapshot and each
 * frame update the arrays in place, bump `version` and notify `onChange` listeners (the map
 * turns those into at most one layer update per animation frame).
 */
export class VehicleStore {
  /** Vehicles with a position: the length of the attribute arrays in use. */
  count = 0;
  version = 0;
  framesReceived = 0;
  positions = new Float64Array(INITIAL_CAPACITY * 2);
  colors = new Uint8Array(INITIAL_CAPACITY * 4);
  speeds = new Float32Array(INITIAL_CAPACITY);
  headings = new Float32Array(INITIAL_CAPACITY);
  online = new Uint8Array(INITIAL_CAPACITY);
  timestamps = new Float64Array(INITIAL_CAPACITY);
  infos: VehicleInfo[] = [];
  private slotByIdx = new Map<number, number>();
  private unplaced = new Map<number, VehicleInfo>();
  private listeners = new Set<() => void>();

  /** Replace everything with a subscribe snapshot. */
  loadSnapshot(vehicles: readonly VehicleSnapshot[]): void {
    this.count = 0;
    this.infos = [];
    this.slotByIdx.clear();
    this.unplaced.clear();
    for (const { live, online, ...info } of vehicles) {
      if (!live) {
        this.unplaced.set(info.idx, info);
        continue;
      }
      const slot = this.place(info);
      this.online[slot] = online ? 1 : 0;
      this.write(slot, live);
    }
    this.changed();
  }

  /** Apply one positions frame: only the changed fields of the vehicles that changed. */
  applyFrame(frame: PositionsFrame): void {
    this.framesReceived += 1;
    for (const info of frame.n ?? []) this.describe(info);
    decodeEntries(frame.v, frame.at, (entry) => this.applyEntry(entry));
    for (const idx of frame.out ?? []) this.remove(idx);
    this.changed();
  }

  /** A vehicle was created or renamed. */
  describe(info: VehicleInfo): void {
    const slot = this.slotByIdx.get(info.idx);
    if (slot === undefined) this.unplaced.set(info.idx, info);
    else this.infos[slot] = info;
  }

  setOnline(idx: number, online: boolean): void {
    const slot = this.slotByIdx.get(idx);
    if (slot === undefined) return;
    this.online[slot] = online ? 1 : 0;
    this.paint(slot);
    this.changed();
  }

  /** Forget a vehicle (deleted, or out of a viewport subscription). */
  remove(idx: number): void {
    this.unplaced.delete(idx);
    const slot = this.slotByIdx.get(idx);
    if (slot === undefined) return;
    const last = this.count - 1;
    if (slot !== last) this.moveSlot(last, slot);
    this.slotByIdx.delete(idx);
    this.infos.length = last;
    this.count = last;
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** All vehicles known, with or without a position. */
  vehicleCount(): number {
    return this.count + this.unplaced.size;
  }

  positionsOf(): Array<[string, number, number]> {
    return this.infos.map((info, i) => [info.id, this.positions[i * 2]!, this.positions[i * 2 + 1]!]);
  }

  /** [[west, south], [east, north]] of the placed vehicles, or null when there are none. */
  bounds(): [[number, number], [number, number]] | null {
    if (this.count === 0) return null;
    let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
    for (let i = 0; i < this.count; i++) {
      const lng = this.positions[i * 2]!, lat = this.positions[i * 2 + 1]!;
      west = Math.min(west, lng);
      east = Math.max(east, lng);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
    return [[west, south], [east, north]];
  }

  private applyEntry(entry: DecodedEntry): void {
    let slot = this.slotByIdx.get(entry.idx);
    if (slot === undefined) {
      // First position of a vehicle: frames carry every field for it.
      const info = this.unplaced.get(entry.idx);
      if (!info || entry.relative || entry.lng === undefined || entry.lat === undefined) return;
      this.unplaced.delete(entry.idx);
      slot = this.place(info);
      this.speeds[slot] = Number.NaN;
      this.headings[slot] = Number.NaN;
    }
    this.online[slot] = 1;
    const base = entry.relative ? 1 : 0;
    if (entry.lng !== undefined) this.positions[slot * 2] = base * this.positions[slot * 2]! + entry.lng;
    if (entry.lat !== undefined) this.positions[slot * 2 + 1] = base * this.positions[slot * 2 + 1]! + entry.lat;
    if (entry.speed !== undefined) this.speeds[slot] = entry.speed ?? Number.NaN;
    if (entry.heading !== undefined) this.headings[slot] = entry.heading ?? Number.NaN;
    if (entry.ts !== undefined) this.timestamps[slot] = entry.ts;
    this.paint(slot);
  }

  private place(info: VehicleInfo): number {
    const slot = this.count;
    if (slot === this.speeds.length) this.grow();
    this.count += 1;
    this.infos[slot] = info;
    this.slotByIdx.set(info.idx, slot);
    return slot;
  }

  private write(slot: number, live: VehicleLive): void {
    this.positions[slot * 2] = live.lng;
    this.positions[slot * 2 + 1] = live.lat;
    this.speeds[slot] = live.speed ?? Number.NaN;
    this.headings[slot] = live.heading ?? Number.NaN;
    this.timestamps[slot] = live.ts;
    this.paint(slot);
  }

  private paint(slot: number): void {
    const speed = this.speeds[slot]!;
    const color = !this.online[slot]
      ? VEHICLE_COLORS.offline
      : Number.isNaN(speed)
        ? VEHICLE_COLORS.unknown
        : speed >= MOVING_SPEED
          ? VEHICLE_COLORS.moving
          : VEHICLE_COLORS.stopped;
    this.colors.set(color, slot * 4);
  }

  private moveSlot(from: number, to: number): void {
    this.positions.copyWithin(to * 2, from * 2, from * 2 + 2);
    this.colors.copyWithin(to * 4, from * 4, from * 4 + 4);
    for (const array of [this.speeds, this.headings, this.online, this.timestamps]) array[to] = array[from]!;
    const info = this.infos[from]!;
    this.infos[to] = info;
    this.slotByIdx.set(info.idx, to);
  }

  private grow(): void {
    const capacity = this.speeds.length * 2;
    this.positions = resized(this.positions, capacity * 2);
    this.colors = resized(this.colors, capacity * 4);
    this.speeds = resized(this.speeds, capacity);
    this.headings = resized(this.headings, capacity);
    this.online = resized(this.online, capacity);
    this.timestamps = resized(this.timestamps, capacity);
  }

  private changed(): void {
    this.version += 1;
    this.listeners.forEach((listener) => listener());
  }
}

function resized<T extends Float64Array | Float32Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}
