'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { LoginResponse } from '@/server/protocol/auth';
import { lastSessionEnd, loginUrl, useSession } from './session';

/**
 * The session of a page that needs one: without a session it goes to /login (and returns null).
 * When the session ended on its own (expired, revoked; in this tab or another) the sign-in page
 * says "Your session ended" and comes back to this page afterwards. `undefined` while the page
 * renders on the server.
 */
export function useRequiredSession(): LoginResponse | null | undefined {
  const session = useSession();
  const router = useRouter();
  useEffect(() => {
    if (session !== null) return;
    // A session that ended on its own comes back here after sign-in; otherwise plain sign-in.
    if (lastSessionEnd() === 'ended') router.replace(loginUrl(window.location.pathname + window.location.search, true));
    else router.replace('/login');
  }, [session, router]);
  return session;
}
