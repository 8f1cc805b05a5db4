import type { DrivingKind, DrivingSettings, ScoreDto } from '../protocol/driving';

/**
 * The score, 0–100, of one driver or vehicle over a period, from its counters (docs/driving.md):
 *
 *   score = 100 − Σ weight(kind) × events(kind) per 100 km − weight(speeding) × % of driving time speeding
 *
 * with the distance floored at MIN_KM (a few events in a short day should not read as thousands
 * per 100 km), clamped to 0–100; no score without any driving. Bands as Geotab's: 90+ excellent,
 * 75+ good, 60+ fair, else poor. Speeding episodes count through their time, not their number.
 */
export const DEFAULT_WEIGHTS: Required<DrivingSettings['weights']> = {
  harsh_brake: 2,
  harsh_acceleration: 1,
  harsh_corner: 2,
  possible_collision: 10,
  idle: 0.5,
  speedingPercent: 1,
};
export const MIN_KM = 10;

export interface Counters {
  distanceM: number;
  drivingS: number;
  speedingS: number;
  idleS: number;
  events: Record<DrivingKind, number>;
}

export function scoreOf(c: Counters, weights: DrivingSettings['weights'] = {}): { score: number | null; band: ScoreDto['band'] } {
  if (c.distanceM <= 0 && c.drivingS <= 0) return { score: null, band: null };
  const w = { ...DEFAULT_WEIGHTS, ...weights };
  const per100 = 100 / Math.max(c.distanceM / 1000, MIN_KM);
  const speedingPercent = c.drivingS > 0 ? (100 * c.speedingS) / c.drivingS : 0;
  const lost =
    w.harsh_brake * c.events.harsh_brake * per100 +
    w.harsh_acceleration * c.events.harsh_acceleration * per100 +
    w.harsh_corner * c.events.harsh_corner * per100 +
    w.possible_collision * c.events.possible_collision * per100 +
    w.idle * c.events.idle * per100 +
    w.speedingPercent * speedingPercent;
  const score = Math.round(Math.max(0, Math.min(100, 100 - lost)) * 10) / 10;
  return { score, band: bandOf(score) };
}

export function bandOf(score: number): ScoreDto['band'] {
  return score >= 90 ? 'excellent' : score >= 75 ? 'good' : score >= 60 ? 'fair' : 'poor';
}
