'use client';

import { useState } from 'react';
import type { DrivingEventDto, DrivingKind } from '@/server/protocol/driving';
import { StateMessage } from '@/components/ui/StateMessage';
import { evidenceSeries } from './charts';
import { EVENT_LABEL, measureOf, SEVERITY_DOT } from './labels';

const kindOf = (type: string) => type.slice('driving.'.length) as DrivingKind;
const time = (iso: string) => new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Driving events, newest first; one opens to show its evidence (speed and g over the seconds around it). */
export function EventList({ events, compact = false }: { events: DrivingEventDto[]; compact?: boolean }) {
  // Until the user picks one, the newest event is open (events may arrive after the first render).
  const [picked, setOpen] = useState<string | null | undefined>(undefined);
  const open = picked === undefined ? (compact ? null : (events[0]?.id ?? null)) : picked;
  if (events.length === 0) return <StateMessage kind="empty" title="No driving events in the log for this period" detail="Harsh manoeuvres, speeding and idling show here as they are detected." />;
  return (
    <ul className="divide-y divide-slate-100" data-testid="driving-events">
      {events.map((e) => (
        <li key={e.id}>
          <button type="button" onClick={() => setOpen(open === e.id ? null : e.id)} className="flex w-full items-start gap-2 px-4 py-2 text-left hover:bg-slate-50" data-testid="driving-event">
            <span className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${SEVERITY_DOT[e.data.severity]}`} title={e.data.severity} aria-hidden />
            <span className="min-w-0 flex-1">
              <span className="block text-sm font-medium text-slate-800">{EVENT_LABEL[kindOf(e.type)]}</span>
              <span className="block truncate text-xs text-slate-500">{measureOf(e as unknown as { type: string; data: Record<string, unknown> })}</span>
            </span>
            <time className="shrink-0 text-xs text-slate-400" dateTime={e.at}>
              {time(e.at)}
            </time>
          </button>
          {open === e.id && <EvidenceChart event={e} />}
        </li>
      ))}
    </ul>
  );
}

function EvidenceChart({ event }: { event: DrivingEventDto }) {
  const W = 320;
  const H = 90;
  const chart = evidenceSeries(event.data.evidence, W, H);
  const threshold = (event.data as { thresholdG?: number }).thresholdG;
  if (event.data.evidence.length === 0) return null;
  return (
    <figure className="px-4 pb-3" data-testid="evidence-chart">
      <svg viewBox={`-4 -4 ${W + 8} ${H + 8}`} className="w-full max-w-md" role="img" aria-label="speed and g around the event">
        {chart.g.map((b, i) => (
          <rect key={i} x={b.x - 3} y={b.y} width={6} height={b.h} className={threshold && b.v >= threshold ? 'fill-red-400' : 'fill-sky-300'} />
        ))}
        {threshold && <line x1={0} x2={W} y1={H - (threshold / chart.maxG) * H} y2={H - (threshold / chart.maxG) * H} className="stroke-red-300" strokeDasharray="4 3" />}
        <path d={chart.speed} className="fill-none stroke-slate-800" strokeWidth={2} />
        <line x1={0} x2={W} y1={H} y2={H} className="stroke-slate-300" />
      </svg>
      <figcaption className="text-[11px] text-slate-500">
        <span className="font-medium text-slate-700">—</span> speed (max {Math.round(chart.maxKmh)} km/h) · <span className="text-sky-500">▮</span> g (max {chart.maxG.toFixed(2)})
        {threshold ? <> · <span className="text-red-400">- -</span> threshold {threshold} g</> : null} · {event.data.evidence.length} samples
        {event.data.position && (
          <>
            {' '}· at {event.data.position.lat.toFixed(5)}, {event.data.position.lng.toFixed(5)}
          </>
        )}
      </figcaption>
    </figure>
  );
}
