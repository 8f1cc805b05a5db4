import { authenticate, FLEET_READERS, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json({ event: await ctx.services.events.get(principal, uuidParam(ctx.params.id, 'event')) });
});
