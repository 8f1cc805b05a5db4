/**
 * Scheduled reports (docs/reports.md, "Scheduled reports"): a report with its filters, made daily
 * or weekly for the period just ended, kept as a file behind a signed download link, announced
 * as a `report.delivered` event (webhooks and the SSE stream carry it) and, when the server has
 * SMTP_URL, e-mailed to the schedule's recipients. The contract between the scheduler
 * (server/reports), REST (`/api/v1/report-schedules`) and the reports page.
 */
import { z } from 'zod';
import { reportQuery, REPORTS, type ReportName } from './reports';

export const SCHEDULE_CADENCES = ['daily', 'weekly'] as const;
export type ScheduleCadence = (typeof SCHEDULE_CADENCES)[number];
/** Files a schedule can make (tracks are too large to mail; the summary also prints to PDF). */
export const SCHEDULE_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ScheduleFormat = (typeof SCHEDULE_FORMATS)[number];
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const MAX_RECIPIENTS = 20;

/** A report's filters as a schedule keeps them (the query of GET /api/v1/reports/… without range and format). */
export const scheduleFilters = reportQuery.pick({ vehicleIds: true, driverIds: true, geofenceIds: true, vehicleType: true, vehicleGroup: true, groupBy: true, types: true });
export type ScheduleFilters = z.input<typeof scheduleFilters>;

const fields = {
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  report: z.enum(REPORTS, { error: `must be one of ${REPORTS.join(', ')}` }),
  format: z.enum(SCHEDULE_FORMATS, { error: `must be one of ${SCHEDULE_FORMATS.join(', ')}` }),
  cadence: z.enum(SCHEDULE_CADENCES, { error: 'must be daily or weekly' }),
  /** ISO weekday of a weekly delivery, 1 = Monday … 7 = Sunday; null for daily. */
  weekday: z.number({ error: 'must be a weekday from 1 (Monday) to 7 (Sunday)' }).int().min(1, 'must be from 1 (Monday) to 7 (Sunday)').max(7, 'must be from 1 (Monday) to 7 (Sunday)').nullable(),
  /** The UTC hour it is made and delivered. */
  hour: z.number({ error: 'must be an hour from 0 to 23 (UTC)' }).int().min(0, 'must be from 0 to 23').max(23, 'must be from 0 to 23'),
  filters: scheduleFilters,
  /** E-mail recipients (sent only when the server has SMTP_URL). */
  emails: z.array(z.string().trim().email('must be an e-mail address')).max(MAX_RECIPIENTS, `at most ${MAX_RECIPIENTS} recipients`),
  active: z.boolean({ error: 'must be true or false' }),
};

/** What a weekly schedule needs and a PDF allows, for a whole schedule (after defaults or a patch). */
function checkSchedule(s: { report: ReportName; format: ScheduleFormat; cadence: ScheduleCadence; weekday: number | null }, ctx: z.RefinementCtx): void {
  if (s.cadence === 'weekly' && s.weekday === null) ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'is required for a weekly schedule: 1 (Monday) to 7 (Sunday)' });
  if (s.format === 'pdf' && s.report !== 'summary') ctx.addIssue({ code: 'custom', path: ['format'], message: 'pdf is made for the summary report' });
}

/** POST /api/v1/report-schedules. */
export const reportScheduleCreate = z
  .object({
    name: fields.name,
    report: fields.report,
    format: fields.format.default('xlsx'),
    cadence: fields.cadence,
    weekday: fields.weekday.default(null),
    hour: fields.hour.default(6),
    filters: fields.filters.default({ groupBy: 'vehicle' }),
    emails: fields.emails.default([]),
    active: fields.active.default(true),
  })
  .strict()
  .superRefine(checkSchedule);
export type ReportScheduleCreate = z.input<typeof reportScheduleCreate>;
export type ReportScheduleFields = z.output<typeof reportScheduleCreate>;

/** PATCH /api/v1/report-schedules/:id: any of the fields (the whole is checked again). */
export const reportSchedulePatch = z
  .object({
    name: fields.name,
    report: fields.report,
    format: fields.format,
    cadence: fields.cadence,
    weekday: fields.weekday,
    hour: fields.hour,
    filters: fields.filters,
    emails: fields.emails,
    active: fields.active,
  })
  .partial()
  .strict();
export type ReportSchedulePatch = z.input<typeof reportSchedulePatch>;

/** Checks a schedule after a patch (weekday for weekly, pdf only for the summary). */
export const reportScheduleWhole = z.custom<ReportScheduleFields>().superRefine((s, ctx) => checkSchedule(s, ctx));

export const DELIVERY_OUTCOMES = ['delivered', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** One made report: the file behind a signed link (valid until `expiresAt`). */
export interface ReportDeliveryDto {
  /** The report period [from, to) as UTC instants. */
  from: string;
  to: string;
  at: string;
  outcome: DeliveryOutcome;
  /** Why it failed (outcome failed), or what went wrong with the e-mail while the file was made. */
  error: string | null;
  fileName: string | null;
  bytes: number | null;
  /** Signed download link (no sign-in needed) until `expiresAt`; null when it failed or has expired. */
  url: string | null;
  expiresAt: string | null;
  /** Who it was mailed to (empty: no recipients, or no SMTP_URL). */
  emailedTo: string[];
}

export interface ReportScheduleDto extends ReportScheduleFields {
  id: string;
  /** When it is made next (UTC); null while paused. */
  nextRunAt: string | null;
  lastDelivery: ReportDeliveryDto | null;
  createdAt: string;
  updatedAt: string;
}

/** GET /api/v1/report-schedules. */
export interface ReportScheduleListResult {
  schedules: ReportScheduleDto[];
  /** Whether the server can send e-mail (SMTP_URL is set); without it recipients get nothing. */
  email: boolean;
}

/** POST /api/v1/report-schedules/:id/run: made now for the period that ended last. */
export interface ReportRunResult {
  schedule: ReportScheduleDto;
  delivery: ReportDeliveryDto;
}

/** The period a schedule run at `at` reports on, as [from, to) epoch ms: the UTC day(s) just ended. */
export function periodOf(cadence: ScheduleCadence, at: number): { from: number; to: number } {
  const day = 86_400_000;
  const to = Math.floor(at / day) * day;
  return { from: to - (cadence === 'weekly' ? 7 : 1) * day, to };
}

/** The ISO weekday of an instant, 1 = Monday … 7 = Sunday (UTC; 1970-01-01 was a Thursday). */
export const isoWeekday = (ms: number): number => ((Math.floor(ms / 86_400_000) + 3) % 7) + 1;

/** [from, to) in epoch ms as the UTC days it covers: "2026-12-09", or "2026-12-03 – 2026-12-09". */
export function periodText(from: number, to: number): string {
  const first = new Date(from).toISOString().slice(0, 10);
  const last = new Date(Math.max(from, to - 86_400_000)).toISOString().slice(0, 10);
  return first === last ? first : `${first} – ${last}`;
}

/** The next time a schedule is due strictly after `after` (epoch ms, UTC). */
export function nextRun(s: { cadence: ScheduleCadence; weekday: number | null; hour: number }, after: number): number {
  const day = 86_400_000;
  let t = Math.floor(after / day) * day + s.hour * 3_600_000;
  if (t <= after) t += day;
  if (s.cadence === 'weekly') while (isoWeekday(t) !== (s.weekday ?? 1)) t += day;
  return t;
}

/** "Daily at 06:00 UTC" / "Weekly on Monday at 06:00 UTC". */
export function describeCadence(s: { cadence: ScheduleCadence; weekday: number | null; hour: number }): string {
  const hh = `${String(s.hour).padStart(2, '0')}:00 UTC`;
  return s.cadence === 'daily' ? `Daily at ${hh}` : `Weekly on ${WEEKDAYS[(s.weekday ?? 1) - 1]} at ${hh}`;
}
