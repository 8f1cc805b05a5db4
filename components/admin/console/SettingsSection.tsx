'use client';

import { useState, type FormEvent } from 'react';
import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import { updateTenantRequest } from '@/server/protocol/users';
import type { TenantDto } from '@/server/tenants/service';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { AdminShell, ReadOnlyNote } from './AdminShell';
import { HomeAreaPanel } from './HomeAreaPanel';
import { useTenantSettings } from '@/components/map/use-home-area';
import { useReception, useSetReception, useUpdateTenant } from './admin-api';
import { fieldErrors, serverFieldError, type FieldErrors } from '@/components/ui/form-errors';
import { ErrorSummary, Field, Panel, PRIMARY, Switch } from './ui';

/** /admin/settings: the organisation's name, time zone, per-vehicle rate limit, home area and reception switch. */
export function SettingsSection({ basemap }: { basemap: BasemapSettings }) {
  return <AdminShell section="settings">{(user) => <SettingsScreen user={user} basemap={basemap} />}</AdminShell>;
}

function SettingsScreen({ user, basemap }: { user: PublicUser; basemap: BasemapSettings }) {
  const tenant = useTenantSettings();
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Panel title="Organisation" testId="settings-panel">
        <div className="px-4 pt-3">
          <ReadOnlyNote user={user} what="the settings" />
        </div>
        {tenant.isPending ? (
          <StateMessage kind="loading" title="Loading settings…" />
        ) : tenant.isError ? (
          <StateMessage kind="error" title="Could not load the settings" detail={tenant.error.message} action={{ label: 'Retry', onClick: () => void tenant.refetch() }} />
        ) : (
          <SettingsForm key={`${tenant.data.name}|${tenant.data.timeZone}|${tenant.data.vehicleRateLimit}`} tenant={tenant.data} readOnly={user.role !== 'admin'} />
        )}
      </Panel>
      <ReceptionPanel readOnly={user.role !== 'admin'} />
      {tenant.data && <HomeAreaPanel tenant={tenant.data} readOnly={user.role !== 'admin'} basemap={basemap} />}
    </div>
  );
}

const LABELS = { name: 'Name', timeZone: 'Time zone', vehicleRateLimit: 'Positions per second per vehicle' };
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

function SettingsForm({ tenant, readOnly }: { tenant: TenantDto; readOnly: boolean }) {
  const update = useUpdateTenant();
  const [draft, setDraft] = useState({ name: tenant.name, timeZone: tenant.timeZone, vehicleRateLimit: String(tenant.vehicleRateLimit) });
  const [errors, setErrors] = useState<FieldErrors>({});
  const server = serverFieldError(update.error, Object.keys(LABELS));
  const shown = server?.field ? { ...errors, [server.field]: server.message } : errors;

  function submit(event: FormEvent) {
    event.preventDefault();
    const rate = Number(draft.vehicleRateLimit.replace(',', '.'));
    const input = { name: draft.name, timeZone: draft.timeZone, vehicleRateLimit: rate };
    const found = fieldErrors(updateTenantRequest, input, LABELS);
    if (found.vehicleRateLimit || !Number.isFinite(rate)) found.vehicleRateLimit = 'Enter a number between 0.01 and 100.';
    setErrors(found);
    if (Object.keys(found).length === 0) update.mutate(input);
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3 p-4" aria-label="Organisation settings" data-testid="tenant-form">
      <ErrorSummary errors={shown} general={server && !server.field ? server.message : null} />
      {update.isSuccess && Object.keys(shown).length === 0 && (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-800">
          Saved.
        </p>
      )}
      <Field label="Name" name="name" error={shown.name}>
        {(p) => <input {...p} value={draft.name} onChange={(e) => setDraft({ ...draft, name: e.target.value })} disabled={readOnly} maxLength={100} />}
      </Field>
      <Field label="Time zone" name="timeZone" error={shown.timeZone} hint="The default for zone schedules and reports.">
        {(p) => (
          <>
            <input {...p} list="time-zones" value={draft.timeZone} onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })} disabled={readOnly} />
            <datalist id="time-zones">
              {ZONES.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="Positions per second per vehicle" name="vehicleRateLimit" error={shown.vehicleRateLimit} hint="Live positions above this rate are refused (older replays are not).">
        {(p) => <input {...p} inputMode="decimal" value={draft.vehicleRateLimit} onChange={(e) => setDraft({ ...draft, vehicleRateLimit: e.target.value })} disabled={readOnly} />}
      </Field>
      {!readOnly && (
        <button type="submit" className={PRIMARY} disabled={update.isPending} data-testid="tenant-save">
          {update.isPending ? 'Saving…' : 'Save settings'}
        </button>
      )}
    </form>
  );
}

function ReceptionPanel({ readOnly }: { readOnly: boolean }) {
  const reception = useReception();
  const set = useSetReception();
  return (
    <Panel title="Position reception" testId="reception-panel">
      {reception.isPending ? (
        <StateMessage kind="loading" title="Loading…" />
      ) : reception.isError ? (
        <StateMessage kind="error" title="Could not load the reception switch" detail={reception.error.message} action={{ label: 'Retry', onClick: () => void reception.refetch() }} />
      ) : (
        <div className="space-y-2 p-4 text-sm">
          <div className="flex items-center gap-3">
            <Switch checked={reception.data.enabled} disabled={readOnly || set.isPending} label="Accept positions from every vehicle" onChange={(enabled) => set.mutate(enabled)} testId="tenant-reception" />
            <span>{reception.data.enabled ? 'Positions are accepted.' : 'Every position is refused (devices are told to retry later).'}</span>
          </div>
          <p className="text-xs text-slate-500" data-testid="refused-count">
            {reception.data.refused === 0 ? 'No position has been refused since the server started.' : `${reception.data.refused.toLocaleString()} positions refused since the server started.`}
          </p>
          {set.isError && <p className="text-xs text-red-700">{set.error.message}</p>}
        </div>
      )}
    </Panel>
  );
}
