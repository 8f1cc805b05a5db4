'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiJson } from '@/components/ui/api-fetch';
import type { ReportName } from '@/server/protocol/reports';
import {
  isoWeekday,
  MAX_RECIPIENTS,
  nextRun,
  periodOf,
  periodText,
  scheduleFilters,
  WEEKDAYS,
  type ReportRunResult,
  type ReportScheduleCreate,
  type ReportScheduleDto,
  type ReportScheduleFields,
  type ReportScheduleListResult,
  type ReportSchedulePatch,
  type ScheduleCadence,
  type ScheduleFormat,
} from '@/server/protocol/report-schedules';

/**
 * Scheduled reports on the reports page: REST calls and query hooks (one key, shared by the list
 * and the dialog, which reads `email` from it), and the pure helpers the dialog and list use.
 */
export const SCHEDULES_KEY = ['report-schedules'] as const;
const BASE = '/api/v1/report-schedules';

/**
 * A schedule's filters as the client builds them (arrays, not comma strings). The contract's
 * `ScheduleFilters` is the schema's input type, whose preprocessed fields are `unknown`: this
 * one keeps the compiler checking what we send.
 */
export type Filters = ReportScheduleFields['filters'];

// ————— REST —————

export const fetchSchedules = () => apiJson<ReportScheduleListResult>(BASE);
export const createSchedule = async (body: ReportScheduleCreate) => (await apiJson<{ schedule: ReportScheduleDto }>(BASE, { body })).schedule;
export const patchSchedule = async ({ id, patch }: { id: string; patch: ReportSchedulePatch }) =>
  (await apiJson<{ schedule: ReportScheduleDto }>(`${BASE}/${id}`, { method: 'PATCH', body: patch })).schedule;
export const deleteSchedule = (id: string) => apiJson<null>(`${BASE}/${id}`, { method: 'DELETE' });
export const runSchedule = (id: string) => apiJson<ReportRunResult>(`${BASE}/${id}/run`, { method: 'POST' });

// ————— hooks —————

/** The tenant's schedules and whether the server can mail; read again every minute so scheduled deliveries show up. */
export function useSchedules() {
  return useQuery({ queryKey: SCHEDULES_KEY, queryFn: fetchSchedules, refetchInterval: 60_000 });
}

/** Puts the server's copy of one schedule into the cached list at once (the refetch after it confirms). */
function useReplaceInList() {
  const client = useQueryClient();
  return {
    put: (schedule: ReportScheduleDto) =>
      client.setQueryData<ReportScheduleListResult>(SCHEDULES_KEY, (old) =>
        old ? { ...old, schedules: old.schedules.some((s) => s.id === schedule.id) ? old.schedules.map((s) => (s.id === schedule.id ? schedule : s)) : [...old.schedules, schedule] } : old,
      ),
    drop: (id: string) => client.setQueryData<ReportScheduleListResult>(SCHEDULES_KEY, (old) => (old ? { ...old, schedules: old.schedules.filter((s) => s.id !== id) } : old)),
    refresh: () => client.invalidateQueries({ queryKey: SCHEDULES_KEY }),
  };
}

export function useCreateSchedule() {
  const list = useReplaceInList();
  return useMutation({ mutationFn: createSchedule, onSuccess: list.put, onSettled: list.refresh });
}

export function usePatchSchedule() {
  const list = useReplaceInList();
  return useMutation({ mutationFn: patchSchedule, onSuccess: list.put, onSettled: list.refresh });
}

export function useDeleteSchedule() {
  const list = useReplaceInList();
  return useMutation({ mutationFn: deleteSchedule, onSuccess: (_, id) => list.drop(id), onSettled: list.refresh });
}

/** Makes the report now; one hook per row, so each row has its own busy state and result. */
export function useRunSchedule() {
  const list = useReplaceInList();
  return useMutation({ mutationFn: runSchedule, onSuccess: (result) => list.put(result.schedule), onSettled: list.refresh });
}

// ————— pure helpers (unit-tested) —————

/** The filters a schedule keeps: every key of the contract's pick, nothing else (it is strict). */
const FILTER_KEYS = Object.keys(scheduleFilters.shape) as Array<keyof Filters>;
const LIST_KEYS = new Set<string>(['vehicleIds', 'driverIds', 'geofenceIds', 'types']);

/**
 * The schedule's filters from the report page's query string (what the page asks the report
 * with): its filter keys only, so the range, format and limit never follow into a schedule;
 * comma lists become arrays and blanks are left out.
 */
export function filtersFromQuery(query: string | URLSearchParams): Filters {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  const out: Record<string, unknown> = {};
  for (const key of FILTER_KEYS) {
    const value = q.get(key)?.trim();
    if (!value) continue;
    out[key] = LIST_KEYS.has(key) ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  }
  return { groupBy: 'vehicle', ...out } as Filters;
}

/** Formats a schedule can make of a report: PDF is the summary's only. */
export function formatsFor(report: ReportName): ScheduleFormat[] {
  return report === 'summary' ? ['csv', 'xlsx', 'pdf'] : ['csv', 'xlsx'];
}

/** "Fleet summary — daily", "North depot summary — weekly", "Journeys — daily" (a name the user may keep). */
export function defaultName(report: ReportName, label: string, filters: Pick<Filters, 'vehicleGroup'>, cadence: ScheduleCadence): string {
  const group = filters.vehicleGroup?.trim();
  const title = report === 'summary' ? (group ? `${group} summary` : 'Fleet summary') : group ? `${label}, ${group}` : label;
  return `${title} — ${cadence}`.slice(0, 100);
}

const address = z.string().email();

/**
 * Recipients from the text box: separated by commas, semicolons or new lines (what a mail
 * program's copy gives), duplicates dropped. `problem` names the addresses that are not ones,
 * or says there are too many — in words for the form, before the server is asked.
 */
export function parseRecipients(text: string): { emails: string[]; problem: string | null } {
  const seen = new Set<string>();
  const emails: string[] = [];
  for (const part of text.split(/[,;\n\r]+/)) {
    const email = part.trim();
    if (!email || seen.has(email.toLowerCase())) continue;
    seen.add(email.toLowerCase());
    emails.push(email);
  }
  const bad = emails.filter((e) => !address.safeParse(e).success);
  if (bad.length > 0) {
    const quoted = bad.slice(0, 3).map((e) => `“${e}”`).join(', ') + (bad.length > 3 ? ` and ${bad.length - 3} more` : '');
    return { emails, problem: `${quoted} ${bad.length === 1 ? 'is not an e-mail address' : 'are not e-mail addresses'}. Separate addresses with commas or new lines.` };
  }
  if (emails.length > MAX_RECIPIENTS) return { emails, problem: `At most ${MAX_RECIPIENTS} recipients (there are ${emails.length}).` };
  return { emails, problem: null };
}

/** An instant as "2026-12-14 06:00 UTC". */
export function utcText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}


/** What every run covers, in words: the UTC day or 7 days before the day it runs. */
export function coverageText(cadence: ScheduleCadence): string {
  return cadence === 'daily' ? 'Each run covers yesterday (the UTC day before the run).' : 'Each run covers the 7 days before (the 7 UTC days before the run day).';
}

/** The first run after `now` and the days it will cover: "Monday 2026-12-14 06:00 UTC, covering 2026-12-07 – 2026-12-13". */
export function firstRunText(s: { cadence: ScheduleCadence; weekday: number | null; hour: number }, now: number): string {
  const at = nextRun(s, now);
  const { from, to } = periodOf(s.cadence, at);
  const weekday = WEEKDAYS[isoWeekday(at) - 1]!;
  return `${weekday} ${utcText(at)}, covering ${periodText(from, to)}`;
}

/** A future instant relative to now: "in 40 s", "in 12 min", "in 3 h", "in 2 d" ("now" once due). */
export function untilText(ts: number, now: number): string {
  const s = Math.round((ts - now) / 1000);
  if (s <= 0) return 'now';
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400) return `in ${Math.round(s / 3600)} h`;
  return `in ${Math.round(s / 86_400)} d`;
}

/** A file size: "812 B", "12.4 kB", "3.1 MB". */
export function bytesText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The filters a schedule keeps, in words: "North depot · 3 vehicles · 1 fence"; '' for the whole fleet. */
export function filtersText(filters: Partial<Filters>): string {
  const n = (list: string[] | undefined, one: string, many: string) => (list && list.length > 0 ? `${list.length} ${list.length === 1 ? one : many}` : null);
  return [
    filters.vehicleGroup ? `group ${filters.vehicleGroup}` : null,
    n(filters.vehicleIds, 'vehicle', 'vehicles'),
    n(filters.driverIds, 'driver', 'drivers'),
    n(filters.geofenceIds, 'fence', 'fences'),
    filters.vehicleType ? `type ${filters.vehicleType}` : null,
    filters.types && filters.types.length > 0 ? filters.types.join(', ') : null,
    filters.groupBy && filters.groupBy !== 'vehicle' ? `a row per ${filters.groupBy}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A server refusal at its field in the form's words: "Weekday is required for …" (a full sentence stays as it is). */
export function atField(label: string, message: string): string {
  return /^[a-z]/.test(message) ? `${label} ${message}` : message;
}
