import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/** The k vehicles nearest to a point, nearest first: `?lng=&lat=[&k=]`. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.spatial.nearest(principal, query));
});
