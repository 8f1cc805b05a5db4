import type { PublicUser } from '@/server/protocol/auth';
import type { FleetStatus } from './use-fleet-connection';

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
}: {
  user: PublicUser;
  vehicleCount: number;
  status: FleetStatus;
  onSignOut: () => void;
}) {
  const connection = CONNECTION_LABEL[status.phase];
  return (
    <header className="z-10 flex h-12 shrink-0 items-center gap-4 bg-slate-900 px-4 text-sm text-slate-200 shadow-md">
      <div className="flex items-center gap-2">
        <span className="h-3.5 w-3.5 rounded-full border-[3px] border-emerald-500 bg-white" aria-hidden />
        <span className="font-semibold text-white">GeoFleet</span>
        <span className="text-slate-500">/</span>
        <span data-testid="tenant-name">{user.tenantName}</span>
      </div>

      <div className="ml-auto flex items-center gap-5">
        <span data-testid="vehicle-count">
          <span className="font-semibold text-white tabular-nums">{vehicleCount}</span> vehicles
        </span>
        <span className="flex items-center gap-2" data-testid="connection-state">
          <span className={`h-2 w-2 rounded-full ${connection.dot}`} aria-hidden />
          {connection.label}
        </span>
        <span className="hidden sm:inline">
          {user.name} <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs capitalize">{user.role}</span>
        </span>
        <button
          type="button"
          onClick={onSignOut}
          className="rounded-md border border-slate-600 px-2.5 py-1 text-xs font-medium hover:border-slate-400 hover:text-white"
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
