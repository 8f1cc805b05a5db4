import { authenticate, route, uuidParam } from '@/server/http/route';

type Params = { id: string };

/** Makes the schedule's report now for the period that ended last (admins, managers) → `{schedule, delivery}`. */
export const POST = route<Params>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json(await ctx.services.reportSchedules.runNow(principal, uuidParam(ctx.params.id, 'report schedule')));
});
