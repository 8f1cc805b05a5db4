'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState, type ReactNode } from 'react';
import { authFetch, clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import { useGeofences, useVehicles } from '@/components/ui/list-queries';
import { StateMessage } from '@/components/ui/StateMessage';
import { ALERT_TYPE_LABEL } from '@/server/protocol/alert-rules';
import { ALERT_TYPES, MAX_ALERTS_LIMIT, type AlertListResult, type AlertSeverity, type AlertType } from '@/server/protocol/alerts';
import type { PublicUser } from '@/server/protocol/auth';
import { historyParams, NO_HISTORY_FILTERS, type HistoryFilters } from './history-filters';
import { SEVERITIES_DESC, SEVERITY_STYLE } from './severity';

const FIELD = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';

/** /alerts: the tenant's alert history with filters and CSV export (everyone in the tenant). */
export function AlertsPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <AlertsScreen user={session.user} />;
}

function AlertsScreen({ user }: { user: PublicUser }) {
  const [filters, setFilters] = useState<HistoryFilters>(NO_HISTORY_FILTERS);
  const params = useMemo(() => historyParams(filters), [filters]);
  const vehicles = useVehicles();
  const fences = useGeofences();
  const history = useQuery({
    queryKey: ['alert-history', params.toString()],
    queryFn: () => apiJson<AlertListResult>(`/api/v1/alerts?${params}&limit=${MAX_ALERTS_LIMIT}`),
    retry: false,
  });
  const [exporting, setExporting] = useState<string | null>(null);
  const vehicleName = useMemo(() => new Map((vehicles.data ?? []).map((v) => [v.id, v.name])), [vehicles.data]);
  const fenceName = useMemo(() => new Map((fences.data ?? []).map((f) => [f.id, f.properties.name])), [fences.data]);

  const exportCsv = async () => {
    setExporting('Preparing the file…');
    try {
      const response = await authFetch(`/api/v1/alerts/export?${params}`);
      if (!response.ok) throw new Error(`The export failed (${response.status}). Try again.`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'alerts.csv';
      a.click();
      URL.revokeObjectURL(url);
      setExporting(response.headers.get('x-truncated') === 'true' ? 'Exported the newest 100,000 alerts; narrow the range for older ones.' : null);
    } catch (error) {
      setExporting(error instanceof Error ? error.message : 'The export failed. Try again.');
    }
  };

  const set = (patch: Partial<HistoryFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const badField = history.error instanceof RequestError ? history.error.field : undefined;

  let body;
  if (history.isPending) body = <StateMessage kind="loading" title="Loading alerts…" />;
  else if (history.isError)
    body = <StateMessage kind="error" title="The alerts could not be loaded" detail={history.error.message} action={{ label: 'Try again', onClick: () => void history.refetch() }} />;
  else if (history.data.alerts.length === 0) body = <StateMessage kind="empty" title="No alerts match these filters" detail="Widen the time range or clear a filter." />;
  else
    body = (
      <div className="overflow-x-auto">
        <table className="w-full min-w-[720px] text-left text-sm" data-testid="alert-history">
          <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2 font-semibold">When</th>
              <th className="px-3 py-2 font-semibold">Severity</th>
              <th className="px-3 py-2 font-semibold">Type</th>
              <th className="px-3 py-2 font-semibold">What happened</th>
              <th className="px-3 py-2 font-semibold">Vehicle</th>
              <th className="px-3 py-2 font-semibold">Fence</th>
              <th className="px-3 py-2 font-semibold">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.data.alerts.map((a) => (
              <tr key={a.id} className={a.readAt ? '' : 'bg-slate-50/70 font-medium'}>
                <td className="whitespace-nowrap px-3 py-1.5 text-slate-600">{new Date(a.at).toLocaleString()}</td>
                <td className="px-3 py-1.5">
                  <span className={`rounded px-1 py-px text-[10px] font-semibold uppercase ring-1 ${SEVERITY_STYLE[a.severity].badge}`}>{SEVERITY_STYLE[a.severity].label}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-1.5 text-slate-600">{ALERT_TYPE_LABEL[a.type]}</td>
                <td className="px-3 py-1.5 text-slate-900">{a.message}</td>
                <td className="px-3 py-1.5 text-slate-600">{a.vehicleId ? (vehicleName.get(a.vehicleId) ?? 'Deleted vehicle') : '—'}</td>
                <td className="px-3 py-1.5 text-slate-600">{a.geofenceId ? (fenceName.get(a.geofenceId) ?? String(a.details.fenceName ?? 'Deleted fence')) : '—'}</td>
                <td className="whitespace-nowrap px-3 py-1.5 text-xs text-slate-500">{a.acknowledgedAt ? '✓ Acknowledged' : a.readAt ? 'Read' : 'Unread'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {history.data.truncated && <p className="px-3 py-2 text-center text-xs text-slate-500">Showing the newest {MAX_ALERTS_LIMIT} alerts; the CSV export has them all.</p>}
      </div>
    );

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page="alerts" onSignOut={clearSession} />
      <main className="mx-auto w-full max-w-6xl flex-1 p-2 sm:p-4">
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Alert history">
          <div className="flex flex-wrap items-end gap-2 border-b border-slate-200 px-4 py-3">
            <h2 className="w-full text-sm font-semibold">Alert history</h2>
            <Labelled label="Type">
              <select aria-label="Type" className={FIELD} value={filters.type} onChange={(e) => set({ type: e.target.value as AlertType | '' })}>
                <option value="">Any type</option>
                {ALERT_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {ALERT_TYPE_LABEL[t]}
                  </option>
                ))}
              </select>
            </Labelled>
            <Labelled label="Severity">
              <select aria-label="Severity" className={FIELD} value={filters.severity} onChange={(e) => set({ severity: e.target.value as AlertSeverity | '' })}>
                <option value="">Any severity</option>
                {SEVERITIES_DESC.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_STYLE[s].label}
                  </option>
                ))}
              </select>
            </Labelled>
            <Labelled label="Vehicle">
              <select aria-label="Vehicle" className={`${FIELD} max-w-44`} value={filters.vehicleId} onChange={(e) => set({ vehicleId: e.target.value })}>
                <option value="">Any vehicle</option>
                {(vehicles.data ?? []).map((v) => (
                  <option key={v.id} value={v.id}>
                    {v.name}
                  </option>
                ))}
              </select>
            </Labelled>
            <Labelled label="Fence">
              <select aria-label="Fence" className={`${FIELD} max-w-44`} value={filters.geofenceId} onChange={(e) => set({ geofenceId: e.target.value })}>
                <option value="">Any fence</option>
                {(fences.data ?? []).map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.properties.name}
                  </option>
                ))}
              </select>
            </Labelled>
            <Labelled label="Acknowledged">
              <select aria-label="Acknowledged" className={FIELD} value={filters.acknowledged} onChange={(e) => set({ acknowledged: e.target.value as HistoryFilters['acknowledged'] })}>
                <option value="">Either</option>
                <option value="false">Not yet</option>
                <option value="true">Acknowledged</option>
              </select>
            </Labelled>
            <Labelled label="From" error={badField === 'from' ? history.error?.message : undefined}>
              <input type="datetime-local" className={FIELD} value={filters.from} onChange={(e) => set({ from: e.target.value })} />
            </Labelled>
            <Labelled label="To" error={badField === 'to' ? 'Choose a time after “From”' : undefined}>
              <input type="datetime-local" className={FIELD} value={filters.to} onChange={(e) => set({ to: e.target.value })} />
            </Labelled>
            <div className="ml-auto flex items-center gap-2">
              <button type="button" onClick={() => setFilters(NO_HISTORY_FILTERS)} className="rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100">
                Clear filters
              </button>
              <button type="button" onClick={() => void exportCsv()} className="rounded-md bg-emerald-600 px-3 py-1 text-sm font-medium text-white shadow-sm hover:bg-emerald-700" data-testid="alerts-export">
                Export CSV
              </button>
              {(user.role === 'admin' || user.role === 'manager') && (
                <Link href="/alerts/rules" className="rounded-md border border-slate-300 px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">
                  Alert rules
                </Link>
              )}
            </div>
            {exporting && (
              <p role="status" className="w-full text-xs text-slate-600">
                {exporting}
              </p>
            )}
          </div>
          {body}
        </section>
      </main>
    </div>
  );
}

function Labelled({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
      {label}
      {children}
      {error && <span className="font-normal text-red-700">{error}</span>}
    </label>
  );
}
