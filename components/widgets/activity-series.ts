import type { FleetMetricsSnapshot } from '@/server/protocol/metrics';

/**
 * The activity chart's columns: x (epoch seconds, the end of each step), positions per second
 * (server), and alerts per minute (alerts created in the minute before each x, from the alert
 * list the feed holds). Alerts is null when the alert list is not available.
 */
export function activitySeries(metrics: FleetMetricsSnapshot, alertCreatedAt: readonly number[] | null): [number[], number[], (number | null)[]] {
  const steps = metrics.ingestSeries.length;
  const xs: number[] = [];
  for (let k = 0; k < steps; k++) xs.push((metrics.seriesEnd - (steps - 1 - k) * metrics.seriesStepS * 1000) / 1000);
  const alerts = xs.map((x) => {
    if (!alertCreatedAt) return null;
    const end = x * 1000, start = end - 60_000;
    let n = 0;
    for (const t of alertCreatedAt) if (t > start && t <= end) n += 1;
    return n;
  });
  return [xs, [...metrics.ingestSeries], alerts];
}
