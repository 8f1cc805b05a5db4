import type { TokenService } from '../auth/tokens';
import { ApiError, type ErrorCode } from '../protocol/errors';
import type { Position, PositionsAck, RejectedPosition } from '../protocol/position';
import type { TenantRegistry } from '../tenants/registry';
import type { RegisteredVehicle, VehicleRegistry } from '../vehicles/registry';
import type { WayIn } from '../telemetry/metrics';
import type { LanedBatcher } from './lanes';
import { normalizePositions, type Sender } from './normalize';
import type { VehicleRateLimiter } from './rate-limiter';

export const MAX_POSITIONS_PER_REQUEST = 1000;

/** Counters of what the ways in received, process-wide (for metrics) and refusals by reception per tenant. */
export class IngestStats {
  accepted = 0;
  readonly rejected = new Map<ErrorCode | string, number>();
  /** Accepted positions per way in (read by /metrics). */
  readonly acceptedByWay = new Map<string, number>();
  /** Rejected positions per way in, then per code (read by /metrics). */
  readonly rejectedByWay = new Map<string, Map<string, number>>();
  private readonly receptionRefused = new Map<string, number>();

  /** One submission's outcome (counted per submission, not per position). */
  count(way: WayIn, accepted: number, rejected: readonly RejectedPosition[]): void {
    this.accepted += accepted;
    if (accepted > 0) this.acceptedByWay.set(way, (this.acceptedByWay.get(way) ?? 0) + accepted);
    if (rejected.length === 0) return;
    let codes = this.rejectedByWay.get(way);
    if (!codes) this.rejectedByWay.set(way, (codes = new Map()));
    for (const r of rejected) {
      this.rejected.set(r.code, (this.rejected.get(r.code) ?? 0) + 1);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
    }
  }

  countReceptionRefused(tenantId: string): void {
    this.receptionRefused.set(tenantId, (this.receptionRefused.get(tenantId) ?? 0) + 1);
  }

  /** Positions of this tenant refused because reception was off, since the server started. */
  receptionRefusedFor(tenantId: string): number {
    return this.receptionRefused.get(tenantId) ?? 0;
  }

  toJSON(): { accepted: number; rejected: Record<string, number> } {
    return { accepted: this.accepted, rejected: Object.fromEntries(this.rejected) };
  }
}

/**
 * The one pipeline entrance every way in (Socket.IO, REST, OsmAnd, OwnTracks) uses: validate and
 * bind to a vehicle, admit (reception switches, live rate limit), queue, and answer once the batch
 * holding the accepted positions has committed.
 */
export class IngestService {
  readonly stats = new IngestStats();

  constructor(
    private readonly deps: {
      registry: VehicleRegistry;
      tenants: TenantRegistry;
      limiter: VehicleRateLimiter;
      batcher: Pick<LanedBatcher, 'submit'>;
      tokens: TokenService;
    },
  ) {}

  /** `way`: how the positions came (socket, rest, osmand, owntracks), a label of the ingest metrics. */
  async submit(inputs: readonly unknown[], sender: Sender, way: WayIn, now = Date.now()): Promise<PositionsAck> {
    const normalized = normalizePositions(inputs, sender, this.deps.registry, now);
    const rejected = [...normalized.rejected];
    const admitted: Position[] = [];
    const admittedIndexes: number[] = [];
    normalized.positions.forEach((position, i) => {
      const index = normalized.indexes[i]!;
      const refusal = this.admit(position, now);
      if (refusal?.code === 'RECEPTION_DISABLED') this.stats.countReceptionRefused(position.tenantId);
      if (refusal) rejected.push({ index, code: refusal.code, message: refusal.message });
      else {
        admitted.push(position);
        admittedIndexes.push(index);
      }
    });

    try {
      await this.deps.batcher.submit(admitted);
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('UNAVAILABLE', 'could not store positions');
      rejected.push(...admittedIndexes.map((index) => ({ index, code: apiError.code, message: apiError.message })));
      admitted.length = 0;
    }
    rejected.sort((a, b) => a.index - b.index);
    this.stats.count(way, admitted.length, rejected);
    return { accepted: admitted.length, rejected };
  }

  /** The vehicle a device identifies itself as: by device token, else by a device id unique across tenants. */
  deviceByIdentifier(identifier: string): RegisteredVehicle {
    const byToken = this.deps.registry.byDeviceToken(identifier);
    if (byToken) return byToken;
    const matches = this.deps.registry.byDeviceId(identifier);
    if (matches.length === 0) throw new ApiError('NOT_FOUND', `no vehicle has device identifier ${identifier}`, 'id');
    if (matches.length > 1) {
      throw new ApiError('CONFLICT', `device identifier ${identifier} is used in several tenants; configure the device with its device token as id`, 'id');
    }
    return matches[0]!;
  }

  /**
   * The sender a bearer token stands for (Socket.IO /driver, REST): a device token binds to its
   * vehicle; otherwise a JWT of an admin, manager or driver. Viewers may not send positions.
   */
  async senderForToken(token: string | null | undefined): Promise<Sender> {
    if (typeof token !== 'string' || token.length === 0) throw new ApiError('UNAUTHORIZED', 'a device token or user token is required');
    const vehicle = this.deps.registry.byDeviceToken(token);
    if (vehicle) return { kind: 'device', vehicleId: vehicle.id };
    const principal = await this.deps.tokens.verify(token);
    if (principal.role === 'viewer') throw new ApiError('FORBIDDEN', 'viewers may not send positions');
    return { kind: 'user', principal };
  }

  /** The vehicle of a device identifier + device token pair (OwnTracks HTTP Basic auth); else UNAUTHORIZED. */
  deviceByCredentials(deviceId: string, deviceToken: string): RegisteredVehicle {
    const vehicle = deviceToken ? this.deps.registry.byDeviceToken(deviceToken) : undefined;
    if (!vehicle || vehicle.deviceId !== deviceId) throw new ApiError('UNAUTHORIZED', 'unknown device identifier or wrong device token');
    return vehicle;
  }

  private admit(position: Position, now: number): ApiError | null {
    const tenant = this.deps.tenants.get(position.tenantId);
    if (!tenant.receptionEnabled) return new ApiError('RECEPTION_DISABLED', 'position reception is disabled for this tenant');
    const vehicle = this.deps.registry.get(position.vehicleId);
    if (!vehicle?.receptionEnabled) return new ApiError('RECEPTION_DISABLED', `position reception is disabled for vehicle ${position.vehicleId}`);
    if (!this.deps.limiter.allow(position.vehicleId, position.ts, tenant.vehicleRateLimit, now)) {
      return new ApiError('RATE_LIMITED', `more than ${tenant.vehicleRateLimit} live position(s) per second for this vehicle`);
    }
    return null;
  }
}

/** HTTP status for a REST/OsmAnd answer: 200 when anything was accepted, else the refusal's status. */
export function ackStatus(ack: PositionsAck): { status: number; retryAfter?: string } {
  if (ack.accepted > 0 || ack.rejected.length === 0) return { status: 200 };
  const codes = new Set(ack.rejected.map((r) => r.code));
  if (codes.size === 1 && codes.has('RECEPTION_DISABLED')) return { status: 503, retryAfter: '60' };
  if (codes.size === 1 && codes.has('UNAVAILABLE')) return { status: 503, retryAfter: '5' };
  if (codes.size === 1 && codes.has('RATE_LIMITED')) return { status: 429, retryAfter: '1' };
  if (codes.has('NOT_FOUND')) return { status: 404 };
  if (codes.has('FORBIDDEN')) return { status: 403 };
  return { status: 400 };
}
