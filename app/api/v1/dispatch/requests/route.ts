import { authenticate, FLEET_READERS, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** Dispatch requests of the caller's tenant: `?status=QUEUED,OFFERED&open=true&limit=` (open: by priority, then age). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.dispatch.list(principal, query));
});

/** A service, emergency or scheduled request (admin, manager); decided by the scheduler at once or when due. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  const request = await ctx.services.dispatch.create(principal, await jsonBody(ctx, z.unknown()));
  return Response.json({ request }, { status: 201 });
});
