'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';

export type AdminSection = 'vehicles' | 'users' | 'drivers' | 'settings' | 'webhooks' | 'road-network';

/** The console's sections: managers see the first four (read-only where they may not change). */
const SECTIONS: ReadonlyArray<{ section: AdminSection; href: string; label: string; roles: readonly string[] }> = [
  { section: 'vehicles', href: '/admin/vehicles', label: 'Vehicles', roles: ['admin', 'manager'] },
  { section: 'users', href: '/admin/users', label: 'Users', roles: ['admin', 'manager'] },
  { section: 'drivers', href: '/admin/drivers', label: 'Drivers', roles: ['admin', 'manager'] },
  { section: 'settings', href: '/admin/settings', label: 'Settings', roles: ['admin', 'manager'] },
  { section: 'webhooks', href: '/admin/webhooks', label: 'Webhooks', roles: ['admin'] },
  { section: 'road-network', href: '/admin/road-network', label: 'Road network', roles: ['admin'] },
];

/** The tabs of the admin console, shared by every /admin page. */
export function AdminTabs({ current, role }: { current: AdminSection; role: string }) {
  return (
    <nav className="flex gap-1 overflow-x-auto border-b border-slate-200 bg-white px-4" aria-label="Admin sections">
      {SECTIONS.filter((s) => s.roles.includes(role)).map((s) => (
        <Link
          key={s.section}
          href={s.href}
          aria-current={s.section === current ? 'page' : undefined}
          className={`whitespace-nowrap border-b-2 px-3 py-2.5 text-sm ${s.section === current ? 'border-emerald-500 font-medium text-slate-900' : 'border-transparent text-slate-500 hover:text-slate-800'}`}
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}

/** An /admin page: session, top bar, tabs, and the section for admins and managers. */
export function AdminShell({ section, children }: { section: AdminSection; children: (user: PublicUser) => ReactNode }) {
  const session = useRequiredSession();
  if (!session) return null;
  const user = session.user;
  const allowed = SECTIONS.find((s) => s.section === section)!.roles.includes(user.role);
  return (
    <div className="flex min-h-full flex-col bg-slate-50">
      <AppHeader user={user} page="admin" onSignOut={clearSession} />
      {allowed && <AdminTabs current={section} role={user.role} />}
      {allowed ? (
        <main className="mx-auto w-full max-w-7xl flex-1 p-4">{children(user)}</main>
      ) : (
        <main className="mx-auto w-full max-w-xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="admin-denied">
            <StateMessage kind="empty" title="The admin console is for admins and managers" detail={`You are signed in as ${user.role}. Ask an admin of ${user.tenantName} for access.`} />
          </div>
        </main>
      )}
    </div>
  );
}

/** Managers may look but not change: said once on top of a section. */
export function ReadOnlyNote({ user, what }: { user: PublicUser; what: string }) {
  if (user.role === 'admin') return null;
  return (
    <p className="mb-3 rounded-md bg-slate-100 px-3 py-2 text-xs text-slate-600" data-testid="read-only-note">
      You can view {what}; only admins can change them.
    </p>
  );
}
