import type { VehicleInfo, VehicleLive } from '@/server/protocol/fleet';

/** Speed at or above which a vehicle counts as moving (the unit of VehicleLive.speed). */
export const MOVING_SPEED = 1;

export const VEHICLE_COLORS = {
  moving: [16, 185, 129, 240],
  stopped: [245, 158, 11, 240],
  unknown: [100, 116, 139, 240],
} as const;

const INITIAL_CAPACITY = 256;

/**
 * Live vehicle state held outside React, in typed arrays that deck.gl reads as binary
 * attributes. Index i of every array is the vehicle `infos[i]`; only vehicles with a live
 * position get an index (the others wait in `unplaced` until their first position).
 * The snapshot and each frame update the arrays in place, bump `version` and notify
 * `onChange` listeners (the map turns those into at most one layer update per animation frame).
 */
export class VehicleStore {
  /** Vehicles with a position: the length of the attribute arrays in use. */
  count = 0;
  version = 0;
  framesReceived = 0;
  positions = new Float64Array(INITIAL_CAPACITY * 2);
  colors = new Uint8Array(INITIAL_CAPACITY * 4);
  speeds = new Float32Array(INITIAL_CAPACITY);
  infos: VehicleInfo[] = [];
  private indexById = new Map<string, number>();
  private unplaced = new Map<string, VehicleInfo>();
  private listeners = new Set<() => void>();

  /** Replace everything with the subscribe snapshot. */
  loadSnapshot(vehicles: ReadonlyArray<VehicleInfo & { live: VehicleLive | null }>): void {
    this.count = 0;
    this.infos = [];
    this.indexById.clear();
    this.unplaced.clear();
    for (const { live, ...info } of vehicles) {
      if (live) this.write(this.place(info), live);
      else this.unplaced.set(info.id, info);
    }
    this.changed();
  }

  /** Apply one positions frame: the vehicles that changed since the last one. */
  applyFrame(vehicles: ReadonlyArray<VehicleLive>): void {
    this.framesReceived += 1;
    for (const live of vehicles) {
      let index = this.indexById.get(live.id);
      if (index === undefined) {
        const info = this.unplaced.get(live.id) ?? { id: live.id, name: live.id.slice(0, 8), plate: null, type: 'unknown' };
        this.unplaced.delete(live.id);
        index = this.place(info);
      }
      this.write(index, live);
    }
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** All vehicles of the fleet, with or without a position. */
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

  private place(info: VehicleInfo): number {
    const index = this.count;
    if (index === this.speeds.length) this.grow();
    this.count += 1;
    this.infos[index] = info;
    this.indexById.set(info.id, index);
    return index;
  }

  private write(index: number, live: VehicleLive): void {
    this.positions[index * 2] = live.lng;
    this.positions[index * 2 + 1] = live.lat;
    this.speeds[index] = live.speed ?? Number.NaN;
    const color =
      live.speed === null ? VEHICLE_COLORS.unknown : live.speed >= MOVING_SPEED ? VEHICLE_COLORS.moving : VEHICLE_COLORS.stopped;
    this.colors.set(color, index * 4);
  }

  private grow(): void {
    const capacity = this.speeds.length * 2;
    this.positions = resized(this.positions, capacity * 2);
    this.colors = resized(this.colors, capacity * 4);
    this.speeds = resized(this.speeds, capacity);
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
