import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { receptionRequest } from '@/server/protocol/users';

/** One vehicle's reception switch. */
export const PUT = route<{ id: string }>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'vehicle');
  const { enabled } = await jsonBody(ctx, receptionRequest);
  const vehicle = await ctx.services.vehicles.update(principal, id, { receptionEnabled: enabled });
  return Response.json({ enabled: vehicle.receptionEnabled });
});
