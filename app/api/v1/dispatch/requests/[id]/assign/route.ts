import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

/** `{vehicleId, reason?}`: a dispatcher offers the request to that vehicle (an override of the recommendation is audited). */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json({ request: await ctx.services.dispatch.assign(principal, uuidParam(ctx.params.id, 'dispatch request'), await jsonBody(ctx, z.unknown())) });
});
