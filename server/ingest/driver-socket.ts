import type { Namespace, Socket } from 'socket.io';
import type { Logger } from '../log';
import type { ConnectionLimiter, ConnectionQuota } from '../realtime/connection-limits';
import { ApiError } from '../protocol/errors';
import type { PositionsAck } from '../protocol/position';
import { MAX_POSITIONS_PER_REQUEST, type IngestService } from './ingest-service';
import type { Sender } from './normalize';

type Ack = (ack: PositionsAck) => void;

/**
 * Socket.IO namespace /driver: devices (device token) and users (JWT) send `position` (one
 * object) and `positions` (array ≤ 1000); the acknowledgement comes once the batch holding
 * them has committed.
 */
export function attachDriverNamespace(
  nsp: Namespace,
  deps: { ingest: IngestService; log: Logger; limits?: DriverLimits },
): void {
  nsp.use(async (socket, next) => {
    try {
      const sender = await authenticate(socket, deps.ingest);
      socket.data.sender = sender;
      if (deps.limits) {
        const release = deps.limits.connections.acquire(quotasOf(sender, deps.limits));
        socket.data.release = release;
        socket.on('disconnect', release);
      }
      next();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError('UNAUTHORIZED', 'authentication failed');
      next(Object.assign(new Error(apiError.code), { data: apiError.toBody().error }));
    }
  });

  nsp.on('connection', (socket) => {
    const sender = socket.data.sender as Sender;
    // A recovered session skipped the middleware: it counts again (without a limit check: it was already counted).
    if (socket.recovered && deps.limits) socket.on('disconnect', deps.limits.connections.acquire(quotasOf(sender, deps.limits), false));
    const receive = async (inputs: unknown[], ack: Ack | undefined) => {
      try {
        ack?.(await deps.ingest.submit(inputs, sender, 'socket'));
      } catch (error) {
        deps.log.error({ err: error }, 'position ingestion failed');
        ack?.({ accepted: 0, rejected: inputs.map((_, index) => ({ index, code: 'INTERNAL', message: 'internal error' })) });
      }
    };

    socket.on('position', (payload: unknown, ack?: unknown) => {
      void receive([payload], typeof ack === 'function' ? (ack as Ack) : undefined);
    });
    socket.on('positions', (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as Ack) : undefined;
      if (!Array.isArray(payload) || payload.length > MAX_POSITIONS_PER_REQUEST) {
        reply?.({
          accepted: 0,
          rejected: [{ index: -1, code: 'VALIDATION_ERROR', message: `positions must be an array of at most ${MAX_POSITIONS_PER_REQUEST} positions` }],
        });
        return;
      }
      void receive(payload, reply);
    });
  });
}

/** Connection limits (server/config.ts): per device token or user, and per tenant. */
export interface DriverLimits {
  connections: ConnectionLimiter;
  perDevice: number;
  perTenant: number;
  tenantOf(vehicleId: string): string | undefined;
}

/**
 * A device token and a driver's phone are one sender each: at most `perDevice` sockets. Admins
 * and managers sending for many vehicles (gateways, bench:ingest) are bounded by the tenant only.
 */
function quotasOf(sender: Sender, limits: DriverLimits): ConnectionQuota[] {
  const tenantId = sender.kind === 'device' ? limits.tenantOf(sender.vehicleId) : sender.principal.tenantId;
  const quotas: ConnectionQuota[] = [];
  if (sender.kind === 'device') quotas.push({ key: `device:${sender.vehicleId}`, limit: limits.perDevice, what: 'this device token' });
  else if (sender.principal.role === 'driver') quotas.push({ key: `user:${sender.principal.userId}`, limit: limits.perDevice, what: 'this driver' });
  if (tenantId) quotas.push({ key: `tenant:${tenantId}`, limit: limits.perTenant, what: 'this tenant' });
  return quotas;
}

/** Same rules as every other way in: IngestService.senderForToken. */
async function authenticate(socket: Socket, ingest: IngestService): Promise<Sender> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || token.length === 0) throw new ApiError('UNAUTHORIZED', 'auth.token is required');
  return ingest.senderForToken(token);
}
