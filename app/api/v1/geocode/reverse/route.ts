import { authenticate, route } from '@/server/http/route';

/** What is at a point: `?lng=…&lat=…` → the nearest address (50 m) and street with its bearing (any role). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(ctx.services.geocoders.reverse(principal, query));
});
