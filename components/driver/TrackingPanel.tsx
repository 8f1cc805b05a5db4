'use client';

import { useNow } from '@/components/ui/relative-time';
import type { LoginResponse } from '@/server/protocol/auth';
import { CurrentTripCard } from './CurrentTripCard';
import type { DriverVehicle } from './driver-memory';
import { DriverNotices } from './DriverNotices';
import { StatusGrid } from './StatusGrid';
import { useDriverTracker } from './use-driver-tracker';

/** Start / Stop, what needs the driver's attention, and the state of tracking. */
export function TrackingPanel({
  session,
  vehicle,
  rate,
  sessionRejected,
  onSignInAgain,
}: {
  session: LoginResponse;
  vehicle: DriverVehicle;
  rate: number;
  /** REST said the token is no longer valid (the socket will say so too). */
  sessionRejected: boolean;
  onSignInAgain: () => void;
}) {
  const { tracker, view } = useDriverTracker(session.user.id, session.token, vehicle.id, rate);
  const now = useNow(1000);
  if (!tracker || !view) {
    return (
      <p className="p-6 text-center text-sm text-slate-500" aria-busy="true">
        Opening the fix queue…
      </p>
    );
  }
  const canStart = view.problem !== 'unsupported';
  return (
    <>
      <DriverNotices view={view} now={now} sessionRejected={sessionRejected} onRetryGps={() => tracker.start()} onSignInAgain={onSignInAgain} />

      <section className="rounded-2xl bg-white p-4 shadow-sm">
        <p className="mb-3 flex items-center gap-2 text-sm font-medium text-slate-600" data-testid="tracking-state">
          <span className={`h-2.5 w-2.5 rounded-full ${view.tracking ? 'animate-pulse bg-emerald-500' : 'bg-slate-300'}`} aria-hidden />
          {view.tracking ? 'Tracking: every fix is kept until the server has it' : 'Not tracking'}
        </p>
        {view.tracking ? (
          <button
            type="button"
            onClick={() => tracker.stop()}
            className="h-16 w-full rounded-xl border-2 border-red-500 bg-white text-lg font-semibold text-red-600 active:bg-red-50"
          >
            Stop tracking
          </button>
        ) : (
          <button
            type="button"
            disabled={!canStart}
            onClick={() => tracker.start()}
            className="h-16 w-full rounded-xl bg-emerald-600 text-lg font-semibold text-white shadow active:bg-emerald-700 disabled:cursor-not-allowed disabled:bg-slate-300"
          >
            Start tracking
          </button>
        )}
        <p className="mt-2 text-xs text-slate-500" data-testid="wake-lock">
          {WAKE_LOCK_TEXT[view.tracking ? view.wakeLock : 'off']}
        </p>
      </section>

      {/* The trip card comes before the status tiles: its button must be on the first screen while driving. */}
      <CurrentTripCard
        userId={session.user.id}
        token={session.token}
        vehicleId={vehicle.id}
        tracking={view.tracking}
        onStartTracking={canStart ? () => tracker.start() : null}
      />

      <StatusGrid view={view} now={now} />
    </>
  );
}

const WAKE_LOCK_TEXT = {
  off: 'The screen stays on while tracking, where the phone allows it.',
  on: 'Screen kept on while tracking.',
  unsupported: 'This browser cannot keep the screen on: keep the page open and the phone unlocked.',
  refused: 'The screen may turn off: keep the page open and the phone unlocked.',
} as const;
