import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/routes';
import { ApiError, parseOrThrow } from '../protocol/errors';
import { featurePatch } from '../protocol/geofences';
import { routeFeature, routeVehicles, type RouteDto, type RouteInput } from '../protocol/routes';

const WRITERS = ['admin'] as const;

/** Told about every change to a route (live dashboards and editors; snapping later). */
export interface RouteListener {
  changed(tenantId: string, route: RouteDto): void;
  removed(tenantId: string, id: string): void;
}

/**
 * Routes of the caller's tenant (storage; `server/routes/` is kept for pure snapping): everyone in
 * the tenant reads, admins write; another tenant's route is always NOT_FOUND. Bodies are raw
 * JSON, validated here (zod for structure, PostGIS for validity → INVALID_GEOMETRY, nothing stored).
 */
export class RoutePlanService {
  constructor(
    private readonly prisma: Prisma,
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
    const dto = toDto(await this.write(() => sql.insertRoute(this.prisma, principal.tenantId, input.geometry, input.properties)));
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
    if (!(await sql.deleteRoute(this.prisma, principal.tenantId, id))) throw notFound(id);
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
    const others = await sql.setRouteVehicles(this.prisma, principal.tenantId, id, vehicleIds);
    // This route and every route that lost a vehicle to it, read back in one query.
    const changed = (await sql.findRoutes(this.prisma, principal.tenantId, [id, ...others])).map(toDto);
    const dto = changed.find((r) => r.id === id);
    if (!dto) throw notFound(id); // deleted meanwhile
    for (const route of [dto, ...changed.filter((r) => r !== dto)]) this.listener?.changed(principal.tenantId, route);
    return dto;
  }

  private async store(principal: Principal, id: string, input: RouteInput): Promise<RouteDto> {
    await this.assertValidLine(input);
    const row = await this.write(() => sql.updateRoute(this.prisma, principal.tenantId, id, input.geometry, input.properties));
    if (!row) throw notFound(id);
    const dto = toDto(row);
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
      lengthM: row.lengthM,
      vehicleIds: row.vehicleIds,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
  };
}
