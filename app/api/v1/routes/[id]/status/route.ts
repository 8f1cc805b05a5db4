import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** Every vehicle assigned to the route with its progress, status, distance from it and ETA (any role of the tenant). */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json(await ctx.services.routeStatus(principal, uuidParam(ctx.params.id, 'route')));
});
