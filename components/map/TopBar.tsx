import type { ReactNode } from 'react';
import type { PublicUser } from '@/server/protocol/auth';
import type { FleetStatus } from './use-fleet-connection';
import { AppHeader, StatusDot } from '@/components/ui/AppHeader';

const CONNECTION_LABEL: Record<FleetStatus['phase'], { label: string; dot: string }> = {
  connecting: { label: 'Connecting…', dot: 'bg-amber-400 animate-pulse' },
  loading: { label: 'Loading…', dot: 'bg-amber-400 animate-pulse' },
  live: { label: 'Live', dot: 'bg-emerald-400' },
  error: { label: 'Offline', dot: 'bg-red-500' },
  denied: { label: 'No access', dot: 'bg-red-500' },
};

export function TopBar({
  user,
  vehicleCount,
  status,
  onSignOut,
  search,
}: {
  user: PublicUser;
  vehicleCount: number;
  status: FleetStatus;
  onSignOut: () => void;
  search: ReactNode;
}) {
  const connection = CONNECTION_LABEL[status.phase];
  return (
    <AppHeader
      user={user}
      page="map"
      onSignOut={onSignOut}
      // The search keeps room to type in (the page links give way first); on a phone the bar scrolls.
      controls={<div className="min-w-28 flex-1 sm:min-w-44">{search}</div>}
      status={
        <>
          <span data-testid="vehicle-count" className="max-sm:hidden">
            <span className="font-semibold text-white tabular-nums">{vehicleCount}</span> vehicles
          </span>
          <StatusDot {...connection} testId="connection-state" />
        </>
      }
    />
  );
}
