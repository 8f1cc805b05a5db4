import { optionalJsonBody } from '@/server/dispatch/http';
import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** `{reason?}` → the request, CANCELLED (an open offer is withdrawn from the driver). */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json({ request: await ctx.services.dispatch.cancel(principal, uuidParam(ctx.params.id, 'dispatch request'), await optionalJsonBody(ctx)) });
});
