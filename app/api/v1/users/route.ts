import { authenticate, jsonBody, route } from '@/server/http/route';
import { createUserRequest } from '@/server/protocol/users';

export const GET = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin', 'manager']);
  return Response.json({ users: await ctx.services.users.list(principal) });
});

export const POST = route(async (ctx) => {
  const principal = await authenticate(ctx, ['admin']);
  const input = await jsonBody(ctx, createUserRequest);
  return Response.json({ user: await ctx.services.users.create(principal, input) }, { status: 201 });
});
