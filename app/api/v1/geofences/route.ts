import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** Fences of the caller's tenant, by name (everyone in the tenant). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ geofences: await ctx.services.geofences.list(principal) });
});

/** Creates a fence from a GeoJSON Feature (admin). */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const geofence = await ctx.services.geofences.create(principal, await jsonBody(ctx, z.unknown()));
  return Response.json({ geofence }, { status: 201 });
});
