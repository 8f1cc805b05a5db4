import type { DrivingKind, ScoreDto } from '@/server/protocol/driving';

export const EVENT_LABEL: Record<DrivingKind, string> = {
  harsh_brake: 'Harsh braking',
  harsh_acceleration: 'Harsh acceleration',
  harsh_corner: 'Harsh cornering',
  speeding: 'Speeding',
  idle: 'Idling',
  possible_collision: 'Possible collision',
};

/** Geotab-style risk bands: 90+ excellent, 75+ good, 60+ fair, else poor. */
export const BAND_STYLE: Record<NonNullable<ScoreDto['band']>, string> = {
  excellent: 'bg-emerald-100 text-emerald-800',
  good: 'bg-lime-100 text-lime-800',
  fair: 'bg-amber-100 text-amber-800',
  poor: 'bg-red-100 text-red-800',
};

export const SEVERITY_DOT: Record<'low' | 'medium' | 'high', string> = {
  low: 'bg-amber-300',
  medium: 'bg-orange-500',
  high: 'bg-red-600',
};

/** One line on what an event measured: "0.71 g, 60 → 10 km/h", "62 km/h where 50", "6 min". */
export function measureOf(e: { type: string; data: Record<string, unknown> }): string {
  const d = e.data as { peakG?: number; fromSpeedKmh?: number | null; toSpeedKmh?: number | null; maxSpeedKmh?: number; limitKmh?: number; durationS?: number; road?: string | null };
  const road = d.road ? ` · ${d.road}` : '';
  if (e.type === 'driving.speeding') return `${d.maxSpeedKmh} km/h where ${d.limitKmh} for ${Math.round(d.durationS ?? 0)} s${road}`;
  if (e.type === 'driving.idle') return `${Math.round((d.durationS ?? 0) / 60)} min stationary${road}`;
  const speeds = d.fromSpeedKmh != null && d.toSpeedKmh != null ? `, ${Math.round(d.fromSpeedKmh)} → ${Math.round(d.toSpeedKmh)} km/h` : d.fromSpeedKmh != null ? ` from ${Math.round(d.fromSpeedKmh)} km/h` : '';
  return `${d.peakG?.toFixed(2)} g${speeds}${road}`;
}
