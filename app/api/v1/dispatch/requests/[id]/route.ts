import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** One request (drivers: only one offered to or assigned to their vehicle). */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ request: await ctx.services.dispatch.get(principal, uuidParam(ctx.params.id, 'dispatch request')) });
});
