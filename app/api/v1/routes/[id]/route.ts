import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ route: await ctx.services.routes.get(principal, uuidParam(ctx.params.id, 'route')) });
});

/** Replaces the route with a whole GeoJSON Feature (admin). */
export const PUT = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'route');
  return Response.json({ route: await ctx.services.routes.replace(principal, id, await jsonBody(ctx, z.unknown())) });
});

/** `{geometry?, properties?}` merged over the route (admin). */
export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'route');
  return Response.json({ route: await ctx.services.routes.update(principal, id, await jsonBody(ctx, z.unknown())) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  await ctx.services.routes.remove(principal, uuidParam(ctx.params.id, 'route'));
  return new Response(null, { status: 204 });
});
