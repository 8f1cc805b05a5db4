/**
 * Where a tenant's fleet drives, read from what the tenant has: depots (DEPOT fences),
 * customers (CHECKPOINT fences) and routes whose attributes name their depot and stops (the
 * demo seed writes them so; vehicles assigned to such a route drive it). Sorted by name, so
 * the seed and the simulator plan the same tours from the same data.
 */
import type { GeofenceDto } from '../protocol/geofences';
import type { RouteDto } from '../protocol/routes';
import { depotTours, type Place, type TourPlan } from './road-fleet';

/** Rounds of customers per depot tour (one routing request per depot, at most 25 vias). */
export const ROUNDS_PER_DEPOT = 4;

export interface TenantPlaces {
  depots: Place[];
  customers: Place[];
  /** Routes with a depot and stops in their attributes, and the vehicles assigned to them. */
  routes: TourPlan[];
}

type FenceLike = Pick<GeofenceDto, 'geometry'> & { properties: Pick<GeofenceDto['properties'], 'name' | 'type'> };
type RouteLike = { properties: Pick<RouteDto['properties'], 'name' | 'vehicleIds'> & { attributes?: Record<string, unknown> } };

function centerOf(geometry: FenceLike['geometry']): [number, number] {
  if (geometry.type === 'Point') return geometry.coordinates;
  const ring = geometry.type === 'Polygon' ? geometry.coordinates[0]! : geometry.coordinates[0]![0]!;
  const n = Math.max(1, ring.length - 1);
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    x += ring[i]![0]!;
    y += ring[i]![1]!;
  }
  return [x / n, y / n];
}

const byName = (a: Place, b: Place) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.lng - b.lng || a.lat - b.lat);

function placeOf(value: unknown): Place | null {
  const p = value as Partial<Place> | null;
  if (!p || typeof p.lng !== 'number' || typeof p.lat !== 'number') return null;
  return { name: typeof p.name === 'string' ? p.name : 'stop', lng: p.lng, lat: p.lat };
}

export function tenantPlaces(fences: readonly FenceLike[], routes: readonly RouteLike[]): TenantPlaces {
  const places = (type: string) =>
    fences
      .filter((f) => f.properties.type === type)
      .map((f) => {
        const [lng, lat] = centerOf(f.geometry);
        return { name: f.properties.name, lng, lat };
      })
      .sort(byName);
  const plans: TourPlan[] = [];
  for (const r of routes) {
    const depot = placeOf(r.properties.attributes?.depot);
    const stops = Array.isArray(r.properties.attributes?.stops) ? (r.properties.attributes.stops as unknown[]).map(placeOf) : [];
    if (!depot || stops.length === 0 || stops.some((s) => !s) || r.properties.vehicleIds.length === 0) continue;
    plans.push({ name: r.properties.name, depot, stops: stops as Place[], vehicleIds: [...r.properties.vehicleIds].sort() });
  }
  plans.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { depots: places('DEPOT'), customers: places('CHECKPOINT'), routes: plans };
}

/** Every tour to route: one per depot shared out among vehicles without a route, then the routes'. */
export function tourPlans(places: TenantPlaces, rounds = ROUNDS_PER_DEPOT): TourPlan[] {
  return [...depotTours(places.depots, places.customers, rounds), ...places.routes];
}
