import { z } from 'zod';

/**
 * Trips: the contract between the trip service (server/trips), REST (`/api/v1/trips`,
 * `/api/v1/track/:token`), dashboards and the driver page (live `trip:update` on /fleet), and
 * the public rider page (`/track/:token`). Times are ISO 8601, distances meters, durations seconds.
 */

export const TRIP_STATUSES = ['PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type TripStatus = (typeof TRIP_STATUSES)[number];

/** The happy path, in order (CANCELLED is off it). */
export const TRIP_FLOW = ['PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED'] as const satisfies readonly TripStatus[];

/** States a trip never leaves. */
export const FINAL_TRIP_STATUSES = ['COMPLETED', 'CANCELLED'] as const satisfies readonly TripStatus[];

/**
 * Allowed next states of each state: one step along the flow, or CANCELLED from any non-final
 * state. Everything else is refused with 409 CONFLICT naming these.
 */
export const TRIP_TRANSITIONS: Readonly<Record<TripStatus, readonly TripStatus[]>> = {
  PENDING: ['EN_ROUTE', 'CANCELLED'],
  EN_ROUTE: ['ARRIVED', 'CANCELLED'],
  ARRIVED: ['IN_PROGRESS', 'CANCELLED'],
  IN_PROGRESS: ['COMPLETED', 'CANCELLED'],
  COMPLETED: [],
  CANCELLED: [],
};

export const isFinalTripStatus = (s: TripStatus): boolean => (FINAL_TRIP_STATUSES as readonly TripStatus[]).includes(s);

/** Human labels for buttons and steppers. */
export const TRIP_STATUS_LABELS: Readonly<Record<TripStatus, string>> = {
  PENDING: 'Pending',
  EN_ROUTE: 'En route',
  ARRIVED: 'Arrived',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

export const MAX_TRIPS_LIMIT = 1000;
export const DEFAULT_TRIPS_LIMIT = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = z
  .string({ error: 'must be a uuid' })
  .regex(UUID, 'must be a uuid')
  .transform((s) => s.toLowerCase());

const statusSchema = z.enum(TRIP_STATUSES, { error: `must be one of ${TRIP_STATUSES.join(', ')}` });

/** A pickup or dropoff point: WGS 84 coordinates and an optional label (an address, a gate). */
export const tripPoint = z
  .object(
    {
      lng: z.number({ error: 'must be a longitude (-180 to 180)' }).finite().min(-180, 'must be a longitude (-180 to 180)').max(180, 'must be a longitude (-180 to 180)'),
      lat: z.number({ error: 'must be a latitude (-90 to 90)' }).finite().min(-90, 'must be a latitude (-90 to 90)').max(90, 'must be a latitude (-90 to 90)'),
      label: z.string({ error: 'must be a string' }).trim().max(200, 'must be at most 200 characters').nullable().optional(),
    },
    { error: 'must be a point {lng, lat, label?}' },
  )
  .strict();
export type TripPointInput = z.infer<typeof tripPoint>;

/**
 * POST /api/v1/trips (admin, manager). `driverId` defaults to the vehicle's assigned driver
 * (vehicles.driver_id); one of them must name a driver user of the tenant. `routeId` is kept
 * as given (the route capability checks it).
 */
export const createTripRequest = z
  .object({
    vehicleId: uuid,
    driverId: uuid.nullable().optional(),
    pickup: tripPoint,
    dropoff: tripPoint,
    routeId: uuid.nullable().optional(),
  })
  .strict();
export type CreateTripRequest = z.infer<typeof createTripRequest>;

/** POST /api/v1/trips/:id/status — move the trip to `status` (one of TRIP_TRANSITIONS[current]). */
export const tripStatusRequest = z.object({ status: statusSchema }).strict();
export type TripStatusRequest = z.infer<typeof tripStatusRequest>;

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * GET /api/v1/trips?status=&vehicleId=&driverId=&active=&limit= — `status` one or several
 * (comma-separated), `active=true` non-final trips only (`false`: final only). Newest first.
 */
export const listTripsQuery = z.object({
  status: z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === 'string' ? b.split(',').map((s) => s.trim().toUpperCase()) : b;
    },
    z.array(statusSchema).min(1).optional(),
  ),
  vehicleId: z.preprocess(blankToUndefined, uuid.optional()),
  driverId: z.preprocess(blankToUndefined, uuid.optional()),
  active: z.preprocess(
    blankToUndefined,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((v) => v === 'true')
      .optional(),
  ),
  limit: z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : b;
    },
    z
      .number({ error: `must be an integer from 1 to ${MAX_TRIPS_LIMIT}` })
      .int(`must be an integer from 1 to ${MAX_TRIPS_LIMIT}`)
      .min(1, `must be an integer from 1 to ${MAX_TRIPS_LIMIT}`)
      .max(MAX_TRIPS_LIMIT, `must be an integer from 1 to ${MAX_TRIPS_LIMIT}`)
      .default(DEFAULT_TRIPS_LIMIT),
  ),
});
export type ListTripsQuery = z.output<typeof listTripsQuery>;

export interface TripPoint {
  lng: number;
  lat: number;
  label: string | null;
}

/** The public link of a trip (admins and managers only). */
export interface TripShare {
  token: string;
  /** Path of the rider page, `/track/<token>`; prefix it with the site's origin. */
  path: string;
  /** Null while the trip is active: the link lasts as long as the trip, then a grace period. */
  expiresAt: string | null;
}

/** One trip as REST and the live `trip:update` event carry it. */
export interface TripDto {
  id: string;
  vehicleId: string;
  vehicleName: string;
  driverId: string;
  driverName: string;
  pickup: TripPoint;
  dropoff: TripPoint;
  routeId: string | null;
  status: TripStatus;
  /** States the trip may move to next (empty once final). */
  allowedNext: TripStatus[];
  /** When the trip entered each state (PENDING = creation); null when not (yet) reached. */
  timestamps: Record<TripStatus, string | null>;
  /** Meters driven between EN_ROUTE (or creation) and COMPLETED, from the vehicle's positions (PostGIS). Null until completed. */
  distanceM: number | null;
  /** Seconds from the first state after PENDING to COMPLETED. Null until completed. */
  durationS: number | null;
  /** Present for admins and managers only. */
  share?: TripShare;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TripListResult {
  trips: TripDto[];
  /** More trips matched than `limit`. */
  truncated: boolean;
}

/** `details` of the 409 CONFLICT answered to a refused transition. */
export interface TripConflictDetails {
  from: TripStatus;
  to: TripStatus;
  allowed: TripStatus[];
}

/** GET /api/v1/track/:token — what the public rider page sees (no ids, no people). */
export interface TrackDto {
  status: TripStatus;
  timestamps: Record<TripStatus, string | null>;
  pickup: TripPoint;
  dropoff: TripPoint;
  vehicle: {
    name: string;
    plate: string | null;
    /** Last known position (live state); null before the first one. */
    position: { lng: number; lat: number; speed: number | null; heading: number | null; ts: string } | null;
  };
  /**
   * Estimate to the next point: pickup before ARRIVED, dropoff before COMPLETED; null when final
   * or unknown (no position or no recent movement). Straight-line distance / recent speed.
   */
  eta: { target: 'pickup' | 'dropoff'; distanceM: number; seconds: number; at: string } | null;
  distanceM: number | null;
  durationS: number | null;
  /** When the link stops working; null while the trip is active. */
  expiresAt: string | null;
  updatedAt: string;
}

/** Socket.IO on /fleet: `subscribe {scope: "trip", id}` (see subscribeRequest) and these events. */
export const TRIP_EVENTS = {
  /** A trip was created or changed state: TripDto. To the tenant's dashboards and the trip's subscribers. */
  update: 'trip:update',
} as const;
