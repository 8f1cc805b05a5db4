import { randomBytes, randomUUID } from 'node:crypto';
import type { Prisma } from '../db/database';
import type { EventLog } from '../events/log';
import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import { ApiError } from '../protocol/errors';
import type { CreateVehicleRequest, UpdateVehicleRequest, VehicleDto } from '../protocol/vehicles';
import type { VehicleLive } from '../protocol/fleet';
import { fleetSnapshot } from '../db/sql/vehicle-states';
import { Audit, changesOf, withoutSecrets } from '../events/audit';
import type { VehicleRegistry } from './registry';
import { validateVehicleCsv } from './csv-import';

const EDITORS = ['admin', 'manager'] as const;

export function newDeviceToken(): string {
  return randomBytes(24).toString('base64url');
}

type VehicleRow = {
  id: string;
  tenantId: string;
  name: string;
  plate: string | null;
  type: string;
  deviceId: string;
  deviceToken: string;
  driverId: string | null;
  receptionEnabled: boolean;
  attributes: unknown;
  groupName: string | null;
  createdAt: Date;
};

/** Told about every change to a vehicle's facts (live dashboards; attributes for alert speed limits). */
export interface VehicleListener {
  vehicleChanged(tenantId: string, info: { id: string; name: string; plate: string | null; type: string; attributes: Record<string, unknown> }): void;
  vehicleRemoved(tenantId: string, id: string): void;
  /** The vehicle's device token was replaced: connections made with the old one must end. */
  deviceTokenRotated?(id: string): void;
}

/** A vehicle as its events carry it: its own fields, not its tenant, creation time or device token. */
export function auditedVehicle(row: VehicleRow): Record<string, unknown> {
  const { id: _id, tenantId: _t, createdAt: _c, ...fields } = row;
  return withoutSecrets(fields);
}

/**
 * Vehicles of the caller's tenant: every read and write is scoped by principal.tenantId. Every
 * change is appended to the event log in its own transaction (vehicle.created / .updated /
 * .deleted; the reception switch as the tenant's reception.changed).
 */
export class VehicleService {
  constructor(
    private readonly prisma: Prisma,
    private readonly registry: VehicleRegistry,
    private readonly events: EventLog,
    private readonly listener?: VehicleListener,
  ) {}

  /** Fills the registry from the database (start-up). */
  async loadRegistry(): Promise<void> {
    const rows = await this.prisma.vehicle.findMany({
      select: { id: true, tenantId: true, deviceId: true, deviceToken: true, driverId: true, receptionEnabled: true, type: true, attributes: true, groupName: true },
    });
    for (const row of rows) this.registry.set(row);
  }

  /** The tenant's vehicles; a driver sees only the vehicle assigned to them. */
  async list(principal: Principal): Promise<VehicleDto[]> {
    const own = principal.role === 'driver' ? { driverId: principal.userId } : {};
    const [rows, states] = await Promise.all([
      this.prisma.vehicle.findMany({ where: { tenantId: principal.tenantId, ...own }, orderBy: { name: 'asc' } }),
      fleetSnapshot(this.prisma, principal.tenantId),
    ]);
    const live = new Map(states.map((s) => [s.id, s.live]));
    return rows.map((row) => this.toDto(principal, row, live.get(row.id) ?? null));
  }

  async get(principal: Principal, id: string): Promise<VehicleDto> {
    const row = await this.findInTenant(principal, id);
    const [state] = await fleetSnapshot(this.prisma, principal.tenantId, id);
    return this.toDto(principal, row, state?.live ?? null);
  }

  async create(principal: Principal, input: CreateVehicleRequest): Promise<VehicleDto> {
    const [created] = await this.createMany(principal, [input]);
    return created!;
  }

  /** Creates vehicles all or nothing (one transaction); a device id used twice is CONFLICT. */
  async createMany(principal: Principal, inputs: readonly CreateVehicleRequest[]): Promise<VehicleDto[]> {
    requireRole(principal, ['admin'], 'create vehicles');
    const drivers = inputs.map((i) => i.driverId).filter((d): d is string => Boolean(d));
    const twice = drivers.find((d, i) => drivers.indexOf(d) !== i);
    if (twice) throw new ApiError('CONFLICT', `driverId: driver ${twice} is given to two vehicles; a driver drives one vehicle`, 'driverId');
    for (const driverId of new Set(drivers)) await this.assertDriverFree(principal, driverId);
    const audit = new Audit(principal);
    const { tenantId } = principal;
    // Ids made here tie each returned row to its input whatever order RETURNING gives them in.
    const data = inputs.map((input) => ({
      id: randomUUID(),
      tenantId,
      name: input.name,
      plate: input.plate ?? null,
      type: input.type,
      deviceId: input.deviceId,
      deviceToken: newDeviceToken(),
      driverId: input.driverId ?? null,
      receptionEnabled: input.receptionEnabled,
      attributes: input.attributes as object,
      groupName: input.groupName ?? null,
    }));
    // Set-based (two inserts and one append for up to 1000 vehicles), inside one transaction.
    const rows = await this.unique(() =>
      this.events.transact(async (tx, emit) => {
        const created = new Map((await tx.vehicle.createManyAndReturn({ data })).map((row) => [row.id, row]));
        await tx.vehicleState.createMany({ data: data.map((v) => ({ vehicleId: v.id, tenantId })) });
        const rows = data.map((v) => created.get(v.id)!);
        emit(...rows.map((row) => audit.event('vehicle.created', row.id, { name: row.name, after: auditedVehicle(row) })));
        return rows;
      }),
    );
    for (const row of rows) {
      this.registry.set(row);
      this.listener?.vehicleChanged(row.tenantId, { id: row.id, name: row.name, plate: row.plate, type: row.type, attributes: (row.attributes ?? {}) as Record<string, unknown> });
    }
    return rows.map((row) => this.toDto(principal, row, null));
  }

  async update(principal: Principal, id: string, input: UpdateVehicleRequest): Promise<VehicleDto> {
    requireRole(principal, EDITORS, 'change vehicles');
    await this.findInTenant(principal, id);
    if (input.driverId) await this.assertDriverFree(principal, input.driverId, id);
    const { attributes, ...rest } = input;
    const audit = new Audit(principal);
    const row = await this.unique(() =>
      this.events.transact(async (tx, emit) => {
        // Locked, so `before` is what this update replaces even when two admins edit at once.
        await tx.$queryRaw`SELECT id FROM vehicles WHERE id = ${id}::uuid FOR UPDATE`;
        const before = await tx.vehicle.findUnique({ where: { id } });
        if (!before) throw new ApiError('NOT_FOUND', `vehicle ${id} not found`); // deleted meanwhile
        const after = await tx.vehicle.update({ where: { id }, data: { ...rest, ...(attributes ? { attributes: attributes as object } : {}) } });
        const { receptionEnabled, ...changes } = changesOf(auditedVehicle(before), auditedVehicle(after));
        // The reception switch is the tenant's reception.changed wherever it is flipped.
        if (receptionEnabled) emit(audit.event('reception.changed', principal.tenantId, { vehicleId: id, enabled: after.receptionEnabled }));
        if (Object.keys(changes).length > 0) emit(audit.event('vehicle.updated', id, { name: after.name, changes }));
        return after;
      }),
    );
    this.registry.set(row);
    this.listener?.vehicleChanged(row.tenantId, { id: row.id, name: row.name, plate: row.plate, type: row.type, attributes: (row.attributes ?? {}) as Record<string, unknown> });
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireRole(principal, ['admin'], 'delete vehicles');
    await this.findInTenant(principal, id);
    const audit = new Audit(principal);
    await this.events.transact(async (tx, emit) => {
      const before = await tx.vehicle.delete({ where: { id } });
      emit(audit.event('vehicle.deleted', id, { name: before.name, before: auditedVehicle(before) }));
    });
    this.registry.delete(id);
    this.listener?.vehicleRemoved(principal.tenantId, id);
  }

  /**
   * A new device token for the vehicle (admins): the old one stops working at once (the registry
   * binds tokens to vehicles). Recorded as vehicle.token_rotated — never the token itself.
   */
  async rotateDeviceToken(principal: Principal, id: string): Promise<string> {
    requireRole(principal, ['admin'], 'rotate device tokens');
    await this.findInTenant(principal, id);
    const audit = new Audit(principal);
    const deviceToken = newDeviceToken();
    const row = await this.events.transact(async (tx, emit) => {
      const row = await tx.vehicle.update({ where: { id }, data: { deviceToken } });
      emit(audit.event('vehicle.token_rotated', id, { name: row.name }));
      return row;
    });
    this.registry.set(row);
    this.listener?.deviceTokenRotated?.(id);
    return deviceToken;
  }

  /**
   * Bulk import from CSV (admins): every row checked first (server/vehicles/csv-import.ts); any
   * bad row refuses the whole file with every error named by row and column, and nothing is
   * written. Otherwise created all or nothing like POST /vehicles with an array.
   */
  async importCsv(principal: Principal, text: string): Promise<VehicleDto[]> {
    requireRole(principal, ['admin'], 'import vehicles');
    const { tenantId } = principal;
    const [drivers, vehicles] = await Promise.all([
      this.prisma.user.findMany({ where: { tenantId, role: 'driver' }, select: { id: true, email: true } }),
      this.prisma.vehicle.findMany({ where: { tenantId }, select: { name: true, deviceId: true, driverId: true } }),
    ]);
    const result = validateVehicleCsv(text, {
      drivers: new Map(drivers.map((d) => [d.email.toLowerCase(), d.id])),
      assignedDrivers: new Map(vehicles.filter((v) => v.driverId).map((v) => [v.driverId!, v.name])),
      deviceIds: new Set(vehicles.map((v) => v.deviceId)),
    });
    if (!result.ok) {
      const first = result.errors[0]!;
      const rows = new Set(result.errors.map((e) => e.row)).size;
      throw new ApiError(
        'VALIDATION_ERROR',
        `${rows === 1 ? 'One row has' : `${rows} rows have`} errors; nothing was imported. Row ${first.row}, ${first.column}: ${first.message}`,
        first.column,
        { errors: result.errors },
      );
    }
    return this.createMany(principal, result.vehicles);
  }

  /** The vehicle in the caller's tenant; for a driver, only their own (others are NOT_FOUND). */
  private async findInTenant(principal: Principal, id: string): Promise<VehicleRow> {
    const own = principal.role === 'driver' ? { driverId: principal.userId } : {};
    const row = await this.prisma.vehicle.findFirst({ where: { id, tenantId: principal.tenantId, ...own } });
    if (!row) throw new ApiError('NOT_FOUND', `vehicle ${id} not found`);
    return row;
  }

  /**
   * The driver exists in the tenant and drives no other vehicle: a driver's phone reports for
   * exactly one vehicle (the /driver page and socket find it by driver), so two would be ambiguous.
   */
  private async assertDriverFree(principal: Principal, driverId: string, vehicleId?: string): Promise<void> {
    const driver = await this.prisma.user.findFirst({ where: { id: driverId, tenantId: principal.tenantId, role: 'driver' } });
    if (!driver) throw new ApiError('VALIDATION_ERROR', `driverId: no driver ${driverId} in this tenant`, 'driverId');
    const other = await this.prisma.vehicle.findFirst({ where: { driverId, tenantId: principal.tenantId, ...(vehicleId ? { NOT: { id: vehicleId } } : {}) }, select: { name: true } });
    if (other) throw new ApiError('CONFLICT', `driverId: driver ${driverId} already drives ${other.name}; unassign it there first`, 'driverId');
  }

  /** Runs a write, turning a unique-constraint violation on the device id into CONFLICT. */
  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') {
        throw new ApiError('CONFLICT', 'another vehicle of this tenant already uses this deviceId', 'deviceId');
      }
      throw error;
    }
  }

  private toDto(principal: Principal, row: VehicleRow, live: VehicleLive | null): VehicleDto {
    return {
      id: row.id,
      name: row.name,
      plate: row.plate,
      type: row.type,
      deviceId: row.deviceId,
      ...(principal.role === 'admin' ? { deviceToken: row.deviceToken } : {}),
      driverId: row.driverId,
      receptionEnabled: row.receptionEnabled,
      attributes: (row.attributes ?? {}) as Record<string, unknown>,
      groupName: row.groupName,
      createdAt: row.createdAt.toISOString(),
      state: live
        ? { lng: live.lng, lat: live.lat, speed: live.speed, heading: live.heading, battery: live.battery, ts: new Date(live.ts).toISOString() }
        : null,
    };
  }
}
