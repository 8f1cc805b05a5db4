import type { NewAlert } from '../db/sql/alerts';
import { LocalClock } from '../geofence/local-time';
import { ALERT_SEVERITIES } from '../protocol/alerts';
import type { AlertRule, AlertRuleSet, QuietHours } from '../protocol/alert-rules';

/**
 * The tenant's alert rules applied to one alert a source produced (pure; server/alerts/policy.ts
 * holds the rules and calls this for every alert on the way to the feed):
 * 1. snoozed (its fence, or its type, until a time) → not raised;
 * 2. the most specific matching rule: disabled → not raised; a severity → raised at it (a rule
 *    for a vehicle group matches only alerts about a vehicle of that group: `groupOf` tells);
 * 3. in quiet hours (tenant time zone) and less severe than `minSeverity` → raised already read
 *    (in the history, no unread badge, no toast).
 */

/** A snooze as the policy keeps it. */
export interface ActiveSnooze {
  geofenceId: string | null;
  type: string | null;
  untilMs: number;
}

/** A vehicle's group (null: none); the policy answers from memory, never with a query. */
export type GroupOf = (vehicleId: string) => string | null;
const NO_GROUPS: GroupOf = () => null;

/**
 * How specific a rule is: a vehicle group narrows most ("North depot: speeding off" beats a
 * tenant-wide "speeding on", whatever its event or fence type), then event, then fence type.
 */
const specificity = (r: AlertRule) => (r.vehicleGroup ? 4 : 0) + (r.event ? 2 : 0) + (r.fenceType ? 1 : 0);

/**
 * The most specific rule matching the alert (its type, for geofence alerts its event and fence
 * type, and its vehicle's group), or null. An alert about no vehicle matches no group rule.
 */
export function ruleFor(rules: readonly AlertRule[], alert: Pick<NewAlert, 'type' | 'details' | 'vehicleId'>, groupOf: GroupOf = NO_GROUPS): AlertRule | null {
  let best: AlertRule | null = null;
  for (const r of rules) {
    if (r.type !== alert.type) continue;
    if (r.event && alert.details?.event !== r.event) continue;
    if (r.fenceType && alert.details?.fenceType !== r.fenceType) continue;
    if (r.vehicleGroup && (!alert.vehicleId || groupOf(alert.vehicleId) !== r.vehicleGroup)) continue;
    if (!best || specificity(r) > specificity(best)) best = r;
  }
  return best;
}

const MINUTES = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
const clocks = new Map<string, LocalClock>();

/** Whether `at` (epoch ms) is within the quiet hours, in their time zone; across midnight when end < start. */
export function inQuietHours(q: QuietHours, at: number): boolean {
  let clock = clocks.get(q.timeZone);
  if (!clock) clocks.set(q.timeZone, (clock = new LocalClock(q.timeZone)));
  const minute = clock.at(at).minute;
  const start = MINUTES(q.start);
  const end = MINUTES(q.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

export function isSnoozed(snoozes: readonly ActiveSnooze[], alert: Pick<NewAlert, 'type' | 'geofenceId'>, now: number): boolean {
  for (const s of snoozes) {
    if (s.untilMs <= now) continue;
    if (s.geofenceId !== null && s.geofenceId === alert.geofenceId) return true;
    if (s.type !== null && s.type === alert.type) return true;
  }
  return false;
}

/** The alert as the tenant's rules want it raised, or null when it is not to be raised. */
export function applyRules(set: AlertRuleSet, snoozes: readonly ActiveSnooze[], alert: NewAlert, now: number, groupOf: GroupOf = NO_GROUPS): NewAlert | null {
  if (snoozes.length > 0 && isSnoozed(snoozes, alert, now)) return null;
  const rule = ruleFor(set.rules, alert, groupOf);
  if (rule && !rule.enabled) return null;
  const severity = rule?.severity ?? alert.severity;
  const quiet = set.quietHours !== null && ALERT_SEVERITIES.indexOf(severity) < ALERT_SEVERITIES.indexOf(set.quietHours.minSeverity) && inQuietHours(set.quietHours, now);
  if (severity === alert.severity && !quiet) return alert;
  return { ...alert, severity, ...(quiet ? { read: true, details: { ...alert.details, quietHours: true } } : {}) };
}
