'use client';

import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { placeName, StatusStepper } from '@/components/trips/StatusStepper';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import type { TrackDto } from '@/server/protocol/trips';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { trackText } from './track-text';

// MapLibre touches the browser when imported: client only.
const TrackMap = dynamic(() => import('./TrackMap'), { ssr: false, loading: () => <div className="h-full w-full animate-pulse bg-slate-200" /> });

/** The rider page polls the public track view this often. */
export const TRACK_POLL_MS = 5000;

class LinkGone extends Error {}

async function fetchTrack(token: string): Promise<TrackDto> {
  try {
    return (await apiJson<{ track: TrackDto }>(`/api/v1/track/${encodeURIComponent(token)}`, { cache: 'no-store' })).track;
  } catch (error) {
    if (!(error instanceof RequestError)) throw error;
    if (error.status === 404) throw new LinkGone();
    if (error.status === 0) throw new Error('Cannot reach the server. Retrying…');
    throw error.code === 'HTTP' ? new Error(`Could not load the trip (HTTP ${error.status}). Retrying…`) : error;
  }
}

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
/** The ETA's clock time; with the weekday when it is not today-ish. */
const etaClock = (iso: string, withDay: boolean) =>
  withDay ? new Date(iso).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' }) : clock(iso);

/** The public, read-only rider page of one trip: map, status, ETA. Polls every TRACK_POLL_MS. */
export function TrackView({ token, basemap }: { token: string; basemap: BasemapSettings }) {
  const track = useQuery({
    queryKey: ['track', token],
    queryFn: () => fetchTrack(token),
    retry: (count, error) => !(error instanceof LinkGone) && count < 2,
    refetchInterval: (query) => (query.state.error instanceof LinkGone ? false : TRACK_POLL_MS),
  });

  if (track.error instanceof LinkGone) return <LinkGonePage />;
  if (!track.data) {
    return (
      <main className="flex h-full items-center justify-center p-6 text-center text-sm text-slate-600">
        {track.isError ? (
          <p role="alert">
            {track.error.message}{' '}
            <button type="button" className="font-medium underline" onClick={() => void track.refetch()}>
              Try again
            </button>
          </p>
        ) : (
          <p>Loading your trip…</p>
        )}
      </main>
    );
  }
  const t = track.data;
  const text = trackText(t, Date.now(), etaClock);
  return (
    <main className="flex h-full flex-col md:relative">
      <div className="relative min-h-0 flex-1 md:absolute md:inset-0">
        <TrackMap track={t} token={token} basemap={basemap} />
      </div>
      <section
        className="z-10 shrink-0 rounded-t-2xl bg-white p-4 shadow-[0_-4px_16px_rgba(0,0,0,0.08)] md:absolute md:left-4 md:top-4 md:w-96 md:rounded-2xl md:shadow-lg"
        aria-label="Trip status"
        data-testid="track-card"
        data-status={t.status}
      >
        <p className="text-xs font-medium uppercase tracking-wide text-emerald-700">GeoFleet trip</p>
        <h1 className="mt-0.5 text-lg font-semibold" data-testid="track-headline">
          {text.headline}
        </h1>
        <p className={`mt-1 text-sm ${text.stale ? 'text-slate-400' : 'text-slate-600'}`} data-testid="track-eta" data-stale={text.stale}>
          {text.eta}
        </p>
        <div className="mt-4">
          <StatusStepper status={t.status} timestamps={t.timestamps} />
        </div>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          <dt className="text-slate-500">Vehicle</dt>
          <dd className="font-medium">
            {t.vehicle.name}
            {t.vehicle.plate && <span className="ml-2 rounded border border-slate-300 px-1.5 py-0.5 font-mono text-xs">{t.vehicle.plate}</span>}
          </dd>
          <dt className="text-slate-500">Pickup</dt>
          <dd className="truncate">{placeName(t.pickup)}</dd>
          <dt className="text-slate-500">Dropoff</dt>
          <dd className="truncate">{placeName(t.dropoff)}</dd>
        </dl>
        <p className="mt-3 text-[11px] text-slate-400">
          {track.isError ? 'Connection lost, retrying… ' : ''}
          {t.vehicle.position ? `Vehicle seen at ${clock(t.vehicle.position.ts)}` : 'No vehicle location yet'}
          {t.expiresAt && ` · link expires at ${clock(t.expiresAt)}`}
        </p>
      </section>
    </main>
  );
}

function LinkGonePage() {
  return (
    <main className="flex h-full items-center justify-center bg-slate-50 p-6">
      <div className="max-w-sm rounded-2xl bg-white p-6 text-center shadow-sm ring-1 ring-slate-200" data-testid="track-gone">
        <div className="mx-auto mb-3 flex h-10 w-10 items-center justify-center rounded-full bg-slate-100 text-lg" aria-hidden>
          ⌁
        </div>
        <h1 className="text-lg font-semibold">This trip link is no longer active</h1>
        <p className="mt-2 text-sm text-slate-600">The trip has ended or the link is not valid. If you are waiting for a ride, ask for a new link.</p>
      </div>
    </main>
  );
}
