import type { Namespace } from 'socket.io';
import { compileFence, GeofenceEngine, type GeofenceDefinition, type GeofenceEvent, type MembershipSnapshot } from './engine';
import type { Logger } from '../log';
import type { GeofenceDto } from '../protocol/geofences';
import type { Position } from '../protocol/position';
import { tenantRoom } from '../realtime/fleet-hub';
import type { VehicleRegistry } from '../vehicles/registry';
import type { GeofenceListener, GeofenceService } from './service';

/** Socket.IO events of the geofence capability on /fleet. */
export const GEOFENCE_EVENTS = { event: 'geofence:event', changed: 'geofence:changed', removed: 'geofence:removed' } as const;

/** What dashboards receive for each membership event. */
export interface GeofenceEventMessage {
  type: GeofenceEvent['type'];
  geofenceId: string;
  vehicleId: string;
  at: number;
  position: { lng: number; lat: number; speed: number | null; heading: number | null };
}

const MEMBERSHIP_SAVE_MS = 5_000;

/** A stored fence as the engine takes it: circles evaluated exactly, not as their stored polygon. */
export function toDefinition(tenantId: string, fence: GeofenceDto): GeofenceDefinition {
  const { geometry, properties } = fence;
  return {
    id: fence.id,
    tenantId,
    kind: 'static',
    geometry:
      geometry.type === 'Point'
        ? { type: 'Circle', center: geometry.coordinates, radiusMeters: properties.radius ?? 0 }
        : geometry,
    hysteresisMeters: properties.hysteresisMeters,
    dwellSeconds: properties.dwellSeconds,
    maxAccuracyMeters: properties.maxAccuracyMeters,
  };
}

/**
 * The adapter between the pure geofence engine and the rest of the server: loads fences and
 * memberships at start-up, keeps the engine current as fences change, evaluates every committed
 * batch, stores and broadcasts the events, and saves memberships so a restart neither repeats
 * nor misses an enter.
 */
export class LiveGeofenceEvaluation {
  readonly engine = new GeofenceEngine();
  private saved = new Map<string, string>(); // "vehicle|fence" → JSON state last written
  private saveTimer: NodeJS.Timeout | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { service: GeofenceService; registry: VehicleRegistry; log: Logger; fleet: () => Namespace | null },
  ) {}

  /** Fence changes from the REST service: applied to evaluation at once and announced. */
  readonly listener: GeofenceListener = {
    changed: (tenantId, fence) => {
      this.engine.upsert(toDefinition(tenantId, fence));
      this.deps.fleet()?.to(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.changed, fence);
    },
    removed: (tenantId, id) => {
      this.engine.remove(id);
      this.deps.fleet()?.to(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.removed, { id });
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
      } catch (error) {
        this.deps.log.error({ err: error, geofenceId: fence.id }, 'geofence cannot be evaluated, skipped');
      }
    }
    this.engine.setFences(definitions);
    this.engine.restoreMembership(this.snapshotFromRows(await this.deps.service.loadMemberships()));
    this.saveTimer = setInterval(() => void this.saveMemberships(), MEMBERSHIP_SAVE_MS);
    this.saveTimer.unref();
    this.deps.log.info({ fences: definitions.length, vehicles: this.engine.vehicleCount }, 'geofence evaluation ready');
  }

  /** Evaluates a committed batch; events are stored and broadcast without holding the pipeline. */
  evaluate(fresh: readonly Position[]): void {
    const events = this.engine.evaluate(fresh);
    if (events.length === 0) return;
    const byTenant = new Map<string, GeofenceEventMessage[]>();
    for (const e of events) {
      const tenantId = e.position.tenantId;
      let list = byTenant.get(tenantId);
      if (!list) byTenant.set(tenantId, (list = []));
      const p = e.position;
      list.push({ type: e.type, geofenceId: e.geofenceId, vehicleId: e.vehicleId, at: e.at, position: { lng: p.lng, lat: p.lat, speed: p.speed, heading: p.heading } });
    }
    const fleet = this.deps.fleet();
    for (const [tenantId, list] of byTenant) fleet?.to(tenantRoom(tenantId)).emit(GEOFENCE_EVENTS.event, list);
    this.deps.service
      .recordEvents(events.map((e) => ({ tenantId: e.position.tenantId, geofenceId: e.geofenceId, vehicleId: e.vehicleId, type: e.type, at: e.at, lng: e.position.lng, lat: e.position.lat })))
      .catch((error: unknown) => this.deps.log.error({ err: error, events: events.length }, 'geofence events could not be stored'));
  }

  /** Writes the memberships that changed since the last save (called periodically and at shutdown). */
  saveMemberships(): Promise<void> {
    this.saving = this.saving.then(async () => {
      const current = new Map<string, { vehicleId: string; geofenceId: string; tenantId: string; state: unknown }>();
      for (const v of this.engine.snapshotMembership().vehicles) {
        const tenantId = this.deps.registry.get(v.vehicleId)?.tenantId;
        if (!tenantId) continue;
        for (const [geofenceId, since] of v.fences) {
          current.set(`${v.vehicleId}|${geofenceId}`, { vehicleId: v.vehicleId, geofenceId, tenantId, state: { since, lastTs: v.lastTs, lng: v.lng, lat: v.lat, accuracy: v.accuracy } });
        }
      }
      const rows: Array<{ vehicleId: string; geofenceId: string; tenantId: string; state: unknown }> = [];
      for (const [key, row] of current) if (this.saved.get(key) !== JSON.stringify(row.state)) rows.push(row);
      for (const key of this.saved.keys()) {
        if (current.has(key)) continue;
        const [vehicleId, geofenceId] = key.split('|') as [string, string];
        rows.push({ vehicleId, geofenceId, tenantId: this.deps.registry.get(vehicleId)?.tenantId ?? '00000000-0000-0000-0000-000000000000', state: null });
      }
      if (rows.length === 0) return;
      try {
        await this.deps.service.saveMemberships(rows);
        this.saved = new Map([...current].map(([key, row]) => [key, JSON.stringify(row.state)]));
      } catch (error) {
        this.deps.log.error({ err: error }, 'geofence memberships could not be saved, will retry');
      }
    });
    return this.saving;
  }

  async stop(): Promise<void> {
    if (this.saveTimer) clearInterval(this.saveTimer);
    await this.saveMemberships();
  }

  private snapshotFromRows(rows: ReadonlyArray<{ vehicleId: string; geofenceId: string; state: unknown }>): MembershipSnapshot {
    const vehicles = new Map<string, MembershipSnapshot['vehicles'][number]>();
    for (const row of rows) {
      const state = row.state as { since: number; lastTs: number; lng: number; lat: number; accuracy: number } | null;
      if (!state) continue;
      let v = vehicles.get(row.vehicleId);
      if (!v) vehicles.set(row.vehicleId, (v = { vehicleId: row.vehicleId, lastTs: state.lastTs, lng: state.lng, lat: state.lat, accuracy: state.accuracy, fences: [] }));
      if (state.lastTs > v.lastTs) Object.assign(v, { lastTs: state.lastTs, lng: state.lng, lat: state.lat, accuracy: state.accuracy });
      v.fences.push([row.geofenceId, state.since]);
      this.saved.set(`${row.vehicleId}|${row.geofenceId}`, JSON.stringify(state));
    }
    return { version: 1, vehicles: [...vehicles.values()] };
  }
}
