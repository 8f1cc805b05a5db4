import Link from 'next/link';
import type { ReactNode } from 'react';
import type { PublicUser } from '@/server/protocol/auth';
import { UserSignOut } from './UserSignOut';

export type AppPage = 'map' | 'editor' | 'trips' | 'drivers' | 'activity' | 'webhooks' | 'road-network' | 'alerts' | 'alert-rules';

const PAGES: ReadonlyArray<{ page: AppPage; href: string; label: string; roles?: readonly string[] }> = [
  { page: 'map', href: '/map', label: 'Live map' },
  // Everyone may open the editors (read-only unless admin); trips and the activity log are for
  // admins and managers; webhooks and the road network for admins.
  { page: 'editor', href: '/editor', label: 'Zones & routes' },
  { page: 'trips', href: '/trips', label: 'Trips', roles: ['admin', 'manager'] },
  { page: 'drivers', href: '/drivers', label: 'Drivers', roles: ['admin', 'manager', 'viewer'] },
  { page: 'activity', href: '/activity', label: 'Activity', roles: ['admin', 'manager'] },
  { page: 'webhooks', href: '/admin/webhooks', label: 'Webhooks', roles: ['admin'] },
  { page: 'road-network', href: '/admin/road-network', label: 'Road network', roles: ['admin'] },
  { page: 'alerts', href: '/alerts', label: 'Alerts', roles: ['admin', 'manager', 'viewer'] },
];

/**
 * The top bar of every signed-in page: brand and tenant, the pages the user's role may open
 * (the current one marked), the page's own controls, its status, and the user with Sign out.
 */
export function AppHeader({
  user,
  page,
  controls,
  status,
  onSignOut,
}: {
  user: PublicUser;
  page: AppPage;
  /** Between the page links and the status: search, tabs. */
  controls?: ReactNode;
  /** Right side, before the user: counts, connection state. */
  status?: ReactNode;
  onSignOut: () => void;
}) {
  return (
    <header className="relative z-30 flex h-12 shrink-0 items-center gap-4 whitespace-nowrap bg-slate-900 px-4 text-sm text-slate-200 shadow-md max-md:overflow-x-auto">
      <div className="flex shrink-0 items-center gap-2">
        <span className="h-3.5 w-3.5 rounded-full border-[3px] border-emerald-500 bg-white" aria-hidden />
        <span className="font-semibold text-white">GeoFleet</span>
        <span className="text-slate-500">/</span>
        <span data-testid="tenant-name" className="hidden sm:inline">
          {user.tenantName}
        </span>
      </div>
      {/* On a narrow screen the page links scroll sideways instead of pushing the bar wider than the screen. */}
      <nav className="ml-2 flex min-w-0 shrink items-center gap-4 overflow-x-auto md:shrink-0" aria-label="Pages">
        {PAGES.filter((p) => !p.roles || p.roles.includes(user.role)).map((p) =>
          p.page === page ? (
            <span key={p.page} className="font-medium text-white" aria-current="page">
              {p.label}
            </span>
          ) : (
            <Link key={p.page} href={p.href} className="text-slate-400 hover:text-white">
              {p.label}
            </Link>
          ),
        )}
      </nav>
      {controls}
      <div className="ml-auto flex shrink-0 items-center gap-5">
        {status}
        <UserSignOut name={user.name} role={user.role} onSignOut={onSignOut} />
      </div>
    </header>
  );
}

/** A coloured dot and its label (connection state): `dot` holds the dot's classes. */
export function StatusDot({ label, dot, testId }: { label: string; dot: string; testId: string }) {
  return (
    <span className="flex items-center gap-2" data-testid={testId}>
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {label}
    </span>
  );
}
