import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/**
 * The tenant's domain events by seq: `?types&aggregateType&aggregateId&actorId&actorKind&from&to&after&before&order&limit`
 * → `{events, next}` (pass `next` as `after` with `order=asc`, as `before` with `order=desc`).
 */
export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  const query = Object.fromEntries(new URL(ctx.request.url).searchParams);
  return Response.json(await ctx.services.events.list(principal, query));
});
