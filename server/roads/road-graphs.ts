/**
 * One routing graph per tenant, in memory, built and rebuilt as ./per-tenant.ts describes.
 */
import type { Principal } from '../auth/tokens';
import type { Logger } from '../log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { routeQuery, type RouteResponse } from '../protocol/routing';
import { buildRoadGraph, graphBytes, type RoadGraph } from './graph/build';
import { DEFAULT_MAX_SNAP_M } from './graph/snap';
import type { RoadSegmentRow } from './graph/types';
import { PerTenant, yieldToIo, type Built } from './per-tenant';
import { RoadRouter, type RoutePoint } from './routing/route';

export interface RoadGraphInfo {
  tenantId: string;
  nodes: number;
  segments: number;
  arcs: number;
  /** Segments left out (not drivable, degenerate). */
  skipped: number;
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
  private readonly graphs: PerTenant<RoadRouter, RoadGraphInfo>;
  private readonly maxSnapM: number;

  constructor(private readonly deps: RoadGraphsDeps) {
    this.maxSnapM = deps.maxSnapM ?? DEFAULT_MAX_SNAP_M;
    this.graphs = new PerTenant({
      what: 'road graph',
      tenants: deps.tenants,
      build: (tenantId) => this.build(tenantId),
      log: deps.log,
      building: { message: 'the road network is being prepared for routing, retry shortly', reason: 'ROAD_GRAPH_BUILDING' },
    });
  }

  /** Builds every tenant's graph; resolves when all are built (failures are logged, not thrown). */
  start(): Promise<void> {
    return this.graphs.start();
  }

  /**
   * Loads the tenant's segments and builds its graph anew; a tenant without segments loses its
   * graph. Resolves with what was built (null when nothing), rejects when loading fails (the
   * previous graph stays).
   */
  rebuild(tenantId: string): Promise<RoadGraphInfo | null> {
    return this.graphs.rebuild(tenantId);
  }

  /** Forgets a tenant's graph (its network was deleted). */
  drop(tenantId: string): void {
    this.graphs.drop(tenantId);
  }

  info(tenantId: string): RoadGraphInfo | null {
    return this.graphs.get(tenantId)?.info ?? null;
  }

  /** The tenant's graph for a request: UNAVAILABLE while it builds, NOT_FOUND without a road network. */
  requireGraph(tenantId: string): RoadGraph {
    return this.graphs.require(tenantId).graph;
  }

  router(tenantId: string): RoadRouter | null {
    return this.graphs.get(tenantId)?.value ?? null;
  }

  private async build(tenantId: string): Promise<Built<RoadRouter, RoadGraphInfo> | null> {
    const t0 = performance.now();
    const rows = await this.deps.load(tenantId);
    const t1 = performance.now();
    if (rows.length === 0) return null;
    await yieldToIo();
    const t2 = performance.now();
    const { graph, report } = buildRoadGraph(rows);
    const router = new RoadRouter(graph);
    const info: RoadGraphInfo = {
      tenantId,
      nodes: graph.nodeCount,
      segments: graph.segmentCount,
      arcs: graph.arcCount,
      skipped: report.skippedNotDrivable + report.skippedDegenerate,
      bytes: graphBytes(graph) + router.bytes,
      loadMs: Math.round(t1 - t0),
      buildMs: Math.round(performance.now() - t2),
      builtAt: new Date(),
    };
    return { value: router, info };
  }

  /**
   * A route for the caller's tenant from a raw query (`from`, `to`, `via`, `optimize`). Any
   * role of the tenant may route. Errors: VALIDATION_ERROR for bad input or a point off the
   * network (field and details.point name it), NOT_FOUND without a road network or when no path
   * respects one-way streets (details.reason UNREACHABLE), UNAVAILABLE while the graph builds.
   */
  route(principal: Principal, input: unknown): RouteResponse {
    const q = parseOrThrow(routeQuery, input);
    const router = this.graphs.require(principal.tenantId);
    const points: RoutePoint[] = [
      { label: 'from', ...q.from },
      ...q.via.map((p, i) => ({ label: `via[${i}]`, ...p })),
      { label: 'to', ...q.to },
    ];
    const result = router.route(points, { optimize: q.optimize, maxSnapM: this.maxSnapM });
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
