'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { io } from 'socket.io-client';
import { PlaceSearch } from '@/components/map/PlaceSearch';
import { labelAt } from '@/components/map/label-at';
import { useHomeArea } from '@/components/map/use-home-area';
import { clearSession } from '@/components/session';
import { AppHeader, StatusDot } from '@/components/ui/AppHeader';
import { apiJson } from '@/components/ui/api-fetch';
import { FieldProblem, INVALID_INPUT } from '@/components/ui/FieldProblem';
import { serverFieldError, type FieldErrors } from '@/components/ui/form-errors';
import { StateMessage } from '@/components/ui/StateMessage';
import { useRequiredSession } from '@/components/use-required-session';
import type { PublicUser } from '@/server/protocol/auth';
import {
  DISPATCH_EVENTS,
  EMERGENCY_TYPES,
  FACTORS,
  type CandidateDto,
  type DispatchPlace,
  type DispatchRequestDto,
  type RequestKind,
} from '@/server/protocol/dispatch';
import { DispatchMap } from './DispatchMap';
import { REQUEST_FIELDS, requestProblems } from './request-form';
import { ageText, candidateLine, distanceText, durationText, FACTOR_LABELS, PRIORITY_LABELS, STATUS_LABELS } from './format';

const INPUT = 'w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const LABEL = 'block text-xs font-medium text-slate-600';
const OPEN_KEY = ['dispatch-requests', 'open'] as const;
const RECENT_KEY = ['dispatch-requests', 'recent'] as const;
/** The capabilities offered as checkboxes (the API knows more: vehicle types too). */
const COMMON_CAPABILITIES = ['refrigerated', 'wheelchair', 'lift', 'hazmat', 'tow', 'medical', 'passenger', 'cargo'] as const;
const PRIORITY_BADGE: Record<string, string> = {
  emergency: 'bg-red-100 text-red-800 ring-red-300',
  high: 'bg-orange-100 text-orange-800 ring-orange-300',
  normal: 'bg-sky-100 text-sky-800 ring-sky-300',
  low: 'bg-slate-100 text-slate-700 ring-slate-300',
};

/** /dispatch: the dispatcher console (admins and managers). */
export function DispatchPage() {
  const session = useRequiredSession();
  if (!session) return null;
  if (session.user.role !== 'admin' && session.user.role !== 'manager') {
    return (
      <div className="flex min-h-full flex-col">
        <AppHeader user={session.user} page="dispatch" onSignOut={clearSession} />
        <StateMessage kind="error" title="The dispatch console is for admins and managers." />
      </div>
    );
  }
  return <DispatchScreen user={session.user} token={session.token} />;
}

/** Live `dispatch:update` on /fleet: the queue refetches whenever a request changes anywhere. */
function useDispatchLive(token: string): 'connecting' | 'live' | 'offline' {
  const client = useQueryClient();
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');
  useEffect(() => {
    // A connection of its own: the live map's (left behind by client-side navigation) is closed and cached by socket.io-client.
    const socket = io('/fleet', { auth: { token }, forceNew: true });
    socket.on('connect', () => setState('live'));
    socket.on('disconnect', () => setState('offline'));
    socket.on('connect_error', () => setState('offline'));
    socket.on(DISPATCH_EVENTS.update, () => void client.invalidateQueries({ queryKey: ['dispatch-requests'] }));
    return () => {
      socket.disconnect();
    };
  }, [token, client]);
  return state;
}

function DispatchScreen({ user, token }: { user: PublicUser; token: string }) {
  const live = useDispatchLive(token);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  const open = useQuery({ queryKey: OPEN_KEY, queryFn: async () => (await apiJson<{ requests: DispatchRequestDto[] }>('/api/v1/dispatch/requests?open=true')).requests, refetchInterval: 30_000 });
  const recent = useQuery({
    queryKey: RECENT_KEY,
    queryFn: async () => (await apiJson<{ requests: DispatchRequestDto[] }>('/api/v1/dispatch/requests?status=ASSIGNED,REJECTED,CANCELLED&limit=15')).requests,
  });
  const home = useHomeArea();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [picking, setPicking] = useState(false);
  const [location, setLocation] = useState<DispatchPlace | null>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const selected = [...(open.data ?? []), ...(recent.data ?? [])].find((r) => r.id === selectedId) ?? null;

  const pick = useCallback(async (at: { lng: number; lat: number }) => {
    setPicking(false);
    setLocation({ ...at, label: await labelAt(at), source: 'map' });
  }, []);

  const liveDot = live === 'live' ? { label: 'Live', dot: 'bg-emerald-400' } : live === 'connecting' ? { label: 'Connecting…', dot: 'bg-amber-400' } : { label: 'Offline', dot: 'bg-red-500' };
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page="dispatch" onSignOut={clearSession} status={<StatusDot label={liveDot.label} dot={liveDot.dot} testId="dispatch-live-state" />} />
      <main className="grid w-full flex-1 gap-4 p-4 xl:grid-cols-[340px_minmax(0,1fr)_400px]">
        <aside className="h-fit rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-label="New request">
          <h2 className="mb-3 text-sm font-semibold">New request</h2>
          <NewRequestForm map={map} location={location} onLocation={setLocation} picking={picking} onPicking={setPicking} onCreated={(r) => setSelectedId(r.id)} />
        </aside>
        <div className="flex min-w-0 flex-col gap-4">
          <div className="h-80">
            <DispatchMap
              bbox={home}
              requests={open.data ?? []}
              selectedId={selectedId}
              route={selected?.route ?? null}
              picked={location}
              picking={picking}
              onPick={(at) => void pick(at)}
              onSelect={setSelectedId}
              onMap={setMap}
            />
          </div>
          <Queue title="Open requests" query={open} now={now} selectedId={selectedId} onSelect={setSelectedId} empty="No open requests. New ones appear here, most urgent first." testId="dispatch-queue" />
          <Queue title="Recently decided" query={recent} now={now} selectedId={selectedId} onSelect={setSelectedId} empty="Nothing decided yet." testId="dispatch-recent" />
        </div>
        <aside className="min-w-0" aria-label="Selected request">
          {selected ? <RequestDetail key={selected.id} request={selected} /> : <div className="rounded-xl bg-white p-4 text-sm text-slate-500 shadow-sm ring-1 ring-slate-200">Select a request to see its candidates and why each scores as it does.</div>}
        </aside>
      </main>
    </div>
  );
}

function Queue({
  title,
  query,
  now,
  selectedId,
  onSelect,
  empty,
  testId,
}: {
  title: string;
  query: { data?: DispatchRequestDto[]; isPending: boolean; isError: boolean; error: Error | null; refetch: () => unknown };
  now: number;
  selectedId: string | null;
  onSelect: (id: string) => void;
  empty: string;
  testId: string;
}) {
  return (
    <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label={title}>
      <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold">
        {title} {query.data && <span className="font-normal text-slate-500">· {query.data.length}</span>}
      </h2>
      {query.isPending ? (
        <StateMessage kind="loading" title="Loading requests…" />
      ) : query.isError ? (
        <StateMessage kind="error" title="Could not load requests" detail={query.error?.message} action={{ label: 'Retry', onClick: () => void query.refetch() }} />
      ) : query.data!.length === 0 ? (
        <p className="px-4 py-6 text-center text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid={testId}>
          {query.data!.map((r) => (
            <li key={r.id}>
              <button
                type="button"
                onClick={() => onSelect(r.id)}
                data-testid="dispatch-row"
                data-status={r.status}
                className={`grid w-full grid-cols-[6rem_minmax(0,1fr)_8rem] items-center gap-3 px-4 py-2 text-left hover:bg-slate-50 ${r.id === selectedId ? 'bg-sky-50' : ''}`}
              >
                <span className={`w-fit rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ${PRIORITY_BADGE[r.priority]}`}>{PRIORITY_LABELS[r.priority]}</span>
                <span className="min-w-0">
                  <span className="block truncate text-sm font-medium">
                    {r.serviceType}
                    {r.kind === 'emergency' && r.emergencyType ? ` · ${r.emergencyType}, severity ${r.severity}` : ''}
                  </span>
                  <span className="block truncate text-xs text-slate-500">
                    {r.location.label}
                    {r.vehicleName ? ` · ${r.vehicleName}${r.etaS != null ? `, ETA ${durationText(r.etaS)}` : ''}` : ''}
                    {r.reason && r.status !== 'OFFERED' ? ` · ${r.reason}` : ''}
                  </span>
                </span>
                <span className="text-right text-xs">
                  <span className="block font-medium text-slate-700">{STATUS_LABELS[r.status]}</span>
                  <span className="block text-slate-400">{r.scheduledTime && Date.parse(r.dispatchAt) > now ? `due ${new Date(r.dispatchAt).toLocaleTimeString([], { timeStyle: 'short' })}` : `waiting ${ageText(r.createdAt, now)}`}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function NewRequestForm({
  map,
  location,
  onLocation,
  picking,
  onPicking,
  onCreated,
}: {
  map: MapLibreMap | null;
  location: DispatchPlace | null;
  onLocation: (p: DispatchPlace | null) => void;
  picking: boolean;
  onPicking: (on: boolean) => void;
  onCreated: (r: DispatchRequestDto) => void;
}) {
  const client = useQueryClient();
  const [kind, setKind] = useState<RequestKind>('service');
  // Problems found before sending (all at once, each at its field) and the server's refusal.
  const [problems, setProblems] = useState<FieldErrors>({});
  const [refusal, setRefusal] = useState<unknown>(null);
  const [preview, setPreview] = useState<{ candidates: CandidateDto[]; reason: string | null } | null>(null);

  const bodyOf = (form: HTMLFormElement): Record<string, unknown> => {
    const data = new FormData(form);
    const text = (k: string) => String(data.get(k) ?? '').trim();
    const num = (k: string) => (text(k) === '' ? null : Number(text(k)));
    const body: Record<string, unknown> = {
      kind,
      serviceType: text('serviceType'),
      capabilities: data.getAll('capabilities').map(String),
      capacity: num('capacity'),
      notes: text('notes') || null,
      ...(location ? { location } : {}),
    };
    if (kind !== 'emergency') body.priority = text('priority') || 'normal';
    if (kind === 'emergency') Object.assign(body, { emergencyType: text('emergencyType'), severity: num('severity') });
    if (kind === 'scheduled') {
      const at = text('scheduledTime');
      body.scheduledTime = at ? new Date(at).toISOString() : '';
      body.windowMin = num('windowMin') ?? 30;
      if (text('recurrence')) body.recurrence = text('recurrence');
    }
    return body;
  };
  const fail = (e: unknown) => setRefusal(e);
  /** The body when the form is complete; otherwise null, with every problem shown at its field. */
  const checked = (form: HTMLFormElement): Record<string, unknown> | null => {
    const body = bodyOf(form);
    const found = requestProblems(body);
    setProblems(found);
    setRefusal(null);
    return Object.keys(found).length === 0 ? body : null;
  };

  const create = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiJson<{ request: DispatchRequestDto }>('/api/v1/dispatch/requests', { body }),
    onSuccess: ({ request }, _body) => {
      void client.invalidateQueries({ queryKey: ['dispatch-requests'] });
      onCreated(request);
      setPreview(null);
      onLocation(null);
    },
    onError: fail,
  });
  const previewMutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiJson<{ candidates: CandidateDto[]; reason: string | null }>('/api/v1/dispatch/candidates', { body }),
    onSuccess: setPreview,
    onError: fail,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = checked(form);
    if (body) create.mutate(body, { onSuccess: () => form.reset() });
  };
  const server = serverFieldError(refusal, REQUEST_FIELDS);
  const shown: FieldErrors = server?.field && !problems[server.field] ? { ...problems, [server.field]: server.message } : problems;
  const invalid = (field: string) => (shown[field] ? INVALID_INPUT : '');
  const problem = (field: string) => <FieldProblem id={`dispatch-${field}-problem`} text={shown[field]} testId={`dispatch-error-${field}`} />;
  const described = (field: string) => (shown[field] ? { 'aria-invalid': true, 'aria-describedby': `dispatch-${field}-problem` } : {});
  // A place picked on the map or found by the search answers a missing location.
  useEffect(() => {
    if (location) setProblems(({ location: _, ...rest }) => rest);
  }, [location]);
  // Editing a field clears its message (the next Dispatch checks again).
  const edited = (field: string) => {
    if (problems[field]) setProblems(({ [field]: _, ...rest }) => rest);
    if (server?.field === field) setRefusal(null);
  };

  return (
    <form
      onSubmit={submit}
      onChange={(e) => {
        const name = (e.target as Element).getAttribute('name');
        if (name) edited(name);
      }}
      className="space-y-3"
      data-testid="dispatch-form"
      noValidate
    >
      <fieldset className="flex gap-1 rounded-lg bg-slate-100 p-1 text-sm" aria-label="Kind of request">
        {(['service', 'emergency', 'scheduled'] as const).map((k) => (
          <label key={k} className={`flex-1 cursor-pointer rounded-md px-2 py-1 text-center capitalize ${kind === k ? 'bg-white font-semibold shadow-sm' : 'text-slate-600'}`}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} className="sr-only" />
            {k}
          </label>
        ))}
      </fieldset>
      <div>
        <span className={LABEL}>Location</span>
        <div className={`mt-1 space-y-1 rounded-md ${invalid('location')}`}>
          <PlaceSearch
            map={map}
            variant="light"
            width="w-full"
            onChoose={(hit) => {
              onLocation({ lng: hit.lng, lat: hit.lat, label: hit.label, source: 'address' });
              edited('location');
            }}
          />
          <div className="flex items-center gap-2 text-xs">
            <button type="button" onClick={() => onPicking(!picking)} className="rounded-md border border-slate-300 px-2 py-1 font-medium text-slate-700 hover:bg-slate-50" data-testid="pick-on-map">
              {picking ? 'Cancel picking' : 'Pick on the map'}
            </button>
            <span className="min-w-0 truncate text-slate-600" data-testid="picked-location">
              {location ? `${location.source === 'map' ? 'Picked' : 'Address'}: ${location.label}` : 'No location chosen yet'}
            </span>
          </div>
        </div>
        {problem('location')}
      </div>
      <label className={LABEL}>
        What is needed
        <input name="serviceType" className={`${INPUT} ${invalid('serviceType')}`} placeholder="e.g. chilled delivery, wheelchair pickup" maxLength={80} required {...described('serviceType')} />
        {problem('serviceType')}
      </label>
      {kind === 'emergency' ? (
        <div className="grid grid-cols-2 gap-2">
          <label className={LABEL}>
            Emergency
            <select name="emergencyType" className={`${INPUT} ${invalid('emergencyType')}`} defaultValue="medical" {...described('emergencyType')}>
              {EMERGENCY_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
            {problem('emergencyType')}
          </label>
          <label className={LABEL}>
            Severity (1–5)
            <input name="severity" type="number" min={1} max={5} defaultValue={3} className={`${INPUT} ${invalid('severity')}`} {...described('severity')} />
            {problem('severity')}
          </label>
        </div>
      ) : (
        <label className={LABEL}>
          Priority
          <select name="priority" className={INPUT} defaultValue="normal">
            <option value="low">Low</option>
            <option value="normal">Normal</option>
            <option value="high">High</option>
          </select>
        </label>
      )}
      {kind === 'scheduled' && (
        <div className="grid grid-cols-[1fr_6rem] gap-2">
          <label className={LABEL}>
            When
            <input name="scheduledTime" type="datetime-local" className={`${INPUT} ${invalid('scheduledTime')}`} {...described('scheduledTime')} />
            {problem('scheduledTime')}
          </label>
          <label className={LABEL}>
            Window (min)
            <input name="windowMin" type="number" min={0} defaultValue={30} className={`${INPUT} ${invalid('windowMin')}`} {...described('windowMin')} />
            {problem('windowMin')}
          </label>
          <label className={`${LABEL} col-span-2`}>
            Repeat (RRULE, optional)
            <input name="recurrence" className={`${INPUT} ${invalid('recurrence')}`} placeholder="FREQ=WEEKLY;BYDAY=MO,WE" maxLength={500} {...described('recurrence')} />
            {problem('recurrence')}
          </label>
        </div>
      )}
      <fieldset className={`rounded-md ${invalid('capabilities')}`}>
        <legend className={LABEL}>Vehicle must have</legend>
        <div className="mt-1 grid grid-cols-2 gap-1 text-sm">
          {COMMON_CAPABILITIES.map((c) => (
            <label key={c} className="flex items-center gap-1.5">
              <input type="checkbox" name="capabilities" value={c} /> {c}
            </label>
          ))}
        </div>
        {problem('capabilities')}
      </fieldset>
      <div className="grid grid-cols-2 gap-2">
        <label className={LABEL}>
          Seats / units
          <input name="capacity" type="number" min={1} className={`${INPUT} ${invalid('capacity')}`} placeholder="any" {...described('capacity')} />
          {problem('capacity')}
        </label>
        <label className={LABEL}>
          Notes
          <input name="notes" className={`${INPUT} ${invalid('notes')}`} maxLength={500} placeholder="gate code, contact…" {...described('notes')} />
          {problem('notes')}
        </label>
      </div>
      {server && !server.field && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="dispatch-form-error">
          {server.message}
        </p>
      )}
      <div className="flex gap-2">
        <button
          type="button"
          disabled={previewMutation.isPending}
          onClick={(e) => {
            const body = checked(e.currentTarget.form!);
            if (body) previewMutation.mutate(body);
          }}
          className="flex-1 rounded-md border border-slate-300 px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
        >
          {previewMutation.isPending ? 'Scoring…' : 'Preview candidates'}
        </button>
        <button type="submit" disabled={create.isPending} className="flex-1 rounded-md bg-emerald-600 px-3 py-2 text-sm font-semibold text-white hover:bg-emerald-700 disabled:opacity-50" data-testid="dispatch-create">
          {create.isPending ? 'Sending…' : 'Dispatch'}
        </button>
      </div>
      {preview && (
        <div className="rounded-md border border-slate-200" data-testid="dispatch-preview">
          <p className="border-b border-slate-100 px-3 py-1.5 text-xs font-semibold text-slate-500">Who would get it now</p>
          {preview.reason && <p className="px-3 py-2 text-sm text-amber-800">{preview.reason}</p>}
          <CandidateList candidates={preview.candidates.slice(0, 5)} />
        </div>
      )}
    </form>
  );
}

function RequestDetail({ request }: { request: DispatchRequestDto }) {
  const client = useQueryClient();
  const isOpen = ['QUEUED', 'OFFERED', 'DEFERRED'].includes(request.status);
  const candidates = useQuery({
    queryKey: ['dispatch-requests', 'candidates', request.id, request.updatedAt],
    queryFn: () => apiJson<{ candidates: CandidateDto[]; reason: string | null }>(`/api/v1/dispatch/requests/${request.id}/candidates`),
    enabled: isOpen,
  });
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = useMutation({
    mutationFn: (a: { path: string; body: unknown }) => apiJson(`/api/v1/dispatch/requests/${request.id}/${a.path}`, { body: a.body }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['dispatch-requests'] }),
    onError: (e) => setError(e instanceof Error ? e.message : String(e)),
  });
  const recommended = candidates.data?.candidates.find((c) => !c.excludedBecause)?.vehicleId;

  return (
    <section className="space-y-3 rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="dispatch-detail">
      <header>
        <p className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          {PRIORITY_LABELS[request.priority]} · {STATUS_LABELS[request.status]}
        </p>
        <h2 className="text-base font-semibold">{request.serviceType}</h2>
        <p className="text-sm text-slate-600">{request.location.label}</p>
        {request.capabilities.length > 0 && <p className="text-xs text-slate-500">Needs: {request.capabilities.join(', ')}</p>}
        {request.vehicleName && (
          <p className="mt-1 text-sm">
            {request.status === 'ASSIGNED' ? 'Assigned to' : 'Offered to'} <b>{request.vehicleName}</b> · ETA {durationText(request.etaS)} · {distanceText(request.distanceM)} by road
            {request.score != null ? ` · score ${request.score.toFixed(2)}` : ''}
          </p>
        )}
        {request.reason && <p className="mt-1 text-sm text-amber-800">{request.reason}</p>}
        {request.status === 'DEFERRED' && request.retryAt && <p className="text-xs text-slate-500">Tried again at {new Date(request.retryAt).toLocaleTimeString()} or as soon as a vehicle frees up.</p>}
      </header>
      {isOpen && (
        <>
          <div className="flex items-center gap-2">
            <input value={reason} onChange={(e) => setReason(e.target.value)} className={INPUT} placeholder="Reason for an override (optional)" maxLength={300} aria-label="Override reason" />
            <button type="button" onClick={() => act.mutate({ path: 'cancel', body: {} })} className="shrink-0 rounded-md border border-red-300 px-2.5 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50">
              Cancel request
            </button>
          </div>
          {error && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
          {candidates.isPending ? (
            <StateMessage kind="loading" title="Scoring candidates…" />
          ) : candidates.isError ? (
            <StateMessage kind="error" title="Could not score candidates" detail={candidates.error.message} action={{ label: 'Retry', onClick: () => void candidates.refetch() }} />
          ) : (
            <>
              {candidates.data.reason && <p className="text-sm text-amber-800">{candidates.data.reason}</p>}
              <CandidateList
                candidates={candidates.data.candidates}
                currentVehicleId={request.vehicleId}
                onAssign={(c) => {
                  setError(null);
                  act.mutate({ path: 'assign', body: { vehicleId: c.vehicleId, ...(c.vehicleId !== recommended && reason.trim() ? { reason: reason.trim() } : {}) } });
                }}
                recommendedId={recommended}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}

function CandidateList({
  candidates,
  onAssign,
  recommendedId,
  currentVehicleId,
}: {
  candidates: CandidateDto[];
  onAssign?: (c: CandidateDto) => void;
  recommendedId?: string;
  currentVehicleId?: string | null;
}) {
  if (candidates.length === 0) return <p className="px-3 py-2 text-sm text-slate-500">No vehicles to score.</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="candidate-list">
      {candidates.map((c) => (
        <li key={c.vehicleId} className={`px-3 py-2 ${c.excludedBecause ? 'opacity-60' : ''}`} data-testid="candidate">
          <div className="flex items-center gap-2">
            <span className="min-w-0 flex-1 truncate text-sm font-medium">
              {c.vehicleName}
              {c.vehicleId === recommendedId && <span className="ml-1.5 rounded bg-emerald-100 px-1.5 text-[11px] font-semibold text-emerald-800">best</span>}
              {c.vehicleId === currentVehicleId && <span className="ml-1.5 rounded bg-sky-100 px-1.5 text-[11px] font-semibold text-sky-800">offered</span>}
            </span>
            {!c.excludedBecause && <span className="text-sm font-semibold tabular-nums">{c.score.toFixed(2)}</span>}
            {onAssign && !c.excludedBecause && c.vehicleId !== currentVehicleId && (
              <button type="button" onClick={() => onAssign(c)} className="rounded-md bg-slate-900 px-2 py-0.5 text-xs font-medium text-white hover:bg-slate-700" data-testid="assign">
                {c.vehicleId === recommendedId ? 'Assign' : 'Override'}
              </button>
            )}
          </div>
          <p className="text-xs text-slate-500">{candidateLine(c)}</p>
          {!c.excludedBecause && (
            <dl className="mt-1 grid grid-cols-3 gap-x-2 gap-y-0.5" aria-label={`Why ${c.vehicleName} scores ${c.score.toFixed(2)}`}>
              {FACTORS.map((f) => (
                <div key={f} className="flex items-center gap-1" title={`${FACTOR_LABELS[f]}: ${c.factors[f].toFixed(2)}`}>
                  <dt className="w-20 truncate text-[11px] text-slate-500">{FACTOR_LABELS[f]}</dt>
                  <dd className="h-1.5 flex-1 rounded bg-slate-100">
                    <span className="block h-1.5 rounded bg-emerald-500" style={{ width: `${Math.round(c.factors[f] * 100)}%` }} />
                  </dd>
                </div>
              ))}
            </dl>
          )}
        </li>
      ))}
    </ul>
  );
}
