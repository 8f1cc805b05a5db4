import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/** Vehicles within `radius` meters of a point, nearest first: `?lng=&lat=&radius=[&limit=]`. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.spatial.nearby(principal, query));
});
