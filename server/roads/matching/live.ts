/**
 * Map matching on the ingest path: every committed position of a tenant with a road graph is fed
 * to its vehicle's track; the latest match per vehicle stays in memory for speeding (posted
 * limits) and whoever shows the vehicle's street. A stage without events of its own (yet).
 *
 * The latest match is the newest fix's provisional answer (its best path so far), not the
 * committed one a few fixes later: speeding judges each position as it arrives. A tenant's
 * rebuilt graph starts its vehicles' tracks anew.
 */
import type { MatchedRoad } from '../../alerts/speed';
import type { VehicleLive } from '../../protocol/fleet';
import type { Position } from '../../protocol/position';
import type { RoadGraph } from '../graph/build';
import { pointAt } from './candidates';
import { MapMatcher, MatchTrack } from './matcher';
import { roadInfo, type RoadInfo } from './trace';

export interface LatestMatch extends RoadInfo {
  /** Graph segment index (valid for `graph`). */
  segment: number;
  lng: number;
  lat: number;
  /** Time of the matched position (epoch ms). */
  at: number;
}

interface VehicleMatching {
  graph: RoadGraph;
  track: MatchTrack;
  at: number;
  /** The last segment asked about, and its road (allocated once per segment change). */
  roadSeg: number;
  road: MatchedRoad | null;
}

const matchers = new WeakMap<RoadGraph, MapMatcher>();

/** The one matcher (search state) of a graph, shared by live and offline matching (one runs at a time). */
export function matcherFor(graph: RoadGraph): MapMatcher {
  let m = matchers.get(graph);
  if (!m) {
    m = new MapMatcher(graph);
    matchers.set(graph, m);
  }
  return m;
}

export class LiveMapMatching {
  private readonly vehicles = new Map<string, VehicleMatching>();
  /** Positions matched, and milliseconds spent (for logs and benchmarks). */
  positions = 0;
  ms = 0;

  constructor(private readonly graphOf: (tenantId: string) => RoadGraph | null) {}

  /** A committed batch (each vehicle's positions in order). */
  observe(fresh: readonly Position[]): void {
    const t0 = performance.now();
    let count = 0;
    let lastTenant = '';
    let graph: RoadGraph | null = null;
    let matcher: MapMatcher | null = null;
    for (const p of fresh) {
      if (p.tenantId !== lastTenant) {
        lastTenant = p.tenantId;
        graph = this.graphOf(p.tenantId);
        matcher = graph ? matcherFor(graph) : null;
      }
      if (!graph || !matcher) continue;
      let v = this.vehicles.get(p.vehicleId);
      if (!v || v.graph !== graph) {
        v = { graph, track: new MatchTrack(), at: 0, roadSeg: -1, road: null };
        this.vehicles.set(p.vehicleId, v);
      }
      matcher.push(v.track, 0, p.lng, p.lat, p.ts, p.speed, p.accuracy, null, p.heading);
      v.at = Math.max(v.at, p.ts);
      count++;
    }
    if (count > 0) {
      this.positions += count;
      this.ms += performance.now() - t0;
    }
  }

  /**
   * The road of the vehicle's latest matched position, or null (unmatched, no network, or the
   * first fix of a track: the nearest road alone is not evidence enough to judge a speed by).
   */
  roadOf(vehicleId: string): MatchedRoad | null {
    const v = this.vehicles.get(vehicleId);
    if (!v || v.track.headSeg < 0 || v.track.steps < 2) return null;
    const s = v.track.headSeg;
    if (s !== v.roadSeg) {
      v.roadSeg = s;
      v.road = roadInfo(v.graph, s);
    }
    return v.road;
  }

  /** The vehicle's latest match with its point on the road, or null. */
  latest(vehicleId: string): LatestMatch | null {
    const v = this.vehicles.get(vehicleId);
    if (!v || v.track.headSeg < 0) return null;
    const pt = pointAt(v.graph, v.track.headSeg, v.track.headFrac, new Float64Array(4));
    return { segment: v.track.headSeg, lng: pt[2]!, lat: pt[3]!, at: v.at, ...roadInfo(v.graph, v.track.headSeg) };
  }

  /**
   * After a restart: rebuilds the vehicles' tracks from their last committed positions (each
   * vehicle's in time order, a few per vehicle are enough: the window is short), as if they had
   * just been observed, without counting them in `positions` / `ms`. Tracks already held for
   * those vehicles start anew.
   */
  restore(positions: readonly Position[]): void {
    for (const p of positions) this.vehicles.delete(p.vehicleId);
    const { positions: count, ms } = this;
    this.observe(positions);
    this.positions = count;
    this.ms = ms;
  }

  /**
   * Once the graphs are built after a start: each vehicle not tracked yet resumes from its last
   * committed fix (the live state), so its road is known and its next fix is judged as a step.
   */
  resume(vehicles: Iterable<{ tenantId: string; live: VehicleLive | null }>): void {
    const last: Position[] = [];
    for (const { tenantId, live } of vehicles) {
      if (!live || this.vehicles.has(live.id)) continue;
      last.push({ tenantId, vehicleId: live.id, lng: live.lng, lat: live.lat, ts: live.ts, speed: live.speed, heading: live.heading, accuracy: null, altitude: null, battery: live.battery, attributes: null });
    }
    this.restore(last);
  }

  forget(vehicleId: string): void {
    this.vehicles.delete(vehicleId);
  }

  get tracked(): number {
    return this.vehicles.size;
  }
}
