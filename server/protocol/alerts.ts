/**
 * Alerts: the contract between the alert service (server/alerts), REST (`/api/v1/alerts`) and
 * dashboards (live `alert`, `alert:read`, `alert:deleted` on /fleet). Every alert source
 * (geofence events, presence, speed, battery, the system itself) produces the same shape.
 */
import { z } from 'zod';
import { instant, uuid } from './geofences';

export const ALERT_TYPES = ['geofence_violation', 'vehicle_offline', 'speed_violation', 'low_battery', 'system_error', 'route_deviation', 'driver_event'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** Ordered from least to most severe. */
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** One alert as REST and the live `alert` event carry it. Times are ISO 8601. */
export interface AlertDto {
  id: string;
  type: AlertType;
  severity: AlertSeverity;
  /** One line a person reads in the feed, e.g. "Van 12 entered Restricted: Airport apron". */
  message: string;
  vehicleId: string | null;
  geofenceId: string | null;
  /** When the cause happened (position time for geofence, speed and battery alerts). */
  at: string;
  /** Where, when the cause has a position. */
  position: { lng: number; lat: number } | null;
  /** Source-specific details (e.g. {event: "enter"}, {speedKmh, limitKmh}, {battery}). */
  details: Record<string, unknown>;
  readAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  /** After this the alert is gone from lists and deleted (ALERT_TTL_HOURS after `createdAt`). */
  expiresAt: string;
  createdAt: string;
}

export interface AlertListResult {
  alerts: AlertDto[];
  /** More alerts matched than `limit`. */
  truncated: boolean;
  /** Unread alerts per severity in the caller's tenant, matching no filter (badges and KPIs). */
  unread: Record<AlertSeverity, number>;
}

/** Socket.IO events of the alert capability on /fleet, sent to the tenant's dashboards. */
export const ALERT_EVENTS = {
  /** A new alert: AlertDto. */
  alert: 'alert',
  /** Alerts marked read or acknowledged: {ids: string[], readAt, acknowledgedAt?, acknowledgedBy?}. */
  read: 'alert:read',
  /** Alerts deleted (by a user or by expiry): {ids: string[]}. */
  deleted: 'alert:deleted',
  /** Deleted alerts brought back by undo: {alerts: AlertDto[]}. */
  restored: 'alert:restored',
} as const;

export interface AlertRestoredEvent {
  alerts: AlertDto[];
}

export interface AlertReadEvent {
  ids: string[];
  readAt: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
}

export interface AlertDeletedEvent {
  ids: string[];
}

// ── REST inputs (added by the alert service; the shapes above are the dashboard's contract) ──

export const DEFAULT_ALERTS_LIMIT = 100;
export const MAX_ALERTS_LIMIT = 1000;
/** Ids one bulk PATCH or DELETE may name. */
export const MAX_ALERT_IDS = 1000;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** `a,b` → ['a', 'b'], each one of `values`; errors list the allowed values. */
function oneOrMore<T extends string>(values: readonly T[]) {
  const message = `must be one of ${values.join(', ')} (comma-separated for several)`;
  return z.preprocess(
    blank,
    z
      .string({ error: message })
      .transform((s, ctx) => {
        const parts = s.split(',').map((p) => p.trim());
        const bad = parts.find((p) => !(values as readonly string[]).includes(p));
        if (bad !== undefined) {
          ctx.addIssue({ code: 'custom', message: `"${bad}" ${message}` });
          return z.NEVER;
        }
        return [...new Set(parts)] as T[];
      })
      .optional(),
  );
}

const flag = z.preprocess(
  blank,
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
);

const filterShape = {
  severity: oneOrMore(ALERT_SEVERITIES),
  type: oneOrMore(ALERT_TYPES),
  /** true: read alerts only; false: unread only. */
  read: flag,
  acknowledged: flag,
  vehicleId: uuid,
  geofenceId: uuid,
  /** Bounds on `createdAt` (when the alert was raised): from inclusive, to exclusive. */
  from: instant,
  to: instant,
};

/** An object refusing unknown keys with a message that lists the known ones. */
function strictObject<T extends z.ZodRawShape>(shape: T, what: string) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown ${issue.keys.length > 1 ? 'fields' : 'field'} ${issue.keys.join(', ')}; use ${known}` : `must be ${what}`,
  });
}

function strictQuery<T extends z.ZodRawShape>(shape: T) {
  return strictObject(shape, 'query parameters').superRefine((q, ctx) => {
      const { from, to } = q as { from?: number; to?: number };
      if (from !== undefined && to !== undefined && from >= to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    });
}

/** Filters of the bulk PATCH and DELETE (query string of /api/v1/alerts). */
export const alertsFilter = strictQuery(filterShape);
export type AlertsFilter = z.output<typeof alertsFilter>;

/** GET /api/v1/alerts?severity&type&read&acknowledged&vehicleId&geofenceId&from&to&limit — newest first. */
export const alertsQuery = strictQuery({
  ...filterShape,
  limit: z.preprocess(
    (v) => {
      const b = blank(v);
      return typeof b === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(b) ? Number(b) : b;
    },
    z
      .number({ error: `must be an integer from 1 to ${MAX_ALERTS_LIMIT}` })
      .int(`must be an integer from 1 to ${MAX_ALERTS_LIMIT}`)
      .min(1, `must be an integer from 1 to ${MAX_ALERTS_LIMIT}`)
      .max(MAX_ALERTS_LIMIT, `must be an integer from 1 to ${MAX_ALERTS_LIMIT}`)
      .default(DEFAULT_ALERTS_LIMIT),
  ),
});
export type AlertsQuery = z.output<typeof alertsQuery>;

const onlyTrue = (what: string) => z.literal(true, { error: `must be true (${what})` }).optional();
const changes = {
  read: onlyTrue('alerts cannot be marked unread'),
  /** Acknowledging also marks read and records who. */
  acknowledged: onlyTrue('an acknowledgement cannot be withdrawn'),
};
const NOTHING = 'nothing to change: send read: true and/or acknowledged: true';

/** PATCH /api/v1/alerts/:id */
export const alertPatch = strictObject(changes, 'a JSON object').refine((p) => p.read || p.acknowledged, NOTHING);
export type AlertPatch = z.output<typeof alertPatch>;

const idList = z
  .array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an alert id (uuid)'), {
    error: (issue) => (issue.input === undefined ? 'is required: an array of alert ids, or "all"' : 'must be "all" or an array of alert ids'),
  })
  .min(1, 'must name at least one alert')
  .max(MAX_ALERT_IDS, `may name at most ${MAX_ALERT_IDS} alerts`)
  .transform((list) => [...new Set(list.map((id) => id.toLowerCase()))]);

/** "all", or a list of ids (its own errors kept, e.g. `ids.3: must be an alert id`). */
const ids = z.unknown().transform((value, ctx): 'all' | string[] => {
  if (value === 'all') return 'all';
  const result = idList.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/**
 * PATCH /api/v1/alerts: `ids` (alert ids, or "all" = every alert matching the query-string
 * filters) and what to set.
 */
export const alertsBulkPatch = strictObject({ ids, ...changes }, 'a JSON object').refine((p) => p.read || p.acknowledged, NOTHING);
export type AlertsBulkPatch = z.output<typeof alertsBulkPatch>;

/** DELETE /api/v1/alerts: `ids` (alert ids, or "all" = every alert matching the query-string filters). */
export const alertsBulkDelete = strictObject({ ids }, 'a JSON object');
export type AlertsBulkDelete = z.output<typeof alertsBulkDelete>;

/**
 * POST /api/v1/alerts/restore: undo a delete within ALERT_UNDO_SECONDS. All or nothing: an id
 * that is not a deleted alert of the tenant still in its undo time is a CONFLICT naming it.
 */
export const alertsRestore = strictObject({ ids: idList }, 'a JSON object');
export type AlertsRestore = z.output<typeof alertsRestore>;

/** Answer of the bulk PATCH and DELETE: the alerts that changed (or were deleted). */
export interface AlertsChangedResult {
  ids: string[];
  /** DELETE only: until when (ISO 8601) POST /api/v1/alerts/restore can bring them back. */
  undoUntil?: string;
}

/** Answer of POST /api/v1/alerts/restore: the alerts as they are again. */
export interface AlertsRestoredResult {
  alerts: AlertDto[];
}
