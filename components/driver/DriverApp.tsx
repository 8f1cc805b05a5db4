'use client';

import Link from 'next/link';
import { useEffect } from 'react';
import { clearSession } from '@/components/session';
import { useRequiredSession } from '@/components/use-required-session';
import { DriverHome } from './DriverHome';
import { DriverShell } from './DriverShell';
import { registerDriverServiceWorker } from './register-service-worker';

/** The /driver page: a signed-in driver's tracking screen; others are pointed to the right place. */
export function DriverApp() {
  const session = useRequiredSession();

  useEffect(() => registerDriverServiceWorker(), []);

  if (!session) {
    return (
      <DriverShell>
        <p className="p-6 text-center text-sm text-slate-500" aria-busy="true">
          Loading…
        </p>
      </DriverShell>
    );
  }
  if (session.user.role !== 'driver') {
    return (
      <DriverShell onSignOut={clearSession}>
        <section className="m-4 rounded-2xl bg-white p-5 shadow-sm">
          <h2 className="text-lg font-semibold">This page is for drivers</h2>
          <p className="mt-1 text-sm text-slate-600">
            You are signed in as {session.user.name} ({session.user.role}). Drivers report their vehicle’s position
            here; the fleet is watched on the live map.
          </p>
          <Link href="/map" className="mt-4 inline-block rounded-lg bg-emerald-600 px-4 py-2 text-sm font-semibold text-white">
            Open the live map
          </Link>
        </section>
      </DriverShell>
    );
  }
  return <DriverHome session={session} />;
}
