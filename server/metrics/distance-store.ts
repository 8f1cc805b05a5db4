import type { Prisma } from '../db/database';
import type { Logger } from '../log';
import type { FleetMetrics } from './fleet-metrics';

/** How often changed distances are written (and once more at shutdown). */
const SAVE_MS = 30_000;

/**
 * Keeps "Distance today" across restarts: the tenants' changed day distances are upserted every
 * SAVE_MS (one statement for all of them, off the position path), the last ones at shutdown,
 * and read back at start. At most SAVE_MS of driving is lost when the process dies hard.
 */
export class DistanceStore {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly prisma: Prisma,
    private readonly metrics: FleetMetrics,
    private readonly log: Logger,
  ) {}

  /** Reads the recent days back into the metrics (each counts only if it is its tenant's today). */
  async restore(now = Date.now()): Promise<void> {
    const rows = await this.prisma.$queryRaw<Array<{ tenantId: string; day: string; distanceM: number }>>`
      SELECT tenant_id AS "tenantId", to_char(day, 'YYYY-MM-DD') AS day, distance_m AS "distanceM"
      FROM fleet_distance_days WHERE day >= (${new Date(now).toISOString()}::timestamptz AT TIME ZONE 'UTC')::date - 1`;
    this.metrics.restore(rows, now);
  }

  start(): void {
    this.timer = setInterval(() => void this.save().catch((error: unknown) => this.log.error({ err: error }, 'distance today could not be saved')), SAVE_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.save().catch((error: unknown) => this.log.error({ err: error }, 'distance today could not be saved'));
  }

  /** Upserts the changed distances in one statement; resolves with how many. */
  async save(): Promise<number> {
    const days = this.metrics.changedDays();
    if (days.length === 0) return 0;
    await this.prisma.$executeRaw`
      INSERT INTO fleet_distance_days (tenant_id, day, distance_m, updated_at)
      SELECT t.id, d.day::date, d.distance_m, now()
      FROM unnest(${days.map((d) => d.tenantId)}::uuid[], ${days.map((d) => d.day)}::text[], ${days.map((d) => d.distanceM)}::float8[]) AS d(tenant_id, day, distance_m)
      JOIN tenants t ON t.id = d.tenant_id
      ON CONFLICT (tenant_id, day) DO UPDATE SET distance_m = GREATEST(fleet_distance_days.distance_m, EXCLUDED.distance_m), updated_at = now()`;
    return days.length;
  }
}
