/**
 * Domain events: the one envelope every event of the server travels in — appended to the durable
 * log (`domain_events`), then published on the bus to dashboards, webhooks, the SSE stream and
 * the activity page. One zod schema per event type: the catalogue (docs/events.md) is this file.
 * Positions are not events (they live in position history); what positions cause is.
 */
import { z } from 'zod';
import { collisionEventData, harshEventData, idleEventData, speedingEventData } from './driving';

// ── building blocks ─────────────────────────────────────────────────────────────────────────

/** Who caused an event: a person, a device (through its vehicle) or the server itself. */
export const actorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: z.string(), name: z.string().optional() }),
  z.object({ kind: z.literal('device'), vehicleId: z.string() }),
  z.object({ kind: z.literal('system') }),
]);
export type Actor = z.infer<typeof actorSchema>;
export const SYSTEM: Actor = { kind: 'system' };

/** What one person's change did to one field. */
const change = z.object({ before: z.unknown(), after: z.unknown() });
/** Field name → before/after; only the fields that changed. */
export const changeSetSchema = z.record(z.string(), change);
export type ChangeSet = z.infer<typeof changeSetSchema>;

const record = z.record(z.string(), z.unknown());
const point = z.object({ lng: z.number(), lat: z.number() });

/** `<x>.created`: the object as created. */
const created = z.object({ name: z.string().optional(), after: record });
/** `<x>.updated` / `.changed`: the fields that changed. */
const updated = z.object({ name: z.string().optional(), changes: changeSetSchema });
/** `<x>.deleted`: the object as it was. */
const deleted = z.object({ name: z.string().optional(), before: record });

const fenceCrossing = z.object({
  geofenceId: z.string(),
  geofenceName: z.string().optional(),
  vehicleId: z.string(),
  position: point.extend({ speed: z.number().nullable().optional(), heading: z.number().nullable().optional() }),
});

// ── the catalogue ───────────────────────────────────────────────────────────────────────────

/** Every event type with the schema of its `data` and the kind of aggregate it belongs to. */
export const EVENT_CATALOGUE = {
  'vehicle.created': { aggregate: 'vehicle', data: created },
  'vehicle.updated': { aggregate: 'vehicle', data: updated },
  'vehicle.deleted': { aggregate: 'vehicle', data: deleted },
  'vehicle.went_offline': {
    aggregate: 'vehicle',
    data: z.object({ name: z.string(), lastSeenAt: z.string(), lastPositionAt: z.string().nullable(), position: point.nullable() }),
  },
  'driving.harsh_brake': { aggregate: 'vehicle', data: harshEventData },
  'driving.harsh_acceleration': { aggregate: 'vehicle', data: harshEventData },
  'driving.harsh_corner': { aggregate: 'vehicle', data: harshEventData },
  'driving.speeding': { aggregate: 'vehicle', data: speedingEventData },
  'driving.idle': { aggregate: 'vehicle', data: idleEventData },
  'driving.possible_collision': { aggregate: 'vehicle', data: collisionEventData },
  'geofence.entered': { aggregate: 'vehicle', data: fenceCrossing },
  'geofence.exited': { aggregate: 'vehicle', data: fenceCrossing },
  'geofence.crossed': { aggregate: 'vehicle', data: fenceCrossing },
  'geofence.predicted': { aggregate: 'vehicle', data: fenceCrossing.extend({ etaSeconds: z.number(), confidence: z.number() }) },
  'geofence.created': { aggregate: 'geofence', data: created },
  'geofence.changed': { aggregate: 'geofence', data: updated },
  'geofence.deleted': { aggregate: 'geofence', data: deleted },
  'alert.raised': {
    aggregate: 'alert',
    data: z.object({ alertType: z.string(), severity: z.string(), message: z.string(), vehicleId: z.string().nullable(), geofenceId: z.string().nullable(), details: record }),
  },
  'alert.read': { aggregate: 'alert', data: z.object({}) },
  'alert.acknowledged': { aggregate: 'alert', data: z.object({}) },
  'alert.deleted': { aggregate: 'alert', data: z.object({ reason: z.enum(['user', 'expired']) }) },
  'alert.restored': { aggregate: 'alert', data: z.object({}) },
  'alert_rules.changed': { aggregate: 'tenant', data: updated },
  'alert_snooze.created': {
    aggregate: 'tenant',
    data: z.object({ snoozeId: z.string(), geofenceId: z.string().nullable(), alertType: z.string().nullable(), until: z.string() }),
  },
  'alert_snooze.deleted': { aggregate: 'tenant', data: z.object({ snoozeId: z.string() }) },
  'trip.created': { aggregate: 'trip', data: created },
  'trip.status_changed': { aggregate: 'trip', data: z.object({ from: z.string().nullable(), to: z.string(), vehicleId: z.string().nullable() }) },
  'trip.deleted': { aggregate: 'trip', data: deleted },
  'route.created': { aggregate: 'route', data: created },
  'route.changed': { aggregate: 'route', data: updated },
  'route.deleted': { aggregate: 'route', data: deleted },
  // A vehicle on its assigned route (aggregate: the vehicle; server/route-plans/progress).
  'route.deviated': {
    aggregate: 'vehicle',
    data: z.object({ routeId: z.string(), routeName: z.string().optional(), deviationMeters: z.number(), position: point, alongM: z.number(), leftAt: point }),
  },
  'route.rejoined': {
    aggregate: 'vehicle',
    data: z.object({
      routeId: z.string(),
      routeName: z.string().optional(),
      distanceMeters: z.number(),
      position: point,
      alongM: z.number(),
      offForSeconds: z.number(),
      maxDeviationMeters: z.number(),
      reason: z.enum(['back_on_route', 'route_changed']),
    }),
  },
  'route.completed': { aggregate: 'vehicle', data: z.object({ routeId: z.string(), routeName: z.string().optional(), position: point, lengthM: z.number() }) },
  'route.stop_reached': {
    aggregate: 'vehicle',
    data: z.object({ routeId: z.string(), routeName: z.string().optional(), stopIndex: z.number(), stopName: z.string(), position: point, alongM: z.number() }),
  },
  'reception.changed': { aggregate: 'tenant', data: z.object({ vehicleId: z.string().optional(), enabled: z.boolean() }) },
  'tenant.updated': { aggregate: 'tenant', data: updated },
  'road_network.imported': {
    aggregate: 'tenant',
    data: z.object({
      source: z.string(),
      format: z.enum(['pbf', 'xml', 'geojson']),
      ways: z.number(),
      segments: z.number(),
      features: z.number(),
      addresses: z.number(),
      km: z.number(),
      bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    }),
  },
  'user.created': { aggregate: 'user', data: created },
  'user.updated': { aggregate: 'user', data: updated },
  'webhook.created': { aggregate: 'webhook', data: created },
  'webhook.updated': { aggregate: 'webhook', data: updated },
  'webhook.deleted': { aggregate: 'webhook', data: deleted },
  'webhook.disabled': { aggregate: 'webhook', data: z.object({ reason: z.string() }) },
  // Admin console (docs/admin.md): secrets never enter the log, only that they changed.
  'vehicle.token_rotated': { aggregate: 'vehicle', data: z.object({ name: z.string() }) },
  'user.password_reset': { aggregate: 'user', data: z.object({ name: z.string() }) },
  // Dispatch decisions (server/dispatch, docs/dispatch.md); aggregate: the request.
  'dispatch.requested': {
    aggregate: 'dispatch',
    data: z.object({
      kind: z.string(),
      priority: z.string(),
      serviceType: z.string(),
      location: point.extend({ label: z.string() }),
      capabilities: z.array(z.string()),
      emergencyType: z.string().nullable(),
      severity: z.number().nullable(),
      scheduledTime: z.string().nullable(),
    }),
  },
  'dispatch.assigned': {
    aggregate: 'dispatch',
    data: z.object({
      vehicleId: z.string(),
      vehicleName: z.string(),
      driverId: z.string().nullable(),
      etaS: z.number().nullable(),
      distanceM: z.number().nullable(),
      score: z.number(),
      factors: z.record(z.string(), z.number()),
      route: z.unknown(),
      offerExpiresAt: z.string(),
      alternatives: z.array(z.object({ vehicleId: z.string(), vehicleName: z.string(), score: z.number() })),
      /** Set when a dispatcher chose a vehicle other than the recommended one. */
      override: z.object({ recommendedVehicleId: z.string().nullable(), reason: z.string().nullable() }).nullable(),
      /** Solved together with other waiting requests (total score vs greedy). */
      batch: z.object({ size: z.number(), total: z.number(), greedyTotal: z.number() }).nullable(),
    }),
  },
  'dispatch.deferred': {
    aggregate: 'dispatch',
    data: z.object({ reason: z.string(), retryAt: z.string(), alternatives: z.array(z.object({ vehicleId: z.string(), vehicleName: z.string(), excludedBecause: z.string().nullable() })) }),
  },
  'dispatch.rejected': { aggregate: 'dispatch', data: z.object({ reason: z.string(), suggestions: z.array(z.string()) }) },
  'dispatch.accepted': { aggregate: 'dispatch', data: z.object({ vehicleId: z.string(), driverId: z.string().nullable(), tripId: z.string() }) },
  'dispatch.declined': { aggregate: 'dispatch', data: z.object({ vehicleId: z.string(), driverId: z.string().nullable(), reason: z.string().nullable() }) },
  'dispatch.expired': { aggregate: 'dispatch', data: z.object({ vehicleId: z.string(), offeredForS: z.number() }) },
  'dispatch.cancelled': { aggregate: 'dispatch', data: z.object({ reason: z.string().nullable(), previousStatus: z.string() }) },
  'dispatch.settings_changed': { aggregate: 'tenant', data: updated },
  'report_schedule.created': { aggregate: 'report', data: created },
  'report_schedule.updated': { aggregate: 'report', data: updated },
  'report_schedule.deleted': { aggregate: 'report', data: deleted },
  /** A scheduled report was made: the file behind a signed link until `expiresAt`. */
  'report.delivered': {
    aggregate: 'report',
    data: z.object({
      name: z.string(),
      report: z.string(),
      format: z.string(),
      from: z.string(),
      to: z.string(),
      fileName: z.string(),
      bytes: z.number(),
      url: z.string(),
      expiresAt: z.string(),
      emailedTo: z.array(z.string()),
      emailError: z.string().nullable(),
    }),
  },
  /** A scheduled report could not be made (it is tried again at its next time). */
  'report.failed': { aggregate: 'report', data: z.object({ name: z.string(), report: z.string(), from: z.string(), to: z.string(), reason: z.string() }) },
} as const satisfies Record<string, { aggregate: string; data: z.ZodType }>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];
export type EventData<T extends EventType> = z.infer<(typeof EVENT_CATALOGUE)[T]['data']>;
export const AGGREGATE_TYPES = ['vehicle', 'geofence', 'alert', 'trip', 'route', 'tenant', 'user', 'webhook', 'dispatch', 'report'] as const;
export type AggregateType = (typeof AGGREGATE_TYPES)[number];

/** One event as stored, queried, streamed and delivered. Times are ISO 8601. */
export interface DomainEvent<T extends EventType = EventType> {
  /** Time-ordered (UUIDv7). */
  id: string;
  /** Strictly increasing per tenant, without gaps: the cursor of queries, SSE and replays. */
  seq: number;
  tenantId: string;
  type: T;
  aggregate: { type: AggregateType; id: string };
  /** 1, 2, 3 … per aggregate. */
  version: number;
  /** When it happened (position time for events caused by positions). */
  at: string;
  actor: Actor;
  /** Ties the events of one request or one batch together. */
  correlationId: string | null;
  /** The event that caused this one, if any. */
  causationId: string | null;
  data: EventData<T>;
}

/** What a stage or a service hands to the log; the log assigns id, seq and version. */
export interface NewEvent<T extends EventType = EventType> {
  tenantId: string;
  type: T;
  aggregateId: string;
  /** Epoch ms; default now. */
  at?: number;
  actor: Actor;
  correlationId?: string | null;
  causationId?: string | null;
  data: EventData<T>;
}

/** A typed NewEvent (checks `data` against its type at compile time). */
export function newEvent<T extends EventType>(event: NewEvent<T>): NewEvent {
  return event as unknown as NewEvent;
}

/** The fields whose values differ between two plain objects, as before/after pairs. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields?: readonly string[]): ChangeSet {
  const changes: ChangeSet = {};
  for (const key of fields ?? new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = { before: before[key] ?? null, after: after[key] ?? null };
  }
  return changes;
}

// ── queries ─────────────────────────────────────────────────────────────────────────────────

export const MAX_EVENTS_PAGE = 1000;
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const INSTANT = 'must be an ISO 8601 time such as 2026-12-06T10:00:00Z, or epoch milliseconds';
const instantMs = z.preprocess(
  blank,
  z
    .string()
    .transform((s, ctx) => {
      const t = s.trim();
      const ms = /^\d{1,15}$/.test(t) ? Number(t) : z.iso.datetime({ offset: true }).safeParse(t).success ? Date.parse(t) : NaN;
      if (!Number.isFinite(ms)) {
        ctx.addIssue({ code: 'custom', message: INSTANT });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
);
const cursor = z.preprocess(
  blank,
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be an event seq (a non-negative integer)')
    .transform(Number)
    .optional(),
);
/** `types=a,b` — each a known type, or a prefix ending in `.*` (`geofence.*`). */
export const typeList = z.preprocess(
  blank,
  z
    .string()
    .transform((s, ctx) => {
      const list = s.split(',').map((t) => t.trim()).filter(Boolean);
      for (const t of list) {
        const known = t.endsWith('.*') ? EVENT_TYPES.some((e) => e.startsWith(t.slice(0, -1))) : (EVENT_TYPES as string[]).includes(t);
        if (!known) {
          ctx.addIssue({ code: 'custom', message: `unknown event type "${t}" (known: ${EVENT_TYPES.join(', ')}; or a prefix such as geofence.*)` });
          return z.NEVER;
        }
      }
      return list;
    })
    .optional(),
);

/** Whether `type` is selected by a `types` list (undefined or empty: all). */
export function typeSelected(types: readonly string[] | undefined, type: string): boolean {
  if (!types || types.length === 0) return true;
  return types.some((t) => (t.endsWith('.*') ? type.startsWith(t.slice(0, -1)) : t === type));
}

/** GET /api/v1/events — cursor paging by seq; `order=asc` pages forward with `after`, `desc` backward with `before`. */
export const eventsQuery = z
  .object({
    types: typeList,
    aggregateType: z.preprocess(blank, z.enum(AGGREGATE_TYPES, { error: `must be one of ${AGGREGATE_TYPES.join(', ')}` }).optional()),
    aggregateId: z.preprocess(blank, z.string().max(64).optional()),
    actorId: z.preprocess(blank, z.string().max(64).optional()),
    actorKind: z.preprocess(blank, z.enum(['user', 'device', 'system'], { error: 'must be user, device or system' }).optional()),
    from: instantMs,
    to: instantMs,
    after: cursor,
    before: cursor,
    order: z.preprocess(blank, z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('desc')),
    limit: z.preprocess(
      (v) => {
        const b = blank(v);
        return typeof b === 'string' && /^\s*-?\d+\s*$/.test(b) ? Number(b) : b;
      },
      z.number({ error: `must be an integer from 1 to ${MAX_EVENTS_PAGE}` }).int().min(1, `must be an integer from 1 to ${MAX_EVENTS_PAGE}`).max(MAX_EVENTS_PAGE, `must be an integer from 1 to ${MAX_EVENTS_PAGE}`).default(100),
    ),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from >= q.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  });
export type EventsQuery = z.output<typeof eventsQuery>;

export interface EventPage {
  events: DomainEvent[];
  /** Pass as `after` (asc) or `before` (desc) for the next page; null when this page is the last. */
  next: number | null;
}
