import type { Prisma } from '../database';
import type { Tx } from './events';

/**
 * Scheduled reports and the files they made. Reads and changes a person makes are scoped by
 * tenant; the scheduler claims a due run with a compare-and-set on next_run_at, so two instances
 * (or a run-now racing the timer) never make the same run twice.
 */

export interface ScheduleRow {
  id: string;
  tenantId: string;
  name: string;
  report: string;
  format: string;
  cadence: string;
  weekday: number | null;
  hour: number;
  filters: unknown;
  emails: string[];
  active: boolean;
  nextRunAt: Date | null;
  lastDelivery: unknown;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ScheduleData = Pick<ScheduleRow, 'name' | 'report' | 'format' | 'cadence' | 'weekday' | 'hour' | 'emails' | 'active' | 'nextRunAt'> & { filters: object };

export function listSchedules(db: Prisma | Tx, tenantId: string): Promise<ScheduleRow[]> {
  return db.reportSchedule.findMany({ where: { tenantId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export function findSchedule(db: Prisma | Tx, tenantId: string, id: string): Promise<ScheduleRow | null> {
  return db.reportSchedule.findFirst({ where: { id, tenantId } });
}

export function insertSchedule(db: Tx, tenantId: string, createdBy: string, data: ScheduleData): Promise<ScheduleRow> {
  return db.reportSchedule.create({ data: { tenantId, createdBy, ...data } });
}

export function updateSchedule(db: Tx, id: string, data: Partial<ScheduleData>): Promise<ScheduleRow> {
  return db.reportSchedule.update({ where: { id }, data: { ...data, updatedAt: new Date() } });
}

export async function deleteSchedule(db: Tx, id: string): Promise<void> {
  await db.reportSchedule.delete({ where: { id } });
}

/** Active schedules whose time has come (oldest first), at most `limit`. */
export function dueSchedules(db: Prisma, now: Date, limit: number): Promise<ScheduleRow[]> {
  return db.reportSchedule.findMany({ where: { active: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: 'asc' }, take: limit });
}

/** Moves a due schedule to its next time if no one else has: true when this caller owns the run. */
export async function claimRun(db: Prisma, id: string, dueAt: Date, next: Date): Promise<boolean> {
  const { count } = await db.reportSchedule.updateMany({ where: { id, active: true, nextRunAt: dueAt }, data: { nextRunAt: next } });
  return count === 1;
}

/** Records a run's outcome on its schedule (gone meanwhile: nothing). */
export async function recordDelivery(db: Prisma, id: string, delivery: object): Promise<void> {
  await db.reportSchedule.updateMany({ where: { id }, data: { lastDelivery: delivery } });
}

export interface FileRow {
  id: string;
  tenantId: string;
  fileName: string;
  contentType: string;
  content: Uint8Array;
  expiresAt: Date;
}

export function insertFile(db: Prisma, file: { tenantId: string; scheduleId: string; fileName: string; contentType: string; content: Buffer; expiresAt: Date }): Promise<{ id: string }> {
  return db.reportFile.create({ data: { ...file, content: new Uint8Array(file.content) }, select: { id: true } });
}

export function findFile(db: Prisma, id: string): Promise<FileRow | null> {
  return db.reportFile.findUnique({ where: { id }, select: { id: true, tenantId: true, fileName: true, contentType: true, content: true, expiresAt: true } });
}

/** Removes files whose links have expired; resolves with how many. */
export async function purgeExpiredFiles(db: Prisma, now: Date): Promise<number> {
  const { count } = await db.reportFile.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
