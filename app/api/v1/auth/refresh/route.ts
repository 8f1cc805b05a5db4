import { route } from '@/server/http/route';
import { refreshCookie, refreshCookieOf } from '@/server/auth/sessions';
import { isSecureRequest } from '@/server/http/session-cookie';
import { asApiError, errorResponse } from '@/server/protocol/errors';

/** A new access token from the refresh cookie, which is rotated; a dead session clears the cookie. */
export const POST = route(async (ctx) => {
  const secure = isSecureRequest(ctx.request);
  try {
    const { refreshToken, refreshExpiresAt, ...grant } = await ctx.services.sessions.refresh(refreshCookieOf(ctx.request.headers.get('cookie')));
    const headers: Record<string, string> = refreshToken ? { 'Set-Cookie': refreshCookie(refreshToken, refreshExpiresAt ?? null, secure) } : {};
    return Response.json(grant, { headers });
  } catch (error) {
    const apiError = asApiError(error);
    if (apiError?.code !== 'UNAUTHORIZED') throw error;
    return errorResponse(apiError, { 'Set-Cookie': refreshCookie(null, null, secure) });
  }
});
