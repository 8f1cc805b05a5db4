import { route } from '@/server/http/route';
import { refreshCookie, refreshCookieOf } from '@/server/auth/sessions';
import { isSecureRequest } from '@/server/http/session-cookie';

/** Sign out: the session's refresh tokens are revoked and the cookie cleared. */
export const POST = route(async (ctx) => {
  await ctx.services.sessions.logout(refreshCookieOf(ctx.request.headers.get('cookie')));
  return new Response(null, { status: 204, headers: { 'Set-Cookie': refreshCookie(null, null, isSecureRequest(ctx.request)) } });
});
