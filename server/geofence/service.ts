import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/geofences';
import type { EventLog } from '../events/log';
import { ApiError, parseOrThrow } from '../protocol/errors';
import {
  geofenceEventsQuery,
  geofenceFeature,
  featurePatch,
  type GeofenceDto,
  type GeofenceDtoGeometry,
  type GeofenceEventDto,
  type GeofenceEventsResult,
  type GeofenceInput,
  type GeofenceInputProperties,
  type GeofenceKind,
  KIND_FIELD_NAMES,
} from '../protocol/geofences';
import { toDefinition } from './definition';
import { Audit, auditedFeature, featureChanges } from '../events/audit';
import { compileFence, GeofenceError } from './engine';

const WRITERS = ['admin'] as const;
/** Properties the server computes: an event records what a person set. */
const DERIVED = ['areaM2', 'createdAt', 'updatedAt'] as const;

/** Told about every change to a fence (the engine and live dashboards). */
export interface GeofenceListener {
  changed(tenantId: string, fence: GeofenceDto): void;
  removed(tenantId: string, id: string): void;
}

/** A fence with its tenant, as the engine loads it. */
export interface StoredGeofence {
  tenantId: string;
  fence: GeofenceDto;
}

/**
 * Geofences of the caller's tenant: everyone in the tenant reads, admins write; another tenant's
 * fence is always NOT_FOUND. Inputs are raw JSON bodies / query objects, validated here (zod for
 * structure, PostGIS for validity → INVALID_GEOMETRY with reason and location, nothing stored).
 * Each change commits with its event (geofence.created / .changed / .deleted); the engine and
 * dashboards hear of it after the commit.
 */
export class GeofenceService {
  constructor(
    private readonly prisma: Prisma,
    private readonly events: EventLog,
    private readonly listener?: GeofenceListener,
  ) {}

  async list(principal: Principal): Promise<GeofenceDto[]> {
    return (await sql.listGeofences(this.prisma, principal.tenantId)).map(toDto);
  }

  async get(principal: Principal, id: string): Promise<GeofenceDto> {
    return toDto(await this.findInTenant(principal, id));
  }

  async create(principal: Principal, body: unknown): Promise<GeofenceDto> {
    requireRole(principal, WRITERS, 'create geofences');
    const input = parseOrThrow(geofenceFeature, body);
    await this.assertEvaluable(principal, input);
    await this.assertValidGeometry(input);
    const audit = new Audit(principal);
    const dto = await this.write(() =>
      this.events.transact(async (tx, emit) => {
        const dto = toDto(await sql.insertGeofence(tx, principal.tenantId, input.geometry, input.properties, kindOptions(input)));
        emit(audit.event('geofence.created', dto.id, { name: dto.properties.name, after: auditedFeature(dto, DERIVED) }));
        return dto;
      }),
    );
    this.listener?.changed(principal.tenantId, dto);
    return dto;
  }

  /** PUT: the body is a whole Feature that replaces the fence. */
  async replace(principal: Principal, id: string, body: unknown): Promise<GeofenceDto> {
    requireRole(principal, WRITERS, 'change geofences');
    await this.findInTenant(principal, id);
    return this.store(principal, id, parseOrThrow(geofenceFeature, body));
  }

  /**
   * PATCH: `{geometry?, properties?}` merged over the stored fence, then validated as a whole.
   * A new non-Point geometry drops the circle's radius unless the patch sets one.
   */
  async update(principal: Principal, id: string, body: unknown): Promise<GeofenceDto> {
    requireRole(principal, WRITERS, 'change geofences');
    const patch = parseOrThrow(featurePatch, body);
    const current = toDto(await this.findInTenant(principal, id));
    const { areaM2: _a, createdAt: _c, updatedAt: _u, ...properties } = current.properties;
    const geometry = patch.geometry ?? current.geometry;
    const merged: Record<string, unknown> = { ...properties, ...(patch.properties ?? {}) };
    // a new kind starts without the old kind's settings (unless the patch sends them)
    if (patch.properties?.kind !== undefined && patch.properties.kind !== properties.kind) {
      for (const field of KIND_FIELD_NAMES) if (!(field in patch.properties)) delete merged[field];
    }
    const newShape = patch.geometry !== undefined && (patch.geometry as { type?: unknown } | null)?.type !== 'Point';
    if (newShape && !(patch.properties && 'radius' in patch.properties)) delete merged.radius;
    return this.store(principal, id, parseOrThrow(geofenceFeature, { type: 'Feature', geometry, properties: merged }));
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireRole(principal, WRITERS, 'delete geofences');
    const audit = new Audit(principal);
    await this.events.transact(async (tx, emit) => {
      const row = await sql.deleteGeofence(tx, principal.tenantId, id);
      if (!row) throw notFound(id);
      const before = toDto(row);
      emit(audit.event('geofence.deleted', id, { name: before.properties.name, before: auditedFeature(before, DERIVED) }));
    });
    this.listener?.removed(principal.tenantId, id);
  }

  /** Events of the tenant, newest first: `{geofenceId?, vehicleId?, from?, to?, limit?}` (raw query values). */
  async listEvents(principal: Principal, input: unknown): Promise<GeofenceEventsResult> {
    const q = parseOrThrow(geofenceEventsQuery, input);
    if (q.geofenceId) await this.findInTenant(principal, q.geofenceId);
    if (q.vehicleId) {
      const vehicle = await this.prisma.vehicle.findFirst({ where: { id: q.vehicleId, tenantId: principal.tenantId }, select: { id: true } });
      if (!vehicle) throw new ApiError('NOT_FOUND', `vehicle ${q.vehicleId} not found`, 'vehicleId');
    }
    const rows = await sql.listGeofenceEvents(this.prisma, principal.tenantId, { ...q, limit: q.limit + 1 });
    const truncated = rows.length > q.limit;
    return { events: (truncated ? rows.slice(0, q.limit) : rows).map(toEventDto), truncated };
  }

  /** Appends the pipeline's events in one statement; events of fences or vehicles since deleted are skipped. */
  recordEvents(events: readonly sql.NewGeofenceEvent[]): Promise<number> {
    return sql.insertGeofenceEvents(this.prisma, events);
  }

  /** Every tenant's fences, for the engine at start-up. */
  async loadAll(): Promise<StoredGeofence[]> {
    return (await sql.allGeofences(this.prisma)).map((row) => ({ tenantId: row.tenantId, fence: toDto(row) }));
  }

  /** The engine's stored memberships (start-up) and their bulk write (`state: null` deletes). */
  loadMemberships(): Promise<sql.MembershipRow[]> {
    return sql.allMemberships(this.prisma);
  }

  saveMemberships(rows: Parameters<typeof sql.saveMemberships>[1]): Promise<void> {
    return sql.saveMemberships(this.prisma, rows);
  }

  private async store(principal: Principal, id: string, input: GeofenceInput): Promise<GeofenceDto> {
    await this.assertEvaluable(principal, input, id);
    await this.assertValidGeometry(input);
    const audit = new Audit(principal);
    const dto = await this.write(() =>
      this.events.transact(async (tx, emit) => {
        const before = await sql.findGeofence(tx, principal.tenantId, id, true);
        const row = before && (await sql.updateGeofence(tx, principal.tenantId, id, input.geometry, input.properties, kindOptions(input)));
        if (!before || !row) throw notFound(id);
        const after = toDto(row);
        const changes = featureChanges(toDto(before), after, DERIVED);
        if (Object.keys(changes).length > 0) emit(audit.event('geofence.changed', id, { name: after.properties.name, changes }));
        return after;
      }),
    );
    this.listener?.changed(principal.tenantId, dto);
    return dto;
  }

  private async findInTenant(principal: Principal, id: string): Promise<sql.GeofenceRow> {
    const row = await sql.findGeofence(this.prisma, principal.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }

  /**
   * What the structure cannot say: the schedule's zone exists, the rule is valid JSON Logic over
   * known variables, the followed vehicle is in the tenant (the engine compiles the fence).
   */
  private async assertEvaluable(principal: Principal, input: GeofenceInput, id = 'new'): Promise<void> {
    try {
      compileFence(toDefinition(principal.tenantId, { id, geometry: input.geometry, properties: input.properties }));
    } catch (error) {
      if (!(error instanceof GeofenceError)) throw error;
      const field = error.field && !error.field.startsWith('geometry') ? `properties.${error.field}` : (error.field ?? 'properties');
      throw new ApiError('VALIDATION_ERROR', `${field}: ${error.message.replace(/^geofence [^:]+: /, '')}`, field);
    }
    const follow = input.properties.followVehicleId;
    if (follow !== undefined) {
      const vehicle = await this.prisma.vehicle.findFirst({ where: { id: follow, tenantId: principal.tenantId }, select: { id: true } });
      if (!vehicle) throw new ApiError('VALIDATION_ERROR', `properties.followVehicleId: vehicle ${follow} not found`, 'properties.followVehicleId');
    }
  }

  private async assertValidGeometry(input: GeofenceInput): Promise<void> {
    const problem = await sql.geometryProblem(this.prisma, input.geometry, input.properties.radius);
    if (problem) throw invalidGeometry(problem.reason, problem.location);
  }

  /** Runs a write; the database's own geometry check (trigger) becomes INVALID_GEOMETRY too. */
  private async write<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const match = /invalid geometry: ([^\n"]+)/.exec(message);
      if (match) throw invalidGeometry(match[1]!.trim(), null);
      throw error;
    }
  }
}

function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `geofence ${id} not found`);
}

function invalidGeometry(reason: string, location: [number, number] | null): ApiError {
  const where = location ? ` at [${location[0]}, ${location[1]}] (lng, lat)` : '';
  return new ApiError('INVALID_GEOMETRY', `geometry: invalid geometry: ${reason}${where}`, 'geometry');
}

/** The kind's own settings, stored in `options`. */
function kindOptions(input: GeofenceInput): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const field of KIND_FIELD_NAMES) if (input.properties[field] !== undefined) options[field] = input.properties[field];
  return options;
}

function toOptions(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function toDto(row: sql.GeofenceRow): GeofenceDto {
  const circle = row.radiusM !== null && row.centerLng !== null && row.centerLat !== null;
  const geometry: GeofenceDtoGeometry = circle
    ? { type: 'Point', coordinates: [row.centerLng!, row.centerLat!] }
    : (JSON.parse(row.geometry) as GeofenceDtoGeometry);
  return {
    type: 'Feature',
    id: row.id,
    geometry,
    properties: {
      name: row.name,
      type: row.type,
      kind: row.kind as GeofenceKind,
      ...(circle ? { radius: row.radiusM! } : {}),
      alertOnEntry: row.alertOnEntry,
      alertOnExit: row.alertOnExit,
      severity: row.severity,
      hysteresisMeters: row.hysteresisM,
      dwellSeconds: row.dwellS,
      maxAccuracyMeters: row.maxAccuracyM,
      ...pickKindFields(toOptions(row.options)),
      areaM2: row.areaM2,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
  };
}

function pickKindFields(options: Record<string, unknown>): Partial<GeofenceInputProperties> {
  const picked: Record<string, unknown> = {};
  for (const field of KIND_FIELD_NAMES) if (options[field] !== undefined) picked[field] = options[field];
  return picked as Partial<GeofenceInputProperties>;
}

function toEventDto(row: sql.GeofenceEventRow): GeofenceEventDto {
  return {
    id: String(row.id),
    type: row.type,
    geofenceId: row.geofenceId,
    vehicleId: row.vehicleId,
    at: row.at.toISOString(),
    position: { lng: row.lng, lat: row.lat },
    ...(row.etaS === null ? {} : { etaSeconds: row.etaS }),
    ...(row.confidence === null ? {} : { confidence: row.confidence }),
    createdAt: row.createdAt.toISOString(),
  };
}
