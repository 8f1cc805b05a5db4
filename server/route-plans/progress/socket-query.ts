import type { Principal } from '../../auth/tokens';
import { ApiError, validationError, type ApiErrorBody } from '../../protocol/errors';
import { routeStatusQuery, type RouteStatusResponse } from '../../protocol/route-progress';

/**
 * The /fleet `query {type: "route_status", routeId}`: the same answer as
 * GET /api/v1/routes/:id/status, or `{error}`; never throws.
 */
export function routeStatusQueryHandler(status: (principal: Principal, routeId: string) => Promise<RouteStatusResponse>, onUnexpected: (error: unknown) => void) {
  return async (principal: Principal, payload: unknown): Promise<RouteStatusResponse | ApiErrorBody> => {
    try {
      const parsed = routeStatusQuery.safeParse(payload);
      if (!parsed.success) throw validationError(parsed.error);
      return await status(principal, parsed.data.routeId);
    } catch (error) {
      if (error instanceof ApiError) return error.toBody();
      onUnexpected(error);
      return new ApiError('INTERNAL', 'internal error').toBody();
    }
  };
}
