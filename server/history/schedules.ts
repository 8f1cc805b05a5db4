import type { Principal } from '../auth/tokens';
import { requireRole } from '../auth/tokens';
import type { Prisma } from '../db/database';
import * as sql from '../db/sql/report-schedules';
import type { EventLog } from '../events/log';
import { Audit, changesOf } from '../events/audit';
import type { Logger } from '../log';
import { ApiError, asApiError, parseOrThrow } from '../protocol/errors';
import { newEvent, SYSTEM } from '../protocol/events';
import {
  describeCadence,
  nextRun,
  periodOf,
  periodText,
  reportScheduleCreate,
  reportSchedulePatch,
  reportScheduleWhole,
  type ReportDeliveryDto,
  type ReportRunResult,
  type ReportScheduleDto,
  type ReportScheduleFields,
  type ReportScheduleListResult,
  type ScheduleCadence,
} from '../protocol/report-schedules';
import type { ReportName } from '../protocol/reports';
import { MAX_ATTACHMENT_BYTES, type ReportMailer } from './mailer';
import type { ReportService } from './reports';
import type { SignedLinks } from './signed-link';

const EDITORS = ['admin', 'manager'] as const;
const READERS = ['admin', 'manager', 'viewer'] as const;
const DAY_MS = 86_400_000;
/** How often the scheduler looks for due schedules, and how many it makes per look. */
const TICK_MS = 60_000;
const PER_TICK = 20;
/** What audit events show of a schedule. */
const AUDITED = ['name', 'report', 'format', 'cadence', 'weekday', 'hour', 'filters', 'emails', 'active'] as const;

export interface ReportScheduleOptions {
  reports: ReportService;
  events: EventLog;
  links: SignedLinks;
  /** null without SMTP_URL: recipients get nothing, the event and the link remain. */
  mailer: ReportMailer | null;
  /** REPORT_FILE_DAYS. */
  fileDays: number;
  log: Logger;
}

/**
 * Scheduled reports (docs/reports.md): admins and managers keep schedules of any report with its
 * filters; viewers read them. At its UTC hour a schedule's report is made for the period just
 * ended (yesterday, or the 7 days before), kept as a file behind a signed link, announced as a
 * `report.delivered` event — which webhooks and the SSE stream carry — and e-mailed when the server
 * has SMTP. A run that fails is a `report.failed` event; the schedule keeps its next time.
 */
export class ReportScheduleService {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;

  constructor(
    private readonly prisma: Prisma,
    private readonly o: ReportScheduleOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    this.o.mailer?.close();
  }

  async list(principal: Principal): Promise<ReportScheduleListResult> {
    requireRole(principal, READERS, 'read report schedules');
    const rows = await sql.listSchedules(this.prisma, principal.tenantId);
    return { schedules: rows.map(toDto), email: this.o.mailer !== null };
  }

  async get(principal: Principal, id: string): Promise<ReportScheduleDto> {
    requireRole(principal, READERS, 'read report schedules');
    return toDto(await this.find(principal, id));
  }

  async create(principal: Principal, body: unknown): Promise<ReportScheduleDto> {
    requireRole(principal, EDITORS, 'schedule reports');
    const input = parseOrThrow(reportScheduleCreate, body);
    this.checkReport(principal, input);
    const row = await this.o.events.transact(async (tx, emit) => {
      const created = await sql.insertSchedule(tx, principal.tenantId, principal.userId, dataOf(input, Date.now()));
      emit(new Audit(principal).event('report_schedule.created', created.id, { name: created.name, after: audited(created) }));
      return created;
    });
    return toDto(row);
  }

  async update(principal: Principal, id: string, body: unknown): Promise<ReportScheduleDto> {
    requireRole(principal, EDITORS, 'schedule reports');
    const patch = parseOrThrow(reportSchedulePatch, body);
    const row = await this.o.events.transact(async (tx, emit) => {
      const before = await sql.findSchedule(tx, principal.tenantId, id);
      if (!before) throw notFound(id);
      const whole = parseOrThrow(reportScheduleWhole, { ...fieldsOf(before), ...patch });
      this.checkReport(principal, whole);
      const after = await sql.updateSchedule(tx, id, dataOf(whole, Date.now()));
      const changes = changesOf(audited(before), audited(after), AUDITED);
      if (Object.keys(changes).length > 0) emit(new Audit(principal).event('report_schedule.updated', id, { name: after.name, changes }));
      return after;
    });
    return toDto(row);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    requireRole(principal, EDITORS, 'schedule reports');
    await this.o.events.transact(async (tx, emit) => {
      const before = await sql.findSchedule(tx, principal.tenantId, id);
      if (!before) throw notFound(id);
      await sql.deleteSchedule(tx, id);
      emit(new Audit(principal).event('report_schedule.deleted', id, { name: before.name, before: audited(before) }));
    });
  }

  /** Makes the schedule's report now, for the period that ended last (its next time does not move). */
  async runNow(principal: Principal, id: string): Promise<ReportRunResult> {
    requireRole(principal, EDITORS, 'run scheduled reports');
    const row = await this.find(principal, id);
    const delivery = await this.deliver(row, periodOf(row.cadence as ScheduleCadence, Date.now()));
    return { schedule: toDto({ ...row, lastDelivery: delivery }), delivery };
  }

  /**
   * A made file by its signed link: the link must name this file and not have expired (a forged,
   * altered or expired link is refused the same way whether or not the file exists).
   */
  async download(id: string, params: URLSearchParams): Promise<Response> {
    const problem = this.o.links.problem(id, params.get('expires'), params.get('signature'));
    if (problem === 'expired') throw new ApiError('NOT_FOUND', 'this download link has expired: run the report again from its schedule on the Reports page');
    if (problem) throw new ApiError('FORBIDDEN', 'this download link is not valid (it was altered, or the server\'s secret changed)');
    const file = await sql.findFile(this.prisma, id);
    if (!file || file.expiresAt.getTime() <= Date.now()) throw new ApiError('NOT_FOUND', 'this file is no longer kept: run the report again from its schedule on the Reports page');
    return new Response(new Uint8Array(file.content), {
      headers: { 'Content-Type': file.contentType, 'Content-Disposition': `attachment; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' },
    });
  }

  /**
   * Removes files whose links have expired, then makes every due schedule once (a server that was
   * down makes a missed run once, for the period that was due, and then keeps to the schedule).
   */
  tick(now = Date.now()): Promise<void> {
    if (this.ticking) return this.ticking;
    this.ticking = (async () => {
      try {
        const purged = await sql.purgeExpiredFiles(this.prisma, new Date(now));
        if (purged > 0) this.o.log.info({ files: purged }, 'scheduled reports: expired files removed');
        for (const row of await sql.dueSchedules(this.prisma, new Date(now), PER_TICK)) {
          const dueAt = row.nextRunAt!;
          const next = new Date(nextRun(fieldsOf(row), Math.max(now, dueAt.getTime())));
          if (!(await sql.claimRun(this.prisma, row.id, dueAt, next))) continue;
          await this.deliver(row, periodOf(row.cadence as ScheduleCadence, dueAt.getTime()));
        }
      } catch (error) {
        this.o.log.error({ err: error }, 'scheduled reports: could not look for due schedules');
      } finally {
        this.ticking = null;
      }
    })();
    return this.ticking;
  }

  /** Makes one run: the file, its link, the e-mail, the event and the schedule's last delivery. */
  private async deliver(row: sql.ScheduleRow, period: { from: number; to: number }): Promise<ReportDeliveryDto> {
    const from = new Date(period.from).toISOString();
    const to = new Date(period.to).toISOString();
    const base = { name: row.name, report: row.report };
    let delivery: ReportDeliveryDto;
    try {
      const file = await this.make(row, period);
      const expiresAt = Date.now() + this.o.fileDays * DAY_MS;
      const { id: fileId } = await sql.insertFile(this.prisma, { tenantId: row.tenantId, scheduleId: row.id, ...file, expiresAt: new Date(expiresAt) });
      const url = this.o.links.fileUrl(fileId, expiresAt);
      const mail = await this.mail(row, file, url, period);
      delivery = { from, to, at: new Date().toISOString(), outcome: 'delivered', error: mail.error, fileName: file.fileName, bytes: file.content.length, url, expiresAt: new Date(expiresAt).toISOString(), emailedTo: mail.to };
      await this.o.events.append([
        newEvent({
          tenantId: row.tenantId,
          type: 'report.delivered',
          aggregateId: row.id,
          actor: SYSTEM,
          data: { ...base, format: row.format, from, to, fileName: file.fileName, bytes: file.content.length, url, expiresAt: delivery.expiresAt!, emailedTo: mail.to, emailError: mail.error },
        }),
      ]);
    } catch (error) {
      const reason = asApiError(error)?.message ?? (error instanceof Error ? error.message : String(error));
      this.o.log.warn({ err: error, scheduleId: row.id }, 'scheduled report failed');
      delivery = { from, to, at: new Date().toISOString(), outcome: 'failed', error: reason, fileName: null, bytes: null, url: null, expiresAt: null, emailedTo: [] };
      await this.o.events.append([newEvent({ tenantId: row.tenantId, type: 'report.failed', aggregateId: row.id, actor: SYSTEM, data: { ...base, from, to, reason } })]).catch(() => undefined);
    }
    await sql.recordDelivery(this.prisma, row.id, delivery);
    return delivery;
  }

  /** The report's file, made as the schedule's creator would get it from GET /api/v1/reports/…. */
  private async make(row: sql.ScheduleRow, period: { from: number; to: number }): Promise<{ fileName: string; contentType: string; content: Buffer }> {
    const principal: Principal = { userId: row.createdBy ?? SYSTEM_USER, tenantId: row.tenantId, role: 'manager' };
    const query = { ...(row.filters as object), from: new Date(period.from).toISOString(), to: new Date(period.to).toISOString(), format: row.format };
    const response = await this.o.reports.run(principal, row.report, query);
    const content = Buffer.from(await response.arrayBuffer());
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `geofleet-${row.report}.${row.format}`;
    return { fileName, contentType: response.headers.get('Content-Type') ?? 'application/octet-stream', content };
  }

  /** E-mails the file (or its link, when too large) to the recipients; a failure is reported, not thrown. */
  private async mail(row: sql.ScheduleRow, file: { fileName: string; contentType: string; content: Buffer }, url: string, period: { from: number; to: number }): Promise<{ to: string[]; error: string | null }> {
    if (!this.o.mailer || row.emails.length === 0) return { to: [], error: null };
    const span = periodText(period.from, period.to);
    const attach = file.content.length <= MAX_ATTACHMENT_BYTES;
    try {
      await this.o.mailer.send({
        to: row.emails,
        subject: `${row.name} — ${span}`,
        text: [
          `${row.name}: the ${row.report} report for ${span} (UTC).`,
          attach ? `The ${row.format.toUpperCase()} file is attached; it can also be downloaded until the link expires:` : `The file is too large to attach (${Math.round(file.content.length / 1024)} KB); download it until the link expires:`,
          url,
          '',
          `${describeCadence(fieldsOf(row))}. Sent by GeoFleet; a manager can change or pause the schedule on the Reports page.`,
        ].join('\n'),
        attachment: attach ? file : null,
      });
      return { to: row.emails, error: null };
    } catch (error) {
      this.o.log.warn({ err: error, scheduleId: row.id }, 'scheduled report: e-mail failed');
      return { to: [], error: `e-mail failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  /** The report and its filters must be one the reports API accepts (checked now, not at 6 a.m.). */
  private checkReport(principal: Principal, s: ReportScheduleFields): void {
    const probe = periodOf(s.cadence, Date.now());
    try {
      this.o.reports.parse({ ...principal, role: 'manager' }, s.report, { ...s.filters, from: new Date(probe.from).toISOString(), to: new Date(probe.to).toISOString(), format: s.format });
    } catch (error) {
      const apiError = asApiError(error);
      if (apiError?.code === 'VALIDATION_ERROR') throw new ApiError('VALIDATION_ERROR', `filters: ${apiError.message}`, apiError.field ? `filters.${apiError.field}` : 'filters');
      throw error;
    }
  }

  private async find(principal: Principal, id: string): Promise<sql.ScheduleRow> {
    const row = await sql.findSchedule(this.prisma, principal.tenantId, id);
    if (!row) throw notFound(id);
    return row;
  }
}

/** Runs of schedules whose creator was removed are made in the tenant's name (reports only check the role). */
const SYSTEM_USER = '00000000-0000-0000-0000-000000000000';

const notFound = (id: string) => new ApiError('NOT_FOUND', `report schedule ${id} not found`);

function fieldsOf(row: sql.ScheduleRow): ReportScheduleFields {
  return {
    name: row.name,
    report: row.report as ReportName,
    format: row.format as ReportScheduleFields['format'],
    cadence: row.cadence as ScheduleCadence,
    weekday: row.weekday,
    hour: row.hour,
    filters: row.filters as ReportScheduleFields['filters'],
    emails: row.emails,
    active: row.active,
  };
}

function dataOf(s: ReportScheduleFields, now: number): sql.ScheduleData {
  return { ...s, weekday: s.cadence === 'weekly' ? s.weekday : null, filters: s.filters, nextRunAt: s.active ? new Date(nextRun(s, now)) : null };
}

function audited(row: sql.ScheduleRow): Record<string, unknown> {
  const f = fieldsOf(row);
  return Object.fromEntries(AUDITED.map((k) => [k, f[k]]));
}

function toDto(row: sql.ScheduleRow): ReportScheduleDto {
  const last = row.lastDelivery as ReportDeliveryDto | null;
  // A link past its expiry no longer works: do not offer it.
  const lastDelivery = last && last.expiresAt && Date.parse(last.expiresAt) <= Date.now() ? { ...last, url: null } : last;
  return { id: row.id, ...fieldsOf(row), nextRunAt: row.nextRunAt?.toISOString() ?? null, lastDelivery, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
