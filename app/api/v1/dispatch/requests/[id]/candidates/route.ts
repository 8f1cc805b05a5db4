import { authenticate, FLEET_READERS, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** The request's candidates as the engine scores them now: factors, score, ETA, or why excluded. */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(await ctx.services.dispatch.candidates(principal, uuidParam(ctx.params.id, 'dispatch request')));
});
