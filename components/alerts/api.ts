'use client';

import { apiJson } from '@/components/ui/api-fetch';
import type { AlertDto, AlertListResult, AlertsChangedResult, AlertSeverity, AlertsRestoredResult } from '@/server/protocol/alerts';

/**
 * Every call the dashboard makes to the alerts REST API, in one place
 * (contract: server/protocol/alerts.ts).
 */
export const ALERT_LIST_LIMIT = 200;

/** TanStack Query keys: everything under `alerts` is refreshed by the live alert events. */
export const alertKeys = {
  all: ['alerts'] as const,
  list: (severity: AlertSeverity | null) => ['alerts', 'list', severity ?? 'any'] as const,
};

/** Newest first; `severity` narrows the list on the server. */
export function fetchAlerts(severity: AlertSeverity | null): Promise<AlertListResult> {
  const params = new URLSearchParams({ limit: String(ALERT_LIST_LIMIT) });
  if (severity) params.set('severity', severity);
  return apiJson<AlertListResult>(`/api/v1/alerts?${params}`);
}

export function markAlertRead(id: string): Promise<{ alert: AlertDto }> {
  return apiJson(`/api/v1/alerts/${id}`, { method: 'PATCH', body: { read: true } });
}

export function acknowledgeAlert(id: string): Promise<{ alert: AlertDto }> {
  return apiJson(`/api/v1/alerts/${id}`, { method: 'PATCH', body: { acknowledged: true } });
}

export function deleteAlert(id: string): Promise<unknown> {
  return apiJson(`/api/v1/alerts/${id}`, { method: 'DELETE' });
}

/** Marks the named alerts (or "all" of the tenant's) read, or acknowledged. */
export function markAlerts(ids: string[] | 'all', change: 'read' | 'acknowledge'): Promise<AlertsChangedResult> {
  return apiJson(`/api/v1/alerts`, { method: 'PATCH', body: change === 'read' ? { ids, read: true } : { ids, acknowledged: true } });
}

/** Deletes softly: `undoUntil` says how long `restoreAlerts` can bring them back. */
export function deleteAlerts(ids: string[]): Promise<AlertsChangedResult> {
  return apiJson(`/api/v1/alerts`, { method: 'DELETE', body: { ids } });
}

export function restoreAlerts(ids: string[]): Promise<AlertsRestoredResult> {
  return apiJson(`/api/v1/alerts/restore`, { method: 'POST', body: { ids } });
}
