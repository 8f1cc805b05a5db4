import type { Principal } from '../../auth/tokens';
import type { RouteLogState } from '../../db/sql/route-progress';
import type { NewEvent } from '../../protocol/events';
import type { Position } from '../../protocol/position';
import type { RouteStatusResponse, VehicleRouteProgress } from '../../protocol/route-progress';
import type { RouteDto } from '../../protocol/routes';
import type { RoadGraph } from '../../roads/graph/build';
import { snapToNetwork } from '../../roads/graph/snap';
import type { AssignedRoutes } from '../assigned-routes';
import { progressEvents } from './events';
import { RouteTrack } from './route-track';
import { bearingOf, ProgressTracker, progressOf, type Fix, type ProgressOptions, type VehicleProgress } from './tracker';

/** Dashboards are told again once progress moved this much (share of the route)… */
export const PUBLISH_PROGRESS_STEP = 0.01;
/** …or the ETA to the end moved this many seconds, or the status or the next stop changed. */
export const PUBLISH_ETA_STEP_S = 30;
/** A route segment's speed is the road's within this many meters of its midpoint. */
const ROAD_SNAP_M = 25;

export interface RouteProgressDeps {
  routes: AssignedRoutes;
  tenantOf: (vehicleId: string) => string | undefined;
  /** The tenant's road graph (travel times), or null without one (yet). */
  graphOf: (tenantId: string) => RoadGraph | null;
  /** A vehicle's last committed position (where a changed route and a restart judge it). */
  lastPositionOf: (vehicleId: string) => { lng: number; lat: number; ts: number; speed: number | null; heading: number | null } | null;
  options: ProgressOptions;
}

/**
 * Route progress wired to the server: the stage's `observe` (committed positions → route events),
 * route changes (`reassigned`), the restart (`restore`), what dashboards are due to hear
 * (`due`, once per tick: only vehicles whose status, next stop, progress ≥ 1 % or ETA ≥ 30 s
 * changed since they were last told), and the route status answer (REST and socket query).
 * Each route's time profile follows its tenant's road graph (recomputed when the graph changes).
 */
export class RouteProgress {
  readonly tracker: ProgressTracker;
  private readonly touched = new Set<string>();
  private readonly told = new Map<string, VehicleRouteProgress | null>();

  constructor(private readonly deps: RouteProgressDeps) {
    this.tracker = new ProgressTracker(deps.options);
  }

  /** Vehicles now off their route (read when /metrics is scraped: a walk over the tracked vehicles). */
  get offRouteCount(): number {
    let n = 0;
    for (const state of this.tracker.values()) if (state.status === 'OFF_ROUTE') n++;
    return n;
  }

  /** The stage: committed positions (each vehicle's in order) → route events. */
  observe(fresh: readonly Position[]): NewEvent[] {
    if (this.tracker.size === 0) return [];
    for (const p of fresh) {
      const state = this.tracker.get(p.vehicleId);
      if (state) this.followGraph(state.track, p.tenantId);
    }
    return this.events(this.tracker.observe(fresh, this.touched), 'device');
  }

  /**
   * Vehicles whose route changed: each starts afresh on its new route (judged where it last was,
   * as the system, when `judge`; not while the routes load at start-up: `restore` does it); an
   * open deviation ends.
   */
  reassigned(vehicleIds: readonly string[], judge = true, now = Date.now()): NewEvent[] {
    const events: NewEvent[] = [];
    for (const vehicleId of vehicleIds) {
      const track = this.deps.routes.trackOf(vehicleId);
      const before = this.tracker.get(vehicleId);
      events.push(...this.events(this.tracker.assign(vehicleId, track, now), 'system', now));
      this.touched.add(vehicleId);
      const last = judge ? this.lastFixOf(vehicleId) : null;
      // The same line (e.g. only the route's name changed): the vehicle's state was kept.
      if (!track || !last || this.tracker.get(vehicleId) === before) continue;
      const tenantId = this.deps.tenantOf(vehicleId);
      if (tenantId) this.followGraph(track, tenantId);
      events.push(...this.events(this.tracker.observe([last]), 'system', now));
    }
    return events;
  }

  /**
   * Start-up, after the routes are loaded: each assigned vehicle's state from its last committed
   * position and what the log holds (open deviation, stops reached, completed), so a restart
   * raises nothing already raised. Returns the events that reconcile the log with the position.
   */
  restore(logStates: readonly RouteLogState[], now = Date.now()): NewEvent[] {
    const byVehicle = new Map(logStates.map((s) => [s.vehicleId, s]));
    const events: NewEvent[] = [];
    for (const state of [...this.tracker.values()]) {
      const log = byVehicle.get(state.vehicleId) ?? { deviatedSince: null, maxDeviationM: 0, stopsReached: 0, completed: false };
      const tenantId = this.deps.tenantOf(state.vehicleId);
      if (tenantId) this.followGraph(state.track, tenantId);
      events.push(...this.events(this.tracker.restore(state.vehicleId, state.track, this.lastFixOf(state.vehicleId), log), 'system', now));
      this.touched.add(state.vehicleId);
    }
    return events;
  }

  /** Progress of one vehicle as dashboards and REST see it, or null when it has no route. */
  progressOf(vehicleId: string): VehicleRouteProgress | null {
    const state = this.tracker.get(vehicleId);
    return state ? toDto(state) : null;
  }

  /** Once per tick: the vehicles dashboards should hear about (changed enough since last told). */
  due(): Array<{ vehicleId: string; progress: VehicleRouteProgress | null }> {
    const out: Array<{ vehicleId: string; progress: VehicleRouteProgress | null }> = [];
    for (const vehicleId of this.touched) {
      const now = this.progressOf(vehicleId);
      const before = this.told.get(vehicleId);
      if (before === undefined && now === null) continue;
      if (before && now && !significant(before, now)) continue;
      if (now) this.told.set(vehicleId, now);
      else this.told.delete(vehicleId);
      out.push({ vehicleId, progress: now });
    }
    this.touched.clear();
    return out;
  }

  /**
   * GET /api/v1/routes/:id/status and the `route_status` query: every assigned vehicle's
   * progress. `route` is the caller's tenant's route as stored (the caller found it: NOT_FOUND
   * otherwise).
   */
  status(principal: Principal, route: RouteDto): RouteStatusResponse {
    const vehicles: VehicleRouteProgress[] = [];
    for (const vehicleId of this.deps.routes.vehiclesOf(route.id)) {
      if (this.deps.tenantOf(vehicleId) !== principal.tenantId) continue;
      const p = this.progressOf(vehicleId);
      if (p) vehicles.push(p);
    }
    const track = this.deps.routes.route(route.id)?.track ?? new RouteTrack(route.id, route.geometry.coordinates, route.properties.stops);
    return {
      routeId: route.id,
      lengthM: route.properties.lengthM,
      stops: track.stops.map((s) => ({ index: s.index, name: s.name, position: [s.lng, s.lat], alongM: r1(s.alongM) })),
      vehicles,
    };
  }

  private lastFixOf(vehicleId: string): Fix | null {
    const last = this.deps.lastPositionOf(vehicleId);
    return last ? { vehicleId, lng: last.lng, lat: last.lat, ts: last.ts, speed: last.speed, heading: last.heading, accuracy: null } : null;
  }

  private followGraph(track: RouteTrack, tenantId: string): void {
    const graph = this.deps.graphOf(tenantId);
    if (!graph || track.timesFrom === graph) return;
    track.setSpeeds((lng, lat) => {
      const hit = snapToNetwork(graph, lng, lat, ROAD_SNAP_M);
      if (!hit) return null;
      const duration = graph.segDurationS[hit.segment]!;
      return duration > 0 ? graph.segLengthM[hit.segment]! / duration : null;
    }, graph);
  }

  private events(transitions: Parameters<typeof progressEvents>[0], cause: 'device' | 'system', now?: number): NewEvent[] {
    if (transitions.length === 0) return [];
    return progressEvents(transitions, { tenantOf: this.deps.tenantOf, routeNameOf: (id) => this.deps.routes.route(id)?.name, cause, now });
  }
}

function significant(before: VehicleRouteProgress, now: VehicleRouteProgress): boolean {
  return (
    before.routeId !== now.routeId ||
    before.status !== now.status ||
    before.nextStop?.index !== now.nextStop?.index ||
    Math.abs(before.progress - now.progress) >= PUBLISH_PROGRESS_STEP ||
    Math.abs(before.etaS - now.etaS) >= PUBLISH_ETA_STEP_S
  );
}

const r1 = (v: number) => Math.round(v * 10) / 10;

function toDto(state: VehicleProgress): VehicleRouteProgress {
  const p = progressOf(state);
  const judged = state.judgedTs > 1;
  const bearing = bearingOf(state);
  return {
    vehicleId: state.vehicleId,
    routeId: state.track.routeId,
    progress: Math.round(p.progress * 10_000) / 10_000,
    status: state.status,
    distanceFromRouteM: judged && Number.isFinite(state.distanceM) ? r1(state.distanceM) : null,
    remainingM: r1(p.remainingM),
    etaS: Math.round(p.etaS),
    nextStop: p.nextStop ? { index: p.nextStop.index, name: p.nextStop.name, remainingM: r1(p.nextStop.remainingM), etaS: Math.round(p.nextStop.etaS) } : null,
    snapped: judged ? { lng: state.snapLng, lat: state.snapLat } : null,
    bearing: bearing === null ? null : Math.round(bearing),
    at: judged ? state.lastTs : null,
  };
}
