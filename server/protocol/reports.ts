import { z } from 'zod';
import type { GeofenceEventType } from './geofences';
import { groupName } from './vehicles';

/**
 * Reports (docs/reports.md): GET /api/v1/reports/{report}?from&to&vehicleIds&… over the derived
 * history (journeys, stops, geofence visits, daily summaries) and the alerts and event log.
 * Shared by the server (validation) and the /reports and /replay pages (types).
 */
export const REPORTS = ['summary', 'trips', 'stops', 'geofence-visits', 'geofence-events', 'alerts', 'events'] as const;
export type ReportName = (typeof REPORTS)[number];
export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'gpx', 'kml', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** Formats that are tracks (positions): only the trips report has them. */
export const TRACK_FORMATS: readonly ReportFormat[] = ['gpx', 'kml'];
export const MAX_RANGE_DAYS = 366;
/** What one summary row stands for: a vehicle, a driver, or a vehicle group (its vehicles summed). */
export const SUMMARY_GROUP_BY = ['vehicle', 'driver', 'group'] as const;
export type SummaryGroupBy = (typeof SUMMARY_GROUP_BY)[number];
/** The first column's header of the summary, by what a row stands for. */
export const SUMMARY_ROW_LABEL: Record<SummaryGroupBy, string> = { vehicle: 'Vehicle', driver: 'Driver', group: 'Group' };
/** The name of the summary row (groupBy=group) of the vehicles without a group; its id is '' and it sorts last. */
export const NO_GROUP = 'No group';

/** "1 vehicle", "3 drivers", "2 groups": how many rows a summary has, in words. */
export function summaryRowCount(groupBy: SummaryGroupBy, n: number): string {
  const one = SUMMARY_ROW_LABEL[groupBy].toLowerCase();
  return `${n.toLocaleString('en')} ${n === 1 ? one : `${one}s`}`;
}
export const MAX_JSON_ROWS = 5000;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day (YYYY-MM-DD) or an instant (ISO 8601 with offset, or epoch ms). */
const dayOrInstant = z.preprocess(
  blank,
  z
    .string({ error: 'is required: a day (YYYY-MM-DD) or an instant (ISO 8601)' })
    .refine((v) => (DAY.test(v) ? !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) : /^\d{10,15}$/.test(v) || !Number.isNaN(Date.parse(v))), 'must be a day (YYYY-MM-DD) or an instant (ISO 8601)'),
);

const uuidList = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.split(',').map((s) => s.trim())) : v),
  z.array(z.string().uuid('must be a comma-separated list of ids (uuid)')).max(10_000).optional(),
);

export const reportQuery = z
  .object({
    from: dayOrInstant,
    to: dayOrInstant,
    vehicleIds: uuidList,
    driverIds: uuidList,
    geofenceIds: uuidList,
    vehicleType: z.preprocess(blank, z.string().max(40).optional()),
    /** Vehicle group ("North depot", set in the admin console): only its vehicles. */
    vehicleGroup: z.preprocess(blank, groupName.optional()),
    /** Summary: one row per vehicle, per driver, or per vehicle group (vehicles without a group: one "No group" row, last). */
    groupBy: z
      .preprocess(blank, z.enum(SUMMARY_GROUP_BY, { error: 'must be vehicle, driver or group' }).default('vehicle'))
      .describe('Summary: a row per vehicle, per driver, or per vehicle group (its vehicles summed; the vehicles without a group: a last row "No group", id "")'),
    /** Events report: event types (comma-separated, `geofence.*` style prefixes allowed); geofence-events report: enter, exit, cross, predicted_enter. */
    types: z.preprocess((v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.split(',').map((s) => s.trim())) : v), z.array(z.string().max(64)).max(50).optional()),
    format: z.preprocess(blank, z.enum(REPORT_FORMATS, { error: `must be one of ${REPORT_FORMATS.join(', ')}` }).default('json')),
    limit: z.preprocess(
      (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : blank(v)),
      z.number({ error: `must be an integer from 1 to ${MAX_JSON_ROWS}` }).int().min(1).max(MAX_JSON_ROWS).default(MAX_JSON_ROWS),
    ),
  })
  .strict();
export type ReportQuery = z.output<typeof reportQuery>;

/** The range a query asks for as epoch ms [from, to): a day `to` includes the whole day. */
export function rangeOf(q: Pick<ReportQuery, 'from' | 'to'>): { from: number; to: number } {
  const at = (v: string, end: boolean) => (DAY.test(v) ? Date.parse(`${v}T00:00:00Z`) + (end ? 86_400_000 : 0) : /^\d{10,15}$/.test(v) ? Number(v) : Date.parse(v));
  return { from: at(q.from, false), to: at(q.to, true) };
}

export interface SummaryRow {
  /** Vehicle or driver id; for groupBy=group the group's name ('' for the vehicles without a group). */
  id: string;
  name: string;
  trips: number;
  distanceM: number;
  drivingS: number;
  idleS: number;
  maxSpeedKmh: number;
  /** Distance over driving time. */
  avgSpeedKmh: number;
  stops: number;
  stoppedS: number;
  visits: number;
  alerts: number;
  drivingEvents: number;
}

export interface SummaryDay {
  day: string;
  distanceM: number;
  drivingS: number;
  trips: number;
}

export interface SummaryHour {
  hour: number;
  trips: number;
  drivingS: number;
}

export interface TripRow {
  vehicleId: string;
  vehicleName: string;
  driverId: string | null;
  driverName: string | null;
  startAt: string;
  endAt: string;
  startLng: number;
  startLat: number;
  endLng: number;
  endLat: number;
  startPlace: string | null;
  endPlace: string | null;
  distanceM: number;
  durationS: number;
  drivingS: number;
  idleS: number;
  maxSpeedKmh: number;
  avgSpeedKmh: number;
}

export interface StopRow {
  vehicleId: string;
  vehicleName: string;
  driverName: string | null;
  startAt: string;
  endAt: string;
  durationS: number;
  lng: number;
  lat: number;
  place: string | null;
}

export interface VisitRow {
  vehicleId: string;
  vehicleName: string;
  geofenceId: string;
  geofenceName: string | null;
  arrivedAt: string;
  departedAt: string | null;
  /** Seconds inside; null while still inside. */
  dwellS: number | null;
}

/** One entry, exit, pass-through or expected entry at a fence (the geofence events screen). */
export interface FenceEventRow {
  /** The geofence_events row (a string: it is a bigint). */
  id: string;
  at: string;
  event: GeofenceEventType;
  vehicleId: string;
  vehicleName: string;
  geofenceId: string;
  geofenceName: string | null;
  lng: number;
  lat: number;
  /** Expected entries: seconds until the predicted entry. */
  etaS: number | null;
}

export interface AlertRow {
  id: string;
  at: string;
  type: string;
  severity: string;
  message: string;
  vehicleId: string | null;
  vehicleName: string | null;
}

export interface EventRow {
  id: string;
  at: string;
  type: string;
  vehicleId: string | null;
  vehicleName: string | null;
  summary: string;
}

export type ReportRow = SummaryRow | TripRow | StopRow | VisitRow | FenceEventRow | AlertRow | EventRow;

export interface ReportResponse<R = ReportRow> {
  report: ReportName;
  from: string;
  to: string;
  rows: R[];
  /** Sums (and maxima) of the numeric columns over all rows. */
  totals: Record<string, number>;
  /** Summary only: the fleet's distance, driving time and journeys per day (the chart). */
  days?: SummaryDay[];
  /** Summary only: journeys and driving time by the UTC hour they started in, 0–23 (the activity heat). */
  hours?: SummaryHour[];
  /** More rows exist than the JSON answer carries (exports carry them all). */
  truncated: boolean;
  /** Plain-language note when there is nothing to show. */
  empty: string | null;
}

/** GET /api/v1/replay: positions of up to 20 vehicles in a range, in chunks (the page asks for the next chunk with `after`). */
export const MAX_REPLAY_VEHICLES = 20;
export const replayQuery = z
  .object({
    vehicleIds: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
      z.array(z.string().uuid('must be a comma-separated list of ids (uuid)')).min(1, 'pick at least one vehicle').max(MAX_REPLAY_VEHICLES, `at most ${MAX_REPLAY_VEHICLES} vehicles`),
    ),
    from: dayOrInstant,
    to: dayOrInstant,
    /** Epoch ms: continue after this time (the previous chunk's `next`). */
    after: z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : blank(v)), z.number().int().nonnegative().optional()),
    /** Positions per chunk (all vehicles together). */
    limit: z.preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : blank(v)), z.number().int().min(100).max(200_000).default(50_000)),
  })
  .strict();

export interface ReplayChunk {
  vehicles: Array<{ id: string; name: string }>;
  /** Column arrays, ordered by time: index into `vehicles`, epoch ms, lng, lat, speed (km/h, null unknown). */
  v: number[];
  t: number[];
  lng: number[];
  lat: number[];
  speed: Array<number | null>;
  /** Stops that overlap the range, for markers. */
  stops: Array<{ vehicleId: string; startAt: string; endAt: string; lng: number; lat: number; durationS: number }>;
  /** Fence entries and exits, driving events and alerts (`alert.raised`) of these vehicles in the range (first chunk only), for markers. */
  events: Array<{ vehicleId: string; at: string; type: string; label: string; lng: number; lat: number }>;
  /** Pass as `after` for the next chunk; null when this is the last. */
  next: number | null;
}
