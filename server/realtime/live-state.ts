import type { VehicleInfo, VehicleLive, VehicleSnapshot } from '../protocol/fleet';
import type { Position } from '../protocol/position';
import type { VehicleRouteProgress } from '../protocol/route-progress';

/** What the server holds per vehicle for dashboards: facts, last published state, presence. */
export interface LiveVehicle {
  info: VehicleInfo;
  tenantId: string;
  live: VehicleLive | null;
  /** Server time of the last position (epoch ms), 0 when never. */
  receivedAt: number;
  online: boolean;
  /** Off the route it is assigned to, and its progress along it (route-plans/progress). */
  offRoute?: boolean;
  route?: VehicleRouteProgress | null;
}

/** A vehicle whose state changed in a tick: its new state and the fields that changed. */
export interface LiveChange {
  vehicle: LiveVehicle;
  previous: VehicleLive | null;
}

/**
 * The fleet as dashboards see it, in memory: snapshots are built from it synchronously (so no
 * frame can slip between a snapshot and the frames after it), and each tick's changes are
 * computed against it. Loaded from the database at start-up, then kept current by the pipeline
 * (positions) and the vehicle service (facts).
 */
export class LiveState {
  private readonly byId = new Map<string, LiveVehicle>();
  private readonly byTenant = new Map<string, Set<LiveVehicle>>();
  private nextIdx = 1;

  get size(): number {
    return this.byId.size;
  }

  /** Adds a vehicle or updates its facts; keeps its idx and live state. */
  upsert(tenantId: string, info: Omit<VehicleInfo, 'idx'>, live: VehicleLive | null = null, receivedAt = 0, online = false): LiveVehicle {
    // Only these facts: nothing else of a vehicle row (device token!) may reach a dashboard.
    const facts = { id: info.id, name: info.name, plate: info.plate, type: info.type };
    const existing = this.byId.get(info.id);
    if (existing) {
      existing.info = { ...facts, idx: existing.info.idx };
      return existing;
    }
    const vehicle: LiveVehicle = { info: { ...facts, idx: this.nextIdx++ }, tenantId, live, receivedAt, online };
    this.byId.set(info.id, vehicle);
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(vehicle);
    return vehicle;
  }

  remove(id: string): LiveVehicle | undefined {
    const vehicle = this.byId.get(id);
    if (!vehicle) return undefined;
    this.byId.delete(id);
    this.byTenant.get(vehicle.tenantId)?.delete(vehicle);
    return vehicle;
  }

  get(id: string): LiveVehicle | undefined {
    return this.byId.get(id);
  }

  all(): Iterable<LiveVehicle> {
    return this.byId.values();
  }

  tenantVehicles(tenantId: string): Iterable<LiveVehicle> {
    return this.byTenant.get(tenantId) ?? [];
  }

  /**
   * Applies the newest committed position per vehicle (older ones than the state already
   * held are ignored) and returns what changed, grouped by tenant.
   */
  apply(positions: readonly Position[], now: number): Map<string, LiveChange[]> {
    const changes = new Map<string, LiveChange[]>();
    for (const p of positions) {
      const vehicle = this.byId.get(p.vehicleId);
      if (!vehicle) continue;
      vehicle.receivedAt = now;
      if (vehicle.live && vehicle.live.ts >= p.ts) continue;
      const previous = vehicle.live;
      vehicle.live = { id: p.vehicleId, lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading, battery: p.battery, ts: p.ts };
      let list = changes.get(vehicle.tenantId);
      if (!list) changes.set(vehicle.tenantId, (list = []));
      list.push({ vehicle, previous });
    }
    return changes;
  }

  snapshotOf(vehicle: LiveVehicle): VehicleSnapshot {
    return { ...vehicle.info, live: vehicle.live, online: vehicle.online, ...(vehicle.offRoute ? { offRoute: true as const } : {}), ...(vehicle.route ? { route: vehicle.route } : {}) };
  }

  /** Snapshots of those of `ids` that are vehicles of the tenant (others are skipped). */
  snapshotsIn(tenantId: string, ids: readonly string[]): VehicleSnapshot[] {
    return ids.flatMap((id) => {
      const vehicle = this.byId.get(id);
      return vehicle?.tenantId === tenantId ? [this.snapshotOf(vehicle)] : [];
    });
  }
}
