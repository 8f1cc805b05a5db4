'use client';

import type { ReactNode } from 'react';

export const INPUT =
  'mt-1 block w-full rounded-md border bg-white px-2.5 py-1.5 text-sm shadow-sm focus:outline-none focus:ring-1 disabled:bg-slate-50 disabled:text-slate-500';
export const BUTTON = 'rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50';
export const PRIMARY = 'rounded-md bg-emerald-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-emerald-700 disabled:opacity-50';
export const DANGER = 'rounded-md border border-red-300 px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-50';

/** A labelled input with its error right under it (aria-invalid, described by the message). */
export function Field({ label, name, error, hint, children }: { label: string; name: string; error?: string; hint?: string; children: (props: { id: string; className: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = `field-${name}`;
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      {children({
        id,
        className: `${INPUT} ${error ? 'border-red-400 focus:border-red-500 focus:ring-red-500' : 'border-slate-300 focus:border-emerald-500 focus:ring-emerald-500'}`,
        'aria-invalid': Boolean(error),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error ? (
        <p id={`${id}-error`} className="mt-1 text-xs text-red-700" data-testid={`error-${name}`}>
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** The summary on top of a form that failed: how many fields need attention. */
export function ErrorSummary({ errors, general }: { errors: Record<string, string>; general?: string | null }) {
  const count = Object.keys(errors).length;
  if (count === 0 && !general) return null;
  return (
    <div role="alert" className="rounded-md bg-red-50 px-3 py-2 text-xs text-red-800" data-testid="form-error-summary">
      {general ?? (count === 1 ? 'One field needs your attention.' : `${count} fields need your attention.`)}
    </div>
  );
}

/** A panel with a title. */
export function Panel({ title, aside, children, testId }: { title: string; aside?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="min-w-0 rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <h2 className="text-sm font-semibold">{title}</h2>
        {aside}
      </header>
      {children}
    </section>
  );
}

/** An on/off switch with a visible label. */
export function Switch({ checked, onChange, label, disabled, testId }: { checked: boolean; onChange: (value: boolean) => void; label: string; disabled?: boolean; testId?: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      disabled={disabled}
      data-testid={testId}
      onClick={() => onChange(!checked)}
      className={`relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition disabled:opacity-50 ${checked ? 'bg-emerald-500' : 'bg-slate-300'}`}
    >
      <span className={`inline-block h-4 w-4 rounded-full bg-white shadow transition ${checked ? 'translate-x-4' : 'translate-x-0.5'}`} />
    </button>
  );
}
