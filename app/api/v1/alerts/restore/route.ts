import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/**
 * Undo a delete (admin, manager): body `{ids: [...]}` of alerts deleted less than
 * ALERT_UNDO_SECONDS ago → `{alerts}` as they are again. All or nothing (CONFLICT names the id).
 */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.alerts.restore(principal, await jsonBody(ctx, z.unknown())));
});
