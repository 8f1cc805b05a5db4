import type { ReactNode } from 'react';

/** A spinner for loading states. */
export function Spinner({ className = 'h-5 w-5' }: { className?: string }) {
  return <span className={`inline-block animate-spin rounded-full border-2 border-slate-300 border-t-emerald-500 ${className}`} aria-hidden />;
}

/** Loading, empty and error states inside a panel: one line, optionally a detail and an action. */
export function StateMessage({
  kind,
  title,
  detail,
  action,
}: {
  kind: 'loading' | 'empty' | 'error';
  title: string;
  detail?: string;
  action?: { label: string; onClick: () => void };
}) {
  return (
    <div role={kind === 'error' ? 'alert' : 'status'} data-state={kind} className="flex flex-col items-center gap-1 px-4 py-6 text-center">
      {kind === 'loading' && <Spinner className="mb-1 h-5 w-5" />}
      <p className={`text-sm font-medium ${kind === 'error' ? 'text-red-700' : 'text-slate-700'}`}>{title}</p>
      {detail && <p className="text-xs text-slate-500">{detail}</p>}
      {action && (
        <button type="button" onClick={action.onClick} className="mt-2 rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50">
          {action.label}
        </button>
      )}
    </div>
  );
}

/** A titled section of the side panel. */
export function Section({ title, aside, children, className = '' }: { title: string; aside?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-xl border border-slate-200 bg-white shadow-sm ${className}`}>
      <header className="flex items-center justify-between gap-2 border-b border-slate-100 px-3 py-2">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}
