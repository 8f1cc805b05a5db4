import { authenticate, FLEET_READERS, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** The tenant's scoring weights (`{standard, emergency}`; the seed's defaults until changed). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json({ settings: await ctx.services.dispatch.getSettings(principal) });
});

/** Replaces the weights (admin). */
export const PUT = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  return Response.json({ settings: await ctx.services.dispatch.putSettings(principal, await jsonBody(ctx, z.unknown())) });
});
