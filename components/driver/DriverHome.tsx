'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import { TodayDriving } from '@/components/drivers/TodayDriving';
import { clearSession } from '@/components/session';
import type { LoginResponse } from '@/server/protocol/auth';
import { remember } from './driver-memory';
import { DispatchOfferCard } from './DispatchOfferCard';
import { DriverShell } from './DriverShell';
import { InstallButton } from './InstallButton';
import { Notice } from './Notice';
import { TrackingPanel } from './TrackingPanel';
import { VehicleCard } from './VehicleCard';
import { useDriverAssignment } from './use-driver-vehicle';

/** A signed-in driver: the assigned vehicle, then tracking once a vehicle is known. */
export function DriverHome({ session }: { session: LoginResponse }) {
  const router = useRouter();
  const { assignment, error, loading, offline, refetch } = useDriverAssignment(session);
  // "Sign in again" keeps tracking on for after the new sign-in; "Sign out" ends it and forgets
  // the trips kept for offline use (a shared phone shows the next driver nothing of them).
  const signInAgain = useCallback(() => {
    clearSession();
    router.replace('/login');
  }, [router]);
  const signOut = useCallback(() => {
    remember(session.user.id, { tracking: false, trips: null });
    signInAgain();
  }, [session.user.id, signInAgain]);

  let body: React.ReactNode;
  if (assignment?.vehicle) {
    body = (
      <TrackingPanel
        key={`${assignment.vehicle.id}:${assignment.rate}`}
        session={session}
        vehicle={assignment.vehicle}
        rate={assignment.rate}
        sessionRejected={error?.kind === 'unauthorized'}
        onSignInAgain={signInAgain}
      />
    );
  } else if (error?.kind === 'unauthorized') {
    body = (
      <Notice tone="error" title="Your sign-in has ended" action={{ label: 'Sign in again', onClick: signInAgain }}>
        Your session expired or was revoked. Sign in again to start tracking.
      </Notice>
    );
  } else if (assignment && !assignment.vehicle) {
    body = (
      <Notice tone="warning" title="No vehicle assigned" action={{ label: 'Check again', onClick: () => void refetch() }}>
        Tracking needs a vehicle. Ask your dispatcher to assign one to you ({session.user.email}) in GeoFleet, then check
        again.
      </Notice>
    );
  } else if (offline) {
    body = (
      <Notice tone="warning" title="Connect once to load your vehicle">
        This phone is offline and has not loaded your vehicle yet. Once it has, the page also works offline.
      </Notice>
    );
  } else if (error) {
    body = (
      <Notice tone="error" title="Cannot load your vehicle" action={{ label: 'Try again', onClick: () => void refetch() }}>
        {error.message}
      </Notice>
    );
  } else if (loading) {
    body = (
      <p className="p-6 text-center text-sm text-slate-500" aria-busy="true">
        Loading your vehicle…
      </p>
    );
  }

  return (
    <DriverShell onSignOut={signOut} userName={session.user.name}>
      <div className="space-y-3 p-4">
        {assignment?.vehicle && <DispatchOfferCard token={session.token} />}
        {assignment?.vehicle && <VehicleCard vehicle={assignment.vehicle} tenantName={session.user.tenantName} />}
        {body}
        {assignment?.vehicle && (
          <section className="overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-label="Your driving today">
            <TodayDriving title="Your driving today" />
          </section>
        )}
        <InstallButton />
      </div>
    </DriverShell>
  );
}
