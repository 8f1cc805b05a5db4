import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** The offered driver accepts (or a dispatcher for them): the trip is created. */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager', 'driver']);
  return Response.json({ request: await ctx.services.dispatch.accept(principal, uuidParam(ctx.params.id, 'dispatch request')) });
});
