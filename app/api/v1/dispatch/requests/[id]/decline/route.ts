import { optionalJsonBody } from '@/server/dispatch/http';
import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** `{reason?}`: the offered driver declines; the request goes to the next candidate. */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager', 'driver']);
  return Response.json({ request: await ctx.services.dispatch.decline(principal, uuidParam(ctx.params.id, 'dispatch request'), await optionalJsonBody(ctx)) });
});
