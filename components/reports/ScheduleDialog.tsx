'use client';

import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { fieldMessage, RequestError } from '@/components/ui/api-fetch';
import { FieldProblem, INVALID_INPUT } from '@/components/ui/FieldProblem';
import { fieldErrors, serverFieldError, type FieldErrors } from '@/components/ui/form-errors';
import { useNow } from '@/components/ui/relative-time';
import type { ReportName } from '@/server/protocol/reports';
import {
  describeCadence,
  MAX_RECIPIENTS,
  reportScheduleCreate,
  WEEKDAYS,
  type ReportScheduleCreate,
  type ReportScheduleDto,
  type ScheduleCadence,
  type ScheduleFormat,
} from '@/server/protocol/report-schedules';
import {
  atField,
  coverageText,
  defaultName,
  filtersText,
  firstRunText,
  formatsFor,
  parseRecipients,
  useCreateSchedule,
  usePatchSchedule,
  useSchedules,
  type Filters,
} from './schedules-api';

const INPUT = 'mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-emerald-500 focus:outline-none focus:ring-1 focus:ring-emerald-500';
const BUTTON = 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50';
const PRIMARY = 'rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50';

/** The form's fields, as the server names them (a refusal naming one shows there) and as the form labels them. */
const LABELS: Record<string, string> = { name: 'Name', cadence: 'Cadence', weekday: 'Weekday', hour: 'Hour (UTC)', format: 'Format', emails: 'E-mail recipients' };
const FIELDS = Object.keys(LABELS);
/** The filters come from the page, not the form: a problem with them shows on top. */
const CHECK_LABELS = { ...LABELS, filters: 'The page’s filters' };
const FORMAT_LABELS: Record<ScheduleFormat, string> = { xlsx: 'Excel (xlsx)', csv: 'CSV', pdf: 'PDF' };

interface Draft {
  name: string;
  /** Until the user types a name, it follows the cadence ("… — daily" ↔ "… — weekly"). */
  nameEdited: boolean;
  cadence: ScheduleCadence;
  /** Kept while daily (sent as null) so switching back to weekly keeps the choice. */
  weekday: number;
  hour: number;
  format: ScheduleFormat;
  recipients: string;
}

function draftOf(report: ReportName, reportLabel: string, filters: Filters, schedule: ReportScheduleDto | undefined): Draft {
  if (schedule) {
    return { name: schedule.name, nameEdited: true, cadence: schedule.cadence, weekday: schedule.weekday ?? 1, hour: schedule.hour, format: schedule.format, recipients: schedule.emails.join(', ') };
  }
  return { name: defaultName(report, reportLabel, filters, 'daily'), nameEdited: false, cadence: 'daily', weekday: 1, hour: 6, format: 'xlsx', recipients: '' };
}

/**
 * "Schedule this report…": the report and filters the page shows (its range and format are not
 * kept: the cadence decides the period), made daily or weekly at a UTC hour. Every problem is
 * shown at its field before anything is sent, checked with the server's own schema; a refusal
 * from the server lands at its field too. With `schedule` it edits that one instead.
 */
export function ScheduleDialog({
  report,
  reportLabel,
  filters,
  schedule,
  onClose,
  onSaved,
}: {
  report: ReportName;
  reportLabel: string;
  filters: Filters;
  schedule?: ReportScheduleDto;
  onClose: () => void;
  onSaved?: (schedule: ReportScheduleDto) => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(report, reportLabel, filters, schedule));
  const [errors, setErrors] = useState<FieldErrors>({});
  const list = useSchedules();
  const create = useCreateSchedule();
  const patch = usePatchSchedule();
  const mutation = schedule ? patch : create;
  const now = useNow(60_000);
  const titleId = useId();

  const server = serverFieldError(mutation.error, FIELDS);
  const serverAt = server?.field && mutation.error instanceof RequestError ? atField(LABELS[server.field]!, fieldMessage(mutation.error)) : null;
  const shown: FieldErrors = server?.field && serverAt && !errors[server.field] ? { ...errors, [server.field]: serverAt } : errors;
  const general = server && !server.field ? server.message : errors.filters ? errors.filters : null;
  const formats = formatsFor(report);
  const scope = filtersText(filters);

  const set = (patch: Partial<Draft>, field: string) => {
    setDraft((d) => {
      const next = { ...d, ...patch };
      if (!next.nameEdited && patch.cadence) next.name = defaultName(report, reportLabel, filters, patch.cadence);
      return next;
    });
    if (errors[field]) setErrors(({ [field]: _, ...rest }) => rest);
    if (mutation.error) mutation.reset();
  };

  // Escape closes, as other dialogs of the app do (not while saving: the answer would be lost).
  const busy = mutation.isPending;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && !busy && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const recipients = parseRecipients(draft.recipients);
    const input = {
      name: draft.name,
      report,
      format: draft.format,
      cadence: draft.cadence,
      weekday: draft.cadence === 'weekly' ? draft.weekday : null,
      hour: draft.hour,
      filters,
      emails: recipients.emails,
    } satisfies ReportScheduleCreate;
    const found = fieldErrors(reportScheduleCreate, input, CHECK_LABELS);
    if (recipients.problem) found.emails = recipients.problem;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const done = {
      onSuccess: (saved: ReportScheduleDto) => {
        onSaved?.(saved);
        onClose();
      },
    };
    if (schedule) {
      // The report and its filters stay as they were made; everything the form shows may change.
      const { report: _r, filters: _f, ...changes } = input;
      patch.mutate({ id: schedule.id, patch: changes }, done);
    } else create.mutate(input, done);
  }

  const cadence = { cadence: draft.cadence, weekday: draft.cadence === 'weekly' ? draft.weekday : null, hour: draft.hour };
  // On the body, as MapPickDialog: the page's panels must not clip or offset the overlay.
  return createPortal(
    <div className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/40 p-4 sm:items-center" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="schedule-dialog">
      <form onSubmit={submit} noValidate className="w-full max-w-lg rounded-xl bg-white shadow-xl" aria-labelledby={titleId}>
        <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
          <h2 id={titleId} className="text-sm font-semibold">
            {schedule ? `Edit “${schedule.name}”` : 'Schedule this report'}
          </h2>
          <button type="button" onClick={onClose} className="rounded px-2 py-1 text-sm text-slate-500 hover:bg-slate-100" aria-label="Close" disabled={busy}>
            ✕
          </button>
        </div>
        <div className="space-y-3 px-4 py-3">
          <p className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600" data-testid="schedule-scope">
            <span className="font-medium text-slate-800">{reportLabel}</span> {scope ? `· ${scope}` : '· the whole fleet'}
            <span className="block text-slate-500">{schedule ? 'The report and its filters stay as they were scheduled.' : 'The filters shown on the page; the dates follow the cadence.'}</span>
          </p>
          {general && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="schedule-error">
              {general}
            </p>
          )}
          <Field label="Name" name="name" error={shown.name}>
            {(p) => <input {...p} value={draft.name} onChange={(e) => set({ name: e.target.value, nameEdited: true }, 'name')} maxLength={100} autoFocus />}
          </Field>
          <div className="grid grid-cols-3 gap-3">
            <Field label="Cadence" name="cadence" error={shown.cadence}>
              {(p) => (
                <select {...p} value={draft.cadence} onChange={(e) => set({ cadence: e.target.value as ScheduleCadence }, 'cadence')}>
                  <option value="daily">Daily</option>
                  <option value="weekly">Weekly</option>
                </select>
              )}
            </Field>
            {/* Weekly only; no blank choice, so a weekly schedule always has its day. */}
            {draft.cadence === 'weekly' ? (
              <Field label="Weekday" name="weekday" error={shown.weekday}>
                {(p) => (
                  <select {...p} value={draft.weekday} onChange={(e) => set({ weekday: Number(e.target.value) }, 'weekday')}>
                    {WEEKDAYS.map((d, i) => (
                      <option key={d} value={i + 1}>
                        {d}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <div />
            )}
            <Field label="Hour (UTC)" name="hour" error={shown.hour}>
              {(p) => (
                <select {...p} value={draft.hour} onChange={(e) => set({ hour: Number(e.target.value) }, 'hour')}>
                  {Array.from({ length: 24 }, (_, h) => (
                    <option key={h} value={h}>
                      {String(h).padStart(2, '0')}:00 UTC
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="rounded-md bg-emerald-50 px-3 py-2 text-xs text-emerald-900" data-testid="schedule-cadence">
            <p className="font-medium">{describeCadence(cadence)}</p>
            <p>{coverageText(draft.cadence)}</p>
            <p className="text-emerald-800">First run: {firstRunText(cadence, now)}.</p>
          </div>
          <Field label="Format" name="format" error={shown.format}>
            {(p) => (
              <select {...p} value={draft.format} onChange={(e) => set({ format: e.target.value as ScheduleFormat }, 'format')}>
                {formats.map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f]}
                  </option>
                ))}
                {/* An edited schedule keeps a format this report no longer offers visible rather than silently changing it. */}
                {!formats.includes(draft.format) && <option value={draft.format}>{FORMAT_LABELS[draft.format]}</option>}
              </select>
            )}
          </Field>
          <Field
            label="E-mail recipients"
            name="emails"
            error={shown.emails}
            hint={`Separate addresses with commas or new lines; up to ${MAX_RECIPIENTS}. Optional: every run also goes to your webhooks as report.delivered.`}
          >
            {(p) => <textarea {...p} rows={2} value={draft.recipients} onChange={(e) => set({ recipients: e.target.value }, 'emails')} placeholder="ops@example.com, lead@example.com" />}
          </Field>
          {list.data && !list.data.email && (
            <p role="note" className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 ring-1 ring-amber-200" data-testid="schedule-no-email">
              This server has no SMTP_URL, so no e-mail is sent: recipients get nothing. Each run still makes the file behind a download link and sends the report.delivered webhook event.
            </p>
          )}
        </div>
        <div className="flex justify-end gap-2 border-t border-slate-200 px-4 py-3">
          <button type="button" className={BUTTON} onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className={PRIMARY} disabled={busy} data-testid="schedule-save">
            {busy ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
          </button>
        </div>
      </form>
    </div>,
    document.body,
  );
}

/** A labelled control with its problem (or hint) under it; the control is named by the label and described by the text. */
function Field({
  label,
  name,
  error,
  hint,
  children,
}: {
  label: string;
  name: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; className: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = `schedule-${name}`;
  const problemId = `${id}-problem`;
  const hintId = `${id}-hint`;
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children({
        id,
        className: `${INPUT} ${error ? INVALID_INPUT : ''}`,
        ...(error ? { 'aria-invalid': true, 'aria-describedby': problemId } : hint ? { 'aria-describedby': hintId } : {}),
      })}
      <FieldProblem id={problemId} text={error} testId={`${id}-error`} />
      {hint && !error && (
        <p id={hintId} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}
