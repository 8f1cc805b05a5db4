import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string; deliveryId: string };

/** Sends the delivery's event again, now, as a new delivery (admins) → `{delivery}` with its outcome. */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'webhook');
  const delivery = await ctx.services.webhooks.redeliver(principal, id, uuidParam(ctx.params.deliveryId, 'delivery'));
  return Response.json({ delivery });
});
