import type { RouteDto } from '../protocol/routes';
import type { RouteListener } from './service';

/**
 * Which route each vehicle drives, with the route's line, in memory: what predictive geofences
 * project a vehicle's path along. Kept current from the route service's change notices.
 */
export class AssignedRoutes {
  private readonly byVehicle = new Map<string, { routeId: string; line: readonly number[][] }>();
  private readonly byRoute = new Map<string, readonly string[]>();

  /** The line of the route `vehicleId` is assigned to, or null. */
  routeOf(vehicleId: string): readonly number[][] | null {
    return this.byVehicle.get(vehicleId)?.line ?? null;
  }

  load(routes: readonly RouteDto[]): void {
    for (const route of routes) this.set(route);
  }

  set(route: RouteDto): void {
    this.drop(route.id);
    const vehicleIds = route.properties.vehicleIds;
    for (const vehicleId of vehicleIds) this.byVehicle.set(vehicleId, { routeId: route.id, line: route.geometry.coordinates });
    this.byRoute.set(route.id, vehicleIds);
  }

  /** Forgets a route: its vehicles keep no line (unless another route claimed them since). */
  drop(routeId: string): void {
    for (const vehicleId of this.byRoute.get(routeId) ?? []) {
      if (this.byVehicle.get(vehicleId)?.routeId === routeId) this.byVehicle.delete(vehicleId);
    }
    this.byRoute.delete(routeId);
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
}
