import Link from 'next/link';
import type { ReactNode } from 'react';
import type { PublicUser } from '@/server/protocol/auth';
import { UserSignOut } from './UserSignOut';

export type AppPage = 'map' | 'editor' | 'trips' | 'drivers' | 'activity' | 'webhooks' | 'road-network' | 'admin' | 'reports' | 'replay' | 'dispatch' | 'alerts' | 'alert-rules';

const PAGES: ReadonlyArray<{ page: AppPage; href: string; label: string; roles?: readonly string[] }> = [
  { page: 'map', href: '/map', label: 'Live map' },
  // Everyone may open the editors (read-only unless admin); trips and the activity log are for
  // admins and managers. Webhooks and the road network are tabs of the admin console.
  { page: 'editor', href: '/editor', label: 'Zones & routes' },
  { page: 'trips', href: '/trips', label: 'Trips', roles: ['admin', 'manager'] },
  { page: 'drivers', href: '/drivers', label: 'Drivers', roles: ['admin', 'manager', 'viewer'] },
  { page: 'activity', href: '/activity', label: 'Activity', roles: ['admin', 'manager'] },
  { page: 'alerts', href: '/alerts', label: 'Alerts', roles: ['admin', 'manager', 'viewer'] },
  { page: 'dispatch', href: '/dispatch', label: 'Dispatch', roles: ['admin', 'manager'] },
  // History: reports (and from there replay) for everyone who may see the fleet (docs/reports.md).
  { page: 'reports', href: '/reports', label: 'Reports', roles: ['admin', 'manager', 'viewer'] },
  // The admin console (/admin): vehicles, users, drivers, settings; webhooks and the road network are also its tabs.
  { page: 'admin', href: '/admin/vehicles', label: 'Admin', roles: ['admin', 'manager'] },
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
  // Pages reached from another page's tabs or links mark that page in the bar.
  const current: AppPage = page === 'webhooks' || page === 'road-network' ? 'admin' : page === 'alert-rules' ? 'alerts' : page === 'replay' ? 'reports' : page;
  const links = (className: string) =>
    PAGES.filter((p) => !p.roles || p.roles.includes(user.role)).map((p) =>
      p.page === current ? (
        <span key={p.page} className={`${className} font-medium text-white`} aria-current="page">
          {p.label}
        </span>
      ) : (
        <Link key={p.page} href={p.href} className={`${className} text-slate-400 hover:text-white`}>
          {p.label}
        </Link>
      ),
    );
  return (
    <header className="relative z-30 flex h-12 shrink-0 items-center gap-4 whitespace-nowrap bg-slate-900 px-4 text-sm text-slate-200 shadow-md max-md:overflow-x-auto">
      <div className="flex shrink-0 items-center gap-2" title={user.tenantName}>
        <span className="h-3.5 w-3.5 rounded-full border-[3px] border-emerald-500 bg-white" aria-hidden />
        <span className="font-semibold text-white max-sm:sr-only">GeoFleet</span>
        <span className="hidden text-slate-500 2xl:inline">/</span>
        {/* Below 1536 px the page links and the map's search need the tenant name's room (it shows on hover). */}
        <span data-testid="tenant-name" className="hidden 2xl:inline">
          {user.tenantName}
        </span>
      </div>
      {/* Below 1280 px the page links fold into a menu (fixed, so the bar's sideways scrolling on a phone cannot clip it). */}
      <details className="xl:hidden" data-testid="pages-menu">
        <summary className="cursor-pointer list-none rounded-md border border-slate-600 px-2 py-1 text-xs">Menu</summary>
        <nav className="fixed left-2 top-12 z-40 flex flex-col rounded-lg bg-slate-900 py-1 shadow-xl" aria-label="Pages">
          {links('block px-4 py-2')}
        </nav>
      </details>
      {/* When the bar is short of room the page links scroll sideways instead of pushing Sign out off the screen. */}
      <nav className="ml-2 flex min-w-0 shrink items-center gap-4 overflow-x-auto [scrollbar-width:none] max-xl:hidden" aria-label="Pages">
        {links('')}
      </nav>
      {controls}
      <div className="ml-auto flex shrink-0 items-center gap-4">
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
