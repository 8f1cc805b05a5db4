import { authenticate, route } from '@/server/http/route';

/** Address and place search over the tenant's map data: `?q=…[&limit=10][&near=lng,lat]` (any role). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(ctx.services.geocoders.search(principal, query));
});
