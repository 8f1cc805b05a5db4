import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ geofence: await ctx.services.geofences.get(principal, uuidParam(ctx.params.id, 'geofence')) });
});

/** Replaces the fence with a whole GeoJSON Feature (admin). */
export const PUT = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'geofence');
  return Response.json({ geofence: await ctx.services.geofences.replace(principal, id, await jsonBody(ctx, z.unknown())) });
});

/** `{geometry?, properties?}` merged over the fence (admin). */
export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'geofence');
  return Response.json({ geofence: await ctx.services.geofences.update(principal, id, await jsonBody(ctx, z.unknown())) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  await ctx.services.geofences.remove(principal, uuidParam(ctx.params.id, 'geofence'));
  return new Response(null, { status: 204 });
});
