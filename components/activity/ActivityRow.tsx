'use client';

import Link from 'next/link';
import { relativeTime } from '@/components/ui/relative-time';
import type { DomainEvent } from '@/server/protocol/events';
import { beforeAfter, describeEvent, objectLink } from './describe';

/** One action of the audit trail: when, who, what in words, a link to the object, and the before/after on demand. */
export function ActivityRow({ event, who, now, fresh }: { event: DomainEvent; who: string; now: number; fresh: boolean }) {
  const at = Date.parse(event.at);
  const link = objectLink(event);
  const states = beforeAfter(event);
  return (
    <li className={`px-4 py-3 transition-colors duration-1000 ${fresh ? 'bg-emerald-50' : ''}`} data-testid="activity-row" data-seq={event.seq}>
      <div className="grid gap-x-4 gap-y-1 md:grid-cols-[10rem_minmax(0,1fr)_auto]">
        <time dateTime={event.at} title={new Date(at).toLocaleString()} className="text-xs text-slate-500">
          {new Date(at).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' })}
          <span className="block text-[11px] text-slate-400">{relativeTime(at, now)}</span>
        </time>
        <p className="min-w-0 text-sm">
          <span className="font-medium text-slate-900">{who}</span> <span className="text-slate-700">{describeEvent(event)}</span>
        </p>
        {link && (
          <Link href={link.href} className="self-start text-xs font-medium text-emerald-700 hover:underline">
            {link.label} →
          </Link>
        )}
      </div>
      {states && (
        <details className="mt-1 md:ml-[11rem]">
          <summary className="cursor-pointer select-none text-xs text-slate-500 hover:text-slate-700">Before / after</summary>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            <StateJson title="Before" value={states.before} />
            <StateJson title="After" value={states.after} />
          </div>
          <p className="mt-1 text-[11px] text-slate-400">
            {event.type} · {event.aggregate.type} {event.aggregate.id} · version {event.version} · #{event.seq}
          </p>
        </details>
      )}
    </li>
  );
}

function StateJson({ title, value }: { title: string; value: unknown }) {
  return (
    <div className="min-w-0">
      <p className="mb-0.5 text-[11px] font-semibold uppercase tracking-wide text-slate-400">{title}</p>
      <pre className="max-h-64 overflow-auto rounded-md bg-slate-50 p-2 text-[11px] leading-snug text-slate-700 ring-1 ring-slate-200">
        {value === null ? '—' : JSON.stringify(value, null, 2)}
      </pre>
    </div>
  );
}
