import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's webhooks (admins), each with its newest delivery; never their secrets. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  return Response.json({ webhooks: await ctx.services.webhooks.list(principal) });
});

/** `{url, types?, active?, description?}` (admins) → 201 `{webhook}` with its `secret`, shown this once. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  return Response.json({ webhook: await ctx.services.webhooks.create(principal, await jsonBody(ctx, z.unknown())) }, { status: 201 });
});
