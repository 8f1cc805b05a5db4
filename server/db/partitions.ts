import { archivePartition } from '../history/archive';
import type { Logger } from '../log';
import type { Prisma } from './database';

const DAY_MS = 86_400_000;

function dayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

function partitionName(dayMs: number): string {
  return `position_history_p${new Date(dayMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The names of a partitioned table's partitions, but its default one. */
async function partitionsOf(prisma: Prisma, parent: string): Promise<Set<string>> {
  const rows = await prisma.$queryRaw<Array<{ name: string }>>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = ${parent} AND c.relname <> ${parent + '_default'}`;
  return new Set(rows.map((r) => r.name));
}

/** A partition of `parent` for [from, to). Identifiers and bounds come from names and dates we made, never from input. */
async function createPartition(prisma: Prisma, parent: string, name: string, from: number, to: number): Promise<void> {
  await prisma.$executeRawUnsafe(
    `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF ${parent} FOR VALUES FROM ('${new Date(from).toISOString()}') TO ('${new Date(to).toISOString()}')`,
  );
}


export interface PartitionMaintenance {
  created: string[];
  dropped: string[];
  deletedFromDefault: number;
  /** Partitions past retention kept because archiving them failed (retried at the next maintenance). */
  kept?: Array<{ partition: string; reason: string }>;
}

/**
 * Keeps position_history partitioned by UTC day: creates the partitions from the start of the
 * retention window to `aheadDays` ahead, drops whole partitions older than the window and
 * deletes expired rows that landed in the default partition. Idempotent; safe to run often.
 */
export async function maintainHistoryPartitions(
  prisma: Prisma,
  now: number,
  retentionDays: number,
  aheadDays = 2,
  /** Called before a partition is dropped (HISTORY_ARCHIVE_DIR); when it throws, the partition stays. */
  beforeDrop?: (partition: string) => Promise<void>,
): Promise<PartitionMaintenance> {
  const today = dayStart(now);
  const oldest = today - (retentionDays - 1) * DAY_MS;
  const existing = await partitionsOf(prisma, 'position_history');

  const created: string[] = [];
  for (let day = oldest; day <= today + aheadDays * DAY_MS; day += DAY_MS) {
    const name = partitionName(day);
    if (existing.has(name)) continue;
    await createPartition(prisma, 'position_history', name, day, day + DAY_MS);
    created.push(name);
  }

  const dropped: string[] = [];
  const kept: Array<{ partition: string; reason: string }> = [];
  for (const name of existing) {
    const match = /^position_history_p(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!match) continue;
    const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (day < oldest) {
      if (beforeDrop) {
        try {
          await beforeDrop(name);
        } catch (error) {
          kept.push({ partition: name, reason: (error as Error).message });
          continue;
        }
      }
      await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
  }
  const deletedFromDefault = await prisma.$executeRaw`DELETE FROM position_history_default WHERE ts < to_timestamp(${oldest / 1000})`;
  return { created, dropped, deletedFromDefault, ...(kept.length > 0 ? { kept } : {}) };
}

const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const eventPartitionName = (ms: number) => `domain_events_p${new Date(ms).toISOString().slice(0, 7).replace('-', '')}`;

/**
 * Keeps domain_events partitioned by UTC month of `recorded_at`: creates this month's and the
 * next one's partitions and drops whole months that ended before the retention window. An event
 * is appended with `recorded_at` = now, so the default partition only fills if maintenance
 * stopped for a month. Idempotent; safe to run often.
 */
export async function maintainEventPartitions(prisma: Prisma, now: number, retentionDays: number): Promise<{ created: string[]; dropped: string[] }> {
  const existing = await partitionsOf(prisma, 'domain_events');
  const created: string[] = [];
  for (let month = monthStart(now), i = 0; i < 2; month = nextMonth(month), i++) {
    const name = eventPartitionName(month);
    if (existing.has(name)) continue;
    await createPartition(prisma, 'domain_events', name, month, nextMonth(month));
    created.push(name);
  }
  const dropped: string[] = [];
  const oldest = now - retentionDays * DAY_MS;
  for (const name of existing) {
    const match = /^domain_events_p(\d{4})(\d{2})$/.exec(name);
    if (!match) continue;
    const end = Date.UTC(Number(match[1]), Number(match[2]), 1);
    if (end <= oldest) {
      await prisma.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
      dropped.push(name);
    }
  }
  return { created, dropped };
}

/**
 * Both partitioned tables at once (at start-up and every hour): position history by day, the
 * event log by month. Logs what changed; resolves with nothing to say when nothing did.
 */
export async function maintainPartitions(prisma: Prisma, now: number, retention: { historyDays: number; eventDays: number; archiveDir?: string | undefined }, log: Logger): Promise<void> {
  // HISTORY_ARCHIVE_DIR: a day's positions are written to a gzip CSV before its partition goes.
  const archiveDir = retention.archiveDir;
  const beforeDrop = archiveDir
    ? async (partition: string) => {
        const { file, rows } = await archivePartition(prisma, partition, archiveDir);
        log.info({ partition, file, rows }, 'position history partition archived');
      }
    : undefined;
  const history = await maintainHistoryPartitions(prisma, now, retention.historyDays, 2, beforeDrop);
  if (history.created.length || history.dropped.length) log.info(history, 'position history partitions maintained');
  if (history.kept) log.error({ kept: history.kept }, 'position history partitions past retention kept: archiving them failed');
  const events = await maintainEventPartitions(prisma, now, retention.eventDays);
  if (events.created.length || events.dropped.length) log.info(events, 'event log partitions maintained');
}
