import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's driving settings: which events alert, threshold overrides, score weights (admin, manager). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ settings: ctx.services.driving.getSettings(principal) });
});

/** Replaces the tenant's driving settings (admin). */
export const PUT = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ settings: await ctx.services.driving.putSettings(principal, await jsonBody(ctx, z.unknown())) });
});
