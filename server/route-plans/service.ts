import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/routes';
import type { EventLog } from '../events/log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { featurePatch } from '../protocol/geofences';
import { routeFeature, routeVehicles, type RouteDto, type RouteInput } from '../protocol/routes';
import { Audit, auditedFeature, featureChanges } from '../events/audit';

const WRITERS = ['admin'] as const;
/** Properties the server computes: an event records what a person set. */
const DERIVED = ['lengthM', 'createdAt', 'updatedAt'] as const;

/** Told about every change to a route (live dashboards and editors; snapping later). */
export interface RouteListener {
  changed(tenantId: string, route: RouteDto): void;
  removed(tenantId: string, id: string): void;
}

/**
 * Routes of the caller's tenant (storage; `server/routes/` is kept for pure snapping): everyone in
 * the tenant reads, admins write; another tenant's route is always NOT_FOUND. Bodies are raw
 * JSON, validated here (zod for structure, PostGIS for validity → INVALID_GEOMETRY, nothing stored).
 * Each change commits with its event (route.created / .changed / .deleted; assigning vehicles is
 * a route.changed of `vehicleIds`); listeners hear of it after the commit.
 */
export class RoutePlanService {
  constructor(
    private readonly prisma: Prisma,
    private readonly events: EventLog,
    private readonly listener?: RouteListener,
  ) {}

  async list(principal: Principal): Promise<RouteDto[]> {
    return (await sql.listRoutes(this.prisma, principal.tenantId)).map(toDto);
  }

  /** Every tenant's routes with their vehicles (start-up). */
  async loadAll(): Promise<RouteDto[]> {
    return (await sql.allRoutes(this.prisma)).map(toDto);
  }

  async get(principal: Principal, id: string): Promise<RouteDto> {
    return toDto(await this.findInTenant(principal, id));
  }

  async create(principal: Principal, body: unknown): Promise<RouteDto> {
    requireRole(principal, WRITERS, 'create routes');
    const input = parseOrThrow(routeFeature, body);
    await this.assertValidLine(input);
    const audit = new Audit(principal);
    const dto = await this.write(() =>
      this.events.transact(async (tx, emit) => {
        const dto = toDto(await sql.insertRoute(tx, principal.tenantId, input.geometry, input.properties));
        emit(audit.event('route.created', dto.id, { name: dto.properties.name, after: auditedFeature(dto, DERIVED) }));
        return dto;
      }),
    );
    this.listener?.changed(principal.tenantId, dto);
    return dto;
  }

  /** PUT: a whole Feature replaces the route (its vehicles stay assigned). */
  async replace(principal: Principal, id: string, body: unknown): Promise<RouteDto> {
    requireRole(principal, WRITERS, 'change routes');
    await this.findInTenant(principal, id);
    return this.store(principal, id, parseOrThrow(routeFeature, body));
  }

  /** PATCH: `{geometry?, properties?}` merged over the stored route, then validated as a whole. */
  async update(principal: Principal, id: string, body: unknown): Promise<RouteDto> {
    requireRole(principal, WRITERS, 'change routes');
    const patch = parseOrThrow(featurePatch, body);
    const current = toDto(await this.findInTenant(principal, id));
    const { lengthM: _l, vehicleIds: _v, createdAt: _c, updatedAt: _u, ...properties } = current.properties;
    const merged = { type: 'Feature', geometry: patch.geometry ?? current.geometry, properties: { ...properties, ...(patch.properties ?? {}) } };
    return this.store(principal, id, parseOrThrow(routeFeature, merged));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireRole(principal, WRITERS, 'delete routes');
    const audit = new Audit(principal);
    await this.events.transact(async (tx, emit) => {
      const row = await sql.deleteRoute(tx, principal.tenantId, id);
      if (!row) throw notFound(id);
      const before = toDto(row);
      emit(audit.event('route.deleted', id, { name: before.properties.name, before: auditedFeature(before, DERIVED) }));
    });
    this.listener?.removed(principal.tenantId, id);
  }

  /**
   * PUT /api/v1/routes/:id/vehicles: `{vehicleIds}` becomes exactly the route's vehicles. A vehicle
   * on another route moves here (that route changes too); an unknown vehicle refuses the whole set.
   */
  async setVehicles(principal: Principal, id: string, body: unknown): Promise<RouteDto> {
    requireRole(principal, WRITERS, 'assign vehicles to routes');
    const { vehicleIds } = parseOrThrow(routeVehicles, body);
    await this.findInTenant(principal, id);
    const foreign = await sql.foreignVehicles(this.prisma, principal.tenantId, vehicleIds);
    if (foreign.length > 0) {
      throw new ApiError('NOT_FOUND', `vehicleIds.${vehicleIds.indexOf(foreign[0]!)}: vehicle ${foreign[0]} not found`, `vehicleIds.${vehicleIds.indexOf(foreign[0]!)}`);
    }
    const audit = new Audit(principal);
    const changed = await this.events.transact(async (tx, emit) => {
      const before = await sql.findRoute(tx, principal.tenantId, id, true);
      if (!before) throw notFound(id); // deleted meanwhile
      const moved = await sql.setRouteVehicles(tx, principal.tenantId, id, vehicleIds);
      const lost = new Map<string, string[]>();
      for (const m of moved) lost.set(m.fromRouteId, [...(lost.get(m.fromRouteId) ?? []), m.vehicleId]);
      // This route and every route that lost a vehicle to it, read back in one query.
      const changed = (await sql.findRoutes(tx, principal.tenantId, [id, ...lost.keys()])).map(toDto);
      for (const route of changed) {
        const after = route.properties.vehicleIds;
        // Another route had what it has now plus the vehicles that moved here (ids sorted, as stored).
        const previous = route.id === id ? before.vehicleIds : [...after, ...(lost.get(route.id) ?? [])].sort();
        if (JSON.stringify(previous) === JSON.stringify(after)) continue;
        emit(audit.event('route.changed', route.id, { name: route.properties.name, changes: { vehicleIds: { before: previous, after } } }));
      }
      return changed;
    });
    const dto = changed.find((r) => r.id === id)!;
    for (const route of [dto, ...changed.filter((r) => r !== dto)]) this.listener?.changed(principal.tenantId, route);
    return dto;
  }

  private async store(principal: Principal, id: string, input: RouteInput): Promise<RouteDto> {
    await this.assertValidLine(input);
    const audit = new Audit(principal);
    const dto = await this.write(() =>
      this.events.transact(async (tx, emit) => {
        const before = await sql.findRoute(tx, principal.tenantId, id, true);
        const row = before && (await sql.updateRoute(tx, principal.tenantId, id, input.geometry, input.properties));
        if (!before || !row) throw notFound(id);
        const after = toDto(row);
        const changes = featureChanges(toDto(before), after, DERIVED);
        if (Object.keys(changes).length > 0) emit(audit.event('route.changed', id, { name: after.properties.name, changes }));
        return after;
      }),
    );
    this.listener?.changed(principal.tenantId, dto);
    return dto;
  }

  private async findInTenant(principal: Principal, id: string): Promise<sql.RouteRow> {
    const row = await sql.findRoute(this.prisma, principal.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  private async assertValidLine(input: RouteInput): Promise<void> {
    const problem = await sql.lineProblem(this.prisma, input.geometry);
    if (problem) throw invalidGeometry(problem.reason, problem.location);
  }

  /** Runs a write; the database's own geometry check (trigger) becomes INVALID_GEOMETRY too. */
  private async write<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const match = /invalid geometry: ([^\n"]+)/.exec(error instanceof Error ? error.message : String(error));
      if (match) throw invalidGeometry(match[1]!.trim(), null);
      throw error;
    }
  }
}

function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `route ${id} not found`);
}

function invalidGeometry(reason: string, location: [number, number] | null): ApiError {
  const where = location ? ` at [${location[0]}, ${location[1]}] (lng, lat)` : '';
  return new ApiError('INVALID_GEOMETRY', `geometry: invalid geometry: ${reason}${where}`, 'geometry');
}

function toDto(row: sql.RouteRow): RouteDto {
  return {
    type: 'Feature',
    id: row.id,
    geometry: JSON.parse(row.geometry) as RouteDto['geometry'],
    properties: {
      name: row.name,
      color: row.color,
      attributes: row.attributes && typeof row.attributes === 'object' && !Array.isArray(row.attributes) ? (row.attributes as Record<string, unknown>) : {},
      stops: Array.isArray(row.stops) ? (row.stops as RouteDto['properties']['stops']) : [],
      lengthM: row.lengthM,
      vehicleIds: row.vehicleIds,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
  };
}
