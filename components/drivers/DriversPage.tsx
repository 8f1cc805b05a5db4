'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader } from '@/components/ui/AppHeader';
import { apiJson } from '@/components/ui/api-fetch';
import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import type { DrivingEventDto, ScoreDto, ScoresResult } from '@/server/protocol/driving';
import { EventList } from './EventList';
import { BAND_STYLE, EVENT_LABEL } from './labels';
import { sparklinePath } from './charts';

type Subject = 'driver' | 'vehicle';

/** /drivers: the scorecard — drivers (or vehicles) ranked by score over two weeks, each with its trend and events. */
export function DriversPage() {
  const session = useRequiredSession();
  if (!session) return null;
  return <Scorecard user={session.user} />;
}

function Scorecard({ user }: { user: PublicUser }) {
  const [subject, setSubject] = useState<Subject>('driver');
  const [selected, setSelected] = useState<string | null>(null);
  const scores = useQuery({
    queryKey: ['scores', subject],
    queryFn: () => apiJson<ScoresResult>(`/api/v1/scores?period=day&subject=${subject}`),
    refetchInterval: 30_000,
  });
  const days = useMemo(() => (scores.data ? dayList(scores.data.from, scores.data.to) : []), [scores.data]);
  const chosen = scores.data?.totals.find((t) => t.subject.id === selected) ?? scores.data?.totals[0] ?? null;
  const tab = (s: Subject, label: string) => (
    <button
      type="button"
      onClick={() => {
        setSubject(s);
        setSelected(null);
      }}
      className={`rounded-md px-2.5 py-1 ${subject === s ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white'}`}
      aria-pressed={subject === s}
      data-testid={`scorecard-${s}s`}
    >
      {label}
    </button>
  );
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader
        user={user}
        page="drivers"
        onSignOut={clearSession}
        controls={user.role === 'driver' ? undefined : <div className="flex gap-1 border-l border-slate-700 pl-4">{tab('driver', 'By driver')}{tab('vehicle', 'By vehicle')}</div>}
      />
      <main className="mx-auto grid w-full max-w-7xl flex-1 gap-4 p-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Ranking">
          <header className="flex items-baseline justify-between border-b border-slate-200 px-4 py-3">
            <h2 className="text-sm font-semibold">{subject === 'driver' ? 'Drivers' : 'Vehicles'} by driving score</h2>
            {scores.data && (
              <span className="text-xs text-slate-500">
                {scores.data.from} – {scores.data.to} (UTC days)
              </span>
            )}
          </header>
          {scores.isPending ? (
            <StateMessage kind="loading" title="Loading scores…" />
          ) : scores.isError ? (
            <StateMessage kind="error" title="Scores could not be loaded" detail={scores.error.message} action={{ label: 'Retry', onClick: () => void scores.refetch() }} />
          ) : scores.data.totals.length === 0 ? (
            <StateMessage kind="empty" title="No driving yet" detail="Scores appear once vehicles have driven." />
          ) : (
            <Ranking totals={scores.data.totals} daily={scores.data.scores} days={days} selected={chosen?.subject.id ?? null} onSelect={setSelected} />
          )}
        </section>
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Details">
          {chosen ? <Detail score={chosen} from={scores.data!.from} /> : <StateMessage kind="empty" title="Pick a row to see its events" />}
        </section>
      </main>
    </div>
  );
}

function Ranking({ totals, daily, days, selected, onSelect }: { totals: ScoreDto[]; daily: ScoreDto[]; days: string[]; selected: string | null; onSelect: (id: string) => void }) {
  const trend = useMemo(() => {
    const byId = new Map<string, Map<string, number | null>>();
    for (const s of daily) {
      const m = byId.get(s.subject.id) ?? new Map();
      m.set(s.period, s.score);
      byId.set(s.subject.id, m);
    }
    return byId;
  }, [daily]);
  return (
    <table className="w-full text-sm" data-testid="scorecard">
      <thead className="text-left text-xs text-slate-500">
        <tr>
          <th className="px-4 py-2 font-medium">#</th>
          <th className="py-2 font-medium">Name</th>
          <th className="py-2 font-medium">Score</th>
          <th className="py-2 font-medium">Last 14 days</th>
          <th className="py-2 text-right font-medium">km</th>
          <th className="py-2 text-right font-medium" title="harsh braking, acceleration and cornering">Harsh</th>
          <th className="py-2 text-right font-medium">Speeding</th>
          <th className="px-4 py-2 text-right font-medium">Idle</th>
        </tr>
      </thead>
      <tbody>
        {totals.map((t, i) => {
          const values = days.map((d) => trend.get(t.subject.id)?.get(d) ?? null);
          const harsh = t.events.harsh_brake + t.events.harsh_acceleration + t.events.harsh_corner;
          return (
            <tr
              key={t.subject.id}
              onClick={() => onSelect(t.subject.id)}
              className={`cursor-pointer border-t border-slate-100 ${selected === t.subject.id ? 'bg-emerald-50' : 'hover:bg-slate-50'}`}
              data-testid="scorecard-row"
            >
              <td className="px-4 py-2 text-slate-400">{i + 1}</td>
              <td className="py-2 font-medium text-slate-800">{t.subject.name}</td>
              <td className="py-2">
                <ScoreBadge score={t} />
              </td>
              <td className="py-2">
                <Sparkline values={values} />
              </td>
              <td className="py-2 text-right tabular-nums">{t.distanceKm.toFixed(1)}</td>
              <td className="py-2 text-right tabular-nums">{harsh}</td>
              <td className="py-2 text-right tabular-nums">{t.speedingPercent.toFixed(1)} %</td>
              <td className="px-4 py-2 text-right tabular-nums">{t.events.idle}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Daily scores on a 50–100 scale, the 90 (excellent) and 75 (good) lines dashed, the last day a dot. */
function Sparkline({ values }: { values: Array<number | null> }) {
  const W = 112;
  const H = 26;
  const y = (v: number) => H - ((Math.max(50, v) - 50) / 50) * H;
  const last = values.findLastIndex((v) => v !== null);
  return (
    <svg width={W} height={H} viewBox={`-3 -3 ${W + 6} ${H + 6}`} aria-label={`daily scores: ${values.map((v) => (v === null ? '–' : Math.round(v))).join(', ')}`}>
      <line x1={0} x2={W} y1={y(90)} y2={y(90)} className="stroke-emerald-200" strokeDasharray="2 2" />
      <line x1={0} x2={W} y1={y(75)} y2={y(75)} className="stroke-amber-200" strokeDasharray="2 2" />
      <path d={sparklinePath(values, W, H, 50, 100)} className="fill-none stroke-emerald-700" strokeWidth={1.5} strokeLinejoin="round" />
      {last >= 0 && <circle cx={(last * W) / Math.max(1, values.length - 1)} cy={y(values[last]!)} r={2.5} className="fill-emerald-700" />}
    </svg>
  );
}

export function ScoreBadge({ score }: { score: Pick<ScoreDto, 'score' | 'band'> }) {
  if (score.score === null || score.band === null) return <span className="text-xs text-slate-400">—</span>;
  return (
    <span className={`inline-flex min-w-12 justify-center rounded-full px-2 py-0.5 text-xs font-semibold ${BAND_STYLE[score.band]}`} title={score.band} data-testid="score-badge">
      {Math.round(score.score)}
    </span>
  );
}

function Detail({ score, from }: { score: ScoreDto; from: string }) {
  const key = score.subject.kind === 'driver' ? 'driverId' : 'vehicleId';
  const events = useQuery({
    queryKey: ['driving-events', key, score.subject.id, from],
    queryFn: () => apiJson<{ events: DrivingEventDto[] }>(`/api/v1/driving-events?${key}=${score.subject.id}&from=${from}T00:00:00Z&limit=100`),
  });
  return (
    <div data-testid="scorecard-detail">
      <header className="border-b border-slate-200 px-4 py-3">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold">{score.subject.name}</h2>
          <ScoreBadge score={score} />
        </div>
        <p className="mt-1 text-xs text-slate-500">
          {score.distanceKm.toFixed(1)} km in {Math.round(score.drivingMinutes)} min · speeding {score.speedingPercent.toFixed(1)} % of the time ·{' '}
          {(Object.keys(EVENT_LABEL) as Array<keyof typeof EVENT_LABEL>)
            .filter((k) => score.events[k] > 0)
            .map((k) => `${score.events[k]} ${EVENT_LABEL[k].toLowerCase()}`)
            .join(' · ') || 'no events'}
        </p>
      </header>
      {events.isPending ? (
        <StateMessage kind="loading" title="Loading events…" />
      ) : events.isError ? (
        <StateMessage kind="error" title="Events could not be loaded" detail={events.error.message} />
      ) : (
        <EventList events={events.data.events} />
      )}
    </div>
  );
}

function dayList(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
