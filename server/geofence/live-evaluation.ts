import type { Namespace } from 'socket.io';
import { CONFIRMED } from './semantics';
import { compileFence, GeofenceEngine, type GeofenceDefinition, type GeofenceEvent, type MembershipSnapshot } from './engine';
import type { Logger } from '../log';
import { GEOFENCE_EVENTS, type GeofenceDto, type GeofenceEventMessage } from '../protocol/geofences';
import type { Position } from '../protocol/position';
import { catalogRooms } from '../realtime/catalog-room';
import { tenantRoom } from '../realtime/fleet-hub';
import type { VehicleRegistry } from '../vehicles/registry';
import type { GeofenceListener, GeofenceService } from './service';
import { toDefinition } from './definition';

/** Room of the sockets that subscribed to one fence (`subscribe {scope: "geofence", id}`). */
export const geofenceRoom = (id: string) => `geofence:${id}`;

/** A membership event with its fence as stored (for consumers such as alerts). */
export interface FenceEvent {
  tenantId: string;
  event: GeofenceEvent;
  fence: GeofenceDto;
}

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
 * memberships at start-up, keeps the engine current as fences change, evaluates every committed
 * batch, stores and broadcasts the events, and saves memberships so a restart neither repeats
 * nor misses an enter.
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
  private readonly consumers: Array<(events: readonly FenceEvent[]) => void> = [];

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
      /** Tells a tenant that something failed on its behalf (system_error alerts). */
      systemError?: (tenantId: string, message: string, details: Record<string, unknown>) => void;
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
    this.scheduleTimer = setInterval(() => this.publish(this.engine.advanceTo(Date.now())), SCHEDULE_TICK_MS);
    this.scheduleTimer.unref();
    this.deps.log.info({ fences: definitions.length, vehicles: this.engine.vehicleCount }, 'geofence evaluation ready');
  }

  /** `subscribe {scope: "geofence", id}`: the fence's room and the vehicles inside it (null: no such fence in the tenant). */
  scope(tenantId: string, id: string): { room: string; vehicleIds: string[] } | null {
    if (this.fences.get(id)?.tenantId !== tenantId) return null;
    return { room: geofenceRoom(id), vehicleIds: this.engine.membersOf(id) };
  }

  /** Calls `consumer` with every batch of events (after they are broadcast); e.g. alerts. */
  onEvents(consumer: (events: readonly FenceEvent[]) => void): void {
    this.consumers.push(consumer);
  }

  /** Evaluates a committed batch; events are stored and broadcast without holding the pipeline. */
  evaluate(fresh: readonly Position[]): void {
    this.publish(this.engine.evaluate(fresh));
  }

  /**
   * Sends events to the tenant's dashboards (one list per tenant) and to the sockets that
   * subscribed to a fence but are not in the tenant room, stores them, and hands them on.
   */
  private publish(events: readonly GeofenceEvent[]): void {
    if (events.length === 0) return;
    const byTenant = new Map<string, GeofenceEventMessage[]>();
    const byFence = new Map<string, { tenantId: string; list: GeofenceEventMessage[] }>();
    for (const e of events) {
      const tenantId = e.position.tenantId;
      let list = byTenant.get(tenantId);
      if (!list) byTenant.set(tenantId, (list = []));
      const p = e.position;
      const message: GeofenceEventMessage = { type: e.type, geofenceId: e.geofenceId, vehicleId: e.vehicleId, at: e.at, position: { lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading } };
      if (e.etaSeconds !== undefined) message.etaSeconds = e.etaSeconds;
      if (e.confidence !== undefined) message.confidence = e.confidence;
      list.push(message);
      let fence = byFence.get(e.geofenceId);
      if (!fence) byFence.set(e.geofenceId, (fence = { tenantId, list: [] }));
      fence.list.push(message);
    }
    const fleet = this.deps.fleet();
    for (const [tenantId, list] of byTenant) fleet?.to(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.event, list);
    for (const [id, { tenantId, list }] of byFence) fleet?.to(geofenceRoom(id)).except(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.event, list);
    this.deps.service
      .recordEvents(
        events.map((e) => ({
          tenantId: e.position.tenantId, geofenceId: e.geofenceId, vehicleId: e.vehicleId, type: e.type, at: e.at,
          lng: e.position.lng, lat: e.position.lat, etaSeconds: e.etaSeconds ?? null, confidence: e.confidence ?? null,
        })),
      )
      .catch((error: unknown) => {
        this.deps.log.error({ err: error, events: events.length }, 'geofence events could not be stored');
        const reason = error instanceof Error ? error.message : String(error);
        for (const [tenantId, list] of byTenant) this.deps.systemError?.(tenantId, 'Geofence events could not be stored', { events: list.length, reason });
      });
    if (this.consumers.length === 0) return;
    const withFences: FenceEvent[] = [];
    for (const e of events) {
      const fence = this.fences.get(e.geofenceId)?.fence;
      if (fence) withFences.push({ tenantId: e.position.tenantId, event: e, fence });
    }
    for (const consumer of this.consumers) {
      try {
        consumer(withFences);
      } catch (error) {
        this.deps.log.error({ err: error }, 'geofence event consumer failed');
      }
    }
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
