'use client';

import { useEffect } from 'react';
import { authFetch, getSession, refreshSession, useSession } from '@/components/session';

/** Renew this long before the access token expires. */
const RENEW_BEFORE_MS = 60_000;
/** How often an open page asks whether its user may still be signed in (deactivation, revocation). */
export const SESSION_CHECK_MS = 10_000;

/**
 * Keeps a browser session alive and honest, on every page: renews the short-lived access token
 * before it expires (so a wall display runs for days), and checks every few seconds that the
 * user is still allowed in — a deactivated user is sent to sign-in within seconds on every open
 * page, even one without a live socket. Pages without a session (sign-in, rider links) do nothing.
 */
export function SessionKeeper() {
  const session = useSession();
  const token = session?.token;
  const expiresAt = session?.expiresAt;

  useEffect(() => {
    if (!token || !expiresAt) return;
    const delay = Math.max(5_000, Date.parse(expiresAt) - Date.now() - RENEW_BEFORE_MS);
    const timer = window.setTimeout(() => {
      // The next check (or request) handles a session that cannot be renewed.
      if (getSession()?.token === token) void refreshSession().catch(() => {});
    }, delay);
    return () => window.clearTimeout(timer);
  }, [token, expiresAt]);

  const signedIn = Boolean(token);
  useEffect(() => {
    if (!signedIn) return;
    const check = () => {
      if (document.visibilityState !== 'visible' || !navigator.onLine) return;
      // A 401 renews the session or ends it (authFetch); nothing else to do here.
      void authFetch('/api/v1/auth/me', { cache: 'no-store' }).catch(() => {});
    };
    const timer = window.setInterval(check, SESSION_CHECK_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [signedIn]);

  return null;
}
