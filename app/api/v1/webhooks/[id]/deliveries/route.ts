import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** The webhook's deliveries, newest first (admins): `?limit` (default 50, at most 500). */
export const GET = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json({ deliveries: await ctx.services.webhooks.deliveries(principal, uuidParam(ctx.params.id, 'webhook'), query) });
});
