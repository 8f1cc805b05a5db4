/**
 * Live fleet KPIs and system metrics on /fleet: the server sends `metrics` to the tenant's
 * fleet subscribers every few seconds, and answers a `metrics` request (ack) at once.
 */
export const METRICS_EVENT = 'metrics';

/** Fleet KPIs of one tenant and the ingest rate of its positions. Times are epoch ms. */
export interface FleetMetricsSnapshot {
  at: number;
  /** Vehicles of the tenant, with or without a position. */
  vehicles: number;
  /** Online (reported within OFFLINE_AFTER_S). */
  active: number;
  /** Online and at or above MOVING_SPEED_KMH. */
  moving: number;
  /** Online and below MOVING_SPEED_KMH (or speed unknown). */
  stopped: number;
  /** Not online, including vehicles that never reported. */
  offline: number;
  /** Mean speed of the moving vehicles, km/h; null when none moves. */
  avgSpeedKmh: number | null;
  /** Distance driven by the tenant's vehicles since 00:00 UTC (as seen by this server process). */
  distanceTodayKm: number;
  /** Positions committed per second over the last RATE_WINDOW_S seconds. */
  ingestPerSec: number;
  /** Positions per second in SERIES_STEP_S-second steps, oldest first; the last step ends at `seriesEnd`. */
  ingestSeries: number[];
  seriesEnd: number;
  seriesStepS: number;
}

/** Speed (km/h) at or above which a vehicle counts as moving (dashboards color by the same rule). */
export const MOVING_SPEED_KMH = 1;
