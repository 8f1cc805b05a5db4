'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { authFetch, clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import { AppHeader, type AppPage } from '@/components/ui/AppHeader';
import { useVehicleGroups } from '@/components/map/use-vehicle-groups';
import { useGeofences, useVehicles } from '@/components/ui/list-queries';
import { Spinner, StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import { FENCE_EVENT_LABEL } from '@/server/protocol/alert-rules';
import { GEOFENCE_EVENT_TYPES, type GeofenceEventType } from '@/server/protocol/geofences';
import { REPORTS as REPORTS_LIST, SUMMARY_GROUP_BY, SUMMARY_ROW_LABEL, type ReportName, type ReportResponse, type SummaryDay, type SummaryGroupBy, type SummaryHour } from '@/server/protocol/reports';
import { formatDuration, formatKm, formatTime, niceTicks, sortRows, utcDay } from './format';
import { ScheduleDialog } from './ScheduleDialog';
import { ScheduleList } from './ScheduleList';
import { filtersFromQuery } from './schedules-api';

const PAGE: AppPage = 'reports';
const FIELD = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';
const BUTTON = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50';

type Row = Record<string, unknown>;
interface ColumnDef {
  key: string;
  label: string;
  /** How a cell reads; numbers are right-aligned. */
  show: (row: Row) => string;
  numeric?: boolean;
  /** How the totals row reads (absent: blank). */
  total?: (totals: Record<string, number>) => string;
}

const km = (k: string) => (r: Row) => formatKm(r[k] as number);
const dur = (k: string) => (r: Row) => formatDuration(r[k] as number | null);
const time = (k: string) => (r: Row) => formatTime(r[k] as string | null);
const text = (k: string) => (r: Row) => (r[k] as string | null) ?? '—';
const num = (k: string, unit = '') => (r: Row) => `${(r[k] as number).toLocaleString('en')}${unit}`;
const coords = (lat: string, lng: string) => (r: Row) => `${(r[lat] as number).toFixed(5)}, ${(r[lng] as number).toFixed(5)}`;
const place = (p: string, lat: string, lng: string) => (r: Row) => (r[p] as string | null) ?? coords(lat, lng)(r);

const REPORTS: Record<ReportName, { label: string; columns: ColumnDef[]; tracks?: boolean }> = {
  summary: {
    label: 'Summary',
    columns: [
      { key: 'name', label: 'Vehicle', show: text('name'), total: () => 'Total' },
      { key: 'trips', label: 'Journeys', show: num('trips'), numeric: true, total: (t) => String(t.trips ?? 0) },
      { key: 'distanceM', label: 'Distance', show: km('distanceM'), numeric: true, total: (t) => formatKm(t.distanceM ?? 0) },
      { key: 'drivingS', label: 'Driving', show: dur('drivingS'), numeric: true, total: (t) => formatDuration(t.drivingS ?? 0) },
      { key: 'idleS', label: 'Idle', show: dur('idleS'), numeric: true, total: (t) => formatDuration(t.idleS ?? 0) },
      { key: 'maxSpeedKmh', label: 'Max speed', show: num('maxSpeedKmh', ' km/h'), numeric: true, total: (t) => `${t.maxSpeedKmh ?? 0} km/h` },
      { key: 'avgSpeedKmh', label: 'Avg speed', show: num('avgSpeedKmh', ' km/h'), numeric: true, total: (t) => `${t.avgSpeedKmh ?? 0} km/h` },
      { key: 'stops', label: 'Stops', show: num('stops'), numeric: true, total: (t) => String(t.stops ?? 0) },
      { key: 'visits', label: 'Fence visits', show: num('visits'), numeric: true, total: (t) => String(t.visits ?? 0) },
      { key: 'alerts', label: 'Alerts', show: num('alerts'), numeric: true, total: (t) => String(t.alerts ?? 0) },
      { key: 'drivingEvents', label: 'Driving events', show: num('drivingEvents'), numeric: true, total: (t) => String(t.drivingEvents ?? 0) },
    ],
  },
  trips: {
    label: 'Journeys',
    tracks: true,
    columns: [
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName'), total: (t) => `${t.rows} journeys` },
      { key: 'startAt', label: 'Start (UTC)', show: time('startAt') },
      { key: 'endAt', label: 'End (UTC)', show: time('endAt') },
      { key: 'startPlace', label: 'From', show: place('startPlace', 'startLat', 'startLng') },
      { key: 'endPlace', label: 'To', show: place('endPlace', 'endLat', 'endLng') },
      { key: 'distanceM', label: 'Distance', show: km('distanceM'), numeric: true, total: (t) => formatKm(t.distanceM ?? 0) },
      { key: 'durationS', label: 'Duration', show: dur('durationS'), numeric: true, total: (t) => formatDuration(t.durationS ?? 0) },
      { key: 'idleS', label: 'Idle', show: dur('idleS'), numeric: true, total: (t) => formatDuration(t.idleS ?? 0) },
      { key: 'maxSpeedKmh', label: 'Max speed', show: num('maxSpeedKmh', ' km/h'), numeric: true, total: (t) => `${t.maxSpeedKmh ?? 0} km/h` },
      { key: 'avgSpeedKmh', label: 'Avg speed', show: num('avgSpeedKmh', ' km/h'), numeric: true },
      { key: 'driverName', label: 'Driver', show: text('driverName') },
    ],
  },
  stops: {
    label: 'Stops',
    columns: [
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName'), total: (t) => `${t.rows} stops` },
      { key: 'startAt', label: 'From (UTC)', show: time('startAt') },
      { key: 'endAt', label: 'Until (UTC)', show: time('endAt') },
      { key: 'durationS', label: 'Duration', show: dur('durationS'), numeric: true, total: (t) => formatDuration(t.durationS ?? 0) },
      { key: 'place', label: 'Place', show: place('place', 'lat', 'lng') },
      { key: 'driverName', label: 'Driver', show: text('driverName') },
    ],
  },
  'geofence-visits': {
    label: 'Fence visits',
    columns: [
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName'), total: (t) => `${t.rows} visits` },
      { key: 'geofenceName', label: 'Fence', show: text('geofenceName') },
      { key: 'arrivedAt', label: 'Arrived (UTC)', show: time('arrivedAt') },
      { key: 'departedAt', label: 'Left (UTC)', show: (r) => (r.departedAt ? formatTime(r.departedAt as string) : 'still inside') },
      { key: 'dwellS', label: 'Dwell', show: dur('dwellS'), numeric: true, total: (t) => formatDuration(t.dwellS ?? 0) },
    ],
  },
  'geofence-events': {
    label: 'Fence events',
    columns: [
      { key: 'at', label: 'Time (UTC)', show: time('at'), total: (t) => `${t.rows} events` },
      { key: 'event', label: 'Event', show: (r) => FENCE_EVENT_LABEL[r.event as GeofenceEventType] ?? String(r.event) },
      { key: 'geofenceName', label: 'Fence', show: text('geofenceName') },
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName') },
      { key: 'etaS', label: 'Expected in', show: (r) => (r.etaS === null ? '—' : formatDuration(r.etaS as number)), numeric: true },
      { key: 'lat', label: 'Where', show: coords('lat', 'lng') },
    ],
  },
  alerts: {
    label: 'Alerts',
    columns: [
      { key: 'at', label: 'Time (UTC)', show: time('at'), total: (t) => `${t.rows} alerts` },
      { key: 'type', label: 'Type', show: (r) => String(r.type).replace(/_/g, ' ') },
      { key: 'severity', label: 'Severity', show: text('severity') },
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName') },
      { key: 'message', label: 'Message', show: text('message') },
    ],
  },
  events: {
    label: 'Events',
    columns: [
      { key: 'at', label: 'Time (UTC)', show: time('at'), total: (t) => `${t.rows} events` },
      { key: 'type', label: 'Event', show: text('type') },
      { key: 'vehicleName', label: 'Vehicle', show: text('vehicleName') },
      { key: 'summary', label: 'Details', show: text('summary') },
    ],
  },
};

const PRESETS = [
  { label: 'Today', from: 0, to: 0 },
  { label: 'Yesterday', from: 1, to: 1 },
  { label: 'Last 7 days', from: 6, to: 0 },
  { label: 'Last 30 days', from: 29, to: 0 },
];

/** /reports: summary, journeys, stops, fence visits, alerts and events over a range, with totals, a chart and exports. */
export function ReportsPage() {
  const session = useRequiredSession();
  if (!session) return null;
  const { user } = session;
  if (user.role === 'driver') {
    return (
      <div className="flex min-h-full flex-col">
        <AppHeader user={user} page={PAGE} onSignOut={clearSession} />
        <main className="mx-auto w-full max-w-3xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="reports-forbidden">
            <StateMessage kind="empty" title="Reports are for admins, managers and viewers" detail="You are signed in as a driver. Your own trips are in the driver app." />
          </div>
        </main>
      </div>
    );
  }
  return <ReportsScreen user={user} />;
}

interface Params {
  report: ReportName;
  from: string;
  to: string;
  vehicleIds: string[];
  /** A vehicle group's name, '' for every vehicle. */
  vehicleGroup: string;
  geofenceIds: string[];
  /** Fence events: one kind ("enter", …), '' for every kind. */
  fenceEvent: string;
  /** Summary: a row per vehicle, driver or vehicle group. */
  groupBy: SummaryGroupBy;
}

const REPORT_NAMES = REPORTS_LIST;
/** Reports a fence narrows (the editor links to them with `geofenceIds`). */
const BY_FENCE: readonly ReportName[] = ['geofence-visits', 'geofence-events'];

/** The page's starting point from its link (`?report=geofence-visits&geofenceIds=…` from a fence in the editor). */
function paramsFromUrl(now: number): Params {
  const q = new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search);
  const report = (REPORT_NAMES as readonly string[]).includes(q.get('report') ?? '') ? (q.get('report') as ReportName) : 'summary';
  const ids = (key: string) => (q.get(key) ?? '').split(',').filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const geofenceIds = ids('geofenceIds');
  const day = /^\d{4}-\d{2}-\d{2}$/;
  const from = day.test(q.get('from') ?? '') ? q.get('from')! : utcDay(now, geofenceIds.length > 0 ? 6 : 1);
  const to = day.test(q.get('to') ?? '') ? q.get('to')! : utcDay(now, geofenceIds.length > 0 ? 0 : 1);
  const fenceEvent = (GEOFENCE_EVENT_TYPES as readonly string[]).includes(q.get('types') ?? '') ? q.get('types')! : '';
  const groupBy = (SUMMARY_GROUP_BY as readonly string[]).includes(q.get('groupBy') ?? '') ? (q.get('groupBy') as SummaryGroupBy) : 'vehicle';
  return { report, from, to, vehicleIds: ids('vehicleIds'), vehicleGroup: (q.get('vehicleGroup') ?? '').slice(0, 60), geofenceIds, fenceEvent, groupBy };
}

function queryString(p: Params, format?: string): string {
  const q = new URLSearchParams({ from: p.from, to: p.to });
  if (p.vehicleIds.length > 0) q.set('vehicleIds', p.vehicleIds.join(','));
  if (p.vehicleGroup) q.set('vehicleGroup', p.vehicleGroup);
  if (p.geofenceIds.length > 0 && BY_FENCE.includes(p.report)) q.set('geofenceIds', p.geofenceIds.join(','));
  if (p.fenceEvent && p.report === 'geofence-events') q.set('types', p.fenceEvent);
  if (p.report === 'summary' && p.groupBy !== 'vehicle') q.set('groupBy', p.groupBy);
  if (format) q.set('format', format);
  return q.toString();
}

function ReportsScreen({ user }: { user: PublicUser }) {
  const [params, setParams] = useState<Params>(() => paramsFromUrl(Date.now()));
  const [sort, setSort] = useState<{ key: string; dir: 'asc' | 'desc' } | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const canSchedule = user.role === 'admin' || user.role === 'manager';
  const result = useQuery({
    queryKey: ['reports', params],
    queryFn: () => apiJson<ReportResponse<Row>>(`/api/v1/reports/${params.report}?${queryString(params)}`),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const def = REPORTS[params.report];
  const rows = useMemo(() => {
    const data = (result.data?.report === params.report ? result.data.rows : []) as Row[];
    return sort ? sortRows(data, sort.key, sort.dir) : data;
  }, [result.data, params.report, sort]);
  const set = (patch: Partial<Params>) => setParams((p) => ({ ...p, ...patch }));
  const groups = useVehicleGroups();
  // Replay what the report shows: the picked vehicles, else the group's.
  const replayVehicles = params.vehicleIds.length > 0 ? params.vehicleIds : [...(groups.get(params.vehicleGroup) ?? [])];
  const error = result.error instanceof RequestError ? result.error : result.error ? new RequestError(0, 'HTTP', result.error.message) : null;

  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page={PAGE} onSignOut={clearSession} status={result.isFetching ? <Spinner className="h-4 w-4" /> : undefined} />
      <main className="mx-auto w-full max-w-7xl flex-1 space-y-4 p-4">
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Report">
          <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 px-4 py-3">
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
              Report
              <select className={FIELD} value={params.report} onChange={(e) => (setSort(null), set({ report: e.target.value as ReportName }))} data-testid="report-kind">
                {(Object.keys(REPORTS) as ReportName[]).map((k) => (
                  <option key={k} value={k}>
                    {REPORTS[k].label}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
              From
              <input type="date" className={FIELD} value={params.from} max={params.to} onChange={(e) => e.target.value && set({ from: e.target.value })} data-testid="report-from" />
            </label>
            <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
              To (inclusive)
              <input type="date" className={FIELD} value={params.to} onChange={(e) => e.target.value && set({ to: e.target.value })} data-testid="report-to" />
            </label>
            <div className="flex gap-1" role="group" aria-label="Quick ranges">
              {PRESETS.map((p) => (
                <button key={p.label} type="button" className={BUTTON} onClick={() => set({ from: utcDay(Date.now(), p.from), to: utcDay(Date.now(), p.to) })}>
                  {p.label}
                </button>
              ))}
            </div>
            <GroupPicker groups={groups} selected={params.vehicleGroup} onChange={(vehicleGroup) => set({ vehicleGroup })} />
            {params.report === 'summary' && (
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
                Rows per
                <select className={FIELD} value={params.groupBy} onChange={(e) => set({ groupBy: e.target.value as SummaryGroupBy })} data-testid="report-group-by">
                  {SUMMARY_GROUP_BY.map((g) => (
                    <option key={g} value={g}>
                      {SUMMARY_ROW_LABEL[g]}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <VehiclePicker selected={params.vehicleIds} onChange={(vehicleIds) => set({ vehicleIds })} />
            {BY_FENCE.includes(params.report) && <FencePicker selected={params.geofenceIds} onChange={(geofenceIds) => set({ geofenceIds })} />}
            {params.report === 'geofence-events' && (
              <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
                Event
                <select className={FIELD} value={params.fenceEvent} onChange={(e) => set({ fenceEvent: e.target.value })} data-testid="report-fence-event">
                  <option value="">Every kind</option>
                  {GEOFENCE_EVENT_TYPES.map((k) => (
                    <option key={k} value={k}>
                      {FENCE_EVENT_LABEL[k]}
                    </option>
                  ))}
                </select>
              </label>
            )}
            <Link href={replayVehicles.length > 0 ? `/replay?vehicles=${replayVehicles.slice(0, 20).join(',')}` : '/replay'} className={BUTTON} data-testid="open-replay">
              Replay on the map
            </Link>
            <div className="ml-auto flex gap-1" role="group" aria-label="Export">
              <ExportButton params={params} format="csv" label="CSV" />
              <ExportButton params={params} format="xlsx" label="Excel" />
              {params.report === 'summary' && <ExportButton params={params} format="pdf" label="PDF" />}
              {def.tracks && <ExportButton params={params} format="gpx" label="GPX" />}
              {def.tracks && <ExportButton params={params} format="kml" label="KML" />}
              {canSchedule && (
                <button type="button" className={BUTTON} onClick={() => setScheduling(true)} data-testid="schedule-open" title="Make this report daily or weekly, for webhooks and e-mail">
                  Schedule this report…
                </button>
              )}
            </div>
          </div>
          <p className="px-4 pt-2 text-xs text-slate-500">Days are UTC. Journeys and stops count on the day they started.</p>
          {error ? (
            <StateMessage kind="error" title="The report could not be made" detail={error.message} action={{ label: 'Try again', onClick: () => void result.refetch() }} />
          ) : result.isPending ? (
            <StateMessage kind="loading" title="Making the report…" />
          ) : result.data?.empty ? (
            <div data-testid="report-empty">
              <StateMessage kind="empty" title={result.data.empty} detail="Pick another range or other vehicles." />
            </div>
          ) : (
            <>
              {params.report === 'summary' && result.data?.days && (
                <div className="flex flex-wrap items-start gap-6">
                  <DistanceChart days={result.data.days} />
                  {result.data.hours && <HourHeat hours={result.data.hours} />}
                </div>
              )}
              <ReportTable columns={params.report === 'summary' ? def.columns.map((c, i) => (i === 0 ? { ...c, label: SUMMARY_ROW_LABEL[params.groupBy] } : c)) : def.columns} rows={rows} totals={result.data?.totals ?? {}} sort={sort} onSort={setSort} />
              {result.data?.truncated && <p className="px-4 pb-3 text-xs text-amber-700">Showing the first {rows.length.toLocaleString('en')} rows: the export files have them all.</p>}
            </>
          )}
        </section>
        <ScheduleList canEdit={canSchedule} reportLabel={(r) => REPORTS[r].label} />
        {/* The page's filters as it asks the report with them (the schedule drops range and format). */}
        {scheduling && <ScheduleDialog report={params.report} reportLabel={def.label} filters={filtersFromQuery(queryString(params))} onClose={() => setScheduling(false)} />}
      </main>
    </div>
  );
}

function VehiclePicker({ selected, onChange }: { selected: string[]; onChange: (ids: string[]) => void }) {
  const vehicles = useVehicles();
  const list = vehicles.data ?? [];
  const label = selected.length === 0 ? 'All vehicles' : selected.length === 1 ? (list.find((v) => v.id === selected[0])?.name ?? '1 vehicle') : `${selected.length} vehicles`;
  return (
    <details className="relative" data-testid="report-vehicles">
      <summary className={`${FIELD} cursor-pointer list-none`}>{label} ▾</summary>
      <div className="absolute z-20 mt-1 max-h-72 w-64 overflow-auto rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200">
        <button type="button" className="mb-1 text-xs text-emerald-700 hover:underline" onClick={() => onChange([])}>
          All vehicles
        </button>
        {vehicles.isPending && <p className="text-xs text-slate-500">Loading vehicles…</p>}
        {list.map((v) => (
          <label key={v.id} className="flex items-center gap-2 py-0.5 text-sm">
            <input type="checkbox" checked={selected.includes(v.id)} onChange={(e) => onChange(e.target.checked ? [...selected, v.id] : selected.filter((id) => id !== v.id))} />
            {v.name}
          </label>
        ))}
      </div>
    </details>
  );
}

/** The tenant's vehicle groups (none: no picker). */
function GroupPicker({ groups, selected, onChange }: { groups: ReadonlyMap<string, ReadonlySet<string>>; selected: string; onChange: (group: string) => void }) {
  if (groups.size === 0 && !selected) return null;
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      Group
      <select className={FIELD} value={selected} onChange={(e) => onChange(e.target.value)} data-testid="report-group">
        <option value="">All groups</option>
        {[...groups].map(([name, ids]) => (
          <option key={name} value={name}>
            {name} ({ids.size})
          </option>
        ))}
        {selected && !groups.has(selected) && <option value={selected}>{selected}</option>}
      </select>
    </label>
  );
}

function FencePicker({ selected, onChange }: { selected: string[]; onChange: (ids: string[]) => void }) {
  const fences = useGeofences();
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      Fence
      <select className={FIELD} value={selected[0] ?? ''} onChange={(e) => onChange(e.target.value ? [e.target.value] : [])} data-testid="report-fence">
        <option value="">All fences</option>
        {(fences.data ?? []).map((f) => (
          <option key={f.id} value={f.id}>
            {f.properties.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function ExportButton({ params, format, label }: { params: Params; format: string; label: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const download = async () => {
    setState('busy');
    try {
      const response = await authFetch(`/api/v1/reports/${params.report}?${queryString(params, format)}`);
      if (!response.ok) throw new Error(`export failed (${response.status})`);
      const blob = await response.blob();
      const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `report.${format}`;
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setState('idle');
    } catch {
      setState('failed');
    }
  };
  return (
    <button type="button" className={BUTTON} onClick={() => void download()} disabled={state === 'busy'} data-testid={`export-${format}`} title={state === 'failed' ? 'The export failed; try again' : `Download as ${label}`}>
      {state === 'busy' ? '…' : state === 'failed' ? `${label} ✕` : label}
    </button>
  );
}

function ReportTable({ columns, rows, totals, sort, onSort }: { columns: ColumnDef[]; rows: Row[]; totals: Record<string, number>; sort: { key: string; dir: 'asc' | 'desc' } | null; onSort: (s: { key: string; dir: 'asc' | 'desc' }) => void }) {
  return (
    <div className="overflow-x-auto px-4 pb-4">
      <table className="w-full text-sm" data-testid="report-table">
        <thead>
          <tr className="border-b border-slate-200 text-left text-xs text-slate-500">
            {columns.map((c) => {
              const active = sort?.key === c.key;
              return (
                <th key={c.key} className={`py-2 pr-3 font-medium ${c.numeric ? 'text-right' : ''}`} aria-sort={active ? (sort!.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="hover:text-slate-900" onClick={() => onSort({ key: c.key, dir: active && sort!.dir === 'desc' ? 'asc' : 'desc' })}>
                    {c.label}
                    {active ? (sort!.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-b border-slate-100 last:border-0">
              {columns.map((c) => (
                <td key={c.key} className={`py-1.5 pr-3 ${c.numeric ? 'text-right tabular-nums' : ''}`}>
                  {c.show(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t-2 border-slate-300 font-semibold" data-testid="report-totals">
            {columns.map((c) => (
              <td key={c.key} className={`py-2 pr-3 ${c.numeric ? 'text-right tabular-nums' : ''}`}>
                {c.total?.(totals) ?? ''}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** When the fleet sets off: journeys started in each UTC hour, darker for more. */
function HourHeat({ hours }: { hours: SummaryHour[] }) {
  const max = Math.max(1, ...hours.map((h) => h.trips));
  return (
    <figure className="px-4 pt-3" data-testid="hour-heat">
      <figcaption className="text-xs font-medium text-slate-600">Journeys by starting hour (UTC)</figcaption>
      <div className="mt-2 grid grid-cols-12 gap-0.5">
        {hours.map((h) => (
          <div
            key={h.hour}
            className="flex h-8 w-8 items-end justify-center rounded-sm text-[9px] text-slate-700"
            style={{ backgroundColor: `rgba(16, 185, 129, ${0.08 + (0.92 * h.trips) / max})` }}
            title={`${String(h.hour).padStart(2, '0')}:00 — ${h.trips} journeys, ${formatDuration(h.drivingS)} driving`}
          >
            {String(h.hour).padStart(2, '0')}
          </div>
        ))}
      </div>
    </figure>
  );
}

/** Distance per day (the selected vehicles together): plain SVG bars with a labelled axis. */
function DistanceChart({ days }: { days: SummaryDay[] }) {
  if (days.length === 0) return null;
  const W = 720;
  const H = 160;
  const left = 48;
  const bottom = 22;
  const maxKm = Math.max(...days.map((d) => d.distanceM / 1000));
  const ticks = niceTicks(maxKm);
  const top = ticks[ticks.length - 1]!;
  const bw = (W - left) / days.length;
  const y = (v: number) => (H - bottom) * (1 - v / top);
  const every = Math.ceil(days.length / 12);
  return (
    <figure className="px-4 pt-3" data-testid="distance-chart">
      <figcaption className="text-xs font-medium text-slate-600">Distance per day (km)</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-40 w-full max-w-3xl" role="img" aria-label="Distance per day">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={W} y1={y(t)} y2={y(t)} className="stroke-slate-200" />
            <text x={left - 6} y={y(t) + 4} textAnchor="end" className="fill-slate-500 text-[10px]">
              {t}
            </text>
          </g>
        ))}
        {days.map((d, i) => {
          const v = d.distanceM / 1000;
          return (
            <g key={d.day}>
              <rect x={left + i * bw + bw * 0.15} width={bw * 0.7} y={y(v)} height={H - bottom - y(v)} className="fill-emerald-500">
                <title>{`${d.day}: ${formatKm(d.distanceM)}, ${d.trips} journeys, ${formatDuration(d.drivingS)} driving`}</title>
              </rect>
              {i % every === 0 && (
                <text x={left + i * bw + bw / 2} y={H - 6} textAnchor="middle" className="fill-slate-500 text-[10px]">
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
