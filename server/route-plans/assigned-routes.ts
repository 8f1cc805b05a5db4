import type { RouteDto } from '../protocol/routes';
import { RouteTrack } from './progress/route-track';
import type { RouteListener } from './service';

interface Assignment {
  routeId: string;
  name: string;
  attributes: Record<string, unknown>;
  line: readonly number[][];
  /** The line prepared for snapping and progress (route-track.ts), one per route. */
  track: RouteTrack;
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

  /** The prepared line (snapping, progress) of the route `vehicleId` is assigned to, or null. */
  trackOf(vehicleId: string): RouteTrack | null {
    return this.byVehicle.get(vehicleId)?.track ?? null;
  }

  /** The route `routeId` as assigned (name, attributes, track), or null when no vehicle drives it. */
  route(routeId: string): Omit<Assignment, 'line'> | null {
    const vehicleId = this.byRoute.get(routeId)?.[0];
    return vehicleId ? (this.byVehicle.get(vehicleId) ?? null) : null;
  }

  /** The vehicles assigned to `routeId`. */
  vehiclesOf(routeId: string): readonly string[] {
    return this.byRoute.get(routeId) ?? [];
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
    const p = route.properties;
    const assignment = {
      routeId: route.id,
      name: p.name,
      attributes: p.attributes,
      line: route.geometry.coordinates,
      track: new RouteTrack(route.id, route.geometry.coordinates, p.stops ?? []),
    };
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
