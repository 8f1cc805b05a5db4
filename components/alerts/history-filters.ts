import type { AlertSeverity, AlertType } from '@/server/protocol/alerts';

/** The alerts page's filters as its inputs hold them ('' = any; times as datetime-local values, the browser's zone). */
export interface HistoryFilters {
  type: AlertType | '';
  severity: AlertSeverity | '';
  vehicleId: string;
  geofenceId: string;
  acknowledged: '' | 'true' | 'false';
  from: string;
  to: string;
}

export const NO_HISTORY_FILTERS: HistoryFilters = { type: '', severity: '', vehicleId: '', geofenceId: '', acknowledged: '', from: '', to: '' };

/** The query string of GET /api/v1/alerts and /export for the filters; local times become ISO instants. */
export function historyParams(f: HistoryFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.type) p.set('type', f.type);
  if (f.severity) p.set('severity', f.severity);
  if (f.vehicleId) p.set('vehicleId', f.vehicleId);
  if (f.geofenceId) p.set('geofenceId', f.geofenceId);
  if (f.acknowledged) p.set('acknowledged', f.acknowledged);
  for (const key of ['from', 'to'] as const) {
    const ms = f[key] ? new Date(f[key]).getTime() : NaN; // datetime-local: read as local time
    if (Number.isFinite(ms)) p.set(key, new Date(ms).toISOString());
  }
  return p;
}
