import { authenticate, route } from '@/server/http/route';

export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx);
  return Response.json({ user: await ctx.services.auth.me(principal) });
});
