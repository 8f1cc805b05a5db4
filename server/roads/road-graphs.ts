/**
 * One routing graph per tenant, in memory. Built at start-up for every tenant that has a road
 * network (in the background, one tenant after another: building is CPU work, kept off the
 * ingest path and out of start-up's critical path), and again whenever a tenant's network
 * changes (`rebuild`, called by the import). A rebuild swaps the new graph in when it is ready;
 * until then routes use the previous one.
 */
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { routeQuery, type RouteResponse } from '../protocol/routing';
import { buildRoadGraph, graphBytes } from './graph/build';
import { DEFAULT_MAX_SNAP_M } from './graph/snap';
import type { RoadSegmentRow } from './graph/types';
import { RoadRouter, type RoutePoint } from './routing/route';

export interface RoadGraphInfo {
  tenantId: string;
  nodes: number;
  segments: number;
  arcs: number;
  /** Bytes of the graph's typed arrays, spatial index, landmarks and search state. */
  bytes: number;
  loadMs: number;
  /** Graph and landmarks. */
  buildMs: number;
  builtAt: Date;
}

export interface RoadGraphsDeps {
  /** A tenant's road segments (server/db/sql/road-graph.ts in production). */
  load: (tenantId: string) => Promise<RoadSegmentRow[]>;
  /** Tenants that have a road network. */
  tenants: () => Promise<string[]>;
  log: Logger;
  maxSnapM?: number;
}

export class RoadGraphs {
  private readonly ready = new Map<string, { router: RoadRouter; info: RoadGraphInfo }>();
  /** The latest build or rebuild per tenant; builds for one tenant run one after another. */
  private readonly building = new Map<string, Promise<RoadGraphInfo | null>>();
  private starting: Promise<void> | null = null;
  /** False from start() until the tenants with a network are known. */
  private listed = true;
  private readonly maxSnapM: number;

  constructor(private readonly deps: RoadGraphsDeps) {
    this.maxSnapM = deps.maxSnapM ?? DEFAULT_MAX_SNAP_M;
  }

  /** Builds every tenant's graph; resolves when all are built (failures are logged, not thrown). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      this.listed = false;
      let tenants: string[];
      try {
        tenants = await this.deps.tenants();
      } catch (err) {
        this.deps.log.error({ err }, 'road graphs: listing tenants with a road network failed');
        this.listed = true;
        return;
      }
      // Mark them all as building before the first build starts, so routes answer "building".
      const builds = tenants.map((tenantId) => this.rebuild(tenantId).catch(() => null));
      this.listed = true;
      await Promise.all(builds);
    })();
    return this.starting;
  }

  /**
   * Loads the tenant's segments and builds its graph anew; a tenant without segments loses its
   * graph. Resolves with what was built (null when nothing), rejects when loading fails (the
   * previous graph stays).
   */
  rebuild(tenantId: string): Promise<RoadGraphInfo | null> {
    const previous = this.building.get(tenantId) ?? Promise.resolve(null);
    const next = previous
      .catch(() => null)
      .then(() => this.build(tenantId))
      .finally(() => {
        if (this.building.get(tenantId) === next) this.building.delete(tenantId);
      });
    this.building.set(tenantId, next);
    return next;
  }

  /** Forgets a tenant's graph (its network was deleted). */
  drop(tenantId: string): void {
    this.ready.delete(tenantId);
  }

  info(tenantId: string): RoadGraphInfo | null {
    return this.ready.get(tenantId)?.info ?? null;
  }

  router(tenantId: string): RoadRouter | null {
    return this.ready.get(tenantId)?.router ?? null;
  }

  private async build(tenantId: string): Promise<RoadGraphInfo | null> {
    const { log } = this.deps;
    const t0 = performance.now();
    let rows: RoadSegmentRow[];
    try {
      rows = await this.deps.load(tenantId);
    } catch (err) {
      log.error({ err, tenantId }, 'road graph: loading segments failed');
      throw err;
    }
    const t1 = performance.now();
    if (rows.length === 0) {
      this.ready.delete(tenantId);
      log.info({ tenantId }, 'road graph: no road network');
      return null;
    }
    // Let pending I/O run before the synchronous build.
    await new Promise((resolve) => setImmediate(resolve));
    const t2 = performance.now();
    const { graph, report } = buildRoadGraph(rows);
    const router = new RoadRouter(graph);
    const buildMs = performance.now() - t2;
    const info: RoadGraphInfo = {
      tenantId,
      nodes: graph.nodeCount,
      segments: graph.segmentCount,
      arcs: graph.arcCount,
      bytes: graphBytes(graph) + router.bytes,
      loadMs: Math.round(t1 - t0),
      buildMs: Math.round(buildMs),
      builtAt: new Date(),
    };
    this.ready.set(tenantId, { router, info });
    log.info({ ...info, skipped: report.skippedNotDrivable + report.skippedDegenerate }, 'road graph built');
    return info;
  }

  /**
   * A route for the caller's tenant from a raw query (`from`, `to`, `via`, `optimize`). Any
   * role of the tenant may route. Errors: VALIDATION_ERROR for bad input or a point off the
   * network (field and details.point name it), NOT_FOUND without a road network or when no path
   * respects one-way streets (details.reason UNREACHABLE), UNAVAILABLE while the graph builds.
   */
  route(principal: Principal, input: unknown): RouteResponse {
    const q = parseOrThrow(routeQuery, input);
    const entry = this.ready.get(principal.tenantId);
    if (!entry) {
      if (!this.listed || this.building.has(principal.tenantId)) {
        throw new ApiError('UNAVAILABLE', 'the road network is being prepared for routing, retry shortly', undefined, { reason: 'ROAD_GRAPH_BUILDING' });
      }
      throw new ApiError('NOT_FOUND', 'this tenant has no road network: import one first', undefined, { reason: 'NO_ROAD_NETWORK' });
    }
    const points: RoutePoint[] = [
      { label: 'from', ...q.from },
      ...q.via.map((p, i) => ({ label: `via[${i}]`, ...p })),
      { label: 'to', ...q.to },
    ];
    const result = entry.router.route(points, { optimize: q.optimize, maxSnapM: this.maxSnapM });
    if (result.ok) return result.route;
    const error = result.error;
    if (error.code === 'OFF_NETWORK') {
      const field = error.point.startsWith('via') ? 'via' : error.point;
      throw new ApiError('VALIDATION_ERROR', error.message, field, {
        reason: 'OFF_NETWORK',
        point: error.point,
        maxSnapM: error.maxSnapM,
      });
    }
    throw new ApiError('NOT_FOUND', error.message, undefined, { reason: 'UNREACHABLE', from: error.from, to: error.to });
  }
}
