import { authenticate, jsonBody, route } from '@/server/http/route';
import { createVehicleRequest } from '@/server/protocol/vehicles';

export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ vehicles: await ctx.services.vehicles.list(principal) });
});

export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const input = await jsonBody(ctx, createVehicleRequest);
  return Response.json({ vehicle: await ctx.services.vehicles.create(principal, input) }, { status: 201 });
});
