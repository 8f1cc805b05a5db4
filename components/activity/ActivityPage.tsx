'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { AppHeader, StatusDot, type AppPage } from '@/components/ui/AppHeader';
import { usersQuery } from '@/components/ui/list-queries';
import { useNow } from '@/components/ui/relative-time';
import { StateMessage } from '@/components/ui/StateMessage';
import type { PublicUser } from '@/server/protocol/auth';
import { AGGREGATE_TYPES, type DomainEvent } from '@/server/protocol/events';
import { matches, NO_FILTERS, typesOf, useActivity, useEventStream, type ActivityFilters, type StreamState } from './activity-api';
import { ActivityRow } from './ActivityRow';
import { AUDIT_TYPES, TYPE_LABELS } from './describe';

const FIELD = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';
const STREAM_LABEL: Record<StreamState, { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse' },
  live: { label: 'Live', dot: 'bg-emerald-400' },
  reconnecting: { label: 'Reconnecting…', dot: 'bg-amber-400 animate-pulse' },
};
const PAGE: AppPage = 'activity';

/** /activity: who did what, when, to which object — the tenant's audit trail (admins and managers). */
export function ActivityPage() {
  const session = useRequiredSession();
  if (!session) return null;
  const { user } = session;
  if (user.role !== 'admin' && user.role !== 'manager') {
    return (
      <div className="flex min-h-full flex-col">
        <AppHeader user={user} page={PAGE} onSignOut={clearSession} />
        <main className="mx-auto w-full max-w-3xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="activity-forbidden">
            <StateMessage kind="empty" title="The activity log is for admins and managers" detail={`You are signed in as a ${user.role}. Ask an admin if you need to see who changed what.`} />
          </div>
        </main>
      </div>
    );
  }
  return <ActivityScreen user={user} />;
}

function ActivityScreen({ user }: { user: PublicUser }) {
  const [filters, setFilters] = useState<ActivityFilters>(NO_FILTERS);
  const [stream, setStream] = useState<StreamState>('connecting');
  const users = useQuery(usersQuery);
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader user={user} page={PAGE} onSignOut={clearSession} status={<StatusDot {...STREAM_LABEL[stream]} testId="activity-live-state" />} />
      <main className="mx-auto w-full max-w-6xl flex-1 p-4">
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Activity">
          <Filters filters={filters} onFilters={setFilters} users={users.data ?? []} />
          {/* a new list (and stream) per filter: nothing of the old one leaks into the new one */}
          <ActivityList key={JSON.stringify(filters)} filters={filters} users={users.data ?? []} onStream={setStream} />
        </section>
      </main>
    </div>
  );
}

function Filters({ filters, onFilters: set, users }: { filters: ActivityFilters; onFilters: (f: ActivityFilters) => void; users: PublicUser[] }) {
  const [objectId, setObjectId] = useState(filters.objectId);
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-4 py-3">
      <h2 className="w-full text-sm font-semibold">Activity</h2>
      <select aria-label="Who" className={`${FIELD} max-w-44`} value={filters.who} onChange={(e) => set({ ...filters, who: e.target.value })} data-testid="filter-who">
        <option value="">Everyone</option>
        {users.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <select aria-label="What" className={`${FIELD} max-w-52`} value={filters.what} onChange={(e) => set({ ...filters, what: e.target.value })} data-testid="filter-what">
        <option value="">Any action</option>
        {AUDIT_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_LABELS[t]}
          </option>
        ))}
      </select>
      <select
        aria-label="Object type"
        className={FIELD}
        value={filters.objectType}
        onChange={(e) => set({ ...filters, objectType: e.target.value as ActivityFilters['objectType'] })}
        data-testid="filter-object-type"
      >
        <option value="">Any object</option>
        {AGGREGATE_TYPES.map((t) => (
          <option key={t} value={t}>
            {t === 'tenant' ? 'organisation' : t}
          </option>
        ))}
      </select>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set({ ...filters, objectId });
        }}
      >
        <input aria-label="Object id" placeholder="Object id" className={`${FIELD} w-40`} value={objectId} onChange={(e) => setObjectId(e.target.value)} onBlur={() => objectId !== filters.objectId && set({ ...filters, objectId })} />
      </form>
      <label className="flex items-center gap-1 text-xs text-slate-500">
        From
        <input type="datetime-local" aria-label="From" className={FIELD} value={filters.from} onChange={(e) => set({ ...filters, from: e.target.value })} />
      </label>
      <label className="flex items-center gap-1 text-xs text-slate-500">
        To
        <input type="datetime-local" aria-label="To" className={FIELD} value={filters.to} onChange={(e) => set({ ...filters, to: e.target.value })} />
      </label>
      {JSON.stringify(filters) !== JSON.stringify(NO_FILTERS) && (
        <button
          type="button"
          className="text-xs font-medium text-slate-500 underline hover:text-slate-800"
          onClick={() => {
            setObjectId('');
            set(NO_FILTERS);
          }}
        >
          Clear
        </button>
      )}
    </div>
  );
}

/**
 * The trail, newest first, with live events on top. While the reader points at the list or has
 * scrolled down, new events wait in a banner instead of pushing the rows under the pointer.
 */
function ActivityList({ filters, users, onStream }: { filters: ActivityFilters; users: PublicUser[]; onStream: (s: StreamState) => void }) {
  const activity = useActivity(filters);
  const now = useNow(15_000);
  const [live, setLive] = useState<DomainEvent[]>([]);
  const [held, setHeld] = useState<DomainEvent[]>([]);
  const [pointing, setPointing] = useState(false);
  const [scrolled, setScrolled] = useState(false);
  const paused = pointing || scrolled;
  const pausedRef = useRef(paused);
  useEffect(() => {
    pausedRef.current = paused;
  }, [paused]);

  useEffect(() => {
    const onScroll = () => setScrolled(window.scrollY > 48);
    onScroll();
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  const onEvent = useCallback(
    (event: DomainEvent) => {
      if (!matches(event, filters)) return;
      (pausedRef.current ? setHeld : setLive)((list) => [event, ...list]);
    },
    [filters],
  );
  const state = useEventStream(typesOf(filters), activity.data?.pages[0]?.head, onEvent);
  useEffect(() => onStream(state), [state, onStream]);

  const showHeld = useCallback(() => {
    setLive((list) => [...held, ...list]);
    setHeld([]);
  }, [held]);
  useEffect(() => {
    if (!paused && held.length > 0) showHeld();
  }, [paused, held.length, showHeld]);

  const names = useMemo(() => new Map(users.map((u) => [u.id, u.name])), [users]);
  const whoOf = (e: DomainEvent) => (e.actor.kind === 'user' ? (names.get(e.actor.id) ?? e.actor.name ?? 'A former user') : 'The system');

  if (activity.isPending) return <StateMessage kind="loading" title="Loading activity…" />;
  if (activity.isError) {
    return <StateMessage kind="error" title="Could not load the activity" detail={activity.error.message} action={{ label: 'Retry', onClick: () => void activity.refetch() }} />;
  }
  const older = activity.data.pages.flatMap((p) => p.events);
  const events = [...live, ...older];
  const freshSeqs = new Set(live.slice(0, 5).map((e) => e.seq));

  return (
    <div onPointerEnter={() => setPointing(true)} onPointerLeave={() => setPointing(false)}>
      {held.length > 0 && (
        <div className="sticky top-0 z-10 flex items-center justify-center gap-2 border-b border-emerald-200 bg-emerald-50 px-4 py-1.5 text-xs text-emerald-900" data-testid="activity-held">
          {held.length} new {held.length === 1 ? 'action' : 'actions'} — paused while you read.
          <button
            type="button"
            className="font-medium underline"
            onClick={() => {
              showHeld();
              window.scrollTo({ top: 0, behavior: 'smooth' });
            }}
          >
            Show
          </button>
        </div>
      )}
      {events.length === 0 ? (
        <StateMessage
          kind="empty"
          title={JSON.stringify(filters) === JSON.stringify(NO_FILTERS) ? 'No activity yet' : 'No activity matches these filters'}
          detail="Changes people make to vehicles, zones, routes, trips, alerts, users and settings appear here as they happen."
        />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="activity-list">
          {events.map((e) => (
            <ActivityRow key={e.seq} event={e} who={whoOf(e)} now={now} fresh={freshSeqs.has(e.seq)} />
          ))}
        </ul>
      )}
      <div className="flex justify-center border-t border-slate-100 px-4 py-3">
        {activity.hasNextPage ? (
          <button
            type="button"
            disabled={activity.isFetchingNextPage}
            onClick={() => void activity.fetchNextPage()}
            className="rounded-md border border-slate-300 px-3 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50"
            data-testid="activity-older"
          >
            {activity.isFetchingNextPage ? 'Loading…' : 'Load older'}
          </button>
        ) : (
          events.length > 0 && <p className="text-xs text-slate-400">The beginning of the log.</p>
        )}
        {activity.isFetchNextPageError && (
          <p role="alert" className="ml-3 text-xs text-red-700">
            Could not load older activity — try again.
          </p>
        )}
      </div>
    </div>
  );
}
