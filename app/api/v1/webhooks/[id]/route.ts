import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  return Response.json({ webhook: await ctx.services.webhooks.get(principal, uuidParam(ctx.params.id, 'webhook')) });
});

/** Any of `{url, types, active, description}` (admins) → `{webhook}` as it is now. */
export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'webhook');
  return Response.json({ webhook: await ctx.services.webhooks.update(principal, id, await jsonBody(ctx, z.unknown())) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  await ctx.services.webhooks.remove(principal, uuidParam(ctx.params.id, 'webhook'));
  return new Response(null, { status: 204 });
});
