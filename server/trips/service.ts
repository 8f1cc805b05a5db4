import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/trips';
import type { EventLog } from '../events/log';
import type { VehicleLive } from '../protocol/fleet';
import { ApiError, parseOrThrow } from '../protocol/errors';
import type { HomeArea } from '../protocol/home-area';
import { assertNearHome } from '../tenants/home-check';
import {
  createTripRequest,
  listTripsQuery,
  tripStatusRequest,
  type TrackDto,
  type TripDto,
  type TripListResult,
  type TripStatus,
} from '../protocol/trips';
import { Audit } from '../events/audit';
import { estimateEta, RECENT_WINDOW_S, recentSpeedKmh } from './eta';
import { allowedNext, assertTransition, transitionConflict } from './transitions';

const CREATORS = ['admin', 'manager'] as const;
const MOVERS = ['admin', 'manager', 'driver'] as const;
/** Roles that see a trip's share link. */
const SHARERS: ReadonlySet<string> = new Set(CREATORS);
/** Share tokens: 24 random bytes (192 bits), base64url (32 characters). */
const SHARE_TOKEN_BYTES = 24;
const SHARE_TOKEN = /^[A-Za-z0-9_-]{22,64}$/;

/** Told about every new trip and every state change (live dashboards and trip subscribers). */
export interface TripListener {
  changed(tenantId: string, trip: TripDto): void;
}

export interface TripServiceDeps {
  /** Where each creation and status change is appended, in the transaction that makes it. */
  events: EventLog;
  /** Seconds a share link keeps working after the trip ends. */
  shareGraceSeconds: number;
  /** The vehicle's last published position (live state), or null before its first one. */
  livePosition(vehicleId: string): VehicleLive | null;
  /** The tenant's home area (tenant settings): pickups and dropoffs far outside it are refused. */
  homeAreaOf(tenantId: string): HomeArea | null;
  listener?: TripListener;
}

export function newShareToken(): string {
  return randomBytes(SHARE_TOKEN_BYTES).toString('base64url');
}

/**
 * Trips of the caller's tenant. Admins and managers create trips and see them all; drivers see
 * and move only trips that name them as the driver (others are NOT_FOUND); viewers read.
 * Another tenant's trip is always NOT_FOUND. The public rider view goes by share token only.
 * A trip's events (trip.created, then one trip.status_changed per move) replay to its status.
 */
export class TripService {
  constructor(
    private readonly prisma: Prisma,
    private readonly deps: TripServiceDeps,
  ) {}

  async create(principal: Principal, body: unknown): Promise<TripDto> {
    requireRole(principal, CREATORS, 'create trips');
    const input = parseOrThrow(createTripRequest, body);
    const { tenantId } = principal;
    assertNearHome(this.deps.homeAreaOf(tenantId), { pickup: input.pickup, dropoff: input.dropoff });
    const vehicle = await this.prisma.vehicle.findFirst({ where: { id: input.vehicleId, tenantId }, select: { id: true, driverId: true } });
    if (!vehicle) throw new ApiError('NOT_FOUND', `vehicle ${input.vehicleId} not found`, 'vehicleId');
    const driverId = input.driverId ?? vehicle.driverId;
    if (!driverId) throw new ApiError('VALIDATION_ERROR', 'driverId: is required (the vehicle has no assigned driver)', 'driverId');
    const driver = await this.prisma.user.findFirst({ where: { id: driverId, tenantId }, select: { role: true } });
    if (!driver) throw new ApiError('NOT_FOUND', `driver ${driverId} not found`, 'driverId');
    if (driver.role !== 'driver') throw new ApiError('VALIDATION_ERROR', `driverId: user ${driverId} is a ${driver.role}, not a driver`, 'driverId');
    if (input.routeId) {
      const route = await this.prisma.route.findFirst({ where: { id: input.routeId, tenantId }, select: { id: true } });
      if (!route) throw new ApiError('NOT_FOUND', `route ${input.routeId} not found`, 'routeId');
    }
    await this.assertNoActiveTrip(tenantId, vehicle.id);
    const audit = new Audit(principal);
    let row: sql.TripRow;
    try {
      row = await this.deps.events.transact(async (tx, emit) => {
        const row = await sql.insertTrip(tx, {
          tenantId,
          vehicleId: vehicle.id,
          driverId,
          pickup: input.pickup,
          dropoff: input.dropoff,
          routeId: input.routeId ?? null,
          shareToken: newShareToken(),
          createdBy: principal.userId,
        });
        emit(audit.event('trip.created', row.id, { after: auditedTrip(row) }));
        return row;
      });
    } catch (error) {
      // Two creations raced past the check: the partial unique index decides.
      if (String((error as Error).message).includes(sql.ONE_ACTIVE_PER_VEHICLE)) await this.assertNoActiveTrip(tenantId, vehicle.id);
      throw error;
    }
    this.announce(row);
    return toDto(row, principal);
  }

  /** `query`: raw query values (status, vehicleId, driverId, active, limit). */
  async list(principal: Principal, query: unknown): Promise<TripListResult> {
    const q = parseOrThrow(listTripsQuery, query);
    if (principal.role === 'driver') {
      if (q.driverId && q.driverId !== principal.userId) return { trips: [], truncated: false };
      q.driverId = principal.userId;
    }
    const rows = await sql.listTrips(this.prisma, principal.tenantId, {
      statuses: q.status,
      vehicleId: q.vehicleId,
      driverId: q.driverId,
      active: q.active,
      limit: q.limit + 1,
    });
    const truncated = rows.length > q.limit;
    return { trips: (truncated ? rows.slice(0, q.limit) : rows).map((r) => toDto(r, principal)), truncated };
  }

  async get(principal: Principal, id: string): Promise<TripDto> {
    return toDto(await this.findVisible(principal, id), principal);
  }

  /** Moves the trip to `body.status`; a move TRIP_TRANSITIONS does not allow is 409 naming the allowed ones. */
  async transition(principal: Principal, id: string, body: unknown): Promise<TripDto> {
    requireRole(principal, MOVERS, 'change a trip’s status');
    const { status } = parseOrThrow(tripStatusRequest, body);
    const current = await this.findVisible(principal, id);
    assertTransition(current.status, status);
    const audit = new Audit(principal);
    const row = await this.deps.events.transact(async (tx, emit) => {
      const row = await sql.transitionTrip(tx, principal.tenantId, id, current.status, status, this.deps.shareGraceSeconds);
      if (row) emit(audit.event('trip.status_changed', id, { from: current.status, to: row.status, vehicleId: row.vehicleId }));
      return row;
    });
    if (!row) {
      // Someone else moved it first: judge the request against the state it is in now.
      const now = await this.findVisible(principal, id);
      throw transitionConflict(now.status, status);
    }
    this.announce(row);
    return toDto(row, principal);
  }

  /** A trip of the caller's tenant as dashboards see it (the trip subscription scope). */
  async forSubscriber(principal: Principal, id: string): Promise<TripDto> {
    return toDto(await this.findVisible(principal, id), null);
  }

  /** The public rider view of a share token; unknown or expired tokens are NOT_FOUND. */
  private readonly shareTenants = new Map<string, { tenantId: string; until: number }>();

  /**
   * The tenant of a live share link (its basemap tiles are drawn on the rider page); NOT_FOUND once
   * the link is unknown or expired. Remembered for a minute, as tiles come by the dozen.
   */
  async shareTenant(token: string, now = Date.now()): Promise<string> {
    const known = this.shareTenants.get(token);
    if (known && known.until > now) return known.tenantId;
    const row = SHARE_TOKEN.test(token) ? await sql.findTripByShareToken(this.prisma, token) : null;
    if (!row) throw new ApiError('NOT_FOUND', 'this trip link is unknown or has expired');
    if (this.shareTenants.size > 10_000) this.shareTenants.clear();
    this.shareTenants.set(token, { tenantId: row.tenantId, until: now + 60_000 });
    return row.tenantId;
  }

  async track(token: string, now = Date.now()): Promise<TrackDto> {
    const row = SHARE_TOKEN.test(token) ? await sql.findTripByShareToken(this.prisma, token) : null;
    if (!row) throw new ApiError('NOT_FOUND', 'this trip link is unknown or has expired');
    const live = this.deps.livePosition(row.vehicleId);
    const movement = live ? await sql.recentMovement(this.prisma, row.tenantId, row.vehicleId, live.ts, RECENT_WINDOW_S) : null;
    const dto = toDto(row, null);
    return {
      status: dto.status,
      timestamps: dto.timestamps,
      pickup: dto.pickup,
      dropoff: dto.dropoff,
      vehicle: {
        name: row.vehicleName,
        plate: row.vehiclePlate,
        position: live ? { lng: live.lng, lat: live.lat, speed: live.speed, heading: live.heading, ts: new Date(live.ts).toISOString() } : null,
      },
      eta: estimateEta({
        status: row.status,
        pickup: dto.pickup,
        dropoff: dto.dropoff,
        position: live,
        speedKmh: movement ? recentSpeedKmh(movement) : null,
        now,
      }),
      distanceM: dto.distanceM,
      durationS: dto.durationS,
      expiresAt: row.shareExpiresAt?.toISOString() ?? null,
      updatedAt: dto.updatedAt,
    };
  }

  private async findVisible(principal: Principal, id: string): Promise<sql.TripRow> {
    const row = await sql.findTrip(this.prisma, principal.tenantId, id);
    if (!row || (principal.role === 'driver' && row.driverId !== principal.userId)) throw new ApiError('NOT_FOUND', `trip ${id} not found`);
    return row;
  }

  private async assertNoActiveTrip(tenantId: string, vehicleId: string): Promise<void> {
    const [active] = await sql.listTrips(this.prisma, tenantId, { vehicleId, active: true, limit: 1 });
    if (active) {
      throw new ApiError('CONFLICT', `vehicleId: the vehicle already has an active trip (${active.id}, ${active.status}); complete or cancel it first`, 'vehicleId', {
        activeTripId: active.id,
        status: active.status,
      });
    }
  }

  /** Live listeners get the trip without its share link (viewers are among the dashboards). */
  private announce(row: sql.TripRow): void {
    this.deps.listener?.changed(row.tenantId, toDto(row, null));
  }
}

/**
 * A trip as its trip.created event carries it: what was asked for and its first status. The
 * share token stays out (it opens the rider view to anyone who holds it).
 */
export function auditedTrip(row: sql.TripRow): Record<string, unknown> {
  return {
    vehicleId: row.vehicleId,
    driverId: row.driverId,
    pickup: { lng: row.pickupLng, lat: row.pickupLat, label: row.pickupLabel },
    dropoff: { lng: row.dropoffLng, lat: row.dropoffLat, label: row.dropoffLabel },
    routeId: row.routeId,
    status: row.status,
    createdBy: row.createdBy,
  };
}

/** The DTO; `viewer` decides whether the share link is included (admins and managers only). */
export function toDto(row: sql.TripRow, viewer: Principal | null): TripDto {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const timestamps: Record<TripStatus, string | null> = {
    PENDING: row.createdAt.toISOString(),
    EN_ROUTE: iso(row.enRouteAt),
    ARRIVED: iso(row.arrivedAt),
    IN_PROGRESS: iso(row.inProgressAt),
    COMPLETED: iso(row.completedAt),
    CANCELLED: iso(row.cancelledAt),
  };
  return {
    id: row.id,
    vehicleId: row.vehicleId,
    vehicleName: row.vehicleName,
    driverId: row.driverId,
    driverName: row.driverName,
    pickup: { lng: row.pickupLng, lat: row.pickupLat, label: row.pickupLabel },
    dropoff: { lng: row.dropoffLng, lat: row.dropoffLat, label: row.dropoffLabel },
    routeId: row.routeId,
    status: row.status,
    allowedNext: allowedNext(row.status),
    timestamps,
    distanceM: row.distanceM,
    durationS: row.durationS,
    ...(viewer && SHARERS.has(viewer.role)
      ? { share: { token: row.shareToken, path: `/track/${row.shareToken}`, expiresAt: iso(row.shareExpiresAt) } }
      : {}),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
