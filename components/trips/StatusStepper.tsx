import { TRIP_FLOW, TRIP_STATUS_LABELS, type TripStatus } from '@/server/protocol/trips';

/** A point as people read it: its label, else "lat, lng" to 4 decimals (≈ 10 m). */
export const placeName = (p: { lat: number; lng: number; label: string | null }) => p.label ?? `${p.lat.toFixed(4)}, ${p.lng.toFixed(4)}`;

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : null);

/**
 * The trip's progress along PENDING → … → COMPLETED with the time each step was reached. A
 * cancelled trip shows the steps it reached and then "Cancelled".
 */
export function StatusStepper({ status, timestamps, compact = false }: { status: TripStatus; timestamps: Record<TripStatus, string | null>; compact?: boolean }) {
  const cancelled = status === 'CANCELLED';
  const steps: TripStatus[] = cancelled ? [...TRIP_FLOW.filter((s) => timestamps[s]), 'CANCELLED'] : [...TRIP_FLOW];
  const current = steps.indexOf(status);
  return (
    <ol className={`flex w-full ${compact ? 'gap-1' : 'gap-2'}`} aria-label="Trip progress" data-testid="status-stepper">
      {steps.map((step, i) => {
        const done = i <= current;
        const isCurrent = i === current;
        const color = step === 'CANCELLED' ? 'bg-red-500' : done ? 'bg-emerald-500' : 'bg-slate-200';
        return (
          <li key={step} className="min-w-0 flex-1" aria-current={isCurrent ? 'step' : undefined} data-step={step} data-done={done}>
            <div className={`h-1.5 rounded-full ${color}`} />
            {!compact && (
              <div className="mt-1.5 truncate text-xs">
                <span className={isCurrent ? 'font-semibold text-slate-900' : done ? 'text-slate-700' : 'text-slate-400'}>{TRIP_STATUS_LABELS[step]}</span>
                {time(timestamps[step]) && <span className="block text-[11px] text-slate-500 tabular-nums">{time(timestamps[step])}</span>}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

const BADGE: Record<TripStatus, string> = {
  PENDING: 'bg-slate-100 text-slate-700 ring-slate-300',
  EN_ROUTE: 'bg-sky-50 text-sky-800 ring-sky-300',
  ARRIVED: 'bg-amber-50 text-amber-800 ring-amber-300',
  IN_PROGRESS: 'bg-indigo-50 text-indigo-800 ring-indigo-300',
  COMPLETED: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  CANCELLED: 'bg-red-50 text-red-700 ring-red-300',
};

export function StatusBadge({ status }: { status: TripStatus }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE[status]}`} data-testid="trip-status" data-status={status}>
      {TRIP_STATUS_LABELS[status]}
    </span>
  );
}
