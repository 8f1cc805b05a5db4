import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** Routes of the caller's tenant, by name (everyone in the tenant). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ routes: await ctx.services.routes.list(principal) });
});

/** Creates a route from a GeoJSON LineString Feature (admin). */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const created = await ctx.services.routes.create(principal, await jsonBody(ctx, z.unknown()));
  return Response.json({ route: created }, { status: 201 });
});
