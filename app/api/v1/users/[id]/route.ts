import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { updateUserRequest } from '@/server/protocol/admin';

/** Change a user's name or role, or deactivate / reactivate them (admins). */
export const PATCH = route<{ id: string }>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'user');
  const input = await jsonBody(ctx, updateUserRequest);
  return Response.json({ user: await ctx.services.users.update(principal, id, input) });
});
