import { authenticate, FLEET_READERS, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's snoozes still running, soonest end first. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(await ctx.services.alerts.policy.listSnoozes(principal));
});

/** Snoozes the alerts of a fence or of a type (admin, manager): `{geofenceId | type, minutes}` → 201 `{snooze}`. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.alerts.policy.snooze(principal, await jsonBody(ctx, z.unknown())), { status: 201 });
});
