'use client';

import { useEffect } from 'react';
import { LEAVE_MESSAGE, leavesPage } from './leave-guard';

/**
 * While `dirty`: closing or reloading the tab asks the browser's "Leave site?", and a click on a
 * link to another page of the app asks first (the App Router has no navigation guard, so links
 * are checked as they are clicked, before Next handles them).
 */
export function useLeaveGuard(dirty: boolean, message = LEAVE_MESSAGE): void {
  useEffect(() => {
    if (!dirty) return;
    const beforeUnload = (e: BeforeUnloadEvent) => e.preventDefault();
    const click = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!link) return;
      if (!leavesPage({ href: link.href, target: link.target, hasDownload: link.hasAttribute('download') }, window.location.href, e)) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    };
    window.addEventListener('beforeunload', beforeUnload);
    document.addEventListener('click', click, true);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      document.removeEventListener('click', click, true);
    };
  }, [dirty, message]);
}
