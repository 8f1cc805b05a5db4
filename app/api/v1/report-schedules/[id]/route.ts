import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager', 'viewer']);
  return Response.json({ schedule: await ctx.services.reportSchedules.get(principal, uuidParam(ctx.params.id, 'report schedule')) });
});

/** Any of the schedule's fields (admins, managers) → `{schedule}` as it is now; `active: false` pauses it. */
export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  const id = uuidParam(ctx.params.id, 'report schedule');
  return Response.json({ schedule: await ctx.services.reportSchedules.update(principal, id, await jsonBody(ctx, z.unknown())) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  await ctx.services.reportSchedules.remove(principal, uuidParam(ctx.params.id, 'report schedule'));
  return new Response(null, { status: 204 });
});
