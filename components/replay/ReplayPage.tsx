'use client';

import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { apiJson } from '@/components/ui/api-fetch';
import { AppHeader, type AppPage } from '@/components/ui/AppHeader';
import { useVehicles } from '@/components/ui/list-queries';
import { Spinner, StateMessage } from '@/components/ui/StateMessage';
import type { BasemapSettings } from '@/components/map/basemap-settings';
import { formatDuration, indexAt } from '@/components/reports/format';
import type { PublicUser } from '@/server/protocol/auth';
import { MAX_REPLAY_VEHICLES, type ReplayChunk } from '@/server/protocol/reports';
import { addChunk, emptyReplay, type ReplayData, type ReplayTrack } from './replay-data';
import type { ReplayClock } from './ReplayMap';

// MapLibre and deck.gl touch the browser when imported: load them on the client only.
const ReplayMap = dynamic(() => import('./ReplayMap'), { ssr: false });

const PAGE: AppPage = 'replay';
const FIELD = 'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm shadow-sm focus:border-emerald-500 focus:outline-none';
const BUTTON = 'rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 disabled:opacity-50';
const SPEEDS = [1, 2, 4, 8, 16, 32, 64];
const CHUNK = 50_000;

/** `datetime-local` value (browser time) of an instant. */
function localInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/** /replay: pick vehicles and a time range, play their movement back on the map with trails, stops and a speed chart. */
export function ReplayPage({ basemap }: { basemap: BasemapSettings }) {
  const session = useRequiredSession();
  if (!session) return null;
  const { user } = session;
  if (user.role === 'driver') {
    return (
      <div className="flex min-h-full flex-col">
        <AppHeader user={user} page={PAGE} onSignOut={clearSession} />
        <main className="mx-auto w-full max-w-3xl p-4">
          <div className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
            <StateMessage kind="empty" title="Replay is for admins, managers and viewers" detail="You are signed in as a driver." />
          </div>
        </main>
      </div>
    );
  }
  return <ReplayScreen user={user} basemap={basemap} />;
}

type LoadState = { kind: 'idle' } | { kind: 'loading'; positions: number } | { kind: 'done' } | { kind: 'error'; message: string };

function ReplayScreen({ user, basemap }: { user: PublicUser; basemap: BasemapSettings }) {
  const vehicles = useVehicles();
  const [selected, setSelected] = useState<string[]>([]);
  const [from, setFrom] = useState(() => localInput(Date.now() - 3_600_000));
  const [to, setTo] = useState(() => localInput(Date.now()));
  const [data, setData] = useState<ReplayData | null>(null);
  const [load, setLoad] = useState<LoadState>({ kind: 'idle' });
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(8);
  const [t, setT] = useState(0);
  const [follow, setFollow] = useState(false);
  const [trailMinutes, setTrailMinutes] = useState(10);
  const clock = useRef<ReplayClock>({ t: 0, hoverT: null, trailMinutes: 10, follow: false });
  const loadId = useRef(0);

  // Vehicles from the link (the vehicle panel's "Replay"): ?vehicles=a,b
  useEffect(() => {
    const ids = new URLSearchParams(window.location.search).get('vehicles');
    if (ids) setSelected(ids.split(',').filter(Boolean).slice(0, MAX_REPLAY_VEHICLES));
  }, []);
  useEffect(() => {
    clock.current.follow = follow;
    clock.current.trailMinutes = trailMinutes;
  }, [follow, trailMinutes]);

  const seek = useCallback((ms: number) => {
    clock.current.t = ms;
    setT(ms);
  }, []);

  const start = async () => {
    const id = ++loadId.current;
    const fromMs = new Date(from).getTime();
    const toMs = new Date(to).getTime();
    setPlaying(false);
    setData(null);
    setLoad({ kind: 'loading', positions: 0 });
    const replay = emptyReplay(fromMs, toMs);
    let after: number | null = null;
    try {
      do {
        const q = new URLSearchParams({ vehicleIds: selected.join(','), from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), limit: String(CHUNK) });
        if (after !== null) q.set('after', String(after));
        const chunk: ReplayChunk = await apiJson<ReplayChunk>(`/api/v1/replay?${q}`);
        if (id !== loadId.current) return;
        addChunk(replay, chunk);
        // The first chunk draws at once (time to first frame); later ones extend the tracks.
        if (after === null) {
          const first = replay.tracks.reduce((m, tr) => Math.min(m, tr.t[0] ?? Infinity), Infinity);
          seek(Number.isFinite(first) ? first : fromMs);
        }
        setData({ ...replay });
        setLoad({ kind: 'loading', positions: replay.positions });
        after = chunk.next;
      } while (after !== null);
      setLoad({ kind: 'done' });
    } catch (error) {
      if (id === loadId.current) setLoad({ kind: 'error', message: (error as Error).message });
    }
  };

  // Playback: the clock advances every animation frame; React hears it ten times a second.
  useEffect(() => {
    if (!playing || !data) return;
    let last = performance.now();
    let shown = last;
    let frame = requestAnimationFrame(function tick(now) {
      const c = clock.current;
      c.t = Math.min(data.end, c.t + (now - last) * speed);
      last = now;
      if (now - shown > 100 || c.t >= data.end) {
        shown = now;
        setT(c.t);
      }
      if (c.t >= data.end) setPlaying(false);
      else frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, data]);

  const list = vehicles.data ?? [];
  const empty = data && data.positions === 0 && load.kind === 'done';
  return (
    <div className="flex h-full min-h-0 flex-col">
      <AppHeader user={user} page={PAGE} onSignOut={clearSession} status={load.kind === 'loading' ? <span className="flex items-center gap-2 text-xs"><Spinner className="h-4 w-4" /> {load.positions.toLocaleString('en')} positions</span> : undefined} />
      <div className="flex flex-wrap items-end gap-3 border-b border-slate-200 bg-white px-4 py-2">
        <details className="relative" data-testid="replay-vehicles">
          <summary className={`${FIELD} cursor-pointer list-none`}>{selected.length === 0 ? 'Pick vehicles' : selected.length === 1 ? (list.find((v) => v.id === selected[0])?.name ?? '1 vehicle') : `${selected.length} vehicles`} ▾</summary>
          <div className="absolute z-20 mt-1 max-h-72 w-64 overflow-auto rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200">
            <p className="mb-1 text-xs text-slate-500">Up to {MAX_REPLAY_VEHICLES} vehicles</p>
            {list.map((v) => (
              <label key={v.id} className="flex items-center gap-2 py-0.5 text-sm">
                <input
                  type="checkbox"
                  checked={selected.includes(v.id)}
                  disabled={!selected.includes(v.id) && selected.length >= MAX_REPLAY_VEHICLES}
                  onChange={(e) => setSelected((s) => (e.target.checked ? [...s, v.id] : s.filter((x) => x !== v.id)))}
                />
                {v.name}
              </label>
            ))}
          </div>
        </details>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          From (your time)
          <input type="datetime-local" className={FIELD} value={from} onChange={(e) => setFrom(e.target.value)} data-testid="replay-from" />
        </label>
        <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
          To
          <input type="datetime-local" className={FIELD} value={to} onChange={(e) => setTo(e.target.value)} data-testid="replay-to" />
        </label>
        <button type="button" className="rounded-md bg-emerald-600 px-3 py-1 text-sm font-medium text-white shadow-sm hover:bg-emerald-700 disabled:opacity-50" disabled={selected.length === 0 || load.kind === 'loading'} onClick={() => void start()} data-testid="replay-load">
          Show
        </button>
        {data && data.positions > 0 && (
          <>
            <button type="button" className={BUTTON} onClick={() => (t >= data.end && seek(data.start), setPlaying(!playing))} data-testid="replay-play" aria-pressed={playing}>
              {playing ? 'Pause' : 'Play'}
            </button>
            <label className="flex items-center gap-1 text-xs text-slate-600">
              Speed
              <select className={FIELD} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} data-testid="replay-speed">
                {SPEEDS.map((s) => (
                  <option key={s} value={s}>
                    ×{s}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1 text-xs text-slate-600">
              Trail
              <select className={FIELD} value={trailMinutes} onChange={(e) => setTrailMinutes(Number(e.target.value))}>
                {[2, 10, 30, 120].map((m) => (
                  <option key={m} value={m}>
                    {m} min
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1 text-xs text-slate-600">
              <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
            </label>
          </>
        )}
      </div>
      <div className="relative min-h-0 flex-1">
        <ReplayMap basemap={basemap} data={data} clock={clock} />
        {load.kind === 'idle' && <Overlay><StateMessage kind="empty" title="Pick vehicles and a time range, then Show" detail="Their movement plays back here with stops and speed." /></Overlay>}
        {load.kind === 'loading' && !data && <Overlay><StateMessage kind="loading" title="Loading positions…" /></Overlay>}
        {load.kind === 'error' && <Overlay><StateMessage kind="error" title="The replay could not be loaded" detail={load.message} action={{ label: 'Try again', onClick: () => void start() }} /></Overlay>}
        {empty && <Overlay><div data-testid="replay-empty"><StateMessage kind="empty" title="No positions in this range" detail="These vehicles sent nothing between these times." /></div></Overlay>}
      </div>
      {data && data.positions > 0 && (
        <div className="border-t border-slate-200 bg-white px-4 py-2">
          <div className="flex items-center gap-3">
            <span className="w-40 text-sm tabular-nums" data-testid="replay-time">
              {new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' })}
            </span>
            <input type="range" className="flex-1 accent-emerald-600" min={data.start} max={data.end} step={1000} value={Math.min(Math.max(t, data.start), data.end)} onChange={(e) => seek(Number(e.target.value))} aria-label="Replay time" data-testid="replay-slider" />
            <span className="text-xs text-slate-500">{formatDuration((data.end - data.start) / 1000)}</span>
          </div>
          <SpeedChart tracks={data.tracks} start={data.start} end={data.end} t={t} onHover={(ms) => (clock.current.hoverT = ms)} onSeek={seek} />
        </div>
      )}
    </div>
  );
}

function Overlay({ children }: { children: ReactNode }) {
  return (
    <div className="pointer-events-none absolute inset-x-0 top-6 flex justify-center">
      <div className="pointer-events-auto rounded-xl bg-white/95 shadow ring-1 ring-slate-200">{children}</div>
    </div>
  );
}

/** Speed over time (each vehicle's line in its colour), with the slider's time as a cursor; hover shows the place on the map, click seeks. */
function SpeedChart({ tracks, start, end, t, onHover, onSeek }: { tracks: ReplayTrack[]; start: number; end: number; t: number; onHover: (ms: number | null) => void; onSeek: (ms: number) => void }) {
  const W = 1000;
  const H = 90;
  const lines = useMemo(() => {
    const max = Math.max(20, ...tracks.map((tr) => tr.speed.reduce((m, s) => (s > m ? s : m), 0)));
    const paths = tracks.map((tr) => {
      const step = Math.max(1, Math.ceil(tr.t.length / 800));
      let d = '';
      for (let i = 0; i < tr.t.length; i += step) {
        const s = Number.isNaN(tr.speed[i]!) ? 0 : tr.speed[i]!;
        d += `${d ? 'L' : 'M'}${(((tr.t[i]! - start) / (end - start)) * W).toFixed(1)},${(H - (s / max) * (H - 8)).toFixed(1)}`;
      }
      return { id: tr.id, color: `rgb(${tr.color.join(',')})`, d };
    });
    return { max, paths };
  }, [tracks, start, end]);
  const x = ((t - start) / (end - start)) * W;
  const timeAt = (e: MouseEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return start + ((e.clientX - box.left) / box.width) * (end - start);
  };
  const first = tracks[0];
  const current = first ? first.speed[indexAt(first.t, t)] : undefined;
  return (
    <figure className="mt-1" data-testid="speed-chart">
      <figcaption className="flex gap-3 text-xs text-slate-500">
        <span>Speed (km/h, up to {Math.round(lines.max)})</span>
        {first && current !== undefined && !Number.isNaN(current) && <span data-testid="speed-now">{first.name}: {Math.round(current)} km/h</span>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="h-20 w-full cursor-crosshair" onMouseMove={(e) => onHover(timeAt(e))} onMouseLeave={() => onHover(null)} onClick={(e) => onSeek(timeAt(e))} role="img" aria-label="Speed over time">
        {lines.paths.map((p) => (
          <path key={p.id} d={p.d} fill="none" stroke={p.color} strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
        ))}
        <line x1={x} x2={x} y1={0} y2={H} stroke="#0f172a" strokeWidth={1.5} vectorEffect="non-scaling-stroke" data-testid="speed-cursor" />
      </svg>
    </figure>
  );
}
