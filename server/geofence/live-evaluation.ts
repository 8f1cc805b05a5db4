import type { Namespace } from 'socket.io';
import { CONFIRMED } from './semantics';
import { compileFence, GeofenceEngine, type GeofenceDefinition, type GeofenceEvent, type MembershipSnapshot } from './engine';
import type { Logger } from '../log';
import type { NewEvent } from '../protocol/events';
import { GEOFENCE_EVENTS, type GeofenceDto } from '../protocol/geofences';
import type { Position } from '../protocol/position';
import { catalogRooms } from '../realtime/catalog-room';
import type { VehicleRegistry } from '../vehicles/registry';
import type { GeofenceListener, GeofenceService } from './service';
import { toDefinition } from './definition';
import { toDomainEvents } from './domain-events';
import { geofenceRoom } from './event-consumer';

/**
 * How often confirmed memberships that began or ended are written. Often and small rather than
 * rare and large: one write of five seconds' changes at 10,000 vehicles/s showed as a latency
 * spike every five seconds (bench:ingest), and a crash loses at most this much.
 */
const MEMBERSHIP_SAVE_MS = 1_000;
/** The tenant written for a membership of a vehicle no longer registered (its row is only deleted). */
const NO_TENANT = '00000000-0000-0000-0000-000000000000';
/** How often schedules are checked against the clock (temporal fences). */
const SCHEDULE_TICK_MS = 1_000;

/**
 * The adapter between the pure geofence engine and the rest of the server: loads fences and
 * memberships at start-up, keeps the engine current as fences change, turns every committed
 * batch into domain events (the log stores them, the bus fans them out: see event-consumer.ts),
 * and saves memberships so a restart neither repeats nor misses an enter.
 */
export class LiveGeofenceEvaluation {
  readonly engine: GeofenceEngine;
  /** Per vehicle, its memberships as last written: geofence id → `since`. */
  private readonly saved = new Map<string, Map<string, number>>();
  private saveTimer: NodeJS.Timeout | null = null;
  private scheduleTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();
  /** Every evaluated fence as stored, by id. */
  private readonly fences = new Map<string, { tenantId: string; fence: GeofenceDto }>();

  constructor(
    private readonly deps: {
      service: GeofenceService;
      registry: VehicleRegistry;
      log: Logger;
      fleet: () => Namespace | null;
      /**
       * A vehicle's last committed position: where its evaluation resumes after a restart (the
       * position is stored with every batch, so memberships store only what changes on entry
       * and exit).
       */
      lastPositionOf: (vehicleId: string) => { ts: number; lng: number; lat: number } | null;
      /** The LineString a vehicle is assigned to follow (predictive fences), if any. */
      routeOf?: (vehicleId: string) => readonly number[][] | null;
      /** Appends events caused by the clock (temporal fences) to the log. */
      record: (events: readonly NewEvent[]) => void;
    },
  ) {
    this.engine = new GeofenceEngine({
      vehicleFacts: (id) => {
        const v = deps.registry.get(id);
        if (!v) return undefined;
        const attributes = v.attributes && typeof v.attributes === 'object' && !Array.isArray(v.attributes) ? (v.attributes as Record<string, unknown>) : {};
        return { type: v.type, attributes, route: deps.routeOf?.(id) ?? null };
      },
    });
  }

  /** Fence changes from the REST service: applied to evaluation at once and announced. */
  readonly listener: GeofenceListener = {
    changed: (tenantId, fence) => {
      this.engine.upsert(toDefinition(tenantId, fence));
      this.fences.set(fence.id, { tenantId, fence });
      this.deps.fleet()?.to(catalogRooms(tenantId)).emit(GEOFENCE_EVENTS.changed, fence);
    },
    removed: (tenantId, id) => {
      this.engine.remove(id);
      this.fences.delete(id);
      this.deps.fleet()?.to(catalogRooms(tenantId)).emit(GEOFENCE_EVENTS.removed, { id });
    },
  };

  async start(): Promise<void> {
    const stored = await this.deps.service.loadAll();
    const definitions: GeofenceDefinition[] = [];
    for (const { tenantId, fence } of stored) {
      try {
        const definition = toDefinition(tenantId, fence);
        compileFence(definition); // throws for this fence only, so one bad row cannot stop the rest
        definitions.push(definition);
        this.fences.set(fence.id, { tenantId, fence });
      } catch (error) {
        this.deps.log.error({ err: error, geofenceId: fence.id }, 'geofence cannot be evaluated, skipped');
      }
    }
    this.engine.setFences(definitions);
    this.engine.restoreMembership(this.snapshotFromRows(await this.deps.service.loadMemberships()));
    this.saveTimer = setInterval(() => void this.saveMemberships(), MEMBERSHIP_SAVE_MS);
    this.saveTimer.unref();
    this.engine.advanceTo(Date.now());
    // Temporal fences open and close with the clock, not with positions.
    this.scheduleTimer = setInterval(() => this.deps.record(this.toEvents(this.engine.advanceTo(Date.now()))), SCHEDULE_TICK_MS);
    this.scheduleTimer.unref();
    this.deps.log.info({ fences: definitions.length, vehicles: this.engine.vehicleCount }, 'geofence evaluation ready');
  }

  /** `subscribe {scope: "geofence", id}`: the fence's room and the vehicles inside it (null: no such fence in the tenant). */
  scope(tenantId: string, id: string): { room: string; vehicleIds: string[] } | null {
    if (this.fences.get(id)?.tenantId !== tenantId) return null;
    return { room: geofenceRoom(id), vehicleIds: this.engine.membersOf(id) };
  }

  /** Evaluates a committed batch (each vehicle's positions in order): the domain events it causes. */
  observe(fresh: readonly Position[]): NewEvent[] {
    return this.toEvents(this.engine.evaluate(fresh));
  }

  /** A fence as evaluated (for consumers of its events, such as alerts). */
  fenceOf(id: string): GeofenceDto | undefined {
    return this.fences.get(id)?.fence;
  }

  private toEvents(events: readonly GeofenceEvent[]): NewEvent[] {
    return events.length === 0 ? [] : toDomainEvents(events, (id) => this.fences.get(id)?.fence.properties.name);
  }

  /**
   * Writes the confirmed memberships (an `enter` was emitted) that began or ended since the last
   * save (called periodically and at shutdown). Only the vehicles whose memberships changed are
   * looked at, so a vehicle moving inside a fence costs nothing here: the work follows entries
   * and exits, not the position rate or the fleet size. A dwell still running is not stored: it
   * starts again after a restart, which can only delay that `enter`, never repeat one.
   */
  saveMemberships(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const changes = this.engine.takeMembershipChanges();
      const rows: Array<{ vehicleId: string; geofenceId: string; tenantId: string; state: { since: number } | null }> = [];
      const confirmed = changes.map(({ vehicleId, fences }) => ({ vehicleId, fences: fences.filter(([, since]) => since === CONFIRMED) }));
      for (const { vehicleId, fences } of confirmed) {
        const before = this.saved.get(vehicleId);
        const tenantId = this.deps.registry.get(vehicleId)?.tenantId ?? NO_TENANT;
        for (const [geofenceId] of fences) if (!before?.has(geofenceId)) rows.push({ vehicleId, geofenceId, tenantId, state: { since: CONFIRMED } });
        for (const geofenceId of before?.keys() ?? []) if (!fences.some(([id]) => id === geofenceId)) rows.push({ vehicleId, geofenceId, tenantId, state: null });
      }
      if (rows.length === 0) return;
      try {
        await this.deps.service.saveMemberships(rows);
        for (const { vehicleId, fences } of confirmed) {
          if (fences.length > 0) this.saved.set(vehicleId, new Map(fences));
          else this.saved.delete(vehicleId);
        }
      } catch (error) {
        this.deps.log.error({ err: error }, 'geofence memberships could not be saved, will retry');
        this.engine.markMembershipChanged(changes.map((c) => c.vehicleId));
      }
    });
    return this.saving;
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearInterval(this.saveTimer);
    if (this.scheduleTimer) clearInterval(this.scheduleTimer);
    await this.saveMemberships();
  }

  /**
   * The engine's state from stored memberships: each vehicle resumes at its last committed
   * position. Rows written before memberships stored `since` alone carry their own position,
   * used when the vehicle has none.
   */
  private snapshotFromRows(rows: ReadonlyArray<{ vehicleId: string; geofenceId: string; state: unknown }>): MembershipSnapshot {
    const vehicles = new Map<string, MembershipSnapshot['vehicles'][number]>();
    for (const row of rows) {
      const state = row.state as { since?: unknown; lastTs?: number; lng?: number; lat?: number; accuracy?: number } | null;
      if (typeof state?.since !== 'number') continue;
      let v = vehicles.get(row.vehicleId);
      if (!v) {
        const last = this.deps.lastPositionOf(row.vehicleId);
        const resume = last ? { lastTs: last.ts, lng: last.lng, lat: last.lat, accuracy: 0 } : state.lastTs !== undefined ? { lastTs: state.lastTs, lng: state.lng!, lat: state.lat!, accuracy: state.accuracy ?? 0 } : null;
        if (!resume || !Number.isFinite(resume.lastTs) || !Number.isFinite(resume.lng) || !Number.isFinite(resume.lat)) continue;
        vehicles.set(row.vehicleId, (v = { vehicleId: row.vehicleId, ...resume, fences: [] }));
      }
      v.fences.push([row.geofenceId, state.since]);
      let saved = this.saved.get(row.vehicleId);
      if (!saved) this.saved.set(row.vehicleId, (saved = new Map()));
      saved.set(row.geofenceId, state.since);
    }
    return { version: 1, vehicles: [...vehicles.values()] };
  }
}
