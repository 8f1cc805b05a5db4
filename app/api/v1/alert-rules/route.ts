import { authenticate, FLEET_READERS, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's alert rules (defaults until changed) and whether the server applies them (ALERT_POLICY). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(ctx.services.alerts.policy.rules(principal));
});

/** Replaces the tenant's alert rules (admin, manager): `{rules, quietHours, flood}` → as saved. */
export const PUT = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.alerts.policy.saveRules(principal, await jsonBody(ctx, z.unknown())));
});
