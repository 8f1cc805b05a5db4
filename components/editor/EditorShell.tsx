'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import type { LoginResponse } from '@/server/protocol/auth';
import { CatalogLiveBadge } from '@/components/ui/CatalogLiveBadge';
import { AppHeader } from '@/components/ui/AppHeader';

export type EditorTab = 'zones' | 'routes';

const TABS: Array<{ tab: EditorTab; href: string; label: string }> = [
  { tab: 'zones', href: '/editor/zones', label: 'Geofences' },
  { tab: 'routes', href: '/editor/routes', label: 'Routes' },
];

/** The editors' frame: requires a session (else /login), top bar with tabs, live refresh of the lists. */
export function EditorShell({ tab, children }: { tab: EditorTab; children: (session: LoginResponse) => ReactNode }) {
  const session = useRequiredSession();
  if (!session) return null;
  return (
    <ShellFrame session={session} tab={tab}>
      {children(session)}
    </ShellFrame>
  );
}

function ShellFrame({ session, tab, children }: { session: LoginResponse; tab: EditorTab; children: ReactNode }) {
  const { user } = session;
  return (
    <div className="flex h-full flex-col">
      <AppHeader
        user={user}
        page="editor"
        onSignOut={() => clearSession()}
        controls={
          <nav className="ml-2 flex h-full items-stretch gap-1 border-l border-slate-700 pl-3" aria-label="Editors">
            {TABS.map((t) => (
              <Link
                key={t.tab}
                href={t.href}
                aria-current={t.tab === tab ? 'page' : undefined}
                className="flex items-center border-b-2 border-transparent px-3 text-slate-300 hover:text-white aria-[current=page]:border-emerald-400 aria-[current=page]:font-medium aria-[current=page]:text-white"
              >
                {t.label}
              </Link>
            ))}
          </nav>
        }
        status={<CatalogLiveBadge token={session.token} testId="editor-live-state" />}
      />
      <div className="flex min-h-0 flex-1">{children}</div>
    </div>
  );
}

/** The note read-only roles see instead of the tools. */
export function ReadOnlyNote({ role, what }: { role: string; what: string }) {
  return (
    <div className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs leading-relaxed text-amber-900" data-testid="read-only-note">
      <span className="font-semibold">Read-only.</span> You are signed in as {role === 'admin' ? 'an' : 'a'} {role}; only admins can draw, edit, import or
      delete {what}.
    </div>
  );
}
