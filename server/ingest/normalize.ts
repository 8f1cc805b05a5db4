import type { Principal } from '../auth/tokens';
import { ApiError, validationError } from '../protocol/errors';
import { positionInput, timestampMs, type Position, type RejectedPosition } from '../protocol/position';
import type { RegisteredVehicle, VehicleRegistry } from '../vehicles/registry';

/** Who sends positions: a device bound to one vehicle, or a signed-in user. */
export type Sender = { kind: 'device'; vehicleId: string } | { kind: 'user'; principal: Principal };

export interface Normalized {
  positions: Position[];
  /** Index in the input of each accepted position, in the same order as `positions`. */
  indexes: number[];
  rejected: RejectedPosition[];
}

/**
 * Validates raw inputs and binds each to a vehicle the sender may report for. Never throws for
 * one bad item: each refusal is reported with its index, code, message and field.
 */
export function normalizePositions(
  inputs: readonly unknown[],
  sender: Sender,
  registry: VehicleRegistry,
  now = Date.now(),
): Normalized {
  const result: Normalized = { positions: [], indexes: [], rejected: [] };
  inputs.forEach((input, index) => {
    try {
      result.positions.push(normalizeOne(input, sender, registry, now));
      result.indexes.push(index);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      result.rejected.push({ index, code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });
    }
  });
  return result;
}

function normalizeOne(input: unknown, sender: Sender, registry: VehicleRegistry, now: number): Position {
  const parsed = positionInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const p = parsed.data;
  const ts = timestampMs(p.timestamp, now);
  if (typeof ts === 'string') throw new ApiError('VALIDATION_ERROR', ts, 'timestamp');

  const vehicle = resolveVehicle(p.vehicleId, sender, registry);
  return {
    tenantId: vehicle.tenantId,
    vehicleId: vehicle.id,
    lat: p.lat,
    lng: p.lng,
    ts,
    speed: p.speed ?? null,
    heading: p.heading ?? null,
    accuracy: p.accuracy ?? null,
    altitude: p.altitude ?? null,
    battery: p.battery ?? null,
    attributes: p.attributes ?? null,
    accel: p.accelerometer ?? null,
    gyro: p.gyroscope ?? null,
  };
}

function resolveVehicle(vehicleId: string | undefined, sender: Sender, registry: VehicleRegistry): RegisteredVehicle {
  if (sender.kind === 'device') {
    // Looked up on every position: reception toggles, deletion and token changes apply at once.
    const own = registry.get(sender.vehicleId);
    if (!own) throw new ApiError('UNAUTHORIZED', 'this device’s vehicle no longer exists');
    if (vehicleId && vehicleId !== own.id) {
      throw new ApiError('FORBIDDEN', 'a device token may report for its own vehicle only', 'vehicleId');
    }
    return own;
  }
  const { principal } = sender;
  if (principal.role === 'driver') {
    const own = registry.byDriver(principal.tenantId, principal.userId);
    if (!own) throw new ApiError('FORBIDDEN', 'no vehicle is assigned to this driver');
    if (vehicleId && vehicleId !== own.id) {
      throw new ApiError('FORBIDDEN', 'a driver may report for the assigned vehicle only', 'vehicleId');
    }
    return own;
  }
  if (principal.role !== 'admin' && principal.role !== 'manager') {
    throw new ApiError('FORBIDDEN', `role ${principal.role} may not send positions`);
  }
  if (!vehicleId) throw new ApiError('VALIDATION_ERROR', 'vehicleId: is required for a user token', 'vehicleId');
  const vehicle = registry.inTenant(principal.tenantId, vehicleId);
  if (!vehicle) throw new ApiError('NOT_FOUND', `vehicle ${vehicleId} not found`, 'vehicleId');
  return vehicle;
}
