import { z } from 'zod';
import { recurrenceProblem } from '../dispatch/recurrence';
import { VEHICLE_TYPES } from './vehicles';

/**
 * Dispatch: the contract between the dispatch service (server/dispatch), REST
 * (`/api/v1/dispatch/…`), the dispatcher console (`/dispatch`) and the driver page. Three kinds
 * of request (service, emergency, scheduled), each scored against the tenant's vehicles by road
 * ETA and the weighted factors below; every decision is a `dispatch.*` domain event.
 */

export const REQUEST_KINDS = ['service', 'emergency', 'scheduled'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const PRIORITIES = ['low', 'normal', 'high', 'emergency'] as const;
export type Priority = (typeof PRIORITIES)[number];
/** Higher is served first. */
export const PRIORITY_RANK: Readonly<Record<Priority, number>> = { low: 0, normal: 1, high: 2, emergency: 3 };
/** The rank of a priority as stored (text); one not known ranks as normal. */
export const rankOf = (priority: string): number => PRIORITY_RANK[priority as Priority] ?? PRIORITY_RANK.normal;

export const EMERGENCY_TYPES = ['medical', 'fire', 'police', 'breakdown'] as const;
export type EmergencyType = (typeof EMERGENCY_TYPES)[number];

/**
 * Capabilities a request may require. A vehicle has one when its type is it (`truck`), when its
 * attributes list it (`attributes.capabilities: ["refrigerated"]`) or set it true
 * (`attributes.refrigerated: true`). Capacity is a number: `attributes.capacity`.
 */
export const CAPABILITIES = ['refrigerated', 'wheelchair', 'hazmat', 'lift', 'medical', 'fire', 'police', 'tow', 'passenger', 'cargo', ...VEHICLE_TYPES] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Where a request's status stands:
 * QUEUED (waiting for a decision) → OFFERED (to one vehicle's driver, until accepted, declined
 * or expired) → ASSIGNED (accepted: the trip exists); DEFERRED (no capable vehicle now: retried
 * at `retryAt` or when one frees up); REJECTED (can never be served); CANCELLED. A SCHEDULED
 * request waits (status QUEUED, `dispatchAt` in the future) until its time − lead time.
 */
export const REQUEST_STATUSES = ['QUEUED', 'OFFERED', 'ASSIGNED', 'DEFERRED', 'REJECTED', 'CANCELLED'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_STATUSES = ['QUEUED', 'OFFERED', 'DEFERRED'] as const satisfies readonly RequestStatus[];

// ── scoring ─────────────────────────────────────────────────────────────────────────────────

export const FACTORS = ['distance', 'efficiency', 'utilization', 'rating', 'capability', 'availability'] as const;
export type Factor = (typeof FACTORS)[number];
export type Weights = Record<Factor, number>;

const zero: Weights = { distance: 0, efficiency: 0, utilization: 0, rating: 0, capability: 0, availability: 0 };
/** The seed's defaults (Fleet Orchestration Engine): standard and emergency weights. */
export const DEFAULT_WEIGHTS: { standard: Weights; emergency: Weights } = {
  standard: { ...zero, distance: 0.3, efficiency: 0.25, utilization: 0.25, rating: 0.2 },
  emergency: { ...zero, distance: 0.4, capability: 0.4, availability: 0.2 },
};

const weight = z.number({ error: 'must be a number from 0 to 1' }).min(0, 'must be a number from 0 to 1').max(1, 'must be a number from 0 to 1');
const weightsSchema = z
  .object(Object.fromEntries(FACTORS.map((f) => [f, weight.default(0)])) as Record<Factor, z.ZodDefault<typeof weight>>)
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0');
/** `PUT /api/v1/dispatch/settings`: per-tenant weights (each set normalised to sum 1 when used). */
export const dispatchSettingsRequest = z.object({ standard: weightsSchema, emergency: weightsSchema }).strict();
export type DispatchSettings = z.output<typeof dispatchSettingsRequest>;

/** One vehicle judged for one request. Factors are 0–1 (1 best); `score` = Σ weight × factor. */
export interface CandidateDto {
  vehicleId: string;
  vehicleName: string;
  driverId: string | null;
  /** Road travel time to the pickup (s), null when not routed (excluded before routing). */
  etaS: number | null;
  /** Road distance to the pickup (m); null when not routed. */
  distanceM: number | null;
  /** Straight-line distance (m). */
  crowM: number | null;
  factors: Weights;
  score: number;
  /** Why the vehicle cannot take the request (then `score` is 0). */
  excludedBecause?: string;
}

// ── requests ────────────────────────────────────────────────────────────────────────────────

const BAD_LNG = 'must be a longitude (-180 to 180)';
const BAD_LAT = 'must be a latitude (-90 to 90)';
/**
 * A place: coordinates and the way they were chosen — an address search result or a click on the
 * map, never raw typed coordinates alone — with the label shown to people.
 */
export const dispatchPlace = z.object(
  {
    lng: z.number({ error: BAD_LNG }).finite().min(-180, BAD_LNG).max(180, BAD_LNG),
    lat: z.number({ error: BAD_LAT }).finite().min(-90, BAD_LAT).max(90, BAD_LAT),
    label: z.string({ error: 'must be a string' }).trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    source: z.enum(['address', 'map'], { error: 'must be "address" (from the address search) or "map" (a click on the map)' }),
  },
  { error: 'is required: an address from the search or a point picked on the map' },
);
export type DispatchPlace = z.infer<typeof dispatchPlace>;

const capabilityList = z
  .array(z.enum(CAPABILITIES, { error: `unknown capability; known: ${CAPABILITIES.join(', ')}` }), { error: 'must be a list of capabilities' })
  .max(10, 'at most 10 capabilities')
  .default([]);

const common = {
  serviceType: z.string({ error: 'is required (what the vehicle is needed for)' }).trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters'),
  location: dispatchPlace,
  dropoff: dispatchPlace.nullable().optional(),
  capabilities: capabilityList,
  capacity: z.number({ error: 'must be a whole number of seats or units' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').nullable().optional(),
  estimatedDurationMin: z.number({ error: 'must be minutes' }).int('must be whole minutes').min(1, 'must be at least 1').max(24 * 60, 'must be at most 1440').nullable().optional(),
  notes: z.string({ error: 'must be a string' }).trim().max(500, 'must be at most 500 characters').nullable().optional(),
};
const priority = z.enum(['low', 'normal', 'high'], { error: 'must be low, normal or high (emergencies are their own kind)' }).default('normal');

/** `POST /api/v1/dispatch/requests` */
export function createDispatchRequest(now: () => number = Date.now) {
  return z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('service'), priority, ...common }).strict(),
      z
        .object({
          kind: z.literal('emergency'),
          emergencyType: z.enum(EMERGENCY_TYPES, { error: `must be one of ${EMERGENCY_TYPES.join(', ')}` }),
          severity: z.number({ error: 'must be a whole number from 1 to 5' }).int('must be a whole number from 1 to 5').min(1, 'must be a whole number from 1 to 5').max(5, 'must be a whole number from 1 to 5'),
          ...common,
        })
        .strict(),
      z
        .object({
          kind: z.literal('scheduled'),
          priority,
          scheduledTime: z.iso
            .datetime({ offset: true, error: 'must be an ISO 8601 time such as 2026-12-08T09:00:00Z' })
            .refine((t) => Date.parse(t) > now(), 'must be in the future'),
          /** Minutes after scheduledTime the service may start (the service window). */
          windowMin: z.number({ error: 'must be minutes' }).int('must be whole minutes').min(0, 'must be at least 0').max(24 * 60, 'must be at most 1440').default(30),
          /** RFC 5545 RRULE (`FREQ=WEEKLY;BYDAY=MO,WE`): the next occurrence is queued when this one is due. */
          recurrence: z
            .string({ error: 'must be an RRULE string' })
            .trim()
            .max(500, 'must be at most 500 characters')
            .superRefine((rule, ctx) => {
              const problem = recurrenceProblem(rule);
              if (problem) ctx.addIssue({ code: 'custom', message: problem });
            })
            .nullable()
            .optional(),
          ...common,
        })
        .strict(),
    ],
    { error: 'must be service, emergency or scheduled' },
  );
}
export type CreateDispatchRequest = z.output<ReturnType<typeof createDispatchRequest>>;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** `GET /api/v1/dispatch/requests?status=QUEUED,OFFERED&open=true&limit=` */
export const listDispatchQuery = z
  .object({
    status: z.preprocess(
      (v) => (typeof blank(v) === 'string' ? String(v).split(',').map((s) => s.trim()).filter(Boolean) : blank(v)),
      z.array(z.enum(REQUEST_STATUSES, { error: `must be a comma list of ${REQUEST_STATUSES.join(', ')}` })).optional(),
    ),
    open: z.preprocess(blank, z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional()),
    limit: z.preprocess(
      (v) => (typeof blank(v) === 'string' ? Number(v) : blank(v)),
      z.number({ error: 'must be an integer from 1 to 500' }).int('must be an integer from 1 to 500').min(1, 'must be an integer from 1 to 500').max(500, 'must be an integer from 1 to 500').default(100),
    ),
  })
  .strict();

/** `POST …/:id/assign` — a dispatcher's choice; differing from the recommendation is an audited override. */
export const assignDispatchRequest = z.object({ vehicleId: z.uuid({ error: 'must be a vehicle id (uuid)' }), reason: z.string().trim().max(300).optional() }).strict();
/** `POST …/:id/cancel` */
export const cancelDispatchRequest = z.object({ reason: z.string({ error: 'must be a string' }).trim().max(300, 'must be at most 300 characters').optional() }).strict();
/** `POST …/:id/decline` (the offered driver) */
export const declineDispatchRequest = z.object({ reason: z.string({ error: 'must be a string' }).trim().max(300, 'must be at most 300 characters').optional() }).strict();

export interface DispatchRequestDto {
  id: string;
  kind: RequestKind;
  priority: Priority;
  status: RequestStatus;
  serviceType: string;
  emergencyType: EmergencyType | null;
  severity: number | null;
  location: DispatchPlace;
  dropoff: DispatchPlace | null;
  capabilities: Capability[];
  capacity: number | null;
  estimatedDurationMin: number | null;
  notes: string | null;
  scheduledTime: string | null;
  windowMin: number | null;
  /** RFC 5545 RRULE of a recurring scheduled request, null otherwise. */
  recurrence: string | null;
  /** When the request becomes due for a decision (scheduled: scheduledTime − lead time). */
  dispatchAt: string;
  vehicleId: string | null;
  vehicleName: string | null;
  tripId: string | null;
  offerExpiresAt: string | null;
  /** The last decision: ETA, road distance, score and the route, or the reason it was deferred. */
  etaS: number | null;
  distanceM: number | null;
  score: number | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  reason: string | null;
  retryAt: string | null;
  declinedVehicleIds: string[];
  attempts: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Socket event names of dispatch (shared with the console and the driver page). */
export const DISPATCH_EVENTS = {
  /** /fleet, to the tenant's dashboards: a request changed (DispatchRequestDto). */
  update: 'dispatch:update',
  /** /driver, to the offered vehicle's driver: an offer (DispatchOfferDto). */
  offer: 'dispatch:offer',
  /** /driver: an offer is no longer open ({requestId}). */
  withdrawn: 'dispatch:withdrawn',
} as const;

/** Driver-side status of a vehicle (dispatch availability). */
export const DRIVER_STATUSES = ['ONLINE', 'BUSY', 'ON_TRIP', 'OFFLINE'] as const;
export type DriverStatus = (typeof DRIVER_STATUSES)[number];

/** `GET /api/v1/dispatch/availability`: one vehicle's driver status. */
export interface VehicleAvailabilityDto {
  vehicleId: string;
  driverId: string | null;
  status: DriverStatus;
}

/** `dispatch:offer` on the /driver namespace: what the driver's phone shows. */
export interface DispatchOfferDto {
  requestId: string;
  kind: RequestKind;
  priority: Priority;
  serviceType: string;
  location: DispatchPlace;
  dropoff: DispatchPlace | null;
  etaS: number | null;
  distanceM: number | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  expiresAt: string;
  notes: string | null;
}
