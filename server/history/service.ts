import type { Prisma } from '../db/database';
import * as sql from '../db/sql/history';
import type { Stage } from '../events/stage';
import type { Logger } from '../log';
import type { DomainEvent, NewEvent } from '../protocol/events';
import type { Position } from '../protocol/position';
import { MovementSegmenter, type SegmentOptions, type Segments } from './segment';

/** A place name for a point (the tenant's reverse geocoder), or null. */
export type PlaceOf = (tenantId: string, lng: number, lat: number) => string | null;

export interface HistoryServiceOptions {
  log: Logger;
  segment: SegmentOptions;
  /** The driver assigned to the vehicle now (stamped on its journeys and stops). */
  driverOf: (vehicleId: string) => string | null;
  placeOf?: PlaceOf;
  /** How often derived rows are written (set-based, off the ingest path). */
  flushMs?: number;
  /** Rows kept for the next write when the database refuses one, at most. */
  maxPending?: number;
}

/**
 * Movement history (docs/reports.md): the derivation stage on committed positions (journeys and
 * stops; pure core in segment.ts), geofence visits from the durable geofence events (a bus
 * consumer), and their periodic set-based writes with the daily summaries they touch. Nothing
 * here runs per position against the database: the stage only updates per-vehicle state in
 * memory; writes happen every `flushMs` in a handful of statements.
 */
export class HistoryService {
  readonly segmenter: MovementSegmenter;
  readonly stage: Stage & { forget(vehicleId: string): void };
  private pending: Segments = { trips: [], stops: [] };
  private visits: sql.VisitRow[] = [];
  private departures: sql.Departure[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** Rows written since start (for tests and the benchmark). */
  readonly written = { trips: 0, stops: 0, visits: 0 };

  constructor(
    private readonly prisma: Prisma,
    private readonly options: HistoryServiceOptions,
  ) {
    const segmenter = (this.segmenter = new MovementSegmenter(options.segment, options.driverOf));
    const pending = () => this.pending;
    this.stage = {
      name: 'movement',
      observe(fresh: readonly Position[]): NewEvent[] {
        const out = pending();
        for (const p of fresh) segmenter.observe(p, out);
        return [];
      },
      forget: (vehicleId) => segmenter.forget(vehicleId),
    };
  }

  start(): void {
    this.timer = setInterval(() => void this.flush().catch((err: unknown) => this.options.log.error({ err }, 'movement history not written')), this.options.flushMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush().catch(() => undefined);
  }

  /** The bus consumer: durable geofence entries and exits → visits (arrival, departure). */
  readonly events = (events: readonly DomainEvent[]): void => {
    addVisits(events, this.visits, this.departures);
  };

  /** Writes what was derived since the last write, and recomputes the days it touched. Serialized. */
  flush(): Promise<void> {
    const next = this.flushing.catch(() => undefined).then(() => this.write());
    this.flushing = next;
    return next;
  }

  private async write(): Promise<void> {
    const { trips, stops } = this.pending;
    const visits = this.visits;
    const departures = this.departures;
    if (trips.length + stops.length + visits.length + departures.length === 0) return;
    this.pending = { trips: [], stops: [] };
    this.visits = [];
    this.departures = [];
    try {
      await writeDerived(this.prisma, { trips, stops }, this.options.placeOf ?? null, visits, departures);
      this.written.trips += trips.length;
      this.written.stops += stops.length;
      this.written.visits += visits.length;
    } catch (error) {
      // Kept for the next write, within bounds (a long outage loses the oldest, which a rebuild restores).
      const max = this.options.maxPending ?? 100_000;
      this.pending.trips = trips.concat(this.pending.trips).slice(-max);
      this.pending.stops = stops.concat(this.pending.stops).slice(-max);
      this.visits = visits.concat(this.visits).slice(-max);
      this.departures = departures.concat(this.departures).slice(-max);
      throw error;
    }
  }
}

/** Journeys and stops (with places), visits and departures written, then the summaries of every day they touched. */
export async function writeDerived(
  prisma: Prisma,
  segments: Segments,
  placeOf: PlaceOf | null,
  visits: readonly sql.VisitRow[] = [],
  departures: readonly sql.Departure[] = [],
): Promise<void> {
  const place = (tenantId: string, lng: number, lat: number) => {
    if (!placeOf) return null;
    try {
      return placeOf(tenantId, lng, lat);
    } catch {
      return null;
    }
  };
  const trips = segments.trips.map((t) => ({ ...t, startPlace: place(t.tenantId, t.startLng, t.startLat), endPlace: place(t.tenantId, t.endLng, t.endLat) }));
  const stops = segments.stops.map((s) => ({ ...s, place: place(s.tenantId, s.lng, s.lat) }));
  await sql.upsertTrips(prisma, trips);
  await sql.upsertStops(prisma, stops);
  await sql.writeVisits(prisma, visits, departures);
  const vehicleDays = new Map<string, sql.DayKey>();
  const driverDays = new Map<string, sql.DayKey>();
  const touch = (tenantId: string, vehicleId: string, driverId: string | null, ms: number) => {
    const day = sql.isoDay(ms);
    vehicleDays.set(`${vehicleId}/${day}`, { tenantId, subjectId: vehicleId, day });
    if (driverId) driverDays.set(`${driverId}/${day}`, { tenantId, subjectId: driverId, day });
  };
  for (const t of trips) touch(t.tenantId, t.vehicleId, t.driverId, t.startTs);
  for (const s of stops) touch(s.tenantId, s.vehicleId, s.driverId, s.startTs);
  for (const v of visits) touch(v.tenantId, v.vehicleId, null, v.arrivedAt);
  await sql.refreshDays(prisma, 'vehicle', [...vehicleDays.values()]);
  await sql.refreshDays(prisma, 'driver', [...driverDays.values()]);
}

/**
 * Pairs fence entries and exits into visits: an entry is a visit not yet left; an exit closes the
 * same vehicle's latest visit of that fence still waiting to be written, or else is a departure
 * for one written before. Appends to `visits` and `departures`.
 */
export function addVisits(events: readonly DomainEvent[], visits: sql.VisitRow[], departures: sql.Departure[]): void {
  for (const e of events) {
    if (e.type !== 'geofence.entered' && e.type !== 'geofence.exited') continue;
    const d = e.data as { geofenceId: string; geofenceName?: string; vehicleId: string };
    const at = Date.parse(e.at);
    if (e.type === 'geofence.entered') {
      visits.push({ tenantId: e.tenantId, vehicleId: d.vehicleId, geofenceId: d.geofenceId, geofenceName: d.geofenceName ?? null, arrivedAt: at, departedAt: null });
      continue;
    }
    let open: sql.VisitRow | undefined;
    for (let i = visits.length - 1; i >= 0; i--) {
      const v = visits[i]!;
      if (v.vehicleId === d.vehicleId && v.geofenceId === d.geofenceId) {
        open = v.departedAt === null && v.arrivedAt <= at ? v : undefined;
        break;
      }
    }
    if (open) open.departedAt = at;
    else departures.push({ vehicleId: d.vehicleId, geofenceId: d.geofenceId, at });
  }
}
