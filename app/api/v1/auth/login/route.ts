import { jsonBody, route } from '@/server/http/route';
import { loginRequest } from '@/server/protocol/auth';

export const POST = route(async (ctx) => {
  const input = await jsonBody(ctx, loginRequest);
  return Response.json(await ctx.services.auth.login(input));
});
