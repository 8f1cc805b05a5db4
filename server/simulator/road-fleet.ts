/**
 * The demo fleet on real streets: each vehicle drives a tour from its depot to customer stops
 * and back, routed over the tenant's road network, as a pure function of its id and the clock
 * (so a restart, the seed and the tests all agree where a vehicle is). Tours come from the
 * tenant's routes (vehicles assigned to a route drive it) and from tours between depots and
 * customer places; each vehicle drives its tour with a profile of its own: most near the
 * limit, a few speeding, a few standing idle with the engine on, some braking hard now and then.
 */
import { buildDriveSchedule, CORNER_HALF_M, scheduleAt, STATE_STOPPED, type DriveProfile, type DriveSchedule } from './drive-schedule';
import { bearingDegrees } from './path-walker';
import type { SimulatedPosition, Simulation } from './fleet-simulation';
import { seeded } from './random';
import { tourFromRoute, type RoutedLine, type Tour } from './tour';

export interface Place {
  name: string;
  lng: number;
  lat: number;
}

/** A tour to drive: from the depot through the stops, back to the depot. */
export interface TourPlan {
  name: string;
  depot: Place;
  stops: Place[];
  /** Vehicles that drive only this tour (a route's assigned vehicles); others are shared out. */
  vehicleIds?: string[];
}

/** Routes points in order; null when the network cannot (off the network, unreachable). */
export type RouteLine = (points: readonly Place[]) => Promise<RoutedLine | null>;

/** Driving profiles per tour: vehicles pick one, so two vehicles on a tour rarely drive alike. */
const NORMAL_PROFILES = 5;
/** Share of vehicles speeding (above the limit) and standing idle with the engine on. */
export const SPEEDER_SHARE = 0.06;
export const IDLER_SHARE = 0.04;

/** Demo timing: a stop of a few real minutes lasts tens of seconds, so a viewer sees them. */
const STOP_S: [number, number] = [25, 70];
const DEPOT_S: [number, number] = [60, 150];

function profileFor(tourName: string, variant: number): DriveProfile {
  const random = seeded(`${tourName}#${variant}`);
  const between = ([lo, hi]: [number, number]) => Math.round(lo + random() * (hi - lo));
  const speeder = variant === NORMAL_PROFILES;
  return {
    factor: speeder ? 1.15 + random() * 0.15 : 0.82 + random() * 0.18,
    variation: 0.08 + random() * 0.07,
    stopS: between(STOP_S),
    depotS: between(DEPOT_S),
    hardBrakeEveryM: speeder ? 2_500 : variant % 2 === 0 ? 12_000 : Infinity,
    cornerFactor: speeder ? 1.2 + random() * 0.1 : 0.85 + random() * 0.15,
  };
}

interface Driven {
  tour: Tour;
  /** Schedules by variant, built on first use. */
  schedules: (DriveSchedule | null)[];
}

interface SimVehicle {
  id: string;
  driven: Driven;
  variant: number;
  idle: boolean;
  phase: number;
  battery: number;
}

export interface RoadFleet {
  tours: Tour[];
  /** Tours shared out among vehicles without a route of their own. */
  sharedTours: number;
  /** vehicle id → index into tours, for vehicles bound to one tour. */
  bound: Map<string, number>;
}

/**
 * Routes every tour (one request each: depot, stops as vias, depot again); tours that cannot be
 * routed are left out. Returns null when no tour could be routed.
 */
export async function planRoadFleet(plans: readonly TourPlan[], route: RouteLine): Promise<RoadFleet | null> {
  const tours: Tour[] = [];
  const bound = new Map<string, number>();
  let shared = 0;
  // Shared tours first, so a vehicle's shared tour does not depend on how many routes exist.
  const ordered = [...plans.filter((p) => !p.vehicleIds?.length), ...plans.filter((p) => p.vehicleIds?.length)];
  for (const plan of ordered) {
    const line = await route([plan.depot, ...plan.stops, plan.depot]);
    if (!line || line.geometry.coordinates.length < 2) continue;
    const tour = tourFromRoute(plan.name, line);
    if (tour.length < 50) continue;
    tours.push(tour);
    if (plan.vehicleIds?.length) for (const id of plan.vehicleIds) bound.set(id, tours.length - 1);
    else shared++;
  }
  if (tours.length === 0) return null;
  return { tours, sharedTours: shared, bound };
}

/** Most points one tour may have: the routing API takes from, to and 25 vias. */
export const MAX_TOUR_POINTS = 27;

/**
 * One tour per depot through `rounds` rounds of 3–5 customers each (visited nearest-first,
 * customers near the depot likelier), back at the depot after each round: one routing request
 * per depot. Deterministic for the same places.
 */
export function depotTours(depots: readonly Place[], customers: readonly Place[], rounds: number): TourPlan[] {
  if (depots.length === 0 || customers.length === 0) return [];
  const plans: TourPlan[] = [];
  for (const [d, depot] of depots.entries()) {
    const stops: Place[] = [];
    for (let r = 0; r < rounds; r++) {
      const random = seeded(`tour-${d}-${r}`);
      const want = Math.min(customers.length, 3 + Math.floor(random() * 3));
      if (stops.length + want + 2 > MAX_TOUR_POINTS - 1) break;
      const pool = [...customers].sort((a, b) => dist2(depot, a) - dist2(depot, b));
      const picked: Place[] = [];
      while (picked.length < want && pool.length > 0) {
        const range = Math.max(1, Math.ceil(pool.length * (picked.length < 2 ? 0.5 : 1)));
        picked.push(pool.splice(Math.floor(random() * range), 1)[0]!);
      }
      let at: Place = depot;
      while (picked.length > 0) {
        let best = 0;
        for (let i = 1; i < picked.length; i++) if (dist2(at, picked[i]!) < dist2(at, picked[best]!)) best = i;
        at = picked.splice(best, 1)[0]!;
        stops.push(at);
      }
      if (r + 1 < rounds) stops.push(depot);
    }
    if (stops.at(-1) === depot) stops.pop();
    plans.push({ name: `${depot.name} tours`, depot, stops });
  }
  return plans;
}

function dist2(a: Place, b: Place): number {
  const dx = (a.lng - b.lng) * Math.cos((a.lat * Math.PI) / 180);
  const dy = a.lat - b.lat;
  return dx * dx + dy * dy;
}

export class RoadFleetSimulation implements Simulation {
  private readonly vehicles: SimVehicle[];

  constructor(vehicleIds: readonly string[], fleet: RoadFleet) {
    const driven: Driven[] = fleet.tours.map((tour) => ({ tour, schedules: new Array<DriveSchedule | null>(NORMAL_PROFILES + 1).fill(null) }));
    this.vehicles = vehicleIds.map((id) => {
      const random = seeded(id);
      const kind = random();
      const sharedPick = Math.floor(random() * Math.max(1, fleet.sharedTours));
      const boundTour = fleet.bound.get(id);
      const tourIndex = boundTour ?? (fleet.sharedTours > 0 ? sharedPick : Math.floor(random() * fleet.tours.length));
      const variant = kind < SPEEDER_SHARE ? NORMAL_PROFILES : Math.floor(random() * NORMAL_PROFILES);
      return {
        id,
        driven: driven[tourIndex]!,
        variant,
        idle: boundTour === undefined && kind >= SPEEDER_SHARE && kind < SPEEDER_SHARE + IDLER_SHARE,
        phase: random() * 1e6,
        battery: 40 + random() * 60,
      };
    });
  }

  get size(): number {
    return this.vehicles.length;
  }

  positionsAt(now: number): SimulatedPosition[] {
    return this.vehicles.map((v) => this.positionOf(v, now));
  }

  slice(from: number, to: number, now: number): SimulatedPosition[] {
    return this.vehicles.slice(from, to).map((v) => this.positionOf(v, now));
  }

  /** The tour and profile a vehicle drives (tests, tools). */
  describe(index: number): { tour: Tour; speeding: boolean; idle: boolean; schedule: DriveSchedule } {
    const v = this.vehicles[index]!;
    return { tour: v.driven.tour, speeding: v.variant === NORMAL_PROFILES, idle: v.idle, schedule: this.scheduleOf(v) };
  }

  private scheduleOf(v: SimVehicle): DriveSchedule {
    const { driven, variant } = v;
    let schedule = driven.schedules[variant];
    if (!schedule) {
      schedule = buildDriveSchedule(driven.tour, profileFor(driven.tour.name, variant), seeded(`${driven.tour.name}@${variant}`));
      driven.schedules[variant] = schedule;
    }
    return schedule;
  }

  private positionOf(v: SimVehicle, now: number): SimulatedPosition {
    const walker = v.driven.tour.walker;
    if (v.idle) {
      // Parked at the depot with the engine running.
      const point = walker.at(0);
      return { vehicleId: v.id, lat: point.lat, lng: point.lng, timestamp: now, speed: 0, heading: Math.round(point.heading * 10) / 10 % 360, accuracy: 5, battery: Math.round(v.battery), attributes: { ignition: true } };
    }
    const schedule = this.scheduleOf(v);
    const at = scheduleAt(schedule, now / 1000 + v.phase);
    const point = walker.at(at.along);
    // Heading along the chord through the corner (as a vehicle turns), not the polyline's kink.
    const behind = walker.at(Math.max(0, at.along - CORNER_HALF_M));
    const ahead = walker.at(Math.min(v.driven.tour.length, at.along + CORNER_HALF_M));
    const heading = behind.lng === ahead.lng && behind.lat === ahead.lat ? point.heading : bearingDegrees([behind.lng, behind.lat], [ahead.lng, ahead.lat]);
    return {
      vehicleId: v.id,
      lat: point.lat,
      lng: point.lng,
      timestamp: now,
      speed: Math.round(at.speedKmh * 10) / 10,
      heading: Math.round(heading * 10) / 10 % 360,
      accuracy: 5,
      battery: Math.round(v.battery),
      attributes: { ignition: at.state !== STATE_STOPPED },
    };
  }
}
