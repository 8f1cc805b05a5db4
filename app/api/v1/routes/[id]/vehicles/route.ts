import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { z } from 'zod';

type Params = { id: string };

/** `{vehicleIds}` becomes exactly the vehicles driving this route (admin); answers the route. */
export const PUT = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'route');
  return Response.json({ route: await ctx.services.routes.setVehicles(principal, id, await jsonBody(ctx, z.unknown())) });
});
