import { z } from 'zod';

/**
 * Route progress: where each vehicle assigned to a route is along it, as REST
 * (`GET /api/v1/routes/:id/status`), the /fleet query `{type: "route_status", routeId}`, the
 * live `vehicle:route` event and fleet snapshots carry it.
 */

/**
 * IDLE: on the route, not moving, not started yet · IN_TRANSIT · STOPPED: on the route, still for
 * ROUTE_STOPPED_AFTER_S or more · OFF_ROUTE: farther than OFF_ROUTE_METERS (back within ¾ of it) ·
 * COMPLETED: reached the end.
 */
export const ROUTE_STATUSES = ['IDLE', 'IN_TRANSIT', 'STOPPED', 'OFF_ROUTE', 'COMPLETED'] as const;
export type RouteStatus = (typeof ROUTE_STATUSES)[number];

export interface NextStop {
  index: number;
  name: string;
  remainingM: number;
  etaS: number;
}

/** One vehicle's progress along its route. Distances in meters, times in seconds. */
export interface VehicleRouteProgress {
  vehicleId: string;
  routeId: string;
  /** 0–1 along the line. */
  progress: number;
  status: RouteStatus;
  /** Meters from the line at the last judged fix (null before the first one). */
  distanceFromRouteM: number | null;
  remainingM: number;
  /** To the end, from the road network's travel times at the vehicle's recent pace. */
  etaS: number;
  nextStop: NextStop | null;
  /** The nearest point of the route (where progress is measured), and the route's bearing there. */
  snapped: { lng: number; lat: number } | null;
  bearing: number | null;
  /** Position time of the last judged fix (epoch ms), null before the first. */
  at: number | null;
}

/** GET /api/v1/routes/:id/status and the `route_status` query's answer. */
export interface RouteStatusResponse {
  routeId: string;
  lengthM: number;
  stops: Array<{ index: number; name: string; position: [number, number]; alongM: number }>;
  vehicles: VehicleRouteProgress[];
}

/** The socket query on /fleet (server/route-plans/progress/socket-query.ts). */
export const routeStatusQuery = z
  .object({
    type: z.literal('route_status'),
    routeId: z.string({ error: 'must be a route id' }).uuid('must be a route id (uuid)'),
  })
  .strict();

/** A route's stop as stored (properties.stops): a name and [longitude, latitude]. */
export const MAX_ROUTE_STOPS = 200;
