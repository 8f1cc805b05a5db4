import { authenticate, jsonBody, route, uuidParam } from '@/server/http/route';
import { resetPasswordRequest } from '@/server/protocol/admin';

/** An admin sets a new password for a user; the user's other sessions end. */
export const POST = route<{ id: string }>(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const id = uuidParam(ctx.params.id, 'user');
  const { password } = await jsonBody(ctx, resetPasswordRequest);
  await ctx.services.users.resetPassword(principal, id, password);
  return new Response(null, { status: 204 });
});
