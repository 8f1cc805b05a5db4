import type { ReactNode } from 'react';

const TONES = {
  error: { box: 'border-red-200 bg-red-50', title: 'text-red-800', text: 'text-red-700', button: 'bg-red-600 hover:bg-red-500' },
  warning: { box: 'border-amber-200 bg-amber-50', title: 'text-amber-900', text: 'text-amber-800', button: 'bg-amber-600 hover:bg-amber-500' },
  info: { box: 'border-sky-200 bg-sky-50', title: 'text-sky-900', text: 'text-sky-800', button: 'bg-sky-600 hover:bg-sky-500' },
} as const;

/** A problem the driver should know about, what it means, and the way forward. */
export function Notice({
  tone,
  title,
  children,
  action,
}: {
  tone: keyof typeof TONES;
  title: string;
  children: ReactNode;
  action?: { label: string; onClick: () => void };
}) {
  const style = TONES[tone];
  return (
    <section role={tone === 'info' ? 'status' : 'alert'} data-testid="driver-notice" className={`rounded-2xl border p-4 ${style.box}`}>
      <h2 className={`font-semibold ${style.title}`}>{title}</h2>
      <p className={`mt-1 text-sm ${style.text}`}>{children}</p>
      {action && (
        <button
          type="button"
          onClick={action.onClick}
          className={`mt-3 rounded-lg px-4 py-2 text-sm font-semibold text-white shadow-sm ${style.button}`}
        >
          {action.label}
        </button>
      )}
    </section>
  );
}
