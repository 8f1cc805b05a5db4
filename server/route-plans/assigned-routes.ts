import type { RouteDto } from '../protocol/routes';
import { RouteLine } from './route-distance';
import type { RouteListener } from './service';

interface Assignment {
  routeId: string;
  line: readonly number[][];
  /** The line's segments indexed for distance queries (off-route), one per route. */
  indexed: RouteLine;
}

/**
 * Which route each vehicle drives, with the route's line, in memory: what predictive geofences
 * project a vehicle's path along, and what off-route is judged against. Kept current from the
 * route service's change notices; `onReassigned` hears which vehicles' route changed.
 */
export class AssignedRoutes {
  private readonly byVehicle = new Map<string, Assignment>();
  private readonly byRoute = new Map<string, readonly string[]>();
  private reassigned: ((vehicleIds: readonly string[]) => void) | null = null;

  /** The line of the route `vehicleId` is assigned to, or null. */
  routeOf(vehicleId: string): readonly number[][] | null {
    return this.byVehicle.get(vehicleId)?.line ?? null;
  }

  /** The id of the route `vehicleId` is assigned to, or null. */
  routeIdOf(vehicleId: string): string | null {
    return this.byVehicle.get(vehicleId)?.routeId ?? null;
  }

  /** The indexed line of the route `vehicleId` is assigned to, or null. */
  indexedRouteOf(vehicleId: string): RouteLine | null {
    return this.byVehicle.get(vehicleId)?.indexed ?? null;
  }

  get assignedCount(): number {
    return this.byVehicle.size;
  }

  /** Calls `listener` with the vehicles whose route (or its line) changed, after each change. */
  onReassigned(listener: (vehicleIds: readonly string[]) => void): void {
    this.reassigned = listener;
  }

  load(routes: readonly RouteDto[]): void {
    for (const route of routes) this.set(route);
  }

  set(route: RouteDto): void {
    const before = this.byRoute.get(route.id) ?? [];
    this.forget(route.id);
    const vehicleIds = route.properties.vehicleIds;
    const assignment = { routeId: route.id, line: route.geometry.coordinates, indexed: new RouteLine(route.geometry.coordinates) };
    for (const vehicleId of vehicleIds) this.byVehicle.set(vehicleId, assignment);
    this.byRoute.set(route.id, vehicleIds);
    this.reassigned?.([...new Set([...before, ...vehicleIds])]);
  }

  /** Forgets a route: its vehicles keep no line (unless another route claimed them since). */
  drop(routeId: string): void {
    const vehicleIds = this.byRoute.get(routeId) ?? [];
    this.forget(routeId);
    this.reassigned?.(vehicleIds);
  }

  /** A listener that keeps this current and then tells `next`. */
  listener(next: RouteListener): RouteListener {
    return {
      changed: (tenantId, route) => {
        this.set(route);
        next.changed(tenantId, route);
      },
      removed: (tenantId, id) => {
        this.drop(id);
        next.removed(tenantId, id);
      },
    };
  }

  private forget(routeId: string): void {
    for (const vehicleId of this.byRoute.get(routeId) ?? []) {
      if (this.byVehicle.get(vehicleId)?.routeId === routeId) this.byVehicle.delete(vehicleId);
    }
    this.byRoute.delete(routeId);
  }
}
