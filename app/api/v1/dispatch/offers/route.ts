import { authenticate, route } from '@/server/http/route';

/** The calling driver's open offers (the driver page on load; live ones arrive as `dispatch:offer`). */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, ['driver', 'admin', 'manager']);
  return Response.json(await ctx.services.dispatch.myOffers(principal));
});
