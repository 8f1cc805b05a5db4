import { jsonBody, route } from '@/server/http/route';
import { loginRequest } from '@/server/protocol/auth';
import { refreshCookie } from '@/server/auth/sessions';
import { isSecureRequest } from '@/server/http/session-cookie';

/**
 * Sign in. With `session: true` (the browser) the token is short-lived and a refresh token is set
 * as an httpOnly cookie (POST /api/v1/auth/refresh); without it, a JWT_TTL token (API clients).
 */
export const POST = route(async (ctx) => {
  const input = await jsonBody(ctx, loginRequest);
  const login = await ctx.services.auth.login(input);
  if (!input.session) return Response.json(login);
  const { refreshToken, refreshExpiresAt, ...grant } = await ctx.services.sessions.start(login.user);
  return Response.json(grant, { headers: { 'Set-Cookie': refreshCookie(refreshToken ?? null, refreshExpiresAt ?? null, isSecureRequest(ctx.request)) } });
});
