import type { VehicleRouteProgress } from '@/server/protocol/route-progress';
import { distance, duration, progressLine, ROUTE_STATUS_LABELS, ROUTE_STATUS_STYLE } from './route-progress-format';

/** A vehicle's progress along its route: bar, percentage, status pill, and what is left (ETA, next stop). */
export function RouteProgressBar({ progress, now, compact = false }: { progress: VehicleRouteProgress; now: number; compact?: boolean }) {
  const style = ROUTE_STATUS_STYLE[progress.status];
  const percent = Math.round(progress.progress * 100);
  return (
    <div data-testid="route-progress" data-status={progress.status} data-progress={percent}>
      <div className="flex items-center gap-2">
        <div className="h-2 min-w-0 flex-1 overflow-hidden rounded-full bg-slate-200" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Route progress">
          <div className={`h-full rounded-full ${style.bar}`} style={{ width: `${Math.max(percent, 2)}%` }} />
        </div>
        <span className="w-9 text-right text-xs font-semibold tabular-nums text-slate-800">{percent} %</span>
        <span className={`rounded-full px-2 py-0.5 text-[11px] font-semibold ${style.pill}`} data-testid="route-status">
          {ROUTE_STATUS_LABELS[progress.status]}
        </span>
      </div>
      <p className="mt-1 text-xs text-slate-600" data-testid="route-eta">
        {progressLine(progress, now)}
      </p>
      {!compact && progress.nextStop && progress.status !== 'COMPLETED' && (
        <p className="text-xs text-slate-500" data-testid="route-next-stop">
          Next stop <span className="font-medium text-slate-700">{progress.nextStop.name}</span> · {distance(progress.nextStop.remainingM)} · {duration(progress.nextStop.etaS)}
        </p>
      )}
    </div>
  );
}
