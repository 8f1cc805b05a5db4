import type { Prisma } from '../database';

/**
 * The journeys and stops under way (history_open_segments, server/history/service.ts): each
 * vehicle's open movement state, saved at checkpoints and at shutdown, taken back at start.
 * Off the position path; one statement per call.
 */

export interface OpenSegmentRow {
  tenantId: string;
  vehicleId: string;
  /** A `SegmentState` (server/history/segment.ts) when this version wrote it; checked on import. */
  state: unknown;
}

/**
 * Reads and deletes every saved state in one statement: once taken back, a row could only
 * bring back a state older than the one in memory (after a crash before the next checkpoint).
 */
export function takeOpenSegments(prisma: Prisma): Promise<OpenSegmentRow[]> {
  return prisma.$queryRaw<OpenSegmentRow[]>`
    DELETE FROM history_open_segments RETURNING tenant_id AS "tenantId", vehicle_id AS "vehicleId", state`;
}

/** Upserts the given vehicles' states in ONE statement; a vehicle deleted meanwhile (or of another tenant) is skipped. */
export async function saveOpenSegments(prisma: Prisma, rows: readonly OpenSegmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await prisma.$executeRaw`
    INSERT INTO history_open_segments (tenant_id, vehicle_id, state, saved_at)
    SELECT DISTINCT ON (u.vehicle_id) u.tenant_id, u.vehicle_id, u.state, now()
    FROM unnest(${rows.map((r) => r.tenantId)}::uuid[], ${rows.map((r) => r.vehicleId)}::uuid[], ${rows.map((r) => JSON.stringify(r.state))}::jsonb[])
      WITH ORDINALITY AS u(tenant_id, vehicle_id, state, ord)
    JOIN vehicles v ON v.id = u.vehicle_id AND v.tenant_id = u.tenant_id
    -- One row per key (the last given wins), in key order (no deadlocks).
    ORDER BY u.vehicle_id, u.ord DESC
    ON CONFLICT (vehicle_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, state = EXCLUDED.state, saved_at = EXCLUDED.saved_at`;
}
