import type { Prisma } from '../database';

/** What the log says of a vehicle on its current route since it was assigned (restart). */
export interface RouteLogState {
  vehicleId: string;
  /** When the open deviation began (a route.deviated not followed by route.rejoined), else null. */
  deviatedSince: number | null;
  maxDeviationM: number;
  /** Stops reached: the last route.stop_reached's index + 1. */
  stopsReached: number;
  completed: boolean;
}

/**
 * Per assigned vehicle: its latest deviation event and its latest stop/completion event on the
 * route it drives now, since it was assigned (recorded after the assignment; the aggregate index finds them).
 */
export async function routeLogStates(prisma: Prisma): Promise<RouteLogState[]> {
  const rows = await prisma.$queryRaw<Array<{ vehicleId: string; deviation: string | null; devAt: Date | null; devMeters: number | null; progress: string | null; stopIndex: number | null }>>`
    SELECT a.vehicle_id::text AS "vehicleId", d.type AS deviation, d.at AS "devAt", (d.data->>'deviationMeters')::float8 AS "devMeters",
           p.type AS progress, (p.data->>'stopIndex')::int AS "stopIndex"
    FROM route_assignments a
    LEFT JOIN LATERAL (
      SELECT e.type, e.at, e.data FROM domain_events e
      WHERE e.tenant_id = a.tenant_id AND e.aggregate_type = 'vehicle' AND e.aggregate_id = a.vehicle_id::text
        AND e.type IN ('route.deviated', 'route.rejoined') AND e.data->>'routeId' = a.route_id::text AND e.recorded_at >= a.assigned_at
      ORDER BY e.seq DESC LIMIT 1
    ) d ON true
    LEFT JOIN LATERAL (
      SELECT e.type, e.data FROM domain_events e
      WHERE e.tenant_id = a.tenant_id AND e.aggregate_type = 'vehicle' AND e.aggregate_id = a.vehicle_id::text
        AND e.type IN ('route.stop_reached', 'route.completed') AND e.data->>'routeId' = a.route_id::text AND e.recorded_at >= a.assigned_at
      ORDER BY e.seq DESC LIMIT 1
    ) p ON true`;
  return rows.map((r) => ({
    vehicleId: r.vehicleId,
    deviatedSince: r.deviation === 'route.deviated' && r.devAt ? r.devAt.getTime() : null,
    maxDeviationM: r.devMeters ?? 0,
    stopsReached: r.progress === 'route.stop_reached' && r.stopIndex !== null ? r.stopIndex + 1 : 0,
    completed: r.progress === 'route.completed',
  }));
}
