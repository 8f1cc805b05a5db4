import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { updateVehicleRequest } from '@/server/protocol/vehicles';

type Params = { id: string };

export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ vehicle: await ctx.services.vehicles.get(principal, uuidParam(ctx.params.id, 'vehicle')) });
});

export const PATCH = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  const id = uuidParam(ctx.params.id, 'vehicle');
  const input = await jsonBody(ctx, updateVehicleRequest);
  return Response.json({ vehicle: await ctx.services.vehicles.update(principal, id, input) });
});

export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  await ctx.services.vehicles.remove(principal, uuidParam(ctx.params.id, 'vehicle'));
  return new Response(null, { status: 204 });
});
