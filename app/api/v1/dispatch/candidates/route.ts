import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** Candidates for a request not yet made (same body as creating one): the console's preview. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.dispatch.preview(principal, await jsonBody(ctx, z.unknown())));
});
