import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

/** Trips of the caller's tenant, newest first: `?status&vehicleId&driverId&active&limit` (drivers: their own). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.trips.list(principal, query));
});

/** Creates a PENDING trip `{vehicleId, driverId?, pickup, dropoff, routeId?}` (admin, manager). */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  const trip = await ctx.services.trips.create(principal, await jsonBody(ctx, z.unknown()));
  return Response.json({ trip }, { status: 201 });
});
