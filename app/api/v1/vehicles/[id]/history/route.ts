import { authenticate, FLEET_READERS, route } from '@/server/http/route';

type Params = { id: string };

/** One vehicle's positions with from ≤ ts < to as GeoJSON: `?from=ISO&to=ISO[&limit=]`. */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.spatial.history(principal, ctx.params.id, query), {
    headers: { 'content-type': 'application/geo+json' },
  });
});
