import { authenticate, FLEET_READERS, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';

const query = (request: Request) => Object.fromEntries(new URL(request.url).searchParams);

/**
 * The caller's tenant's alerts, newest first, with unread counts per severity (everyone in the
 * tenant): `?severity&type&read&acknowledged&vehicleId&geofenceId&from&to&limit`.
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(await ctx.services.alerts.list(principal, query(ctx.request)));
});

/**
 * Marks alerts read or acknowledged (admin, manager): body `{ids: [...] | "all", read?: true,
 * acknowledged?: true}`; the query-string filters of GET (no limit) narrow the target. → `{ids}` changed.
 */
export const PATCH = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.alerts.updateMany(principal, query(ctx.request), await jsonBody(ctx, z.unknown())));
});

/** Deletes alerts (admin, manager): body `{ids: [...] | "all"}`, narrowed by the filters. → `{ids}` deleted. */
export const DELETE = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.alerts.removeMany(principal, query(ctx.request), await jsonBody(ctx, z.unknown())));
});
