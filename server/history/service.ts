import type { Prisma } from '../db/database';
import * as sql from '../db/sql/history';
import { saveOpenSegments, takeOpenSegments } from '../db/sql/history-open';
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
  /**
   * How often the journeys and stops under way are saved (history_open_segments), so that a
   * crash loses at most this much of their continuity; they are also saved at stop().
   */
  checkpointMs?: number;
}

/** Open states written per statement at a checkpoint (one statement for a fleet up to this size). */
const CHECKPOINT_BATCH = 10_000;

/**
 * Movement history (docs/reports.md): the derivation stage on committed positions (journeys and
 * stops; pure core in segment.ts), geofence visits from the durable geofence events (a bus
 * consumer), and their periodic set-based writes with the daily summaries they touch. Nothing
 * here runs per position against the database: the stage only updates per-vehicle state in
 * memory; writes happen every `flushMs` in a handful of statements.
 *
 * What is under way survives a restart: stop() saves each vehicle's open state (after writing
 * what is pending), start() takes the saved states back before the first position, and every
 * `checkpointMs` the states that changed are saved (one statement), so a crash loses at most
 * that much continuity (docs/reports.md).
 */
export class HistoryService {
  readonly segmenter: MovementSegmenter;
  readonly stage: Stage & { forget(vehicleId: string): void };
  private pending: Segments = { trips: [], stops: [] };
  private visits: sql.VisitRow[] = [];
  private departures: sql.Departure[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;
  /** Writes, checkpoints and the restore at start, one at a time. */
  private flushing: Promise<unknown> = Promise.resolve();
  /** Each vehicle's last fix time in its saved open state (a checkpoint writes the vehicles whose time differs). */
  private readonly saved = new Map<string, number>();
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
      forget: (vehicleId) => {
        segmenter.forget(vehicleId);
        this.saved.delete(vehicleId); // its saved row goes with the vehicle (foreign key)
      },
    };
  }

  /**
   * Takes back the journeys and stops under way at the last stop() (or checkpoint), and starts
   * the periodic writes. Resolves once they are back (never rejects: without them, journeys
   * under way are split as before); positions fed before that win over a saved state.
   */
  start(): Promise<void> {
    const log = this.options.log;
    const restored = this.serial(() => this.restore()).catch((err: unknown) => log.error({ err }, 'journeys under way not restored: they start afresh'));
    this.timer = setInterval(() => void this.flush().catch((err: unknown) => log.error({ err }, 'movement history not written')), this.options.flushMs ?? 5_000);
    this.timer.unref();
    this.checkpointTimer = setInterval(
      () => void this.checkpoint().catch((err: unknown) => log.error({ err }, 'journeys under way not saved')),
      this.options.checkpointMs ?? 60_000,
    );
    this.checkpointTimer.unref();
    return restored;
  }

  /** Writes what is pending, then saves the journeys and stops under way for the next start. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    this.timer = null;
    this.checkpointTimer = null;
    await this.flush().catch(() => undefined);
    await this.checkpoint().catch((err: unknown) => this.options.log.error({ err }, 'journeys under way not saved: they will be split at the last checkpoint'));
  }

  /**
   * Saves the open state of every vehicle whose state changed since it was last saved (one
   * statement per CHECKPOINT_BATCH vehicles; nothing when nothing changed), after writing what
   * was derived up to the same moment: a saved state is never ahead of the written journeys and
   * stops (when they cannot be written, no state is saved). Resolves with how many were saved.
   * Serialized with the writes.
   */
  checkpoint(): Promise<number> {
    return this.serial(async () => {
      const changed = this.segmenter.exportState((vehicleId, lastTs) => this.saved.get(vehicleId) !== lastTs);
      // write() takes what is pending before its first await: the rows derived up to this same moment.
      await this.write();
      for (let i = 0; i < changed.length; i += CHECKPOINT_BATCH) {
        const batch = changed.slice(i, i + CHECKPOINT_BATCH);
        await saveOpenSegments(this.prisma, batch.map((c) => ({ tenantId: c.state.tenantId, vehicleId: c.vehicleId, state: c.state })));
        for (const c of batch) this.saved.set(c.vehicleId, c.state.last.ts);
      }
      return changed.length;
    });
  }

  /** The bus consumer: durable geofence entries and exits → visits (arrival, departure). */
  readonly events = (events: readonly DomainEvent[]): void => {
    addVisits(events, this.visits, this.departures);
  };

  /** Writes what was derived since the last write, and recomputes the days it touched. Serialized. */
  flush(): Promise<void> {
    return this.serial(() => this.write());
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.flushing.catch(() => undefined).then(task);
    this.flushing = next;
    return next;
  }

  /** Reads and deletes the saved states (one statement) and imports them; none of them counts as saved any more. */
  private async restore(): Promise<void> {
    const rows = await takeOpenSegments(this.prisma);
    let restored = 0;
    for (const r of rows) if (this.segmenter.importState(r.vehicleId, r.state)) restored++;
    if (rows.length > 0) this.options.log.info({ restored, saved: rows.length }, 'journeys under way restored');
  }

  /** Takes what is pending synchronously (before its first await; checkpoint() relies on it), then writes it. */
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
