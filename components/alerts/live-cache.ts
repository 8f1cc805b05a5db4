import { alertOrderKey } from './feed-model';
import type { AlertDeletedEvent, AlertDto, AlertListResult, AlertReadEvent, AlertSeverity } from '@/server/protocol/alerts';

/**
 * How live alert events change a cached alert list (the list's `severity` filter, or null), so
 * the feed shows them at once; a throttled refetch then confirms the server's view.
 */
export function withNewAlert(list: AlertListResult, severity: AlertSeverity | null, alert: AlertDto): AlertListResult {
  if (list.alerts.some((a) => a.id === alert.id)) return list;
  const unread = alert.readAt ? list.unread : { ...list.unread, [alert.severity]: list.unread[alert.severity] + 1 };
  if (severity && alert.severity !== severity) return { ...list, unread };
  return { ...list, alerts: [alert, ...list.alerts], unread };
}

export function withRead(list: AlertListResult, event: AlertReadEvent): AlertListResult {
  const ids = new Set(event.ids);
  const unread = { ...list.unread };
  const alerts = list.alerts.map((a) => {
    if (!ids.has(a.id)) return a;
    if (!a.readAt) unread[a.severity] = Math.max(0, unread[a.severity] - 1);
    return {
      ...a,
      readAt: a.readAt ?? event.readAt,
      acknowledgedAt: event.acknowledgedAt ?? a.acknowledgedAt,
      acknowledgedBy: event.acknowledgedBy ?? a.acknowledgedBy,
    };
  });
  return { ...list, alerts, unread };
}

export function withDeleted(list: AlertListResult, event: AlertDeletedEvent): AlertListResult {
  const ids = new Set(event.ids);
  const unread = { ...list.unread };
  for (const a of list.alerts) if (ids.has(a.id) && !a.readAt) unread[a.severity] = Math.max(0, unread[a.severity] - 1);
  return { ...list, alerts: list.alerts.filter((a) => !ids.has(a.id)), unread };
}

/** Alerts brought back by undo, in their place (newest first by when they were raised). */
export function withRestored(list: AlertListResult, severity: AlertSeverity | null, restored: readonly AlertDto[]): AlertListResult {
  const have = new Set(list.alerts.map((a) => a.id));
  const back = restored.filter((a) => !have.has(a.id) && (!severity || a.severity === severity));
  const unread = { ...list.unread };
  for (const a of restored) if (!have.has(a.id) && !a.readAt) unread[a.severity] += 1;
  if (back.length === 0) return { ...list, unread };
  const alerts = [...list.alerts, ...back].sort((x, y) => (alertOrderKey(x) < alertOrderKey(y) ? 1 : alertOrderKey(x) > alertOrderKey(y) ? -1 : 0));
  return { ...list, alerts, unread };
}
