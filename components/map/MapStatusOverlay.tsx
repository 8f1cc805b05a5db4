import { Spinner } from '@/components/ui/StateMessage';
import type { FleetStatus } from './use-fleet-connection';

function Card({ children, tone = 'neutral' }: { children: React.ReactNode; tone?: 'neutral' | 'error' }) {
  const border = tone === 'error' ? 'border-red-200' : 'border-slate-200';
  return (
    <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center p-4">
      <div role="status" className={`pointer-events-auto max-w-sm rounded-xl border ${border} bg-white/95 px-6 py-5 text-center shadow-xl`}>
        {children}
      </div>
    </div>
  );
}

/** Loading, empty and error states over the map; nothing once vehicles are on it. */
export function MapStatusOverlay({
  status,
  placedCount,
  onRetry,
}: {
  status: FleetStatus;
  placedCount: number;
  onRetry: () => void;
}) {
  if (status.phase === 'denied') {
    return (
      <Card tone="error">
        <p className="font-semibold text-red-700">No access to the live map</p>
        <p className="mt-1 text-sm text-slate-600">{status.message}</p>
        <p className="mt-1 text-xs text-slate-500">Sign out and use a manager, admin or viewer account.</p>
      </Card>
    );
  }
  if (status.phase === 'error') {
    return (
      <Card tone="error">
        <p className="font-semibold text-red-700">Live updates interrupted</p>
        <p className="mt-1 text-sm text-slate-600">{status.message}</p>
        {status.retrying && <p className="mt-1 text-xs text-slate-500">Retrying automatically…</p>}
        <button
          type="button"
          onClick={onRetry}
          className="mt-4 rounded-lg bg-slate-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-slate-700"
        >
          Retry now
        </button>
      </Card>
    );
  }
  if (status.phase !== 'live' && placedCount === 0) {
    return (
      <Card>
        <div className="mb-3 flex justify-center">
          <Spinner className="h-6 w-6" />
        </div>
        <p className="text-sm font-medium text-slate-700">
          {status.phase === 'connecting' ? 'Connecting to the live service…' : 'Loading vehicles…'}
        </p>
      </Card>
    );
  }
  if (status.phase === 'live' && placedCount === 0) {
    return (
      <Card>
        <p className="font-semibold text-slate-800">No vehicles on the map yet</p>
        <p className="mt-1 text-sm text-slate-600">Vehicles appear here as soon as they report a position.</p>
      </Card>
    );
  }
  return null;
}
