import type { Principal } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/reports';
import { ApiError, parseOrThrow } from '../protocol/errors';
import {
  MAX_RANGE_DAYS,
  NO_GROUP,
  REPORTS,
  SUMMARY_ROW_LABEL,
  summaryRowCount,
  rangeOf,
  replayQuery,
  reportQuery,
  TRACK_FORMATS,
  type AlertRow,
  type EventRow,
  type FenceEventRow,
  type ReplayChunk,
  type ReportName,
  type ReportQuery,
  type ReportResponse,
  type StopRow,
  type SummaryGroupBy,
  type SummaryRow,
  type TripRow,
  type VisitRow,
} from '../protocol/reports';
import { csvStream, gpxLines, isoSeconds, kmlLines, textStream, xlsxStream, type Column, type Track } from './export';
import { renderPdf, summaryHtml } from './pdf';
import { FENCE_EVENT_LABEL } from '../protocol/alert-rules';
import { GEOFENCE_EVENT_TYPES, type GeofenceEventType } from '../protocol/geofences';

const DAY_MS = 86_400_000;
const MAX_INSTANT = Date.UTC(9999, 0, 1);
const PAGE = 5_000;
const READERS = ['admin', 'manager', 'viewer'];
/** What replay marks on the map. */
const REPLAY_EVENT_TYPES = ['geofence.entered', 'geofence.exited', 'driving.*'];
const iso = (ms: number) => new Date(ms).toISOString();
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

type Range = { from: number; to: number };

/** Turns a page reader with a keyset into pages until a short one. */
async function* pagesOf<Raw, R>(read: (after: sql.Cursor | null, limit: number) => Promise<Raw[]>, cursor: (r: Raw) => sql.Cursor, map: (r: Raw) => R, max = Infinity): AsyncGenerator<R[]> {
  let after: sql.Cursor | null = null;
  let seen = 0;
  for (;;) {
    const limit = Math.min(PAGE, max - seen);
    if (limit <= 0) return;
    const page = await read(after, limit);
    seen += page.length;
    yield page.map(map);
    if (page.length < limit) return;
    after = cursor(page[page.length - 1]!);
  }
}

const tripRow = (r: sql.TripReportRow): TripRow => ({
  vehicleId: r.vehicle_id,
  vehicleName: r.vehicle_name,
  driverId: r.driver_id,
  driverName: r.driver_name,
  startAt: iso(r.start_ms),
  endAt: iso(r.end_ms),
  startLng: r.start_lng,
  startLat: r.start_lat,
  endLng: r.end_lng,
  endLat: r.end_lat,
  startPlace: r.start_place,
  endPlace: r.end_place,
  distanceM: round(r.distance_m, 1),
  durationS: Math.round((r.end_ms - r.start_ms) / 1000),
  drivingS: Math.round(r.driving_s),
  idleS: Math.round(r.idle_s),
  maxSpeedKmh: round(r.max_speed_kmh, 1),
  avgSpeedKmh: round(r.avg_speed_kmh, 1),
});
const stopRow = (r: sql.StopReportRow): StopRow => ({
  vehicleId: r.vehicle_id,
  vehicleName: r.vehicle_name,
  driverName: r.driver_name,
  startAt: iso(r.start_ms),
  endAt: iso(r.end_ms),
  durationS: Math.round((r.end_ms - r.start_ms) / 1000),
  lng: r.lng,
  lat: r.lat,
  place: r.place,
});
const visitRow = (r: sql.VisitReportRow): VisitRow => ({
  vehicleId: r.vehicle_id,
  vehicleName: r.vehicle_name,
  geofenceId: r.geofence_id,
  geofenceName: r.geofence_name,
  arrivedAt: iso(r.arrived_ms),
  departedAt: r.departed_ms === null ? null : iso(r.departed_ms),
  dwellS: r.departed_ms === null ? null : Math.round((r.departed_ms - r.arrived_ms) / 1000),
});
const fenceEventRow = (r: sql.FenceEventReportRow): FenceEventRow => ({
  id: r.id,
  at: iso(r.at_ms),
  event: r.type as GeofenceEventType,
  vehicleId: r.vehicle_id,
  vehicleName: r.vehicle_name,
  geofenceId: r.geofence_id,
  geofenceName: r.geofence_name,
  lng: r.lng,
  lat: r.lat,
  etaS: r.eta_s === null ? null : Math.round(r.eta_s),
});
const alertRow = (r: sql.AlertReportRow): AlertRow => ({ id: r.id, at: iso(r.at_ms), type: r.type, severity: r.severity, message: r.message, vehicleId: r.vehicle_id, vehicleName: r.vehicle_name });
const eventRow = (r: sql.EventReportRow): EventRow => ({
  id: r.id,
  at: iso(r.at_ms),
  type: r.type,
  vehicleId: r.aggregate_type === 'vehicle' ? r.aggregate_id : null,
  vehicleName: r.vehicle_name,
  summary: summarize(r.data),
});

/** A short plain-text line from an event's data (names first, ids left out). */
function summarize(data: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(data ?? {})) {
    if (v === null || v === undefined || typeof v === 'object' || /id$/i.test(k)) continue;
    parts.push(`${k}: ${String(v)}`);
    if (parts.length >= 6) break;
  }
  return parts.join(', ');
}

const at = (s: string | null) => (s === null ? null : new Date(s));
const km = (m: number) => round(m / 1000, 3);
const minutes = (s: number | null) => (s === null ? null : round(s / 60, 1));

/** The columns of each report's files (units in the headers; times UTC). */
const COLUMNS = {
  summary: (groupBy: SummaryGroupBy): Column<SummaryRow>[] => [
    { header: SUMMARY_ROW_LABEL[groupBy], value: (r) => r.name, width: 24 },
    { header: 'Journeys', value: (r) => r.trips },
    { header: 'Distance (km)', value: (r) => km(r.distanceM) },
    { header: 'Driving (min)', value: (r) => minutes(r.drivingS) },
    { header: 'Idle (min)', value: (r) => minutes(r.idleS) },
    { header: 'Max speed (km/h)', value: (r) => r.maxSpeedKmh },
    { header: 'Average speed (km/h)', value: (r) => r.avgSpeedKmh },
    { header: 'Stops', value: (r) => r.stops },
    { header: 'Stopped (min)', value: (r) => minutes(r.stoppedS) },
    { header: 'Fence visits', value: (r) => r.visits },
    { header: 'Alerts', value: (r) => r.alerts },
    { header: 'Driving events', value: (r) => r.drivingEvents },
  ],
  trips: (): Column<TripRow>[] => [
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Driver', value: (r) => r.driverName, width: 20 },
    { header: 'Start (UTC)', value: (r) => at(r.startAt), width: 20 },
    { header: 'End (UTC)', value: (r) => at(r.endAt), width: 20 },
    { header: 'From', value: (r) => r.startPlace ?? `${r.startLat.toFixed(5)}, ${r.startLng.toFixed(5)}`, width: 30 },
    { header: 'To', value: (r) => r.endPlace ?? `${r.endLat.toFixed(5)}, ${r.endLng.toFixed(5)}`, width: 30 },
    { header: 'Distance (km)', value: (r) => km(r.distanceM) },
    { header: 'Duration (min)', value: (r) => minutes(r.durationS) },
    { header: 'Driving (min)', value: (r) => minutes(r.drivingS) },
    { header: 'Idle (min)', value: (r) => minutes(r.idleS) },
    { header: 'Max speed (km/h)', value: (r) => r.maxSpeedKmh },
    { header: 'Average speed (km/h)', value: (r) => r.avgSpeedKmh },
  ],
  stops: (): Column<StopRow>[] => [
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Driver', value: (r) => r.driverName, width: 20 },
    { header: 'Start (UTC)', value: (r) => at(r.startAt), width: 20 },
    { header: 'End (UTC)', value: (r) => at(r.endAt), width: 20 },
    { header: 'Duration (min)', value: (r) => minutes(r.durationS) },
    { header: 'Place', value: (r) => r.place ?? `${r.lat.toFixed(5)}, ${r.lng.toFixed(5)}`, width: 30 },
    { header: 'Latitude', value: (r) => r.lat },
    { header: 'Longitude', value: (r) => r.lng },
  ],
  'geofence-visits': (): Column<VisitRow>[] => [
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Fence', value: (r) => r.geofenceName, width: 24 },
    { header: 'Arrived (UTC)', value: (r) => at(r.arrivedAt), width: 20 },
    { header: 'Departed (UTC)', value: (r) => at(r.departedAt), width: 20 },
    { header: 'Dwell (min)', value: (r) => minutes(r.dwellS) },
  ],
  'geofence-events': (): Column<FenceEventRow>[] => [
    { header: 'Time (UTC)', value: (r) => at(r.at), width: 20 },
    { header: 'Event', value: (r) => FENCE_EVENT_LABEL[r.event] ?? r.event, width: 16 },
    { header: 'Fence', value: (r) => r.geofenceName, width: 24 },
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Expected in (s)', value: (r) => r.etaS },
    { header: 'Latitude', value: (r) => r.lat },
    { header: 'Longitude', value: (r) => r.lng },
  ],
  alerts: (): Column<AlertRow>[] => [
    { header: 'Time (UTC)', value: (r) => at(r.at), width: 20 },
    { header: 'Type', value: (r) => r.type, width: 18 },
    { header: 'Severity', value: (r) => r.severity },
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Message', value: (r) => r.message, width: 50 },
  ],
  events: (): Column<EventRow>[] => [
    { header: 'Time (UTC)', value: (r) => at(r.at), width: 20 },
    { header: 'Event', value: (r) => r.type, width: 22 },
    { header: 'Vehicle', value: (r) => r.vehicleName, width: 20 },
    { header: 'Details', value: (r) => r.summary, width: 60 },
  ],
};

const NUMERIC_TOTALS: Partial<Record<ReportName, string[]>> = {
  summary: ['trips', 'distanceM', 'drivingS', 'idleS', 'stops', 'stoppedS', 'visits', 'alerts', 'drivingEvents'],
  trips: ['distanceM', 'durationS', 'drivingS', 'idleS'],
  stops: ['durationS'],
  'geofence-visits': ['dwellS'],
};

function totalsOf(report: ReportName, rows: readonly object[]): Record<string, number> {
  const totals: Record<string, number> = { rows: rows.length };
  for (const key of NUMERIC_TOTALS[report] ?? []) totals[key] = rows.reduce((s, r) => s + ((r as Record<string, number | null>)[key] ?? 0), 0);
  if (report === 'summary' || report === 'trips') {
    totals.maxSpeedKmh = rows.reduce((m, r) => Math.max(m, (r as { maxSpeedKmh: number }).maxSpeedKmh), 0);
    totals.avgSpeedKmh = totals.drivingS! > 0 ? round((totals.distanceM! / totals.drivingS!) * 3.6, 1) : 0;
    totals.distanceM = round(totals.distanceM!, 1);
  }
  return totals;
}

const EMPTY: Record<ReportName, string> = {
  summary: 'No vehicle moved in this period.',
  trips: 'No journeys in this period.',
  stops: 'No stops in this period.',
  'geofence-visits': 'No fence visits in this period.',
  'geofence-events': 'No fence entries or exits in this period.',
  alerts: 'No alerts in this period.',
  events: 'No events in this period.',
};

export interface ReportServiceOptions {
  /** Writes what the live derivation holds, so a report includes what just happened. */
  flush?: () => Promise<void>;
  /** Chromium for the summary's PDF (REPORT_PDF_CHROMIUM). */
  chromiumPath?: string;
}

/**
 * Reports over the derived history and the logs (docs/reports.md): validation, tenant scoping,
 * JSON answers with totals, and streamed CSV/XLSX/GPX/KML files. Drivers may not read them.
 */
export class ReportService {
  constructor(
    private readonly prisma: Prisma,
    private readonly options: ReportServiceOptions = {},
  ) {}

  /** Validates a report request: the report's name, the query, the range. */
  parse(principal: Principal, report: string, query: unknown): { name: ReportName; q: ReportQuery; range: Range } {
    if (!READERS.includes(principal.role)) throw new ApiError('FORBIDDEN', `role ${principal.role} may not read reports (needs admin, manager or viewer)`);
    if (!(REPORTS as readonly string[]).includes(report)) throw new ApiError('NOT_FOUND', `no report ${report}: one of ${REPORTS.join(', ')}`);
    const name = report as ReportName;
    const q = parseOrThrow(reportQuery, query);
    const range = checkedRange(q);
    if (TRACK_FORMATS.includes(q.format) && name !== 'trips') throw new ApiError('VALIDATION_ERROR', `format: ${q.format} tracks come with the trips report`, 'format');
    if (q.format === 'pdf' && name !== 'summary') throw new ApiError('VALIDATION_ERROR', 'format: pdf is made for the summary report', 'format');
    const kinds = GEOFENCE_EVENT_TYPES as readonly string[];
    const unknownKind = name === 'geofence-events' ? q.types?.find((t) => !kinds.includes(t)) : undefined;
    if (unknownKind !== undefined) throw new ApiError('VALIDATION_ERROR', `types: ${unknownKind} is not a fence event; one or more of ${kinds.join(', ')}`, 'types');
    return { name, q, range };
  }

  async run(principal: Principal, report: string, query: unknown): Promise<Response> {
    const { name, q, range } = this.parse(principal, report, query);
    await this.options.flush?.().catch(() => undefined);
    const filter: sql.ReportFilter = { tenantId: principal.tenantId, ...range, vehicleIds: q.vehicleIds, driverIds: q.driverIds, geofenceIds: q.geofenceIds, vehicleType: q.vehicleType, vehicleGroup: q.vehicleGroup, types: q.types };
    const file = `geofleet-${name}-${iso(range.from).slice(0, 10)}-${iso(range.to - 1).slice(0, 10)}`;
    if (name === 'summary') return this.summary(filter, q, file);
    if (q.format === 'gpx' || q.format === 'kml') return this.tracks(filter, q.format, file);
    const pages = this.pages(name, filter, q.format === 'json' ? q.limit + 1 : Infinity);
    if (q.format === 'json') {
      const rows: object[] = [];
      for await (const page of pages) rows.push(...page);
      const truncated = rows.length > q.limit;
      if (truncated) rows.length = q.limit;
      const body: ReportResponse = { report: name, from: iso(range.from), to: iso(range.to), rows: rows as never, totals: totalsOf(name, rows), truncated, empty: rows.length === 0 ? EMPTY[name] : null };
      return Response.json(body);
    }
    const columns = COLUMNS[name]() as Column<object>[];
    return fileResponse(q.format === 'csv' ? csvStream(columns, pages) : xlsxStream(name, columns, pages), q.format === 'csv' ? 'csv' : 'xlsx', file);
  }

  /** The report's rows in pages (keyset reads), at most `max`. */
  pages(name: Exclude<ReportName, 'summary'>, f: sql.ReportFilter, max = Infinity): AsyncGenerator<object[]> {
    const p = this.prisma;
    switch (name) {
      case 'trips':
        return pagesOf((a, n) => sql.tripRows(p, f, a, n), (r) => ({ ts: r.start_ms, key: r.vehicle_id }), tripRow, max);
      case 'stops':
        return pagesOf((a, n) => sql.stopRows(p, f, a, n), (r) => ({ ts: r.start_ms, key: r.vehicle_id }), stopRow, max);
      case 'geofence-visits':
        return pagesOf((a, n) => sql.visitRows(p, f, a, n), (r) => ({ ts: r.arrived_ms, key: r.vehicle_id }), visitRow, max);
      case 'geofence-events':
        return pagesOf((a, n) => sql.fenceEventRows(p, f, a, n), (r) => ({ ts: r.at_ms, key: r.id }), fenceEventRow, max);
      case 'alerts':
        return pagesOf((a, n) => sql.alertRows(p, f, a, n), (r) => ({ ts: r.at_ms, key: r.id }), alertRow, max);
      case 'events':
        return pagesOf((a, n) => sql.eventRows(p, f, a, n), (r) => ({ ts: r.at_ms, key: r.id }), eventRow, max);
    }
  }

  private async summary(f: sql.ReportFilter, q: ReportQuery, file: string): Promise<Response> {
    const raw = await sql.summaryRows(this.prisma, f, q.groupBy);
    const rows: SummaryRow[] = raw.map((r) => ({
      id: r.id,
      name: r.name ?? (q.groupBy === 'group' ? NO_GROUP : r.id),
      trips: r.trips,
      distanceM: round(r.distance_m, 1),
      drivingS: Math.round(r.driving_s),
      idleS: Math.round(r.idle_s),
      maxSpeedKmh: round(r.max_speed_kmh, 1),
      avgSpeedKmh: r.driving_s > 0 ? round((r.distance_m / r.driving_s) * 3.6, 1) : 0,
      stops: r.stops,
      stoppedS: Math.round(r.stopped_s),
      visits: r.visits,
      alerts: r.alerts,
      drivingEvents: r.driving_events,
    }));
    const totals = totalsOf('summary', rows);
    const moved = rows.some((r) => r.trips > 0 || r.stops > 0);
    if (q.format === 'json' || q.format === 'pdf') {
      const days = (await sql.summaryDays(this.prisma, f, q.groupBy, rows.map((r) => r.id))).map((d) => ({ day: d.day, distanceM: round(d.distance_m, 1), drivingS: Math.round(d.driving_s), trips: d.trips }));
      if (q.format === 'pdf') {
        const span = `${iso(f.from).slice(0, 10)} – ${iso(f.to - 1).slice(0, 10)}`;
        const html = summaryHtml({ title: `Fleet summary ${span}`, subtitle: `${summaryRowCount(q.groupBy, rows.length)} · UTC days · journeys count on the day they started`, groupBy: q.groupBy, rows, totals, days });
        const pdf = await renderPdf(html, this.options.chromiumPath ?? '/usr/bin/chromium');
        return new Response(new Uint8Array(pdf), { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="${file}.pdf"`, 'Cache-Control': 'no-store' } });
      }
      const byHour = new Map((await sql.summaryHours(this.prisma, f, q.groupBy, rows.map((r) => r.id))).map((h) => [h.hour, h]));
      const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, trips: byHour.get(hour)?.trips ?? 0, drivingS: Math.round(byHour.get(hour)?.driving_s ?? 0) }));
      const body: ReportResponse<SummaryRow> = { report: 'summary', from: iso(f.from), to: iso(f.to), rows, totals, days, hours, truncated: false, empty: moved ? null : EMPTY.summary };
      return Response.json(body);
    }
    const columns = COLUMNS.summary(q.groupBy);
    const total: SummaryRow = { id: '', name: 'Total', trips: totals.trips!, distanceM: totals.distanceM!, drivingS: totals.drivingS!, idleS: totals.idleS!, maxSpeedKmh: totals.maxSpeedKmh!, avgSpeedKmh: totals.avgSpeedKmh!, stops: totals.stops!, stoppedS: totals.stoppedS!, visits: totals.visits!, alerts: totals.alerts!, drivingEvents: totals.drivingEvents! };
    async function* one() {
      yield rows;
    }
    async function* withTotal() {
      yield [...rows, total];
    }
    return fileResponse(q.format === 'csv' ? csvStream(columns, withTotal()) : xlsxStream('summary', columns, one(), total), q.format === 'csv' ? 'csv' : 'xlsx', file);
  }

  /** GPX/KML: each journey of the trips report with its positions (read one journey at a time). */
  private tracks(f: sql.ReportFilter, format: 'gpx' | 'kml', file: string): Response {
    const prisma = this.prisma;
    const trips = this.pages('trips', f) as AsyncGenerator<TripRow[]>;
    async function* journeys(): AsyncGenerator<Track> {
      for await (const page of trips) {
        for (const t of page) {
          const points = await sql.trackPoints(prisma, f.tenantId, [t.vehicleId], Date.parse(t.startAt), Date.parse(t.endAt) + 1, null, 100_000);
          yield {
            vehicleName: t.vehicleName,
            name: `${t.vehicleName} ${isoSeconds(new Date(t.startAt))}`,
            description: `${km(t.distanceM)} km in ${minutes(t.durationS)} min, max ${t.maxSpeedKmh} km/h${t.driverName ? `, ${t.driverName}` : ''}`,
            points: points.map((p) => ({ ts: p.ts, lng: p.lng, lat: p.lat, altitude: p.altitude, speedKmh: p.speed })),
          };
        }
      }
    }
    const lines = format === 'gpx' ? gpxLines(journeys()) : kmlLines(file, journeys());
    return fileResponse(textStream(lines), format, file);
  }

  /** Replay: positions of up to 20 vehicles in chunks by time, with the stops that overlap the range. */
  async replay(principal: Principal, query: unknown): Promise<ReplayChunk> {
    if (!READERS.includes(principal.role)) throw new ApiError('FORBIDDEN', `role ${principal.role} may not replay the fleet (needs admin, manager or viewer)`);
    const q = parseOrThrow(replayQuery, query);
    const range = checkedRange(q);
    const vehicles = await sql.vehiclesNamed(this.prisma, principal.tenantId, q.vehicleIds);
    if (vehicles.length === 0) throw new ApiError('NOT_FOUND', 'none of these vehicles exists', 'vehicleIds');
    const ids = vehicles.map((v) => v.id);
    const index = new Map(ids.map((id, i) => [id, i]));
    // Each vehicle's next positions (an equal share of the chunk); the chunk ends where the first
    // vehicle that filled its share has no more loaded, so every vehicle is complete up to there.
    const perVehicle = Math.ceil(q.limit / ids.length) + 1;
    let rows = await sql.replayPoints(this.prisma, principal.tenantId, ids, range.from, range.to, q.after ?? null, perVehicle);
    const counts = new Map<string, { n: number; last: number }>();
    for (const r of rows) {
      const c = counts.get(r.vehicle_id);
      if (c) {
        c.n++;
        c.last = r.ts;
      } else counts.set(r.vehicle_id, { n: 1, last: r.ts });
    }
    let next: number | null = null;
    for (const c of counts.values()) if (c.n >= perVehicle && (next === null || c.last < next)) next = c.last;
    if (next !== null) {
      const cut = next;
      rows = rows.filter((r) => r.ts < cut);
    }
    const chunk: ReplayChunk = { vehicles, v: [], t: [], lng: [], lat: [], speed: [], stops: [], events: [], next };
    for (const r of rows) {
      chunk.v.push(index.get(r.vehicle_id)!);
      chunk.t.push(r.ts);
      chunk.lng.push(round(r.lng, 6));
      chunk.lat.push(round(r.lat, 6));
      chunk.speed.push(r.speed === null ? null : round(r.speed, 1));
    }
    if (q.after === undefined) {
      await this.options.flush?.().catch(() => undefined);
      // Stops that began up to a day before the range and reach into it.
      const f: sql.ReportFilter = { tenantId: principal.tenantId, from: range.from - DAY_MS, to: range.to, vehicleIds: ids };
      for await (const page of this.pages('stops', f)) {
        for (const s of page as StopRow[]) {
          if (Date.parse(s.endAt) <= range.from) continue;
          chunk.stops.push({ vehicleId: s.vehicleId, startAt: s.startAt, endAt: s.endAt, lng: s.lng, lat: s.lat, durationS: s.durationS });
        }
      }
      // Fence and driving events where they happened (their data carries the position).
      const events = await sql.eventRows(this.prisma, { tenantId: principal.tenantId, ...range, vehicleIds: ids, types: REPLAY_EVENT_TYPES }, null, 2_000);
      for (const e of events) {
        const d = e.data as { position?: { lng?: number; lat?: number }; geofenceName?: string; severity?: string };
        if (typeof d.position?.lng !== 'number' || typeof d.position.lat !== 'number') continue;
        const label = e.type === 'geofence.entered' ? `Entered ${d.geofenceName ?? 'a fence'}` : e.type === 'geofence.exited' ? `Left ${d.geofenceName ?? 'a fence'}` : `${e.type.slice('driving.'.length).replace(/_/g, ' ')}${d.severity ? ` (${d.severity})` : ''}`;
        chunk.events.push({ vehicleId: e.aggregate_id, at: iso(e.at_ms), type: e.type, label, lng: d.position.lng, lat: d.position.lat });
      }
      // Alerts about them, where each vehicle was when it was raised.
      for (const a of await sql.replayAlerts(this.prisma, principal.tenantId, ids, range.from, range.to, 2_000)) {
        chunk.events.push({ vehicleId: a.vehicle_id, at: iso(a.at_ms), type: 'alert.raised', label: `Alert${a.severity ? ` (${a.severity})` : ''}: ${a.message}`, lng: a.lng, lat: a.lat });
      }
      chunk.events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
    }
    return chunk;
  }
}

/** from ≤ to, both valid, at most MAX_RANGE_DAYS apart; else VALIDATION_ERROR naming the field. */
function checkedRange(q: { from: string; to: string }): Range {
  const range = rangeOf(q);
  if (!Number.isFinite(range.from)) throw new ApiError('VALIDATION_ERROR', 'from: must be a day (YYYY-MM-DD) or an instant (ISO 8601)', 'from');
  if (!Number.isFinite(range.to)) throw new ApiError('VALIDATION_ERROR', 'to: must be a day (YYYY-MM-DD) or an instant (ISO 8601)', 'to');
  if (range.from < 0 || range.from > MAX_INSTANT) throw new ApiError('VALIDATION_ERROR', 'from: must be between 1970 and 9999', 'from');
  if (range.to < 0 || range.to > MAX_INSTANT) throw new ApiError('VALIDATION_ERROR', 'to: must be between 1970 and 9999', 'to');
  if (range.from >= range.to) throw new ApiError('VALIDATION_ERROR', 'from: must be before to', 'from');
  if (range.to - range.from > MAX_RANGE_DAYS * DAY_MS) throw new ApiError('VALIDATION_ERROR', `to: a report covers at most ${MAX_RANGE_DAYS} days`, 'to');
  return range;
}

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  gpx: 'application/gpx+xml',
  kml: 'application/vnd.google-earth.kml+xml',
} as const;

function fileResponse(body: ReadableStream<Uint8Array>, format: keyof typeof CONTENT_TYPES, file: string): Response {
  return new Response(body, {
    headers: { 'Content-Type': CONTENT_TYPES[format], 'Content-Disposition': `attachment; filename="${file}.${format}"`, 'Cache-Control': 'no-store' },
  });
}
