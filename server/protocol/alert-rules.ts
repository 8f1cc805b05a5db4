/**
 * Alert rules of a tenant: which alerts are raised and how severe, quiet hours, snoozes and flood
 * protection. Shared by the server (server/alerts/policy.ts, REST /api/v1/alert-rules and
 * /api/v1/alert-snoozes) and the settings page (app/alerts/rules).
 */
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_TYPES, type AlertSeverity, type AlertType } from './alerts';
import { GEOFENCE_EVENT_TYPES, GEOFENCE_TYPES, type GeofenceEventType, type GeofenceType } from './geofences';
import { groupName } from './vehicles';

/** Readable labels for the settings page, the alerts page and CSV headers. */
export const ALERT_TYPE_LABEL: Record<AlertType, string> = {
  geofence_violation: 'Geofence',
  vehicle_offline: 'Vehicle offline',
  speed_violation: 'Speeding',
  low_battery: 'Low battery',
  system_error: 'System problem',
  route_deviation: 'Off route',
  driver_event: 'Driving behaviour',
};
export const FENCE_EVENT_LABEL: Record<GeofenceEventType, string> = { enter: 'Entry', exit: 'Exit', cross: 'Pass-through', predicted_enter: 'Expected entry' };
export const FENCE_TYPE_LABEL: Record<GeofenceType, string> = {
  DEPOT: 'Depot',
  CHECKPOINT: 'Checkpoint',
  RESTRICTED_ZONE: 'Restricted zone',
  SERVICE_AREA: 'Service area',
  CUSTOM: 'Custom',
};

/**
 * One rule: alerts of `type` (for geofence alerts optionally only one `event` and/or one
 * `fenceType`; optionally only about vehicles of one `vehicleGroup`) are raised or not, at the
 * source's severity or at `severity`. The most specific matching rule decides; no rule: raised as
 * the source says.
 */
export interface AlertRule {
  type: AlertType;
  event?: GeofenceEventType;
  fenceType?: GeofenceType;
  /** A vehicle group ("North depot", as set on the vehicles); null / absent: every vehicle. */
  vehicleGroup?: string | null;
  enabled: boolean;
  /** null / absent: the severity the source gives (e.g. the fence's own). */
  severity?: AlertSeverity | null;
}

export interface QuietHours {
  /** "HH:MM" local time; quiet from start (inclusive) to end (exclusive), across midnight when end < start. */
  start: string;
  end: string;
  /** IANA time zone of the tenant, e.g. "Europe/Berlin". */
  timeZone: string;
  /** Alerts at least this severe are raised as usual in quiet hours; the others are kept in the history already read. */
  minSeverity: AlertSeverity;
}

export interface FloodProtection {
  /** Alerts of one vehicle about one fence (or of one vehicle and type) raised one by one per window. */
  maxPerWindow: number;
  windowMinutes: number;
}

export interface AlertRuleSet {
  rules: AlertRule[];
  quietHours: QuietHours | null;
  flood: FloodProtection;
}

/** What a tenant without saved rules gets: exits from restricted zones do not alert (entry is what matters). */
export const DEFAULT_RULE_SET: AlertRuleSet = {
  rules: [{ type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false }],
  quietHours: null,
  flood: { maxPerWindow: 2, windowMinutes: 5 },
};

export interface AlertSnooze {
  id: string;
  /** Snoozes the alerts about this fence … */
  geofenceId: string | null;
  /** … or of this type (exactly one of the two). */
  type: AlertType | null;
  until: string;
  createdBy: string | null;
  createdAt: string;
}

export const MAX_RULES = 100;
export const MAX_SNOOZE_MINUTES = 7 * 24 * 60;

const hhmm = z
  .string({ error: 'Enter a time as HH:MM, e.g. 22:00' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, e.g. 22:00');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const severity = z.enum(ALERT_SEVERITIES, { error: `Choose a severity: ${ALERT_SEVERITIES.join(', ')}` });

export const alertRule = z.strictObject(
  {
    type: z.enum(ALERT_TYPES, { error: `Choose an alert type: ${ALERT_TYPES.join(', ')}` }),
    event: z.enum(GEOFENCE_EVENT_TYPES, { error: `Choose a fence event: ${GEOFENCE_EVENT_TYPES.join(', ')}` }).optional(),
    fenceType: z.enum(GEOFENCE_TYPES, { error: `Choose a fence type: ${GEOFENCE_TYPES.join(', ')}` }).optional(),
    vehicleGroup: groupName.optional(),
    enabled: z.boolean({ error: 'Say whether it alerts (true or false)' }),
    severity: severity.nullable().optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : 'must be a rule {type, event?, fenceType?, vehicleGroup?, enabled, severity?}') },
).superRefine((r, ctx) => {
  if ((r.event || r.fenceType) && r.type !== 'geofence_violation') ctx.addIssue({ code: 'custom', path: [r.event ? 'event' : 'fenceType'], message: 'Only geofence alerts can be narrowed by fence event or fence type' });
  // System problems are about the server, never about a vehicle: such a rule would match nothing.
  if (r.vehicleGroup && r.type === 'system_error') ctx.addIssue({ code: 'custom', path: ['vehicleGroup'], message: 'System problems are not about a vehicle: they cannot be narrowed by vehicle group' });
});

export const alertRuleSet = z.strictObject(
  {
    rules: z.array(alertRule, { error: 'must be a list of rules' }).max(MAX_RULES, `Keep to at most ${MAX_RULES} rules`).superRefine((rules, ctx) => {
      const seen = new Map<string, number>();
      rules.forEach((r, i) => {
        const key = `${r.type}|${r.event ?? ''}|${r.fenceType ?? ''}|${r.vehicleGroup ?? ''}`;
        if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `Rule ${i + 1} repeats rule ${seen.get(key)! + 1}: keep one of them` });
        else seen.set(key, i);
      });
    }),
    quietHours: z
      .strictObject({
        start: hhmm,
        end: hhmm,
        timeZone: z.string({ error: 'Choose a time zone' }).refine(isTimeZone, 'Choose a time zone such as Europe/Berlin'),
        minSeverity: severity,
      })
      .refine((q) => q.start !== q.end, { path: ['end'], message: 'End must differ from start' })
      .nullable(),
    flood: z.strictObject({
      maxPerWindow: z.number({ error: 'Enter a number from 1 to 100' }).int('Enter a whole number').min(1, 'Enter a number from 1 to 100').max(100, 'Enter a number from 1 to 100'),
      windowMinutes: z.number({ error: 'Enter minutes from 1 to 120' }).int('Enter whole minutes').min(1, 'Enter minutes from 1 to 120').max(120, 'Enter minutes from 1 to 120'),
    }),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}; use rules, quietHours, flood` : 'must be a JSON object {rules, quietHours, flood}') },
);

/** POST /api/v1/alert-snoozes: a fence or an alert type, for some minutes. */
export const alertSnoozeInput = z
  .strictObject(
    {
      geofenceId: z.string().uuid('must be a geofence id (uuid)').optional(),
      type: z.enum(ALERT_TYPES, { error: `Choose an alert type: ${ALERT_TYPES.join(', ')}` }).optional(),
      minutes: z
        .number({ error: `Enter minutes from 1 to ${MAX_SNOOZE_MINUTES}` })
        .int('Enter whole minutes')
        .min(1, `Enter minutes from 1 to ${MAX_SNOOZE_MINUTES}`)
        .max(MAX_SNOOZE_MINUTES, `Enter minutes from 1 to ${MAX_SNOOZE_MINUTES}`),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}; use geofenceId or type, and minutes` : 'must be a JSON object {geofenceId | type, minutes}') },
  )
  .superRefine((s, ctx) => {
    if (!s.geofenceId === !s.type) ctx.addIssue({ code: 'custom', path: ['geofenceId'], message: 'Choose a fence or an alert type to snooze (one of them)' });
  });
export type AlertSnoozeInput = z.output<typeof alertSnoozeInput>;
