import { authenticate, FLEET_READERS, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json({ alert: await ctx.services.alerts.get(principal, uuidParam(ctx.params.id, 'alert')) });
});

/** `{read?: true, acknowledged?: true}` (admin, manager) → `{alert}` as it is now. */
export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  const id = uuidParam(ctx.params.id, 'alert');
  return Response.json({ alert: await ctx.services.alerts.update(principal, id, await jsonBody(ctx, z.unknown())) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  await ctx.services.alerts.remove(principal, uuidParam(ctx.params.id, 'alert'));
  return new Response(null, { status: 204 });
});
