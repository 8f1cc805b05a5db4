'use client';

import { useCallback, useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { distanceText, durationText, navigateLinks, PRIORITY_LABELS, secondsLeft } from '@/components/dispatch/format';
import { socketAuth } from '@/components/session';
import { apiJson, RequestError } from '@/components/ui/api-fetch';
import { DISPATCH_EVENTS, type DispatchOfferDto } from '@/server/protocol/dispatch';

/** Polling next to the live socket: an offer made while the phone was away shows up on return. */
const POLL_MS = 10_000;

/** A short two-tone beep and a vibration: an offer needs the driver's attention now. */
function alertDriver(): void {
  try {
    navigator.vibrate?.([250, 120, 250]);
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    [880, 660].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.22);
      osc.stop(ctx.currentTime + i * 0.22 + 0.18);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // No sound or vibration allowed yet (no user gesture): the card itself still shows.
  }
}

/**
 * Dispatch offers for the signed-in driver: live on the /driver socket (`dispatch:offer`,
 * `dispatch:withdrawn`) and fetched on load, every POLL_MS while online and on coming back
 * online. Each shows what, where, how far by road and how long to answer, with Accept / Decline
 * and a Navigate link to the pickup.
 */
export function DispatchOfferCard({ token }: { token: string }) {
  const [offers, setOffers] = useState<DispatchOfferDto[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    // An offline phone does not ask (the request could only fail); the `online` event asks at once.
    if (!navigator.onLine) return;
    try {
      setOffers((await apiJson<{ offers: DispatchOfferDto[] }>('/api/v1/dispatch/offers')).offers);
    } catch {
      // Offline or signed out: the tracking panel says so; keep what is shown.
    }
  }, []);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    const tick = setInterval(() => setNow(Date.now()), 1000);
    // The current session token on every (re)connection. Offline, the socket rests instead of
    // retrying into a dead network; back online it connects and the list is fetched at once.
    const socket = io('/driver', { auth: socketAuth(token), forceNew: true, autoConnect: navigator.onLine });
    const onOffline = () => socket.disconnect();
    const onOnline = () => {
      socket.connect();
      void load();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    socket.on(DISPATCH_EVENTS.offer, (offer: DispatchOfferDto) => {
      setOffers((list) => [offer, ...list.filter((o) => o.requestId !== offer.requestId)]);
      alertDriver();
    });
    socket.on(DISPATCH_EVENTS.withdrawn, ({ requestId }: { requestId: string }) => setOffers((list) => list.filter((o) => o.requestId !== requestId)));
    return () => {
      clearInterval(poll);
      clearInterval(tick);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      socket.close();
    };
  }, [token, load]);

  const answer = async (offer: DispatchOfferDto, verb: 'accept' | 'decline') => {
    setBusy(offer.requestId);
    setMessage(null);
    try {
      await apiJson(`/api/v1/dispatch/requests/${offer.requestId}/${verb}`, { body: {} });
      setMessage(verb === 'accept' ? { tone: 'ok', text: 'Accepted: the trip is below.' } : { tone: 'ok', text: 'Declined: the dispatcher’s next vehicle gets it.' });
    } catch (error) {
      setMessage({ tone: 'error', text: error instanceof RequestError && error.status === 409 ? 'This offer is no longer open.' : error instanceof Error ? error.message : 'Could not answer.' });
    } finally {
      setOffers((list) => list.filter((o) => o.requestId !== offer.requestId));
      setBusy(null);
    }
  };

  const open = offers.filter((o) => secondsLeft(o.expiresAt, now) > 0);
  if (open.length === 0 && !message) return null;
  return (
    <section aria-label="Job offers" className="space-y-2">
      {message && (
        <p role="status" className={`rounded-xl px-3 py-2 text-sm font-medium ${message.tone === 'ok' ? 'bg-emerald-50 text-emerald-800' : 'bg-red-50 text-red-800'}`}>
          {message.text}
        </p>
      )}
      {open.map((offer) => {
        const left = secondsLeft(offer.expiresAt, now);
        const links = navigateLinks(offer.location);
        const emergency = offer.priority === 'emergency';
        return (
          <article key={offer.requestId} data-testid="dispatch-offer" className={`rounded-2xl p-4 shadow-sm ring-2 ${emergency ? 'bg-red-50 ring-red-400' : 'bg-white ring-sky-400'}`}>
            <p className={`text-xs font-semibold uppercase tracking-wide ${emergency ? 'text-red-700' : 'text-sky-700'}`}>
              New job · {PRIORITY_LABELS[offer.priority]} · answer within {left} s
            </p>
            <h2 className="mt-1 text-lg font-semibold">{offer.serviceType}</h2>
            <p className="text-sm text-slate-700">Pickup: {offer.location.label}</p>
            {offer.dropoff && <p className="text-sm text-slate-700">Drop-off: {offer.dropoff.label}</p>}
            <p className="mt-1 text-sm text-slate-600">
              {durationText(offer.etaS)} away · {distanceText(offer.distanceM)} by road
            </p>
            {offer.route && <RouteSketch coordinates={offer.route.coordinates} />}
            {offer.notes && <p className="mt-1 text-sm italic text-slate-600">“{offer.notes}”</p>}
            <div className="mt-3 grid grid-cols-2 gap-2">
              <button type="button" disabled={busy !== null} onClick={() => void answer(offer, 'accept')} className="rounded-xl bg-emerald-600 px-4 py-3 text-base font-semibold text-white disabled:opacity-50">
                Accept
              </button>
              <button type="button" disabled={busy !== null} onClick={() => void answer(offer, 'decline')} className="rounded-xl bg-slate-200 px-4 py-3 text-base font-semibold text-slate-800 disabled:opacity-50">
                Decline
              </button>
            </div>
            <a href={links.web} target="_blank" rel="noreferrer" className="mt-2 block text-center text-sm font-medium text-sky-700 underline">
              Navigate to the pickup
            </a>
            <a href={links.geo} className="block text-center text-xs text-slate-500 underline">
              Open in the phone’s maps app
            </a>
          </article>
        );
      })}
    </section>
  );
}

/** The road route to the pickup as a small line drawing (start dot = the vehicle, end ring = the pickup). */
function RouteSketch({ coordinates }: { coordinates: [number, number][] }) {
  if (coordinates.length < 2) return null;
  const xs = coordinates.map((c) => c[0]);
  const ys = coordinates.map((c) => c[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const w = Math.max((maxX - minX) * kx, maxY - minY, 1e-6);
  const P = (c: [number, number]) => [8 + (((c[0] - minX) * kx) / w) * 284, 8 + ((maxY - c[1]) / w) * 104] as const;
  const points = coordinates.map((c) => P(c).join(',')).join(' ');
  const [sx, sy] = P(coordinates[0]!);
  const [ex, ey] = P(coordinates[coordinates.length - 1]!);
  return (
    <svg viewBox="0 0 300 120" className="mt-2 h-28 w-full rounded-lg bg-slate-50" role="img" aria-label="Route to the pickup">
      <polyline points={points} fill="none" stroke="#0284c7" strokeWidth="3" strokeLinejoin="round" />
      <circle cx={sx} cy={sy} r="5" fill="#0f172a" />
      <circle cx={ex} cy={ey} r="6" fill="white" stroke="#dc2626" strokeWidth="3" />
    </svg>
  );
}
