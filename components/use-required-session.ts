'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { LoginResponse } from '@/server/protocol/auth';
import { useSession } from './session';

/**
 * The session of a page that needs one: without a session it goes to /login (and returns null);
 * `undefined` while the page renders on the server, before storage can be read.
 */
export function useRequiredSession(): LoginResponse | null | undefined {
  const session = useSession();
  const router = useRouter();
  useEffect(() => {
    if (session === null) router.replace('/login');
  }, [session, router]);
  return session;
}
