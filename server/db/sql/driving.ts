import type { Prisma } from '../database';
import { Prisma as P } from '../generated/prisma/client';
import { DRIVING_KINDS, type DrivingKind } from '../../protocol/driving';
import type { DomainEvent } from '../../protocol/events';
import { toEvent } from './events';

/** What to add to one subject's day. */
export interface DrivingDayDelta {
  tenantId: string;
  subjectKind: 'driver' | 'vehicle';
  subjectId: string;
  /** Epoch ms of the UTC day's start. */
  day: number;
  distanceM: number;
  drivingS: number;
  speedingS: number;
  idleS: number;
  events: Record<DrivingKind, number>;
}

/** Adds the deltas to their days in one statement (rows are created on first use). */
export async function addDrivingDays(prisma: Prisma, deltas: readonly DrivingDayDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const col = <T>(pick: (d: DrivingDayDelta) => T) => deltas.map(pick);
  const counts = DRIVING_KINDS.map((k) => col((d) => d.events[k]));
  await prisma.$executeRaw`
    INSERT INTO driving_days AS t (tenant_id, subject_kind, subject_id, day, distance_m, driving_s, speeding_s, idle_s,
                                   harsh_brake, harsh_acceleration, harsh_corner, speeding, idle, possible_collision)
    SELECT u.tenant_id, u.kind, u.subject_id, to_timestamp(u.day / 1000.0)::date, u.distance_m, u.driving_s, u.speeding_s, u.idle_s,
           u.hb, u.ha, u.hc, u.sp, u.id, u.pc
    FROM unnest(${col((d) => d.tenantId)}::uuid[], ${col((d) => d.subjectKind)}::text[], ${col((d) => d.subjectId)}::uuid[],
                ${col((d) => d.day)}::float8[], ${col((d) => d.distanceM)}::float8[], ${col((d) => d.drivingS)}::float8[],
                ${col((d) => d.speedingS)}::float8[], ${col((d) => d.idleS)}::float8[],
                ${counts[0]}::int[], ${counts[1]}::int[], ${counts[2]}::int[], ${counts[3]}::int[], ${counts[4]}::int[], ${counts[5]}::int[])
      AS u(tenant_id, kind, subject_id, day, distance_m, driving_s, speeding_s, idle_s, hb, ha, hc, sp, id, pc)
    -- A vehicle or driver deleted meanwhile: its tenant still exists (the rows go with the tenant).
    WHERE EXISTS (SELECT 1 FROM tenants WHERE id = u.tenant_id)
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (tenant_id, subject_kind, subject_id, day) DO UPDATE SET
      distance_m = t.distance_m + EXCLUDED.distance_m,
      driving_s = t.driving_s + EXCLUDED.driving_s,
      speeding_s = t.speeding_s + EXCLUDED.speeding_s,
      idle_s = t.idle_s + EXCLUDED.idle_s,
      harsh_brake = t.harsh_brake + EXCLUDED.harsh_brake,
      harsh_acceleration = t.harsh_acceleration + EXCLUDED.harsh_acceleration,
      harsh_corner = t.harsh_corner + EXCLUDED.harsh_corner,
      speeding = t.speeding + EXCLUDED.speeding,
      idle = t.idle + EXCLUDED.idle,
      possible_collision = t.possible_collision + EXCLUDED.possible_collision`;
}

/** The only period names that reach the SQL text. */
const PERIODS = { day: 'day', week: 'week', month: 'month' } as const;

export interface PeriodRow {
  subject_id: string;
  name: string | null;
  period: Date;
  distance_m: number;
  driving_s: number;
  speeding_s: number;
  idle_s: number;
  harsh_brake: number;
  harsh_acceleration: number;
  harsh_corner: number;
  speeding: number;
  idle: number;
  possible_collision: number;
}

/** The counters of a tenant's drivers or vehicles summed per day, ISO week or month, from ≤ day ≤ to. */
export async function drivingPeriods(
  prisma: Prisma,
  tenantId: string,
  kind: 'driver' | 'vehicle',
  period: 'day' | 'week' | 'month',
  from: string,
  to: string,
  subjectId: string | null,
): Promise<PeriodRow[]> {
  const names = kind === 'driver' ? P.sql`LEFT JOIN users n ON n.id = d.subject_id` : P.sql`LEFT JOIN vehicles n ON n.id = d.subject_id`;
  return prisma.$queryRaw<PeriodRow[]>`
    SELECT d.subject_id::text AS subject_id, max(n.name) AS name, date_trunc(${P.raw(`'${PERIODS[period]}'`)}, d.day)::date AS period,
           sum(d.distance_m)::float8 AS distance_m, sum(d.driving_s)::float8 AS driving_s, sum(d.speeding_s)::float8 AS speeding_s,
           sum(d.idle_s)::float8 AS idle_s, sum(d.harsh_brake)::int AS harsh_brake, sum(d.harsh_acceleration)::int AS harsh_acceleration,
           sum(d.harsh_corner)::int AS harsh_corner, sum(d.speeding)::int AS speeding, sum(d.idle)::int AS idle,
           sum(d.possible_collision)::int AS possible_collision
    FROM driving_days d ${names}
    WHERE d.tenant_id = ${tenantId}::uuid AND d.subject_kind = ${kind}
      AND d.day >= ${from}::date AND d.day <= ${to}::date
      AND (${subjectId}::uuid IS NULL OR d.subject_id = ${subjectId}::uuid)
    GROUP BY 1, 3
    ORDER BY period, subject_id`;
}

export interface DrivingEventFilter {
  driverId?: string;
  vehicleId?: string;
  kinds?: readonly DrivingKind[];
  from?: number;
  to?: number;
}

/** A tenant's driving.* events, newest first, from the event log. */
export async function drivingEvents(prisma: Prisma, tenantId: string, f: DrivingEventFilter, limit: number): Promise<DomainEvent[]> {
  const types = (f.kinds && f.kinds.length > 0 ? f.kinds : DRIVING_KINDS).map((k) => `driving.${k}`);
  const rows = await prisma.$queryRaw<Parameters<typeof toEvent>[0][]>`
    SELECT tenant_id, seq, id, type, aggregate_type, aggregate_id, version, at, actor, correlation_id, causation_id, data
    FROM domain_events
    WHERE tenant_id = ${tenantId}::uuid AND type = ANY(${types}::text[])
      AND (${f.vehicleId ?? null}::text IS NULL OR aggregate_id = ${f.vehicleId ?? null})
      AND (${f.driverId ?? null}::text IS NULL OR data->>'driverId' = ${f.driverId ?? null})
      AND (${f.from ?? null}::float8 IS NULL OR at >= to_timestamp(${f.from ?? null}::float8 / 1000))
      AND (${f.to ?? null}::float8 IS NULL OR at < to_timestamp(${f.to ?? null}::float8 / 1000))
    ORDER BY at DESC, seq DESC
    LIMIT ${limit}`;
  return rows.map(toEvent);
}

/** Every tenant's driving settings (null where the tenant has none). */
export async function drivingSettingsOfTenants(prisma: Prisma): Promise<Array<{ id: string; settings: unknown }>> {
  return prisma.$queryRaw`SELECT id::text AS id, driving_settings AS settings FROM tenants`;
}

export async function saveDrivingSettings(prisma: Prisma, tenantId: string, settings: unknown): Promise<void> {
  await prisma.$executeRaw`UPDATE tenants SET driving_settings = ${JSON.stringify(settings)}::jsonb WHERE id = ${tenantId}::uuid`;
}
