import type { Socket } from 'socket.io';
import type { Principal } from '../auth/tokens';
import { ApiError, validationError, type ApiErrorBody } from '../protocol/errors';
import { FLEET_EVENTS } from '../protocol/fleet';
import { spatialSocketQuery, type SpatialQueryResult } from '../protocol/spatial';
import type { SpatialService } from './service';

/**
 * The `/fleet` socket `query` event: `{type: 'within' | 'nearby' | 'nearest' | 'history', …}` with
 * the same parameters as the REST endpoints (within: `bbox` ("w,s,e,n" or [w, s, e, n]) or
 * `polygon`; history: `vehicleId`, `from`, `to`). Answers with the REST result object, or
 * `{error: {code, message, field?}}`; never throws.
 */
export async function handleSpatialQuery(
  spatial: SpatialService,
  principal: Principal,
  payload: unknown,
  onUnexpected?: (error: unknown) => void,
): Promise<SpatialQueryResult | ApiErrorBody> {
  try {
    const parsed = spatialSocketQuery.safeParse(payload);
    if (!parsed.success) throw validationError(parsed.error);
    const { type, ...params } = parsed.data;
    switch (type) {
      case 'within': {
        const { bbox, polygon, limit } = params as { bbox?: unknown; polygon?: unknown; limit?: unknown };
        if (bbox !== undefined && polygon !== undefined) throw new ApiError('VALIDATION_ERROR', 'give either bbox or polygon, not both', 'bbox');
        if (polygon !== undefined) return await spatial.withinPolygon(principal, { polygon, ...(limit === undefined ? {} : { limit }) });
        return await spatial.withinBbox(principal, { bbox, limit });
      }
      case 'nearby':
        return await spatial.nearby(principal, params);
      case 'nearest':
        return await spatial.nearest(principal, params);
      case 'history': {
        const { vehicleId, ...range } = params as { vehicleId?: unknown };
        if (typeof vehicleId !== 'string') throw new ApiError('VALIDATION_ERROR', 'vehicleId: must be a vehicle id', 'vehicleId');
        return await spatial.history(principal, vehicleId, range);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) return error.toBody();
    onUnexpected?.(error);
    return new ApiError('INTERNAL', 'internal error').toBody();
  }
}

/** Another capability's answer to a `query` of its own `type` (e.g. route_status). */
export type SocketQueryHandler = (principal: Principal, payload: unknown) => Promise<unknown>;

/**
 * The FleetHub extension answering `query` events on every /fleet socket: the spatial types here,
 * the types in `others` by their handlers.
 */
export function spatialQueryExtension(spatial: SpatialService, onUnexpected: (error: unknown) => void, others: ReadonlyMap<string, SocketQueryHandler> = new Map()) {
  return (socket: Socket, principal: Principal): void => {
    socket.on(FLEET_EVENTS.query, async (payload: unknown, ack?: unknown) => {
      const type = payload && typeof payload === 'object' ? (payload as { type?: unknown }).type : undefined;
      const other = typeof type === 'string' ? others.get(type) : undefined;
      const result = other ? await other(principal, payload) : await handleSpatialQuery(spatial, principal, payload, onUnexpected);
      if (typeof ack === 'function') ack(result);
    });
  };
}
