import { BERLIN_PATHS, type DemoPath } from './berlin-paths';
import { PathWalker } from './path-walker';
import { seeded } from './random';

export interface SimulatedPosition {
  vehicleId: string;
  lat: number;
  lng: number;
  timestamp: number;
  speed: number;
  heading: number;
  accuracy: number;
  battery: number;
  /** e.g. ignition (road simulation only) */
  attributes?: Record<string, unknown>;
}

/** What scripts/simulate.ts drives: every vehicle's position as a pure function of time. */
export interface Simulation {
  readonly size: number;
  positionsAt(now: number): SimulatedPosition[];
  slice(from: number, to: number, now: number): SimulatedPosition[];
}

interface SimVehicle {
  id: string;
  walker: PathWalker;
  /** meters along the path at t0 */
  offset: number;
  /** cruise speed, km/h */
  cruise: number;
  /** seconds of each 120 s cycle the vehicle stands (traffic lights, deliveries) */
  stopSeconds: number;
  /** where in the cycle the vehicle is at t = 0 (s): vehicles stop at different times */
  phase: number;
  battery: number;
}

const CYCLE_S = 120;

/**
 * Vehicles driving the demo paths as a pure function of time: each has its own path, start
 * point, cruise speed and short stops, so the fleet shows moving and stopped vehicles.
 */
export class FleetSimulation implements Simulation {
  private readonly vehicles: SimVehicle[];

  constructor(vehicleIds: readonly string[], paths: readonly DemoPath[] = BERLIN_PATHS) {
    const walkers = paths.map((p) => new PathWalker(p));
    this.vehicles = vehicleIds.map((id) => {
      const random = seeded(id);
      const walker = walkers[Math.floor(random() * walkers.length)]!;
      return {
        id,
        walker,
        offset: random() * walker.length * 2,
        cruise: 25 + random() * 35,
        stopSeconds: random() < 0.25 ? 20 + random() * 40 : 0,
        battery: 40 + random() * 60,
        phase: random() * CYCLE_S,
      };
    });
  }

  get size(): number {
    return this.vehicles.length;
  }

  /** Every vehicle's position at time `now` (epoch ms). */
  positionsAt(now: number): SimulatedPosition[] {
    return this.vehicles.map((v) => this.positionOf(v, now));
  }

  /** Positions of vehicles [from, to) at `now`. */
  slice(from: number, to: number, now: number): SimulatedPosition[] {
    return this.vehicles.slice(from, to).map((v) => this.positionOf(v, now));
  }

  private positionOf(v: SimVehicle, now: number): SimulatedPosition {
    const seconds = now / 1000 + v.phase;
    const cycles = Math.floor(seconds / CYCLE_S);
    const inCycle = seconds - cycles * CYCLE_S;
    const driveSeconds = CYCLE_S - v.stopSeconds;
    const driven = cycles * driveSeconds + Math.min(inCycle, driveSeconds);
    const moving = inCycle < driveSeconds;
    const mps = v.cruise / 3.6;
    const point = v.walker.at(v.offset + driven * mps);
    return {
      vehicleId: v.id,
      lat: point.lat,
      lng: point.lng,
      timestamp: now,
      speed: moving ? Math.round(v.cruise * 10) / 10 : 0,
      heading: Math.round(point.heading * 10) / 10 % 360,
      accuracy: 5,
      battery: Math.round(v.battery),
    };
  }
}
