'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useVehicleGroups } from '@/components/map/use-vehicle-groups';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { apiJson } from '@/components/ui/api-fetch';
import { useGeofences } from '@/components/ui/list-queries';
import { StateMessage } from '@/components/ui/StateMessage';
import { useLeaveGuard } from '@/components/ui/use-leave-guard';
import {
  ALERT_TYPE_LABEL,
  FENCE_EVENT_LABEL,
  FENCE_TYPE_LABEL,
  type AlertRule,
  type AlertRuleSet,
  type AlertSnooze,
} from '@/server/protocol/alert-rules';
import { ALERT_TYPES, type AlertSeverity, type AlertType } from '@/server/protocol/alerts';
import type { PublicUser } from '@/server/protocol/auth';
import { GEOFENCE_EVENT_TYPES, GEOFENCE_TYPES, type GeofenceEventType, type GeofenceType } from '@/server/protocol/geofences';
import { checkRules, type FormProblems } from './rules-form';
import { SEVERITIES_DESC, SEVERITY_STYLE } from './severity';

const FIELD = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';
const BAD = 'border-red-500 ring-1 ring-red-300';
const RULES_KEY = ['alert-rules'];
const SNOOZES_KEY = ['alert-snoozes'];

/** /alerts/rules: which alerts the tenant gets, quiet hours, flood protection and snoozes (admins and managers change them). */
export function AlertRulesPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <RulesScreen user={session.user} />;
}

function RulesScreen({ user }: { user: PublicUser }) {
  const canEdit = user.role === 'admin' || user.role === 'manager';
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: () => apiJson<{ rules: AlertRuleSet; enabled: boolean }>('/api/v1/alert-rules') });
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page="alert-rules" onSignOut={clearSession} />
      <main className="mx-auto flex w-full max-w-4xl flex-1 flex-col gap-4 p-2 sm:p-4">
        <p className="text-sm">
          <Link href="/alerts" className="text-emerald-700 hover:underline">
            ← Alert history
          </Link>
        </p>
        {rules.isPending ? (
          <StateMessage kind="loading" title="Loading the alert rules…" />
        ) : rules.isError ? (
          <StateMessage kind="error" title="The alert rules could not be loaded" detail={rules.error.message} action={{ label: 'Try again', onClick: () => void rules.refetch() }} />
        ) : (
          <>
            {!rules.data.enabled && (
              <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
                This server raises every alert as its source says (ALERT_POLICY=off): the rules below are kept but not applied.
              </p>
            )}
            <RulesForm initial={rules.data.rules} canEdit={canEdit} />
            <Snoozes canEdit={canEdit} />
          </>
        )}
      </main>
    </div>
  );
}

function RulesForm({ initial, canEdit }: { initial: AlertRuleSet; canEdit: boolean }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<AlertRuleSet>(initial);
  const [problems, setProblems] = useState<FormProblems | null>(null);
  const [saved, setSaved] = useState(false);
  const groups = [...useVehicleGroups().keys()];
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  const save = useMutation({
    mutationFn: (value: AlertRuleSet) => apiJson<{ rules: AlertRuleSet }>('/api/v1/alert-rules', { method: 'PUT', body: value }),
    onSuccess: (result) => {
      client.setQueryData(RULES_KEY, (old: { enabled: boolean } | undefined) => ({ enabled: old?.enabled ?? true, rules: result.rules }));
      setDraft(result.rules);
      setSaved(true);
    },
  });

  // Unsaved changes: leaving the page asks first.
  useLeaveGuard(dirty);

  const change = (next: AlertRuleSet) => {
    setDraft(next);
    setSaved(false);
    if (problems) {
      const check = checkRules(next);
      setProblems(check.ok ? null : check.problems);
    }
  };
  const setRule = (i: number, patch: Partial<AlertRule>) => change({ ...draft, rules: draft.rules.map((r, j) => (j === i ? clean({ ...r, ...patch }) : r)) });
  const err = (path: string) => problems?.byField.get(path);
  const ruleError = (i: number) => err(`rules.${i}`) ?? err(`rules.${i}.event`) ?? err(`rules.${i}.fenceType`) ?? err(`rules.${i}.vehicleGroup`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const check = checkRules(draft);
    if (!check.ok) {
      setProblems(check.problems);
      return;
    }
    setProblems(null);
    save.mutate(check.value);
  };
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  return (
    <form onSubmit={submit} noValidate className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Alert rules" data-testid="alert-rules-form">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">Which alerts, how severe</h2>
        <p className="mt-0.5 text-xs text-slate-500">The most specific rule decides (a rule for a vehicle group before one for all vehicles). Without a rule an alert is raised as its source says (for fences: the fence&apos;s own settings).</p>
      </div>
      {problems && (
        <div role="alert" className="mx-4 mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="form-summary">
          <p className="font-medium">Please fix {problems.summary.length === 1 ? 'this' : `these ${problems.summary.length} things`} before saving:</p>
          <ul className="mt-1 list-disc pl-5">
            {problems.summary.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset disabled={!canEdit} className="flex flex-col gap-2 px-4 py-3">
        {draft.rules.length === 0 && <p className="text-sm text-slate-500">No rules: every alert is raised as its source says.</p>}
        {draft.rules.map((rule, i) => (
          <div key={i} className="flex flex-wrap items-start gap-2 rounded-lg bg-slate-50 p-2" data-testid="alert-rule">
            <span className="mt-1.5 w-14 text-xs font-semibold text-slate-500">Rule {i + 1}</span>
            <select aria-label={`Rule ${i + 1}: alert type`} className={FIELD} value={rule.type} onChange={(e) => setRule(i, { type: e.target.value as AlertType })}>
              {ALERT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {ALERT_TYPE_LABEL[t]}
                </option>
              ))}
            </select>
            {rule.type === 'geofence_violation' && (
              <>
                <select aria-label={`Rule ${i + 1}: fence event`} className={`${FIELD} ${err(`rules.${i}.event`) ? BAD : ''}`} value={rule.event ?? ''} onChange={(e) => setRule(i, { event: (e.target.value || undefined) as GeofenceEventType | undefined })}>
                  <option value="">Any event</option>
                  {GEOFENCE_EVENT_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {FENCE_EVENT_LABEL[t]}
                    </option>
                  ))}
                </select>
                <select aria-label={`Rule ${i + 1}: fence type`} className={FIELD} value={rule.fenceType ?? ''} onChange={(e) => setRule(i, { fenceType: (e.target.value || undefined) as GeofenceType | undefined })}>
                  <option value="">Any fence type</option>
                  {GEOFENCE_TYPES.map((t) => (
                    <option key={t} value={t}>
                      {FENCE_TYPE_LABEL[t]}
                    </option>
                  ))}
                </select>
              </>
            )}
            {rule.type !== 'system_error' && (groups.length > 0 || rule.vehicleGroup) && (
              <select aria-label={`Rule ${i + 1}: vehicles`} className={`${FIELD} max-w-56 ${err(`rules.${i}.vehicleGroup`) ? BAD : ''}`} value={rule.vehicleGroup ?? ''} onChange={(e) => setRule(i, { vehicleGroup: e.target.value || null })}>
                <option value="">All vehicles</option>
                {/* The rule's own group stays shown when no vehicle is in it (now, or while the list loads). */}
                {(rule.vehicleGroup && !groups.includes(rule.vehicleGroup) ? [...groups, rule.vehicleGroup] : groups).map((g) => (
                  <option key={g} value={g}>
                    Only {g}
                  </option>
                ))}
              </select>
            )}
            <select aria-label={`Rule ${i + 1}: alerts or not`} className={FIELD} value={rule.enabled ? 'on' : 'off'} onChange={(e) => setRule(i, { enabled: e.target.value === 'on' })}>
              <option value="on">Alert</option>
              <option value="off">Do not alert</option>
            </select>
            {rule.enabled && (
              <select aria-label={`Rule ${i + 1}: severity`} className={FIELD} value={rule.severity ?? ''} onChange={(e) => setRule(i, { severity: (e.target.value || null) as AlertSeverity | null })}>
                <option value="">Severity as the source says</option>
                {SEVERITIES_DESC.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_STYLE[s].label}
                  </option>
                ))}
              </select>
            )}
            <button type="button" onClick={() => change({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })} className="ml-auto rounded px-2 py-1 text-sm text-slate-500 hover:bg-slate-200 hover:text-slate-800">
              Remove
            </button>
            {ruleError(i) && <p className="w-full pl-16 text-xs text-red-700">{ruleError(i)}</p>}
          </div>
        ))}
        <div>
          <button type="button" onClick={() => change({ ...draft, rules: [...draft.rules, { type: 'geofence_violation', enabled: true }] })} className="rounded-md border border-slate-300 px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">
            Add a rule
          </button>
        </div>
      </fieldset>

      <fieldset disabled={!canEdit} className="border-t border-slate-200 px-4 py-3">
        <legend className="sr-only">Quiet hours</legend>
        <label className="flex items-center gap-2 text-sm font-semibold">
          <input
            type="checkbox"
            checked={draft.quietHours !== null}
            onChange={(e) => change({ ...draft, quietHours: e.target.checked ? { start: '22:00', end: '06:00', timeZone: zone, minSeverity: 'critical' } : null })}
          />
          Quiet hours
        </label>
        <p className="mt-0.5 text-xs text-slate-500">Less severe alerts in these hours are kept in the history, already read: no badge, no pop-up.</p>
        {draft.quietHours && (
          <div className="mt-2 flex flex-wrap items-start gap-3">
            <Field label="From" error={err('quietHours.start')}>
              <input type="time" className={`${FIELD} ${err('quietHours.start') ? BAD : ''}`} value={draft.quietHours.start} onChange={(e) => change({ ...draft, quietHours: { ...draft.quietHours!, start: e.target.value } })} />
            </Field>
            <Field label="Until" error={err('quietHours.end')}>
              <input type="time" className={`${FIELD} ${err('quietHours.end') ? BAD : ''}`} value={draft.quietHours.end} onChange={(e) => change({ ...draft, quietHours: { ...draft.quietHours!, end: e.target.value } })} />
            </Field>
            <Field label="Time zone" error={err('quietHours.timeZone')}>
              <input className={`${FIELD} ${err('quietHours.timeZone') ? BAD : ''}`} value={draft.quietHours.timeZone} onChange={(e) => change({ ...draft, quietHours: { ...draft.quietHours!, timeZone: e.target.value } })} />
            </Field>
            <Field label="Still alert for" error={err('quietHours.minSeverity')}>
              <select className={FIELD} value={draft.quietHours.minSeverity} onChange={(e) => change({ ...draft, quietHours: { ...draft.quietHours!, minSeverity: e.target.value as AlertSeverity } })}>
                {SEVERITIES_DESC.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_STYLE[s].label}
                    {s === 'critical' ? '' : ' and above'}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        )}
      </fieldset>

      <fieldset disabled={!canEdit} className="border-t border-slate-200 px-4 py-3">
        <legend className="text-sm font-semibold">Flood protection</legend>
        <p className="mt-0.5 text-xs text-slate-500">One vehicle and one fence raise this many alerts one by one per window; the rest become one summary, e.g. “Van 12 entered and left Zone A 9 times in 5 min”.</p>
        <div className="mt-2 flex flex-wrap items-start gap-3">
          <Field label="Alerts one by one" error={err('flood.maxPerWindow')}>
            <input type="number" min={1} max={100} className={`${FIELD} w-24 ${err('flood.maxPerWindow') ? BAD : ''}`} value={Number.isNaN(draft.flood.maxPerWindow) ? '' : draft.flood.maxPerWindow} onChange={(e) => change({ ...draft, flood: { ...draft.flood, maxPerWindow: e.target.valueAsNumber } })} />
          </Field>
          <Field label="Per window of (minutes)" error={err('flood.windowMinutes')}>
            <input type="number" min={1} max={120} className={`${FIELD} w-24 ${err('flood.windowMinutes') ? BAD : ''}`} value={Number.isNaN(draft.flood.windowMinutes) ? '' : draft.flood.windowMinutes} onChange={(e) => change({ ...draft, flood: { ...draft.flood, windowMinutes: e.target.valueAsNumber } })} />
          </Field>
        </div>
      </fieldset>

      {canEdit ? (
        <div className="flex items-center gap-3 border-t border-slate-200 px-4 py-3">
          <button type="submit" disabled={save.isPending || !dirty} className="rounded-md bg-emerald-600 px-4 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-emerald-700 disabled:opacity-50">
            {save.isPending ? 'Saving…' : 'Save rules'}
          </button>
          {dirty && (
            <button type="button" onClick={() => change(initial)} className="text-sm text-slate-600 hover:underline">
              Discard changes
            </button>
          )}
          <span role="status" className="text-sm">
            {save.isError ? <span className="text-red-700">{save.error.message}</span> : saved && !dirty ? <span className="text-emerald-700">Saved.</span> : dirty ? <span className="text-slate-500">Unsaved changes</span> : null}
          </span>
        </div>
      ) : (
        <p className="border-t border-slate-200 px-4 py-3 text-sm text-slate-500">Only admins and managers can change the alert rules.</p>
      )}
    </form>
  );
}

/** A rule without narrowing that does not apply to its type, and without a severity when it does not alert. */
function clean(rule: AlertRule): AlertRule {
  const out: AlertRule = { type: rule.type, enabled: rule.enabled };
  if (rule.type === 'geofence_violation' && rule.event) out.event = rule.event;
  if (rule.type === 'geofence_violation' && rule.fenceType) out.fenceType = rule.fenceType;
  if (rule.type !== 'system_error' && rule.vehicleGroup) out.vehicleGroup = rule.vehicleGroup;
  if (rule.enabled && rule.severity) out.severity = rule.severity;
  return out;
}

function Field({ label, error, children }: { label: string; error?: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
      {label}
      {children}
      {error && <span className="max-w-56 font-normal text-red-700">{error}</span>}
    </label>
  );
}

const SNOOZE_CHOICES = [
  { minutes: 15, label: '15 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '1 day' },
];

function Snoozes({ canEdit }: { canEdit: boolean }) {
  const client = useQueryClient();
  const fences = useGeofences();
  const snoozes = useQuery({ queryKey: SNOOZES_KEY, queryFn: () => apiJson<{ snoozes: AlertSnooze[] }>('/api/v1/alert-snoozes') });
  const [target, setTarget] = useState('');
  const [minutes, setMinutes] = useState(60);
  const create = useMutation({
    mutationFn: () =>
      apiJson('/api/v1/alert-snoozes', { body: target.startsWith('type:') ? { type: target.slice(5), minutes } : { geofenceId: target.slice(6), minutes } }),
    onSuccess: () => {
      setTarget('');
      void client.invalidateQueries({ queryKey: SNOOZES_KEY });
    },
  });
  const end = useMutation({
    mutationFn: (id: string) => apiJson(`/api/v1/alert-snoozes/${id}`, { method: 'DELETE' }),
    onSettled: () => client.invalidateQueries({ queryKey: SNOOZES_KEY }),
  });
  const fenceName = (id: string) => fences.data?.find((f) => f.id === id)?.properties.name ?? 'A fence';

  return (
    <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Snoozes">
      <div className="border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">Snoozed</h2>
        <p className="mt-0.5 text-xs text-slate-500">A snoozed fence or alert type raises no alerts until the snooze ends.</p>
      </div>
      {snoozes.isPending ? (
        <StateMessage kind="loading" title="Loading snoozes…" />
      ) : snoozes.isError ? (
        <StateMessage kind="error" title="Snoozes could not be loaded" detail={snoozes.error.message} action={{ label: 'Try again', onClick: () => void snoozes.refetch() }} />
      ) : snoozes.data.snoozes.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500">Nothing is snoozed.</p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="snooze-list">
          {snoozes.data.snoozes.map((s) => (
            <li key={s.id} className="flex items-center gap-3 px-4 py-2 text-sm">
              <span className="flex-1">
                {s.geofenceId ? fenceName(s.geofenceId) : ALERT_TYPE_LABEL[s.type!]} — until {new Date(s.until).toLocaleString()}
              </span>
              {canEdit && (
                <button type="button" disabled={end.isPending} onClick={() => end.mutate(s.id)} className="rounded px-2 py-1 text-slate-600 hover:bg-slate-100">
                  End now
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && (
        <form
          className="flex flex-wrap items-end gap-2 border-t border-slate-200 px-4 py-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (target) create.mutate();
          }}
        >
          <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
            Snooze
            <select className={FIELD} value={target} onChange={(e) => setTarget(e.target.value)} aria-label="What to snooze">
              <option value="">Choose a fence or an alert type…</option>
              <optgroup label="Fences">
                {(fences.data ?? []).map((f) => (
                  <option key={f.id} value={`fence:${f.id}`}>
                    {f.properties.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Alert types">
                {ALERT_TYPES.map((t) => (
                  <option key={t} value={`type:${t}`}>
                    {ALERT_TYPE_LABEL[t]}
                  </option>
                ))}
              </optgroup>
            </select>
          </label>
          <label className="flex flex-col gap-0.5 text-xs font-medium text-slate-600">
            For
            <select className={FIELD} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {SNOOZE_CHOICES.map((c) => (
                <option key={c.minutes} value={c.minutes}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={!target || create.isPending} className="rounded-md bg-slate-800 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-900 disabled:opacity-50">
            Snooze
          </button>
          {create.isError && <p className="w-full text-sm text-red-700">{create.error.message}</p>}
        </form>
      )}
    </section>
  );
}
