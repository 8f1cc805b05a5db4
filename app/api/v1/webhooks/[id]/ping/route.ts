import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** Delivers a `ping` right away (admins) → `{delivery}` with its outcome (status, response code, ms). */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  return Response.json({ delivery: await ctx.services.webhooks.ping(principal, uuidParam(ctx.params.id, 'webhook')) });
});
