import type { ReactNode } from 'react';

/** Page frame: the dark bar with sign-out, and a phone-width column. */
export function DriverShell({ children, onSignOut, userName }: { children: ReactNode; onSignOut?: () => void; userName?: string }) {
  return (
    <div className="min-h-full bg-slate-100">
      <DriverHeader onSignOut={onSignOut} userName={userName} />
      <main className="mx-auto w-full max-w-md pb-[max(1rem,env(safe-area-inset-bottom))]">{children}</main>
    </div>
  );
}

function DriverHeader({ onSignOut, userName }: { onSignOut?: () => void; userName?: string }) {
  return (
    <header className="sticky top-0 z-10 bg-slate-900 pt-[env(safe-area-inset-top)] text-slate-200 shadow-md">
      <div className="mx-auto flex h-14 w-full max-w-md items-center gap-3 px-4">
        <span className="h-4 w-4 shrink-0 rounded-full border-4 border-emerald-500 bg-white" aria-hidden />
        <div className="min-w-0 leading-tight">
          <p className="font-semibold text-white">
            GeoFleet <span className="font-normal text-slate-400">Driver</span>
          </p>
          {userName && (
            <p className="truncate text-xs text-slate-400" data-testid="driver-name">
              {userName}
            </p>
          )}
        </div>
        {onSignOut && (
          <button
            type="button"
            onClick={onSignOut}
            className="ml-auto rounded-md border border-slate-600 px-3 py-1.5 text-xs font-medium hover:border-slate-400 hover:text-white"
          >
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}
