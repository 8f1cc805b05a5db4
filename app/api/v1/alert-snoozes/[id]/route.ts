import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** Ends a snooze early (admin, manager). */
export const DELETE = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  await ctx.services.alerts.policy.unsnooze(principal, uuidParam(ctx.params.id, 'snooze'));
  return new Response(null, { status: 204 });
});
