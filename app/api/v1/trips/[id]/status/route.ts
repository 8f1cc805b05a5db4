import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

/** `{status}` → the trip in its new state; a move the state machine refuses is 409 naming the allowed ones. */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager', 'driver']);
  const id = uuidParam(ctx.params.id, 'trip');
  return Response.json({ trip: await ctx.services.trips.transition(principal, id, await jsonBody(ctx, z.unknown())) });
});
