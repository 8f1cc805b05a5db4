import type { RouteStatus, VehicleRouteProgress } from '@/server/protocol/route-progress';

export const ROUTE_STATUS_LABELS: Record<RouteStatus, string> = {
  IDLE: 'Not started',
  IN_TRANSIT: 'In transit',
  STOPPED: 'Stopped',
  OFF_ROUTE: 'Off route',
  COMPLETED: 'Completed',
};

/** Tailwind classes of the status pill and the bar. */
export const ROUTE_STATUS_STYLE: Record<RouteStatus, { pill: string; bar: string }> = {
  IDLE: { pill: 'bg-slate-100 text-slate-700', bar: 'bg-slate-400' },
  IN_TRANSIT: { pill: 'bg-emerald-100 text-emerald-800', bar: 'bg-emerald-500' },
  STOPPED: { pill: 'bg-amber-100 text-amber-800', bar: 'bg-amber-500' },
  OFF_ROUTE: { pill: 'bg-violet-100 text-violet-800', bar: 'bg-violet-500' },
  COMPLETED: { pill: 'bg-sky-100 text-sky-800', bar: 'bg-sky-500' },
};

/** "45 s", "12 min", "1 h 05 min". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** "850 m", "12.4 km". */
export function distance(meters: number): string {
  return meters < 1000 ? `${Math.round(meters)} m` : `${(meters / 1000).toFixed(meters < 10_000 ? 1 : 0)} km`;
}

/** The arrival as a clock time ("14:32"), from when the progress was judged (`at`, else now). */
export function arrivalClock(progress: Pick<VehicleRouteProgress, 'etaS'>, now: number): string {
  return new Date(now + progress.etaS * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** One line under the bar: "3.2 km left · ETA 14:32 (12 min)", or what the status says instead. */
export function progressLine(p: VehicleRouteProgress, now: number): string {
  if (p.status === 'COMPLETED') return 'Route completed';
  const eta = `ETA ${arrivalClock(p, now)} (${duration(p.etaS)})`;
  if (p.status === 'OFF_ROUTE') return `${distance(p.distanceFromRouteM ?? 0)} off the route · ${distance(p.remainingM)} left`;
  return `${distance(p.remainingM)} left · ${eta}`;
}
