import { z } from 'zod';
import { position } from './geofences';
import { MAX_ROUTE_STOPS } from './route-progress';

/**
 * Routes over REST (`/api/v1/routes`): a GeoJSON Feature whose geometry is a LineString
 * (RFC 7946 positions, [longitude, latitude]). Checks here are structural; PostGIS then decides
 * validity (e.g. a line whose positions are all the same point) and answers INVALID_GEOMETRY.
 */

export const MAX_ROUTE_POSITIONS = 10_000;
export const MAX_ROUTE_VEHICLES = 1_000;
export const DEFAULT_ROUTE_COLOR = '#2563eb';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const routeGeometry = z.object(
  {
    type: z.literal('LineString', { error: 'must be "LineString" (a route is one line)' }),
    coordinates: z
      .array(position, { error: 'must be an array of positions [longitude, latitude]' })
      .min(2, 'must hold at least 2 positions')
      .max(MAX_ROUTE_POSITIONS, `may hold at most ${MAX_ROUTE_POSITIONS} positions`),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a GeoJSON LineString') },
);
export type RouteGeometryInput = z.output<typeof routeGeometry>;

export const routeProperties = z.object(
  {
    name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
    color: z
      .string({ error: 'must be a color such as #2563eb' })
      .trim()
      .regex(/^#[0-9a-fA-F]{6}$/, 'must be a color such as #2563eb')
      .transform((c) => c.toLowerCase())
      .default(DEFAULT_ROUTE_COLOR),
    /**
     * Free-form JSON (e.g. the source file's name or a GPX track's description). Read by route
     * progress: `deviationAlert: false` raises no route_deviation alert for this route, a number
     * raises one only beyond that many meters off it.
     */
    attributes: z.record(z.string(), z.unknown(), { error: 'must be an object' }).default({}),
    /** Stops in driving order: progress reports the next one and its ETA, and `route.stop_reached`. */
    stops: z
      .array(
        z.object({ name: z.string({ error: 'must be a string' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'), position }, { error: 'must be {name, position: [longitude, latitude]}' }),
        { error: 'must be an array of {name, position}' },
      )
      .max(MAX_ROUTE_STOPS, `may hold at most ${MAX_ROUTE_STOPS} stops`)
      .default([]),
  },
  { error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object') },
);
export type RouteInputProperties = z.output<typeof routeProperties>;

/** POST /api/v1/routes and PUT /api/v1/routes/:id: a GeoJSON Feature (unknown properties such as `lengthM` are ignored). */
export const routeFeature = z.object(
  {
    type: z.literal('Feature', { error: 'must be "Feature"' }),
    geometry: routeGeometry,
    properties: routeProperties,
  },
  { error: 'must be a GeoJSON Feature object' },
);
export type RouteInput = z.output<typeof routeFeature>;


/** PUT /api/v1/routes/:id/vehicles: the vehicles that drive this route (replaces the set; [] unassigns all). */
export const routeVehicles = z.object(
  {
    vehicleIds: z
      .array(z.string({ error: 'must be a vehicle id' }).regex(UUID, 'must be a vehicle id (uuid)').transform((s) => s.toLowerCase()), {
        error: 'must be an array of vehicle ids',
      })
      .max(MAX_ROUTE_VEHICLES, `may hold at most ${MAX_ROUTE_VEHICLES} vehicles`)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a vehicle'),
  },
  { error: 'must be a JSON object {vehicleIds: [...]}' },
);

export interface RouteProperties extends RouteInputProperties {
  /** Length in meters on the WGS 84 spheroid (PostGIS ST_Length on geography). */
  lengthM: number;
  /** Vehicles assigned to this route (a vehicle drives at most one route). */
  vehicleIds: string[];
  createdAt: string;
  updatedAt: string;
}

/** A route as REST and the `route:changed` event return it. */
export interface RouteDto {
  type: 'Feature';
  id: string;
  geometry: { type: 'LineString'; coordinates: Array<[number, number]> };
  properties: RouteProperties;
}

/** Socket.IO events on /fleet for route changes (tenant's dashboards and editors). */
export const ROUTE_EVENTS = { changed: 'route:changed', removed: 'route:removed' } as const;
