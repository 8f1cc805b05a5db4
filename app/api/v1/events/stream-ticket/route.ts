import { authenticate, FLEET_READERS, route } from '@/server/http/route';

/** A single-use ticket (60 s) for opening `/api/v1/events/stream` from an EventSource: `{ticket, expiresAt}`. */
export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, FLEET_READERS);
  return Response.json(ctx.services.streamTickets.issue(principal));
});
