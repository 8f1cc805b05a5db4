import { authenticate, jsonBody, route } from '@/server/http/route';
import { z } from 'zod';
import { parseOrThrow } from '@/server/protocol/errors';
import { createVehicleList, createVehicleRequest } from '@/server/protocol/vehicles';

export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ vehicles: await ctx.services.vehicles.list(principal) });
});

export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  // One vehicle, or an array created all or nothing (errors name the item: `3.deviceId`).
  const body = await jsonBody(ctx, z.unknown());
  if (Array.isArray(body)) {
    const vehicles = await ctx.services.vehicles.createMany(principal, parseOrThrow(createVehicleList, body));
    return Response.json({ vehicles }, { status: 201 });
  }
  const vehicle = await ctx.services.vehicles.create(principal, parseOrThrow(createVehicleRequest, body));
  return Response.json({ vehicle }, { status: 201 });
});
