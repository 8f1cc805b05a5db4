import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ trip: await ctx.services.trips.get(principal, uuidParam(ctx.params.id, 'trip')) });
});
