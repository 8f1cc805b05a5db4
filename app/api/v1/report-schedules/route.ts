import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's report schedules (admins, managers, viewers) and whether the server can e-mail. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager', 'viewer']);
  return Response.json(await ctx.services.reportSchedules.list(principal));
});

/** `{name, report, cadence, weekday?, hour?, format?, filters?, emails?, active?}` (admins, managers) → 201 `{schedule}`. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json({ schedule: await ctx.services.reportSchedules.create(principal, await jsonBody(ctx, z.unknown())) }, { status: 201 });
});
