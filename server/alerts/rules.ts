import type { NewAlert } from '../db/sql/alerts';
import { LocalClock } from '../geofence/local-time';
import { ALERT_SEVERITIES } from '../protocol/alerts';
import type { AlertRule, AlertRuleSet, QuietHours } from '../protocol/alert-rules';

/**
 * The tenant's alert rules applied to one alert a source produced (pure; server/alerts/policy.ts
 * holds the rules and calls this for every alert on the way to the feed):
 * 1. snoozed (its fence, or its type, until a time) → not raised;
 * 2. the most specific matching rule: disabled → not raised; a severity → raised at it;
 * 3. in quiet hours (tenant time zone) and less severe than `minSeverity` → raised already read
 *    (in the history, no unread badge, no toast).
 */

/** A snooze as the policy keeps it. */
export interface ActiveSnooze {
  geofenceId: string | null;
  type: string | null;
  untilMs: number;
}

/** How specific a rule is: event and fence type each narrow it. */
const specificity = (r: AlertRule) => (r.event ? 2 : 0) + (r.fenceType ? 1 : 0);

/** The most specific rule matching the alert (its type, and for geofence alerts its event and fence type), or null. */
export function ruleFor(rules: readonly AlertRule[], alert: Pick<NewAlert, 'type' | 'details'>): AlertRule | null {
  let best: AlertRule | null = null;
  for (const r of rules) {
    if (r.type !== alert.type) continue;
    if (r.event && alert.details?.event !== r.event) continue;
    if (r.fenceType && alert.details?.fenceType !== r.fenceType) continue;
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
export function applyRules(set: AlertRuleSet, snoozes: readonly ActiveSnooze[], alert: NewAlert, now: number): NewAlert | null {
  if (snoozes.length > 0 && isSnoozed(snoozes, alert, now)) return null;
  const rule = ruleFor(set.rules, alert);
  if (rule && !rule.enabled) return null;
  const severity = rule?.severity ?? alert.severity;
  const quiet = set.quietHours !== null && ALERT_SEVERITIES.indexOf(severity) < ALERT_SEVERITIES.indexOf(set.quietHours.minSeverity) && inQuietHours(set.quietHours, now);
  if (severity === alert.severity && !quiet) return alert;
  return { ...alert, severity, ...(quiet ? { read: true, details: { ...alert.details, quietHours: true } } : {}) };
}
