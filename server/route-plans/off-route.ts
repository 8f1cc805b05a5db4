import type { Position } from '../protocol/position';
import type { AssignedRoutes } from './assigned-routes';

/** A vehicle came off its route or back onto it. */
export interface OffRouteChange {
  vehicleId: string;
  offRoute: boolean;
  /** The position judged (a committed one, or the last one when the route changed). */
  where?: { lng: number; lat: number; ts: number };
}

/** Back on the route once within this share of OFF_ROUTE_METERS (GPS jitter along the edge does not flap). */
export const BACK_ON_ROUTE_SHARE = 0.75;

/**
 * Off-route, per vehicle assigned to a route: off once a position is farther than `meters` from
 * the route's line, back on once one is within `meters` × BACK_ON_ROUTE_SHARE. A fix whose
 * accuracy is worse than `meters` is too vague to judge and changes nothing, and so does a late
 * one (older than the newest judged for the vehicle). A vehicle without a route is not off route.
 * Cost per committed position: one Map lookup for vehicles without a route, an index query on
 * the route's segments for the others.
 */
export class OffRouteTracker {
  private readonly off = new Set<string>();
  private readonly judgedAt = new Map<string, number>();

  constructor(
    private readonly routes: AssignedRoutes,
    private readonly meters: number,
  ) {}

  /** Vehicles currently off their route (a gauge of /metrics). */
  get offCount(): number {
    return this.off.size;
  }

  isOff(vehicleId: string): boolean {
    return this.off.has(vehicleId);
  }

  /** Committed positions (each vehicle's in time order): the vehicles whose state changed. */
  observe(positions: readonly Position[]): OffRouteChange[] {
    const changes: OffRouteChange[] = [];
    if (this.routes.assignedCount === 0 && this.off.size === 0) return changes;
    for (const p of positions) {
      const onARoute = this.routes.indexedRouteOf(p.vehicleId) !== null;
      if (!onARoute && !this.off.has(p.vehicleId)) continue; // the common case: nothing to judge
      if ((this.judgedAt.get(p.vehicleId) ?? -Infinity) > p.ts) continue;
      if (p.accuracy !== null && p.accuracy > this.meters) continue;
      const change = this.judge(p.vehicleId, p.lng, p.lat);
      if (onARoute) this.judgedAt.set(p.vehicleId, p.ts);
      if (change) changes.push({ ...change, where: { lng: p.lng, lat: p.lat, ts: p.ts } });
    }
    return changes;
  }

  /** The vehicles' route changed: judged again where they last were (null: no position yet). */
  reassigned(vehicleIds: readonly string[], lastPositionOf: (vehicleId: string) => { lng: number; lat: number; ts: number } | null): OffRouteChange[] {
    const changes: OffRouteChange[] = [];
    for (const vehicleId of vehicleIds) {
      if (!this.routes.indexedRouteOf(vehicleId)) this.judgedAt.delete(vehicleId);
      const last = lastPositionOf(vehicleId);
      const change = this.judge(vehicleId, last?.lng ?? NaN, last?.lat ?? NaN);
      if (change) changes.push(last ? { ...change, where: { lng: last.lng, lat: last.lat, ts: last.ts } } : change);
    }
    return changes;
  }

  private judge(vehicleId: string, lng: number, lat: number): OffRouteChange | null {
    const line = this.routes.indexedRouteOf(vehicleId);
    const wasOff = this.off.has(vehicleId);
    let isOff = false;
    if (line && Number.isFinite(lng) && Number.isFinite(lat)) {
      isOff = line.distanceWithin(lng, lat, wasOff ? this.meters * BACK_ON_ROUTE_SHARE : this.meters) === Infinity;
    }
    if (isOff === wasOff) return null;
    if (isOff) this.off.add(vehicleId);
    else this.off.delete(vehicleId);
    return { vehicleId, offRoute: isOff };
  }
}
