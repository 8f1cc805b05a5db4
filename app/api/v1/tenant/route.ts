import { authenticate, jsonBody, route } from '@/server/http/route';
import { updateTenantRequest } from '@/server/protocol/users';

export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ tenant: await ctx.services.tenants.get(principal) });
});

export const PATCH = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const input = await jsonBody(ctx, updateTenantRequest);
  return Response.json({ tenant: await ctx.services.tenants.update(principal, input) });
});
