'use client';

import { useState } from 'react';
import { relativeTime, useNow } from '@/components/ui/relative-time';
import { Spinner, StateMessage } from '@/components/ui/StateMessage';
import type { ReportName } from '@/server/protocol/reports';
import { describeCadence, type ReportDeliveryDto, type ReportScheduleDto } from '@/server/protocol/report-schedules';
import { ScheduleDialog } from './ScheduleDialog';
import { periodText } from '@/server/protocol/report-schedules';
import { bytesText, filtersText, untilText, useDeleteSchedule, usePatchSchedule, useRunSchedule, useSchedules, utcText } from './schedules-api';

const BUTTON = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50';
const DANGER = 'rounded-md border border-red-300 bg-white px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-50';
const FORMAT_LABELS: Record<string, string> = { xlsx: 'Excel', csv: 'CSV', pdf: 'PDF' };

/**
 * The tenant's scheduled reports under the report: what each makes and when, its last delivery
 * (with the file while its link is valid), and — for admins and managers — Run now, Pause or
 * Resume, Edit and Delete. Viewers see the same list without the actions.
 */
export function ScheduleList({ canEdit, reportLabel }: { canEdit: boolean; reportLabel: (report: ReportName) => string }) {
  const schedules = useSchedules();
  // Relative times ("in 3 h", "2 h ago") stay right while the page is open.
  const now = useNow(30_000);
  const email = schedules.data?.email ?? true;
  return (
    <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Scheduled reports" data-testid="schedule-list">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">Scheduled reports</h2>
        {!email && (
          <p className="text-xs text-amber-800" data-testid="schedule-list-no-email">
            E-mail is off on this server (no SMTP_URL): runs go to your webhooks and download links only.
          </p>
        )}
      </header>
      {schedules.isPending ? (
        <StateMessage kind="loading" title="Loading scheduled reports…" />
      ) : schedules.isError ? (
        <StateMessage kind="error" title="The scheduled reports could not be loaded" detail={schedules.error.message} action={{ label: 'Try again', onClick: () => void schedules.refetch() }} />
      ) : schedules.data.schedules.length === 0 ? (
        <div data-testid="schedule-empty">
          <StateMessage
            kind="empty"
            title="No scheduled reports yet"
            detail={`A schedule makes a report daily or weekly for the period just ended, sent to your webhooks as report.delivered and by e-mail, with a download link. ${
              canEdit ? 'Set the report and filters above, then choose “Schedule this report…”.' : 'Admins and managers can set them up.'
            }`}
          />
        </div>
      ) : (
        <ul className="divide-y divide-slate-100">
          {schedules.data.schedules.map((s) => (
            <ScheduleRow key={s.id} schedule={s} canEdit={canEdit} email={email} now={now} reportLabel={reportLabel} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ScheduleRow({ schedule: s, canEdit, email, now, reportLabel }: { schedule: ReportScheduleDto; canEdit: boolean; email: boolean; now: number; reportLabel: (report: ReportName) => string }) {
  const run = useRunSchedule();
  const patch = usePatchSchedule();
  const remove = useDeleteSchedule();
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState(false);
  const scope = filtersText(s.filters);
  const next = s.nextRunAt ? Date.parse(s.nextRunAt) : null;
  const failure = run.error ?? patch.error ?? remove.error;

  return (
    <li className="grid gap-3 px-4 py-3 text-sm lg:grid-cols-[minmax(0,1.3fr)_minmax(0,0.8fr)_minmax(0,1.4fr)_auto]" data-testid="schedule-row" data-schedule-id={s.id} data-active={s.active}>
      <div className="min-w-0">
        <p className="flex items-center gap-2 font-medium text-slate-900">
          <span className="truncate" data-testid="schedule-name">
            {s.name}
          </span>
          {!s.active && (
            <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] font-medium text-slate-600" data-testid="schedule-paused">
              Paused
            </span>
          )}
        </p>
        <p className="text-xs text-slate-600">
          {reportLabel(s.report)} · {FORMAT_LABELS[s.format] ?? s.format} · <span data-testid="schedule-cadence-text">{describeCadence(s)}</span>
        </p>
        <p className="text-xs text-slate-500 first-letter:uppercase">{scope || 'The whole fleet'}</p>
        <p className="text-xs text-slate-500">
          {s.emails.length === 0 ? 'No e-mail recipients' : `To ${s.emails.join(', ')}`}
          {s.emails.length > 0 && !email && <span className="text-amber-800"> (not sent: no SMTP_URL)</span>}
        </p>
      </div>
      <div className="text-xs text-slate-600" data-testid="schedule-next">
        <p className="font-medium text-slate-500">Next run</p>
        {next === null ? (
          <p>Paused: no runs until resumed</p>
        ) : (
          <p title={utcText(next)}>
            {untilText(next, now)}
            <span className="block text-slate-500">{utcText(next)}</span>
          </p>
        )}
      </div>
      <LastDelivery delivery={s.lastDelivery} now={now} />
      {canEdit && (
        <div className="flex flex-wrap items-start gap-1 lg:justify-end">
          <button type="button" className={BUTTON} onClick={() => run.mutate(s.id)} disabled={run.isPending} data-testid="schedule-run">
            {run.isPending ? 'Running…' : 'Run now'}
          </button>
          <button type="button" className={BUTTON} onClick={() => patch.mutate({ id: s.id, patch: { active: !s.active } })} disabled={patch.isPending} data-testid="schedule-toggle">
            {s.active ? 'Pause' : 'Resume'}
          </button>
          <button type="button" className={BUTTON} onClick={() => setEditing(true)} data-testid="schedule-edit">
            Edit
          </button>
          {confirming ? (
            <span className="flex items-center gap-1 text-xs text-slate-700" role="group" aria-label={`Delete ${s.name}?`}>
              Delete?
              <button type="button" className={DANGER} disabled={remove.isPending} onClick={() => remove.mutate(s.id, { onError: () => setConfirming(false) })} data-testid="schedule-delete-yes">
                {remove.isPending ? '…' : 'Yes'}
              </button>
              <button type="button" className={BUTTON} disabled={remove.isPending} onClick={() => setConfirming(false)} data-testid="schedule-delete-no">
                No
              </button>
            </span>
          ) : (
            <button type="button" className={DANGER} onClick={() => setConfirming(true)} data-testid="schedule-delete">
              Delete
            </button>
          )}
        </div>
      )}
      {(run.isPending || run.data || failure) && (
        <div className="lg:col-span-4" aria-live="polite" data-testid="schedule-run-result">
          {run.isPending ? (
            <p className="flex items-center gap-2 text-xs text-slate-600">
              <Spinner className="h-3.5 w-3.5" /> Making the report for the period just ended… this can take a few seconds.
            </p>
          ) : failure ? (
            <p role="alert" className="text-xs text-red-700">
              {failure.message}
            </p>
          ) : run.data ? (
            <p className="text-xs text-slate-600">
              Made now for {periodText(Date.parse(run.data.delivery.from), Date.parse(run.data.delivery.to))}: {run.data.delivery.outcome === 'delivered' ? 'delivered.' : 'failed.'}
            </p>
          ) : null}
        </div>
      )}
      {editing && <ScheduleDialog report={s.report} reportLabel={reportLabel(s.report)} filters={s.filters} schedule={s} onClose={() => setEditing(false)} />}
    </li>
  );
}

/** The last run: its outcome and when, the days it covers, the file (while its link is valid), who it was mailed to, what went wrong. */
function LastDelivery({ delivery: d, now }: { delivery: ReportDeliveryDto | null; now: number }) {
  if (!d) {
    return (
      <div className="text-xs text-slate-500" data-testid="schedule-delivery">
        <p className="font-medium">Last delivery</p>
        <p>Not made yet.</p>
      </div>
    );
  }
  const at = Date.parse(d.at);
  const delivered = d.outcome === 'delivered';
  return (
    <div className="min-w-0 text-xs text-slate-600" data-testid="schedule-delivery" data-outcome={d.outcome}>
      <p className="font-medium text-slate-500">Last delivery</p>
      <p>
        <span className={`font-medium ${delivered ? 'text-emerald-700' : 'text-red-700'}`}>{delivered ? 'Delivered' : 'Failed'}</span>{' '}
        <span title={utcText(at)}>{relativeTime(at, now)}</span> · covers {periodText(Date.parse(d.from), Date.parse(d.to))}
      </p>
      {d.url ? (
        <p className="truncate">
          <a
            href={d.url}
            download={d.fileName ?? true}
            className="font-medium text-emerald-700 hover:underline"
            title={d.expiresAt ? `The link is valid until ${utcText(Date.parse(d.expiresAt))}` : undefined}
            data-testid="schedule-download"
          >
            Download
          </a>{' '}
          {d.fileName}
          {d.bytes !== null && ` (${bytesText(d.bytes)})`}
        </p>
      ) : (
        delivered && <p className="text-slate-500">The download link has expired.</p>
      )}
      {/* Failed: why. Delivered with an error: the file was made but the e-mail went wrong. */}
      {d.error && <p className={delivered ? 'text-amber-800' : 'text-red-700'}>{delivered ? `E-mail: ${d.error}` : d.error}</p>}
      {d.emailedTo.length > 0 && <p className="truncate">Mailed to {d.emailedTo.join(', ')}</p>}
    </div>
  );
}
