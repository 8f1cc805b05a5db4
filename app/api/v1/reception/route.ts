import { authenticate, jsonBody, route } from '@/server/http/route';
import { receptionRequest } from '@/server/protocol/users';

/** The tenant-wide reception switch: when off, every way in refuses positions with 503. */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  const tenant = await ctx.services.tenants.get(principal);
  return Response.json({ enabled: tenant.receptionEnabled, refused: ctx.services.ingest.stats.receptionRefusedFor(principal.tenantId) });
});

export const PUT = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const { enabled } = await jsonBody(ctx, receptionRequest);
  const tenant = await ctx.services.tenants.update(principal, { receptionEnabled: enabled });
  return Response.json({ enabled: tenant.receptionEnabled });
});
