/**
 * Dispatch: requests (REST), the scheduler that decides them in rounds, offers to drivers and
 * their answers. The decisions come from the pure engine (./engine.ts); this file reads the
 * fleet (live state, registry, trips), writes the request's state and its `dispatch.*` event in
 * one transaction, and tells drivers and dashboards.
 *
 * Every state lives in `dispatch_requests`, so a restart loses nothing: the first round after
 * start decides what is queued or due for retry, and expires offers whose time ran out (passing
 * them to the next candidate).
 */
import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/dispatch';
import { drivingPeriods } from '../db/sql/driving';
import { Audit } from '../events/audit';
import type { EventBus } from '../events/bus';
import type { EventLog } from '../events/log';
import { uuid7 } from '../events/uuid7';
import type { Logger } from '../log';
import {
  assignDispatchRequest,
  cancelDispatchRequest,
  createDispatchRequest,
  declineDispatchRequest,
  DEFAULT_WEIGHTS,
  dispatchSettingsRequest,
  listDispatchQuery,
  rankOf,
  type CandidateDto,
  type DispatchOfferDto,
  type DispatchPlace,
  type DispatchRequestDto,
  type DispatchSettings,
  type Priority,
  type RequestStatus,
  type VehicleAvailabilityDto,
} from '../protocol/dispatch';
import { ApiError, parseOrThrow } from '../protocol/errors';
import type { TenantSettings } from '../tenants/registry';
import { assertNearHome } from '../tenants/home-check';
import { diff, newEvent, SYSTEM, type NewEvent } from '../protocol/events';
import type { LiveState } from '../realtime/live-state';
import type { RoadRouter } from '../roads/routing/route';
import { scoreOf } from '../driving/score';
import type { TripService } from '../trips/service';
import type { VehicleRegistry } from '../vehicles/registry';
import { nextOccurrence } from './recurrence';
import { assignBatch, capabilitiesOf, capacityOf, driverStatus, exclusionOf, scoreJob, type DispatchJob, type DispatchVehicle, type Eta, type EtaFn } from './engine';

const DISPATCHERS = ['admin', 'manager'] as const;
const READERS = ['admin', 'manager', 'viewer'] as const;
/** Straight-line fallback when the tenant has no road network: 25 km/h over 1.3× the crow's distance. */
const FALLBACK_SPEED_MPS = 25 / 3.6;
const FALLBACK_DETOUR = 1.3;
const UTILIZATION_WINDOW_S = 8 * 3600;
const SCORE_CACHE_MS = 10 * 60_000;

export interface DispatchOptions {
  /** Seconds a driver has to answer an offer. */
  offerTimeoutS: number;
  /** Seconds before a deferred request is tried again (sooner when a vehicle frees up). */
  retryS: number;
  /** Scheduled requests are decided this many minutes before their time. */
  leadMin: number;
  /** Nearest eligible vehicles routed by road per request. */
  routed: number;
  emergencyUsesOnTrip: boolean;
  /** How often the scheduler looks for due work (ms). */
  tickMs: number;
  maxSnapM: number;
}

export interface DispatchListener {
  /** A request changed (dashboards: `dispatch:update`). */
  changed(tenantId: string, request: DispatchRequestDto): void;
  /** An offer for a driver (`dispatch:offer`), or its withdrawal (`dispatch:withdrawn`). */
  offer(tenantId: string, driverId: string, offer: DispatchOfferDto): void;
  withdrawn(tenantId: string, driverId: string, requestId: string): void;
}

export interface DispatchServiceDeps {
  events: EventLog;
  bus: EventBus;
  trips: TripService;
  live: LiveState;
  registry: VehicleRegistry;
  routerOf: (tenantId: string) => RoadRouter | null;
  /** Tenant settings: the home area (request locations far outside it are refused) and the reception switch (off: no vehicle is a candidate). */
  tenantOf: (tenantId: string) => Pick<TenantSettings, 'homeArea' | 'receptionEnabled'>;
  log: Logger;
  options: DispatchOptions;
  listener?: DispatchListener;
  now?: () => number;
}

export class DispatchService {
  private readonly now: () => number;
  private readonly rounds = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly scoreCache = new Map<string, { at: number; scores: Map<string, number> }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly prisma: Prisma,
    private readonly deps: DispatchServiceDeps,
  ) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts the scheduler (a first round at once: what the last run left is resumed). */
  start(): void {
    this.unsubscribe = this.deps.bus.subscribe((events) => {
      for (const e of events) {
        // A vehicle freed up (trip over) or changed (capabilities): deferred requests try again now.
        const freed = e.type === 'trip.status_changed' && ['COMPLETED', 'CANCELLED'].includes((e.data as { to: string }).to);
        if (freed || e.type === 'vehicle.updated' || e.type === 'vehicle.created') void this.wake(e.tenantId);
      }
    });
    this.timer = setInterval(() => void this.tick(), this.deps.options.tickMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await Promise.allSettled([...this.rounds.values()]);
  }

  // ── REST ──────────────────────────────────────────────────────────────────────────────────

  async create(principal: Principal, body: unknown): Promise<DispatchRequestDto> {
    requireRole(principal, DISPATCHERS, 'create dispatch requests');
    const input = parseOrThrow(createDispatchRequest(this.now), body);
    assertNearHome(this.deps.tenantOf(principal.tenantId).homeArea, { location: input.location, dropoff: input.dropoff });
    const now = this.now();
    const scheduled = input.kind === 'scheduled' ? new Date(input.scheduledTime) : null;
    const dispatchAt = scheduled ? new Date(Math.max(now, scheduled.getTime() - this.deps.options.leadMin * 60_000)) : new Date(now);
    const id = uuid7();
    const priority: Priority = input.kind === 'emergency' ? 'emergency' : input.priority;
    const audit = new Audit(principal);
    const row = await this.deps.events.transact(async (tx, emit) => {
      const row = await sql.insertRequest(tx, {
        id,
        tenantId: principal.tenantId,
        kind: input.kind,
        priority,
        serviceType: input.serviceType,
        emergencyType: input.kind === 'emergency' ? input.emergencyType : null,
        severity: input.kind === 'emergency' ? input.severity : null,
        location: input.location,
        dropoff: input.dropoff ?? null,
        capabilities: input.capabilities,
        capacity: input.capacity ?? null,
        estimatedDurationMin: input.estimatedDurationMin ?? null,
        notes: input.notes ?? null,
        scheduledTime: scheduled,
        windowMin: input.kind === 'scheduled' ? input.windowMin : null,
        recurrence: input.kind === 'scheduled' ? (input.recurrence ?? null) : null,
        seriesStart: input.kind === 'scheduled' && input.recurrence ? scheduled : null,
        dispatchAt,
        createdBy: principal.userId,
      });
      emit(
        audit.event('dispatch.requested', id, {
          kind: input.kind,
          priority,
          serviceType: input.serviceType,
          location: { lng: input.location.lng, lat: input.location.lat, label: input.location.label },
          capabilities: input.capabilities,
          emergencyType: row.emergencyType,
          severity: row.severity,
          scheduledTime: scheduled?.toISOString() ?? null,
        }),
      );
      return row;
    });
    this.announce(row);
    this.kick(principal.tenantId);
    return toDto(row);
  }

  async list(principal: Principal, query: unknown): Promise<{ requests: DispatchRequestDto[] }> {
    requireRole(principal, READERS, 'read dispatch requests');
    const q = parseOrThrow(listDispatchQuery, query);
    const rows = await sql.listRequests(this.prisma, principal.tenantId, { statuses: q.status, open: q.open, limit: q.limit });
    return { requests: rows.map(toDto) };
  }

  async get(principal: Principal, id: string): Promise<DispatchRequestDto> {
    if (principal.role === 'driver') {
      const row = await this.find(principal, id);
      if (!row.vehicleId || this.deps.registry.get(row.vehicleId)?.driverId !== principal.userId) throw new ApiError('NOT_FOUND', `dispatch request ${id} not found`);
      return toDto(row);
    }
    return toDto(await this.find(principal, id));
  }

  async cancel(principal: Principal, id: string, body: unknown): Promise<DispatchRequestDto> {
    requireRole(principal, DISPATCHERS, 'cancel dispatch requests');
    const { reason } = parseOrThrow(cancelDispatchRequest, body ?? {});
    const current = await this.find(principal, id);
    if (current.status === 'ASSIGNED') throw new ApiError('CONFLICT', `the request is assigned: cancel its trip (${current.tripId}) instead`, 'status', { tripId: current.tripId });
    if (current.status === 'CANCELLED' || current.status === 'REJECTED') throw new ApiError('CONFLICT', `the request is already ${current.status.toLowerCase()}`, 'status');
    const audit = new Audit(principal);
    const row = await this.deps.events.transact(async (tx, emit) => {
      const row = await sql.transition(tx, principal.tenantId, id, [current.status], { status: 'CANCELLED', reason: reason ?? 'cancelled by the dispatcher', offerExpiresAt: null });
      if (row) emit(audit.event('dispatch.cancelled', id, { reason: reason ?? null, previousStatus: current.status }));
      return row;
    });
    if (!row) throw new ApiError('CONFLICT', 'the request changed meanwhile; reload and try again', 'status');
    this.withdraw(current);
    this.announce(row);
    return toDto(row);
  }

  /** Candidates of a stored request, as the engine sees them now. */
  async candidates(principal: Principal, id: string): Promise<{ candidates: CandidateDto[]; reason: string | null }> {
    requireRole(principal, READERS, 'preview dispatch candidates');
    const row = await this.find(principal, id);
    const fleet = await this.fleet(principal.tenantId, row.id);
    const res = scoreJob(jobOf(row), fleet, this.etaFn(principal.tenantId), await this.engineOptions(principal.tenantId));
    return { candidates: res.candidates, reason: res.reason };
  }

  /** Candidates for a request not yet made (the console's form): same body as create. */
  async preview(principal: Principal, body: unknown): Promise<{ candidates: CandidateDto[]; reason: string | null }> {
    requireRole(principal, DISPATCHERS, 'preview dispatch candidates');
    const input = parseOrThrow(createDispatchRequest(this.now), body);
    assertNearHome(this.deps.tenantOf(principal.tenantId).homeArea, { location: input.location, dropoff: input.dropoff });
    const job: DispatchJob = {
      id: 'preview',
      kind: input.kind,
      priority: input.kind === 'emergency' ? 'emergency' : input.priority,
      emergencyType: input.kind === 'emergency' ? input.emergencyType : null,
      lng: input.location.lng,
      lat: input.location.lat,
      capabilities: input.capabilities,
      capacity: input.capacity ?? null,
      declined: new Set(),
    };
    const res = scoreJob(job, await this.fleet(principal.tenantId, null), this.etaFn(principal.tenantId), await this.engineOptions(principal.tenantId));
    return { candidates: res.candidates, reason: res.reason };
  }

  /**
   * A dispatcher offers the request to `vehicleId`. Differing from the engine's recommendation is
   * an override: the event names the recommended vehicle and the reason given. Vehicles that
   * cannot take a job at all (no driver, no position, on a trip) are refused.
   */
  async assign(principal: Principal, id: string, body: unknown): Promise<DispatchRequestDto> {
    requireRole(principal, DISPATCHERS, 'assign dispatch requests');
    const input = parseOrThrow(assignDispatchRequest, body);
    const current = await this.find(principal, id);
    if (!['QUEUED', 'DEFERRED', 'OFFERED'].includes(current.status)) throw new ApiError('CONFLICT', `the request is ${current.status.toLowerCase()}; only open requests can be assigned`, 'status');
    const fleet = await this.fleet(principal.tenantId, current.id);
    const vehicle = fleet.find((v) => v.id === input.vehicleId);
    if (!vehicle) throw new ApiError('NOT_FOUND', `vehicle ${input.vehicleId} not found`, 'vehicleId');
    const job = { ...jobOf(current), declined: new Set<string>() };
    const why = exclusionOf({ ...vehicle, capabilities: new Set(job.capabilities), capacity: job.capacity }, job, await this.engineOptions(principal.tenantId));
    if (why) throw new ApiError('CONFLICT', `vehicleId: this vehicle cannot take it (${why})`, 'vehicleId', { reason: why });
    const res = scoreJob(job, fleet, this.etaFn(principal.tenantId), await this.engineOptions(principal.tenantId));
    const recommended = res.eligible[0]?.vehicle.id ?? null;
    const scored = res.eligible.find((s) => s.vehicle.id === vehicle.id);
    const route = this.routeOf(principal.tenantId, vehicle, job);
    const eta = scored ? { etaS: scored.candidate.etaS ?? 0, distanceM: scored.candidate.distanceM ?? 0 } : route.eta;
    const audit = new Audit(principal);
    const override = recommended === vehicle.id ? null : { recommendedVehicleId: recommended, reason: input.reason ?? null };
    const row = await this.offer(principal.tenantId, current, vehicle, eta, scored?.candidate ?? null, route.geometry, res.eligible.map((s) => s.candidate), { actor: audit.actor, correlationId: audit.correlationId, override, batch: null });
    if (!row) throw new ApiError('CONFLICT', 'the request changed meanwhile; reload and try again', 'status');
    return toDto(row);
  }

  /** The offered vehicle's driver (or a dispatcher for them) accepts: the trip is created. */
  async accept(principal: Principal, id: string): Promise<DispatchRequestDto> {
    const current = await this.find(principal, id);
    const driverId = this.assertAnswering(principal, current);
    const vehicleId = current.vehicleId!;
    await this.preempt(principal, vehicleId, current);
    // The trip through the trip service (its lifecycle, its event, its live update); its creator is the one who accepted.
    const trip = await this.deps.trips.create(
      { ...principal, role: 'manager' },
      {
        vehicleId,
        driverId,
        pickup: { lng: current.lng, lat: current.lat, label: current.locationLabel },
        dropoff: current.dropoffLng != null ? { lng: current.dropoffLng, lat: current.dropoffLat!, label: current.dropoffLabel } : { lng: current.lng, lat: current.lat, label: current.locationLabel },
      },
    );
    const audit = new Audit(principal);
    const row = await this.deps.events.transact(async (tx, emit) => {
      const row = await sql.transition(tx, principal.tenantId, id, ['OFFERED'], { status: 'ASSIGNED', tripId: trip.id, offerExpiresAt: null, reason: null });
      if (row && row.vehicleId === vehicleId) emit(audit.event('dispatch.accepted', id, { vehicleId, driverId, tripId: trip.id }));
      return row;
    });
    if (!row) {
      // Withdrawn or expired meanwhile: the trip must not stay.
      await this.deps.trips.transition({ ...principal, role: 'manager' }, trip.id, { status: 'CANCELLED' }).catch(() => undefined);
      throw new ApiError('CONFLICT', 'the offer is no longer open', 'status');
    }
    this.announce(row);
    return toDto(row);
  }

  async decline(principal: Principal, id: string, body: unknown): Promise<DispatchRequestDto> {
    const { reason } = parseOrThrow(declineDispatchRequest, body ?? {});
    const current = await this.find(principal, id);
    const driverId = this.assertAnswering(principal, current);
    const audit = new Audit(principal);
    const vehicleId = current.vehicleId!;
    const row = await this.deps.events.transact(async (tx, emit) => {
      const row = await sql.transition(tx, principal.tenantId, id, ['OFFERED'], { status: 'QUEUED', vehicleId: null, offerExpiresAt: null, declineVehicle: vehicleId, reason: `declined by the driver of ${current.vehicleName ?? 'the vehicle'}` });
      if (row) emit(audit.event('dispatch.declined', id, { vehicleId, driverId, reason: reason ?? null }));
      return row;
    });
    if (!row) throw new ApiError('CONFLICT', 'the offer is no longer open', 'status');
    this.announce(row);
    this.kick(principal.tenantId);
    return toDto(row);
  }

  /** Open offers for the calling driver (the driver page on load). */
  async myOffers(principal: Principal): Promise<{ offers: DispatchOfferDto[] }> {
    const rows = await sql.listRequests(this.prisma, principal.tenantId, { statuses: ['OFFERED'], limit: 100 });
    return { offers: rows.filter((r) => r.vehicleId && this.deps.registry.get(r.vehicleId)?.driverId === principal.userId).map(offerDto) };
  }

  /**
   * Each vehicle's driver status, as dispatch sees it: ONLINE (reporting, free), BUSY (an offer
   * or an accepted job not yet started), ON_TRIP (a trip under way), OFFLINE (not reporting).
   */
  async availability(principal: Principal): Promise<{ vehicles: VehicleAvailabilityDto[] }> {
    requireRole(principal, READERS, 'read vehicle availability');
    const { tripStatus, held } = await this.commitments(principal.tenantId, null);
    const vehicles = [...this.deps.live.tenantVehicles(principal.tenantId)].map((lv) => {
      const status = driverStatus(lv.online, tripStatus.get(lv.info.id), held.get(lv.info.id));
      return { vehicleId: lv.info.id, driverId: this.deps.registry.get(lv.info.id)?.driverId ?? null, status: status.status };
    });
    return { vehicles };
  }

  getSettings(principal: Principal): Promise<DispatchSettings> {
    requireRole(principal, READERS, 'read dispatch settings');
    return this.weightsOf(principal.tenantId);
  }

  async putSettings(principal: Principal, body: unknown): Promise<DispatchSettings> {
    requireRole(principal, ['admin'], 'change dispatch settings');
    const settings = parseOrThrow(dispatchSettingsRequest, body);
    const before = await this.weightsOf(principal.tenantId);
    const audit = new Audit(principal);
    await this.deps.events.transact(async (tx, emit) => {
      await sql.saveSettings(tx, principal.tenantId, settings);
      emit(audit.event('dispatch.settings_changed', principal.tenantId, { changes: diff(before, settings) }));
    });
    return settings;
  }

  // ── the scheduler ─────────────────────────────────────────────────────────────────────────

  /** One scan for due work in every tenant (the timer; tests call it directly). */
  async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const tenantId of await sql.tenantsWithDueWork(this.prisma, new Date(this.now()))) this.kick(tenantId);
      await Promise.allSettled([...this.rounds.values()]);
    } catch (error) {
      this.deps.log.error({ err: error }, 'dispatch scan failed');
    }
  }

  /** Runs a round for the tenant now, or right after the one in progress. */
  kick(tenantId: string): Promise<void> {
    const running = this.rounds.get(tenantId);
    if (running) {
      this.again.add(tenantId);
      return running;
    }
    const round = (async () => {
      do {
        this.again.delete(tenantId);
        try {
          await this.round(tenantId);
        } catch (error) {
          this.deps.log.error({ err: error, tenantId }, 'dispatch round failed');
        }
      } while (this.again.has(tenantId) && !this.stopped);
      this.rounds.delete(tenantId);
    })();
    this.rounds.set(tenantId, round);
    return round;
  }

  /** Settles once every round in progress is done (tests). */
  async idle(): Promise<void> {
    while (this.rounds.size > 0) await Promise.allSettled([...this.rounds.values()]);
  }

  private async wake(tenantId: string): Promise<void> {
    try {
      if ((await sql.wakeDeferred(this.prisma, tenantId, new Date(this.now()))) > 0) this.kick(tenantId);
    } catch (error) {
      this.deps.log.error({ err: error, tenantId }, 'dispatch wake failed');
    }
  }

  /** Expires overdue offers, then decides every due request of the tenant together. */
  private async round(tenantId: string): Promise<void> {
    const now = this.now();
    const open = await sql.openRequests(this.prisma, tenantId);
    for (const r of open) {
      if (r.status === 'OFFERED' && r.offerExpiresAt && r.offerExpiresAt.getTime() <= now) await this.expire(r, now);
    }
    const due = (await sql.openRequests(this.prisma, tenantId)).filter(
      (r) => (r.status === 'QUEUED' && r.dispatchAt.getTime() <= now) || (r.status === 'DEFERRED' && (r.retryAt?.getTime() ?? 0) <= now),
    );
    if (due.length === 0) return;
    // A recurring occurrence that is due queues the series' next one (once: rolled_forward).
    for (const r of due) if (r.recurrence && !r.rolledForward && r.scheduledTime) await this.rollForward(r);
    // A scheduled request whose window has passed can no longer be served.
    const live: sql.DispatchRow[] = [];
    for (const r of due) {
      const windowEnd = r.scheduledTime ? r.scheduledTime.getTime() + (r.windowMin ?? 0) * 60_000 : Infinity;
      if (windowEnd < now) await this.reject(r, 'its service window has passed', ['create it again for a later time']);
      else live.push(r);
    }
    if (live.length === 0) return;
    const fleet = await this.fleet(tenantId, null);
    const options = await this.engineOptions(tenantId);
    const eta = this.etaFn(tenantId);
    const outcome = assignBatch(live.map(jobOf), fleet, eta, options);
    const byId = new Map(live.map((r) => [r.id, r]));
    const batch = live.length > 1 ? { size: live.length, total: outcome.total, greedyTotal: outcome.greedyTotal } : null;
    for (const d of outcome.decisions) {
      const row = byId.get(d.job.id)!;
      if (d.chosen) {
        const route = this.routeOf(tenantId, d.chosen.vehicle, d.job);
        await this.offer(tenantId, row, d.chosen.vehicle, { etaS: d.chosen.candidate.etaS ?? 0, distanceM: d.chosen.candidate.distanceM ?? 0 }, d.chosen.candidate, route.geometry, d.result.eligible.map((s) => s.candidate), { actor: SYSTEM, correlationId: null, override: null, batch });
        continue;
      }
      // Never servable: no vehicle of the tenant has what it needs, whatever its state.
      const anyCapable = fleet.some((v) => d.job.capabilities.every((c) => v.capabilities.has(c)) && (d.job.capacity == null || (v.capacity ?? 0) >= d.job.capacity));
      if (!anyCapable) {
        await this.reject(row, `no vehicle of the organisation has ${[...d.job.capabilities, ...(d.job.capacity ? [`capacity ${d.job.capacity}`] : [])].join(', ') || 'what it needs'}`, [
          'give a vehicle the capability (vehicle attributes: capabilities)',
          'remove the requirement and create the request again',
        ]);
        continue;
      }
      const reason = d.result.reason ?? 'every capable vehicle went to a more urgent or better-matched request';
      await this.defer(row, reason, d.result.candidates, now);
    }
  }

  /** Queues the next occurrence of a recurring request, with its `dispatch.requested` (actor: the system). */
  private async rollForward(r: sql.DispatchRow): Promise<void> {
    const next = nextOccurrence(r.recurrence!, r.seriesStart ?? r.scheduledTime!, r.scheduledTime!);
    const id = uuid7();
    await this.deps.events.transact(async (tx, emit) => {
      if (!(await sql.markRolledForward(tx, r.tenantId, r.id)) || !next) return;
      await sql.insertRequest(tx, {
        id,
        tenantId: r.tenantId,
        kind: r.kind,
        priority: r.priority,
        serviceType: r.serviceType,
        emergencyType: null,
        severity: null,
        location: { lng: r.lng, lat: r.lat, label: r.locationLabel, source: r.locationSource as DispatchPlace['source'] },
        dropoff: r.dropoffLng != null ? { lng: r.dropoffLng, lat: r.dropoffLat!, label: r.dropoffLabel ?? '', source: (r.dropoffSource ?? 'map') as DispatchPlace['source'] } : null,
        capabilities: r.capabilities,
        capacity: r.capacity,
        estimatedDurationMin: r.estimatedDurationMin,
        notes: r.notes,
        scheduledTime: next,
        windowMin: r.windowMin,
        recurrence: r.recurrence,
        seriesStart: r.seriesStart ?? r.scheduledTime,
        dispatchAt: new Date(next.getTime() - this.deps.options.leadMin * 60_000),
        createdBy: r.createdBy!,
      });
      emit(
        newEvent<'dispatch.requested'>({
          tenantId: r.tenantId,
          type: 'dispatch.requested',
          aggregateId: id,
          actor: SYSTEM,
          causationId: null,
          data: {
            kind: r.kind,
            priority: r.priority,
            serviceType: r.serviceType,
            location: { lng: r.lng, lat: r.lat, label: r.locationLabel },
            capabilities: r.capabilities,
            emergencyType: null,
            severity: null,
            scheduledTime: next.toISOString(),
          },
        }),
      );
    });
  }

  /** Offers `row` to `vehicle` (system decision or a dispatcher's); withdraws an earlier offer to another vehicle. */
  private async offer(
    tenantId: string,
    row: sql.DispatchRow,
    vehicle: DispatchVehicle,
    eta: Eta,
    candidate: CandidateDto | null,
    route: { type: 'LineString'; coordinates: [number, number][] } | null,
    alternatives: CandidateDto[],
    ctx: { actor: NewEvent['actor']; correlationId: string | null; override: { recommendedVehicleId: string | null; reason: string | null } | null; batch: { size: number; total: number; greedyTotal: number } | null },
  ): Promise<sql.DispatchRow | null> {
    const expires = new Date(this.now() + this.deps.options.offerTimeoutS * 1000);
    // An emergency taking a vehicle that holds a lower-priority offer: that request goes back to the queue.
    const displaced = await this.displace(tenantId, vehicle.id, row.id);
    const updated = await this.deps.events.transact(async (tx, emit) => {
      const updated = await sql.transition(tx, tenantId, row.id, ['QUEUED', 'DEFERRED', 'OFFERED'], {
        status: 'OFFERED',
        vehicleId: vehicle.id,
        offerExpiresAt: expires,
        etaS: eta.etaS,
        distanceM: eta.distanceM,
        score: candidate?.score ?? null,
        route,
        reason: ctx.override ? `assigned by a dispatcher${ctx.override.reason ? `: ${ctx.override.reason}` : ''}` : null,
        retryAt: null,
        attempt: true,
      });
      if (updated) {
        emit(
          newEvent<'dispatch.assigned'>({
            tenantId,
            type: 'dispatch.assigned',
            aggregateId: row.id,
            actor: ctx.actor,
            correlationId: ctx.correlationId,
            data: {
              vehicleId: vehicle.id,
              vehicleName: vehicle.name,
              driverId: vehicle.driverId,
              etaS: Math.round(eta.etaS),
              distanceM: Math.round(eta.distanceM),
              score: candidate?.score ?? 0,
              factors: candidate?.factors ?? {},
              route: route ? { type: 'LineString', points: route.coordinates.length } : null,
              offerExpiresAt: expires.toISOString(),
              alternatives: alternatives.filter((c) => c.vehicleId !== vehicle.id).slice(0, 3).map((c) => ({ vehicleId: c.vehicleId, vehicleName: c.vehicleName, score: c.score })),
              override: ctx.override,
              batch: ctx.batch,
            },
          }),
        );
      }
      return updated;
    });
    for (const d of displaced) this.announce(d);
    if (!updated) return null;
    if (row.status === 'OFFERED' && row.vehicleId && row.vehicleId !== vehicle.id) this.withdraw(row);
    this.announce(updated);
    if (vehicle.driverId) this.deps.listener?.offer(tenantId, vehicle.driverId, offerDto(updated));
    return updated;
  }

  /** Lower-priority offers the vehicle holds, withdrawn and re-queued (never lost). */
  private async displace(tenantId: string, vehicleId: string, forId: string): Promise<sql.DispatchRow[]> {
    const held = (await sql.listRequests(this.prisma, tenantId, { statuses: ['OFFERED'], limit: 100 })).filter((r) => r.vehicleId === vehicleId && r.id !== forId);
    const out: sql.DispatchRow[] = [];
    for (const r of held) {
      const back = await this.deps.events.transact(async (tx, emit) => {
        const back = await sql.transition(tx, tenantId, r.id, ['OFFERED'], { status: 'QUEUED', vehicleId: null, offerExpiresAt: null, reason: 'its vehicle was taken by a more urgent request' });
        if (back) emit(newEvent<'dispatch.deferred'>({ tenantId, type: 'dispatch.deferred', aggregateId: r.id, actor: SYSTEM, data: { reason: 'pre-empted by a more urgent request; back in the queue', retryAt: new Date(this.now()).toISOString(), alternatives: [] } }));
        return back;
      });
      if (back) {
        this.withdraw(r);
        out.push(back);
        this.again.add(tenantId);
      }
    }
    return out;
  }

  /**
   * An emergency accepted by a vehicle that holds a lower-priority job whose trip has not started:
   * that trip is cancelled and its request goes back to the queue for another vehicle (never lost).
   * Done on accept, not on offer, so a declined emergency leaves the job where it was.
   */
  private async preempt(principal: Principal, vehicleId: string, forRow: sql.DispatchRow): Promise<void> {
    // Only an emergency is ever offered to a vehicle holding another job (engine.ts, excludedBecause).
    if (forRow.kind !== 'emergency') return;
    const rank = rankOf(forRow.priority);
    const jobs = (await sql.assignedNotStarted(this.prisma, principal.tenantId)).filter((j) => j.vehicleId === vehicleId && j.id !== forRow.id && rankOf(j.priority) < rank);
    for (const job of jobs) {
      try {
        await this.deps.trips.transition({ ...principal, role: 'manager' }, job.tripId, { status: 'CANCELLED' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'CONFLICT') throw new ApiError('CONFLICT', "the vehicle's other job started meanwhile: it cannot take this one now", 'status');
        throw error;
      }
      const back = await this.deps.events.transact(async (tx, emit) => {
        const back = await sql.transition(tx, principal.tenantId, job.id, ['ASSIGNED'], { status: 'QUEUED', vehicleId: null, tripId: null, offerExpiresAt: null, reason: `its vehicle was taken by an emergency (${forRow.serviceType}) before the trip started` });
        if (back) emit(newEvent<'dispatch.deferred'>({ tenantId: principal.tenantId, type: 'dispatch.deferred', aggregateId: job.id, actor: SYSTEM, data: { reason: 'pre-empted by an emergency before its trip started; back in the queue', retryAt: new Date(this.now()).toISOString(), alternatives: [] } }));
        return back;
      });
      if (back) {
        this.announce(back);
        this.kick(principal.tenantId);
      }
    }
  }

  private async defer(row: sql.DispatchRow, reason: string, candidates: CandidateDto[], now: number): Promise<void> {
    const retryAt = new Date(now + this.deps.options.retryS * 1000);
    const updated = await this.deps.events.transact(async (tx, emit) => {
      const updated = await sql.transition(tx, row.tenantId, row.id, ['QUEUED', 'DEFERRED'], { status: 'DEFERRED', reason, retryAt, vehicleId: null, attempt: true });
      if (updated) {
        emit(
          newEvent<'dispatch.deferred'>({
            tenantId: row.tenantId,
            type: 'dispatch.deferred',
            aggregateId: row.id,
            actor: SYSTEM,
            data: { reason, retryAt: retryAt.toISOString(), alternatives: candidates.slice(0, 5).map((c) => ({ vehicleId: c.vehicleId, vehicleName: c.vehicleName, excludedBecause: c.excludedBecause ?? null })) },
          }),
        );
      }
      return updated;
    });
    if (updated) this.announce(updated);
  }

  private async reject(row: sql.DispatchRow, reason: string, suggestions: string[]): Promise<void> {
    const updated = await this.deps.events.transact(async (tx, emit) => {
      const updated = await sql.transition(tx, row.tenantId, row.id, ['QUEUED', 'DEFERRED'], { status: 'REJECTED', reason, retryAt: null });
      if (updated) emit(newEvent<'dispatch.rejected'>({ tenantId: row.tenantId, type: 'dispatch.rejected', aggregateId: row.id, actor: SYSTEM, data: { reason, suggestions } }));
      return updated;
    });
    if (updated) this.announce(updated);
  }

  private async expire(row: sql.DispatchRow, now: number): Promise<void> {
    const vehicleId = row.vehicleId!;
    const updated = await this.deps.events.transact(async (tx, emit) => {
      const updated = await sql.transition(tx, row.tenantId, row.id, ['OFFERED'], { status: 'QUEUED', vehicleId: null, offerExpiresAt: null, declineVehicle: vehicleId, reason: `no answer from the driver of ${row.vehicleName ?? 'the vehicle'}` });
      if (updated) {
        const offeredForS = Math.round((now - (row.offerExpiresAt!.getTime() - this.deps.options.offerTimeoutS * 1000)) / 1000);
        emit(newEvent<'dispatch.expired'>({ tenantId: row.tenantId, type: 'dispatch.expired', aggregateId: row.id, actor: SYSTEM, data: { vehicleId, offeredForS } }));
      }
      return updated;
    });
    if (!updated) return;
    this.withdraw(row);
    this.announce(updated);
  }

  // ── the fleet as the engine sees it ───────────────────────────────────────────────────────

  /** The tenant's vehicles with status, capabilities, utilization and driving score. */
  private async fleet(tenantId: string, forRequest: string | null): Promise<DispatchVehicle[]> {
    const now = this.now();
    const [{ tripStatus, held }, busySeconds, scores] = await Promise.all([
      this.commitments(tenantId, forRequest),
      sql.tripSeconds(this.prisma, tenantId, new Date(now), UTILIZATION_WINDOW_S),
      this.drivingScores(tenantId, now),
    ]);
    const out: DispatchVehicle[] = [];
    const tenantReceives = this.deps.tenantOf(tenantId).receptionEnabled;
    for (const lv of this.deps.live.tenantVehicles(tenantId)) {
      const reg = this.deps.registry.get(lv.info.id);
      const attributes = (reg?.attributes && typeof reg.attributes === 'object' ? reg.attributes : {}) as Record<string, unknown>;
      const { status, heldPriority } = driverStatus(lv.online, tripStatus.get(lv.info.id), held.get(lv.info.id));
      out.push({
        id: lv.info.id,
        name: lv.info.name,
        driverId: reg?.driverId ?? null,
        type: lv.info.type,
        capabilities: capabilitiesOf(lv.info.type, attributes),
        capacity: capacityOf(attributes),
        lng: lv.live?.lng ?? NaN,
        lat: lv.live?.lat ?? NaN,
        status,
        heldPriority,
        utilization: Math.min(1, (busySeconds.get(lv.info.id) ?? 0) / UTILIZATION_WINDOW_S),
        drivingScore: scores.get(lv.info.id) ?? null,
        receptionOff: !tenantReceives || reg?.receptionEnabled === false,
      });
    }
    return out;
  }

  /**
   * What the tenant's vehicles are committed to: the status of each one's active trip, and the
   * highest priority each holds (an accepted job not yet started or an open offer: its request's
   * rank; the offer of `forRequest` itself does not count). A trip given by hand holds 99
   * (driverStatus): nothing takes it over.
   */
  private async commitments(tenantId: string, forRequest: string | null): Promise<{ tripStatus: Map<string, string>; held: Map<string, number> }> {
    const [trips, assigned, offered] = await Promise.all([
      sql.activeTrips(this.prisma, tenantId),
      sql.assignedNotStarted(this.prisma, tenantId),
      sql.listRequests(this.prisma, tenantId, { statuses: ['OFFERED'], limit: 10_000 }),
    ]);
    const tripStatus = new Map<string, string>(trips.map((t) => [t.vehicleId, t.status]));
    const held = new Map<string, number>();
    const hold = (vehicleId: string, priority: string) => held.set(vehicleId, Math.max(held.get(vehicleId) ?? -1, rankOf(priority)));
    // An accepted job whose trip has not started holds its request's rank (an emergency above it may take the vehicle: preempt).
    for (const a of assigned) hold(a.vehicleId, a.priority);
    for (const o of offered) if (o.vehicleId && o.id !== forRequest) hold(o.vehicleId, o.priority);
    return { tripStatus, held };
  }

  /** Each vehicle's driving score over the last 30 days (cached for 10 minutes). */
  private async drivingScores(tenantId: string, now: number): Promise<Map<string, number>> {
    const cached = this.scoreCache.get(tenantId);
    if (cached && now - cached.at < SCORE_CACHE_MS) return cached.scores;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const rows = await drivingPeriods(this.prisma, tenantId, 'vehicle', 'month', day(now - 30 * 86_400_000), day(now), null);
    const sums = new Map<string, Parameters<typeof scoreOf>[0]>();
    for (const r of rows) {
      const s = sums.get(r.subject_id) ?? { distanceM: 0, drivingS: 0, speedingS: 0, idleS: 0, events: { harsh_brake: 0, harsh_acceleration: 0, harsh_corner: 0, speeding: 0, idle: 0, possible_collision: 0 } };
      s.distanceM += r.distance_m;
      s.drivingS += r.driving_s;
      s.speedingS += r.speeding_s;
      s.idleS += r.idle_s;
      s.events.harsh_brake += r.harsh_brake;
      s.events.harsh_acceleration += r.harsh_acceleration;
      s.events.harsh_corner += r.harsh_corner;
      s.events.speeding += r.speeding;
      s.events.idle += r.idle;
      s.events.possible_collision += r.possible_collision;
      sums.set(r.subject_id, s);
    }
    const scores = new Map<string, number>();
    for (const [id, c] of sums) {
      const { score } = scoreOf(c);
      if (score != null) scores.set(id, score);
    }
    this.scoreCache.set(tenantId, { at: now, scores });
    return scores;
  }

  private async weightsOf(tenantId: string): Promise<DispatchSettings> {
    const stored = await sql.loadSettings(this.prisma, tenantId);
    const parsed = stored ? dispatchSettingsRequest.safeParse(stored) : null;
    return parsed?.success ? parsed.data : DEFAULT_WEIGHTS;
  }

  private async engineOptions(tenantId: string) {
    return { routed: this.deps.options.routed, weights: await this.weightsOf(tenantId), emergencyUsesOnTrip: this.deps.options.emergencyUsesOnTrip };
  }

  /** Road ETA on the tenant's graph; without a road network, a straight-line estimate. */
  private etaFn(tenantId: string): EtaFn {
    const router = this.deps.routerOf(tenantId);
    return (v, job) => {
      if (!router) return straightLine(v.lng, v.lat, job.lng, job.lat);
      const r = router.route([{ label: 'from', lng: v.lng, lat: v.lat }, { label: 'to', lng: job.lng, lat: job.lat }], { optimize: 'time', maxSnapM: this.deps.options.maxSnapM });
      return r.ok ? { etaS: r.route.properties.durationS, distanceM: r.route.properties.distanceM } : null;
    };
  }

  private routeOf(tenantId: string, v: DispatchVehicle, job: DispatchJob): { eta: Eta; geometry: { type: 'LineString'; coordinates: [number, number][] } | null } {
    const router = this.deps.routerOf(tenantId);
    if (router && Number.isFinite(v.lng)) {
      const r = router.route([{ label: 'from', lng: v.lng, lat: v.lat }, { label: 'to', lng: job.lng, lat: job.lat }], { optimize: 'time', maxSnapM: this.deps.options.maxSnapM });
      if (r.ok) return { eta: { etaS: r.route.properties.durationS, distanceM: r.route.properties.distanceM }, geometry: r.route.geometry };
    }
    return { eta: straightLine(v.lng, v.lat, job.lng, job.lat), geometry: null };
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  private async find(principal: Principal, id: string): Promise<sql.DispatchRow> {
    const row = await sql.findRequest(this.prisma, principal.tenantId, id);
    if (!row) throw new ApiError('NOT_FOUND', `dispatch request ${id} not found`);
    return row;
  }

  /** The driver the offer is for (a dispatcher may answer for them); else NOT_FOUND / CONFLICT. */
  private assertAnswering(principal: Principal, row: sql.DispatchRow): string {
    const driverId = row.vehicleId ? (this.deps.registry.get(row.vehicleId)?.driverId ?? null) : null;
    if (principal.role === 'driver' && driverId !== principal.userId) throw new ApiError('NOT_FOUND', `dispatch request ${row.id} not found`);
    if (principal.role === 'viewer') throw new ApiError('FORBIDDEN', 'role viewer may not answer offers (needs driver, admin or manager)');
    if (row.status !== 'OFFERED' || !row.vehicleId) throw new ApiError('CONFLICT', `the request is ${row.status.toLowerCase()}, not offered`, 'status');
    if (!driverId) throw new ApiError('CONFLICT', 'the offered vehicle has no driver', 'vehicleId');
    return driverId;
  }

  private announce(row: sql.DispatchRow): void {
    this.deps.listener?.changed(row.tenantId, toDto(row));
  }

  private withdraw(row: sql.DispatchRow): void {
    const driverId = row.vehicleId ? this.deps.registry.get(row.vehicleId)?.driverId : null;
    if (row.status === 'OFFERED' && driverId) this.deps.listener?.withdrawn(row.tenantId, driverId, row.id);
  }
}

function straightLine(lng: number, lat: number, toLng: number, toLat: number): Eta {
  const kx = Math.cos((toLat * Math.PI) / 180);
  const m = Math.hypot((lng - toLng) * kx, lat - toLat) * 111_320 * FALLBACK_DETOUR;
  return { etaS: m / FALLBACK_SPEED_MPS, distanceM: m };
}

export function jobOf(r: sql.DispatchRow): DispatchJob {
  return {
    id: r.id,
    kind: r.kind as DispatchJob['kind'],
    priority: r.priority as Priority,
    emergencyType: r.emergencyType,
    lng: r.lng,
    lat: r.lat,
    capabilities: r.capabilities,
    capacity: r.capacity,
    declined: new Set(r.declinedVehicleIds),
  };
}

const place = (lng: number, lat: number, label: string, source: string) => ({ lng, lat, label, source: source as 'address' | 'map' });

export function toDto(r: sql.DispatchRow): DispatchRequestDto {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: r.id,
    kind: r.kind as DispatchRequestDto['kind'],
    priority: r.priority as Priority,
    status: r.status as RequestStatus,
    serviceType: r.serviceType,
    emergencyType: r.emergencyType as DispatchRequestDto['emergencyType'],
    severity: r.severity,
    location: place(r.lng, r.lat, r.locationLabel, r.locationSource),
    dropoff: r.dropoffLng != null && r.dropoffLat != null ? place(r.dropoffLng, r.dropoffLat, r.dropoffLabel ?? '', r.dropoffSource ?? 'map') : null,
    capabilities: r.capabilities as DispatchRequestDto['capabilities'],
    capacity: r.capacity,
    estimatedDurationMin: r.estimatedDurationMin,
    notes: r.notes,
    scheduledTime: iso(r.scheduledTime),
    windowMin: r.windowMin,
    recurrence: r.recurrence,
    dispatchAt: r.dispatchAt.toISOString(),
    vehicleId: r.vehicleId,
    vehicleName: r.vehicleName,
    tripId: r.tripId,
    offerExpiresAt: iso(r.offerExpiresAt),
    etaS: r.etaS,
    distanceM: r.distanceM,
    score: r.score,
    route: (r.route as DispatchRequestDto['route']) ?? null,
    reason: r.reason,
    retryAt: iso(r.retryAt),
    declinedVehicleIds: r.declinedVehicleIds,
    attempts: r.attempts,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function offerDto(r: sql.DispatchRow): DispatchOfferDto {
  const d = toDto(r);
  return {
    requestId: d.id,
    kind: d.kind,
    priority: d.priority,
    serviceType: d.serviceType,
    location: d.location,
    dropoff: d.dropoff,
    etaS: d.etaS,
    distanceM: d.distanceM,
    route: d.route,
    expiresAt: d.offerExpiresAt ?? new Date().toISOString(),
    notes: d.notes,
  };
}
