'use client';

import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { clearSession, useSession } from '@/components/session';
import type { LoginResponse } from '@/server/protocol/auth';
import { MapStatusOverlay } from './MapStatusOverlay';
import { SpeedLegend } from './SpeedLegend';
import { TopBar } from './TopBar';
import { exposeTestHooks } from './test-hooks';
import { useFleetConnection } from './use-fleet-connection';
import { VehicleStore } from './vehicle-store';

// MapLibre and deck.gl touch the browser when imported: load them on the client only.
const MapView = dynamic(() => import('./MapView'), { ssr: false });

/** The live map page: requires a session, otherwise goes to /login. */
export function LiveMap({ styleUrl }: { styleUrl: string | null }) {
  const session = useSession();
  const router = useRouter();

  useEffect(() => {
    if (session === null) router.replace('/login');
  }, [session, router]);

  if (!session) return null;
  return <LiveFleet session={session} styleUrl={styleUrl} />;
}

function LiveFleet({ session, styleUrl }: { session: LoginResponse; styleUrl: string | null }) {
  const [store] = useState(() => new VehicleStore());
  const signOut = useCallback(() => clearSession(), []);
  const { status, retry } = useFleetConnection(store, session.token, signOut);
  const subscribe = useCallback((notify: () => void) => store.onChange(notify), [store]);
  // Counts change rarely; these snapshots are numbers, so frames do not re-render React.
  const vehicleCount = useSyncExternalStore(subscribe, () => store.vehicleCount(), () => 0);
  const placedCount = useSyncExternalStore(subscribe, () => store.count, () => 0);

  useEffect(() => exposeTestHooks(store), [store]);

  return (
    <div className="flex h-full flex-col">
      <TopBar user={session.user} vehicleCount={vehicleCount} status={status} onSignOut={signOut} />
      <div className="relative min-h-0 flex-1">
        <MapView store={store} styleUrl={styleUrl} />
        <MapStatusOverlay status={status} placedCount={placedCount} onRetry={retry} />
        <SpeedLegend />
      </div>
    </div>
  );
}
