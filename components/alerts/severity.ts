import type { AlertSeverity } from '@/server/protocol/alerts';

/** Tailwind classes per severity: a dot/bar color and a badge. */
export const SEVERITY_STYLE: Record<AlertSeverity, { dot: string; badge: string; label: string }> = {
  critical: { dot: 'bg-red-600', badge: 'bg-red-100 text-red-800 ring-red-200', label: 'Critical' },
  high: { dot: 'bg-orange-500', badge: 'bg-orange-100 text-orange-800 ring-orange-200', label: 'High' },
  medium: { dot: 'bg-amber-400', badge: 'bg-amber-100 text-amber-800 ring-amber-200', label: 'Medium' },
  low: { dot: 'bg-sky-500', badge: 'bg-sky-100 text-sky-800 ring-sky-200', label: 'Low' },
};

/** Most severe first, as the feed and the KPI show them. */
export const SEVERITIES_DESC: readonly AlertSeverity[] = ['critical', 'high', 'medium', 'low'];
