import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readSheet } from 'read-excel-file/node';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { createLogger } from '../../server/log';
import type { DomainEvent } from '../../server/protocol/events';
import type { ReportRunResult, ReportScheduleDto, ReportScheduleListResult } from '../../server/protocol/report-schedules';
import { api, DEMO, fetchJson, login, waitUntil } from './client';
import { TENANT_B } from './context';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * Scheduled reports (docs/reports.md, "Scheduled reports"): schedules over REST with their
 * validation, roles and tenant walls; a run makes the file behind a signed link that works without
 * signing in (and not when altered); the run is a `report.delivered` event that a webhook
 * receives; with SMTP_URL the file is mailed (a real SMTP server in this process catches it); and
 * a run missed while the server was down is made once when it is back.
 */

const yesterday = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000).toISOString().slice(0, 10);

describe('report schedules over REST (shared server)', () => {
  let manager: string;
  let viewer: string;
  let driver: string;
  let rival: string;
  const made: string[] = [];

  beforeAll(async () => {
    manager = (await login(...DEMO.manager)).token;
    viewer = (await login(...DEMO.viewer)).token;
    driver = (await login(...DEMO.driver)).token;
    rival = (await login(TENANT_B.admin.email, TENANT_B.admin.password)).token;
  });
  afterAll(async () => {
    for (const id of made) await api(`/api/v1/report-schedules/${id}`, { token: manager, method: 'DELETE' });
  });

  const create = async (body: object) => {
    const r = await api<{ schedule: ReportScheduleDto }>('/api/v1/report-schedules', { token: manager, body });
    if (r.status === 201) made.push(r.body.schedule.id);
    return r;
  };

  it('creates a schedule with its defaults and next time, audited; lists it for viewers', async () => {
    const r = await create({ name: 'Weekly summary', report: 'summary', cadence: 'weekly', weekday: 1, hour: 7, filters: { groupBy: 'driver' } });
    expect(r.status).toBe(201);
    const s = r.body.schedule;
    expect(s).toMatchObject({ name: 'Weekly summary', report: 'summary', format: 'xlsx', cadence: 'weekly', weekday: 1, hour: 7, active: true, emails: [], lastDelivery: null });
    expect(s.filters.groupBy).toBe('driver');
    const next = new Date(s.nextRunAt!);
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([1, 7, 0]);

    const list = await api<ReportScheduleListResult>('/api/v1/report-schedules', { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.email).toBe(false); // the shared server has no SMTP_URL
    expect(list.body.schedules.map((x) => x.id)).toContain(s.id);

    const audit = await api<{ events: DomainEvent[] }>(`/api/v1/events?types=report_schedule.created&aggregateId=${s.id}`, { token: manager });
    expect(audit.body.events).toHaveLength(1);
    expect(audit.body.events[0]!.actor).toMatchObject({ kind: 'user' });
  });

  it('refuses what it cannot make, naming the field, and creates nothing', async () => {
    const before = (await api<ReportScheduleListResult>('/api/v1/report-schedules', { token: manager })).body.schedules.length;
    const cases: Array<[object, string]> = [
      [{ name: 'x', report: 'summary', cadence: 'weekly' }, 'weekday'],
      [{ name: 'x', report: 'trips', cadence: 'daily', format: 'pdf' }, 'format'],
      [{ name: 'x', report: 'nope', cadence: 'daily' }, 'report'],
      [{ name: 'x', report: 'summary', cadence: 'daily', hour: 25 }, 'hour'],
      [{ name: 'x', report: 'summary', cadence: 'daily', emails: ['nobody'] }, 'emails.0'],
      [{ name: 'x', report: 'events', cadence: 'daily', filters: { vehicleIds: ['not-a-uuid'] } }, 'filters.vehicleIds.0'],
      [{ name: 'x', report: 'geofence-events', cadence: 'daily', filters: { types: ['teleport'] } }, 'filters.types'],
      [{ name: 'x', report: 'summary', cadence: 'daily', tenantId: 'mine' }, ''],
    ];
    for (const [body, field] of cases) {
      const r = await api('/api/v1/report-schedules', { token: manager, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_ERROR');
      if (field) expect(r.body.error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await api<ReportScheduleListResult>('/api/v1/report-schedules', { token: manager })).body.schedules.length).toBe(before);
  });

  it('viewers and drivers may not schedule; another tenant sees and touches nothing', async () => {
    const s = (await create({ name: 'Daily trips', report: 'trips', cadence: 'daily', format: 'csv' })).body.schedule;
    expect((await api('/api/v1/report-schedules', { token: viewer, body: { name: 'v', report: 'summary', cadence: 'daily' } })).status).toBe(403);
    expect((await api(`/api/v1/report-schedules/${s.id}/run`, { token: viewer, method: 'POST' })).status).toBe(403);
    expect((await api('/api/v1/report-schedules', { token: driver })).status).toBe(403);
    expect((await api<ReportScheduleListResult>('/api/v1/report-schedules', { token: rival })).body.schedules.map((x) => x.id)).not.toContain(s.id);
    for (const [method, path] of [['GET', ''], ['PATCH', ''], ['DELETE', ''], ['POST', '/run']] as const) {
      const r = await api(`/api/v1/report-schedules/${s.id}${path}`, { token: rival, method, ...(method === 'PATCH' ? { body: { active: false } } : {}) });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await api<{ schedule: ReportScheduleDto }>(`/api/v1/report-schedules/${s.id}`, { token: manager })).body.schedule.active).toBe(true);
  });

  it('pauses (no next time), resumes, checks a change as a whole, and deletes', async () => {
    const s = (await create({ name: 'Alerts', report: 'alerts', cadence: 'daily', format: 'csv' })).body.schedule;
    const paused = await api<{ schedule: ReportScheduleDto }>(`/api/v1/report-schedules/${s.id}`, { token: manager, method: 'PATCH', body: { active: false } });
    expect(paused.body.schedule).toMatchObject({ active: false, nextRunAt: null });
    const weekly = await api(`/api/v1/report-schedules/${s.id}`, { token: manager, method: 'PATCH', body: { cadence: 'weekly' } });
    expect(weekly.status).toBe(400);
    expect(weekly.body.error.field).toBe('weekday');
    const resumed = await api<{ schedule: ReportScheduleDto }>(`/api/v1/report-schedules/${s.id}`, { token: manager, method: 'PATCH', body: { active: true, cadence: 'weekly', weekday: 5 } });
    expect(resumed.body.schedule).toMatchObject({ active: true, cadence: 'weekly', weekday: 5 });
    expect(new Date(resumed.body.schedule.nextRunAt!).getUTCDay()).toBe(5);
    const changes = await api<{ events: DomainEvent[] }>(`/api/v1/events?types=report_schedule.updated&aggregateId=${s.id}&order=asc`, { token: manager });
    expect(changes.body.events.map((e) => Object.keys((e.data as { changes: object }).changes).sort())).toEqual([['active'], ['active', 'cadence', 'weekday']]);
    expect((await api(`/api/v1/report-schedules/${s.id}`, { token: manager, method: 'DELETE' })).status).toBe(204);
    expect((await api(`/api/v1/report-schedules/${s.id}`, { token: manager })).status).toBe(404);
  });

  it('run now: the file behind a signed link (no sign-in), the same as the report API gives, announced as report.delivered', async () => {
    const s = (await create({ name: 'Summary now', report: 'summary', cadence: 'daily', format: 'csv' })).body.schedule;
    const run = await api<ReportRunResult>(`/api/v1/report-schedules/${s.id}/run`, { token: manager, method: 'POST' });
    expect(run.status).toBe(200);
    const d = run.body.delivery;
    expect(d).toMatchObject({ outcome: 'delivered', error: null, emailedTo: [], from: `${yesterday()}T00:00:00.000Z` });
    expect(d.fileName).toBe(`geofleet-summary-${yesterday()}-${yesterday()}.csv`);
    expect(run.body.schedule.lastDelivery).toEqual(d);
    expect(run.body.schedule.nextRunAt).toBe(s.nextRunAt); // running now does not move the schedule

    const file = await fetch(d.url!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = await file.text();
    expect(text.length).toBe(d.bytes! - 3); // the byte-order mark
    const direct = await fetch(`${new URL(d.url!).origin}/api/v1/reports/summary?from=${yesterday()}&to=${yesterday()}&format=csv`, { headers: { authorization: `Bearer ${manager}` } });
    expect(text).toBe(await direct.text());

    const altered = new URL(d.url!);
    altered.searchParams.set('expires', String(Number(altered.searchParams.get('expires')) + 1000));
    const refused = await fetch(altered);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('FORBIDDEN');
    const unsigned = new URL(d.url!);
    unsigned.search = '';
    expect((await fetch(unsigned)).status).toBe(403);

    const events = await api<{ events: DomainEvent[] }>(`/api/v1/events?types=report.delivered&aggregateId=${s.id}`, { token: manager });
    expect(events.body.events).toHaveLength(1);
    expect(events.body.events[0]!.data).toMatchObject({ name: 'Summary now', url: d.url, bytes: d.bytes, emailedTo: [] });
    expect(events.body.events[0]!.actor).toEqual({ kind: 'system' });
  });
});

/** An SMTP server that keeps what it receives; `refuse` addresses are rejected at RCPT. */
class MailCatcher {
  readonly messages: Array<{ from: string; to: string[]; raw: string }> = [];
  readonly refuse = new Set<string>();
  private server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo: (address, _session, callback) => (this.refuse.has(address.address) ? callback(new Error('550 mailbox unavailable')) : callback()),
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        this.messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        callback();
      });
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The header value and the decoded attachment of a caught message (MIME read by hand: an independent reader). */
function readMail(raw: string): { subject: string; attachment: { name: string; content: Buffer } | null; text: string } {
  const folded = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  // RFC 2047 encoded words (the em dash is not ASCII); whitespace between two of them is dropped.
  const subject = folded
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    )
    .replace(/\r\n[ \t]/g, ' ');
  const part = /Content-Disposition: attachment;\s*filename="?([^"\r\n]+)"?\r\n(?:[^\r\n]+\r\n)*\r\n([A-Za-z0-9+/=\r\n]+)/i.exec(raw);
  // The text part is quoted-printable: soft line breaks out, =XX back to bytes.
  const text = raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return { subject, attachment: part ? { name: part[1]!, content: Buffer.from(part[2]!.replace(/\r\n/g, ''), 'base64') } : null, text };
}

describe('scheduled reports delivered: webhook, e-mail, a run missed while down (own server)', () => {
  const catcher = new MailCatcher();
  const hooks: Array<{ type: string; data: Record<string, unknown> }> = [];
  let receiver: Server;
  let server: RunningServer;
  let env: NodeJS.ProcessEnv;
  let admin: string;
  const cleanups: Array<() => Promise<unknown>> = [];
  const call = (path: string, body?: unknown, method?: string) => fetchJson(server.url, path, { token: admin, ...(body === undefined ? {} : { body }), ...(method ? { method } : {}) });

  beforeAll(async () => {
    await catcher.start();
    cleanups.push(() => catcher.close());
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const event = JSON.parse(body) as { type: string; data: Record<string, unknown> };
        if (event.type.startsWith('report.')) hooks.push(event);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => receiver.close(resolve)));
    const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
    if (fresh) cleanups.push(() => fresh.drop());
    env = serverEnv(tempDir('report-schedules'), fresh?.url, { SMTP_URL: `smtp://127.0.0.1:${catcher.port}`, SMTP_FROM: 'GeoFleet Reports <reports@fleet.test>', WEBHOOK_ALLOW_PRIVATE: '1' });
    server = await startServer(env);
    cleanups.push(() => server.stop('SIGKILL'));
    admin = (await fetchJson(server.url, '/api/v1/auth/login', { body: { email: DEMO.admin[0], password: DEMO.admin[1] } })).token;
    const hook = await call('/api/v1/webhooks', { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, types: ['report.*'] });
    expect(hook.webhook?.id).toBeTruthy();
  }, 240_000);
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('mails the file to every recipient and sends the webhook its link; a refused recipient is reported, the file still made', async () => {
    expect((await call('/api/v1/report-schedules')).email).toBe(true);
    const s = (await call('/api/v1/report-schedules', { name: 'Ops summary', report: 'summary', cadence: 'daily', format: 'xlsx', emails: ['ops@fleet.test', 'boss@fleet.test'] })).schedule as ReportScheduleDto;
    const run = (await call(`/api/v1/report-schedules/${s.id}/run`, undefined, 'POST')) as ReportRunResult;
    expect(run.delivery).toMatchObject({ outcome: 'delivered', error: null, emailedTo: ['ops@fleet.test', 'boss@fleet.test'] });

    expect(catcher.messages).toHaveLength(1);
    const message = catcher.messages[0]!;
    expect(message.from).toBe('reports@fleet.test');
    expect(message.to.sort()).toEqual(['boss@fleet.test', 'ops@fleet.test']);
    const mail = readMail(message.raw);
    expect(mail.subject).toBe(`Ops summary — ${yesterday()}`);
    expect(mail.text).toContain(run.delivery.url!); // the body carries the link
    expect(mail.attachment!.name).toBe(run.delivery.fileName);
    expect(mail.attachment!.content.length).toBe(run.delivery.bytes);
    const sheet = await readSheet(mail.attachment!.content);
    expect(sheet[0]![0]).toBe('Vehicle');
    expect(sheet.at(-1)![0]).toBe('Total');

    const hook = await waitUntil(() => hooks.find((h) => h.type === 'report.delivered' && h.data.url === run.delivery.url), 'the report.delivered webhook', 20_000);
    expect(hook.data).toMatchObject({ name: 'Ops summary', format: 'xlsx', emailedTo: ['ops@fleet.test', 'boss@fleet.test'] });
    const file = await fetch(hook.data.url as string);
    expect(Buffer.from(await file.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');

    catcher.refuse.add('gone@fleet.test');
    const bounced = (await call('/api/v1/report-schedules', { name: 'Bounces', report: 'alerts', cadence: 'daily', format: 'csv', emails: ['gone@fleet.test'] })).schedule as ReportScheduleDto;
    const again = (await call(`/api/v1/report-schedules/${bounced.id}/run`, undefined, 'POST')) as ReportRunResult;
    expect(again.delivery.outcome).toBe('delivered');
    expect(again.delivery.emailedTo).toEqual([]);
    expect(again.delivery.error).toMatch(/^e-mail failed: /);
    expect((await fetch(again.delivery.url!)).status).toBe(200);
  });

  it('a run due while the server was down is made once when it is back, for the period that was due, and the schedule moves on', async () => {
    const s = (await call('/api/v1/report-schedules', { name: 'Missed', report: 'trips', cadence: 'daily', hour: 5, format: 'csv', emails: ['ops@fleet.test'] })).schedule as ReportScheduleDto;
    const mailsBefore = catcher.messages.length;
    await server.stop();
    // Due two days ago (and so also yesterday): made once, for the day before the time it was due.
    const due = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000 + 5 * 3_600_000);
    const db = await openDatabase(parseConfig(env), createLogger('silent', false));
    try {
      await db.prisma.reportSchedule.update({ where: { id: s.id }, data: { nextRunAt: due } });
    } finally {
      await db.close();
    }
    server = await startServer(env);
    admin = (await fetchJson(server.url, '/api/v1/auth/login', { body: { email: DEMO.admin[0], password: DEMO.admin[1] } })).token;
    const after = await waitUntil(async () => {
      const r = (await call(`/api/v1/report-schedules/${s.id}`)).schedule as ReportScheduleDto;
      return r.lastDelivery ? r : null;
    }, 'the missed run', 30_000, 250);
    const dueDay = new Date(due.getTime() - 86_400_000).toISOString().slice(0, 10);
    expect(after.lastDelivery).toMatchObject({ outcome: 'delivered', from: `${dueDay}T00:00:00.000Z`, emailedTo: ['ops@fleet.test'] });
    expect(Date.parse(after.nextRunAt!)).toBeGreaterThan(Date.now());
    expect(new Date(after.nextRunAt!).getUTCHours()).toBe(5);
    // Once, not once per missed day.
    await new Promise((r) => setTimeout(r, 1500));
    const events = await call(`/api/v1/events?types=report.delivered&aggregateId=${s.id}`);
    expect(events.events).toHaveLength(1);
    expect(catcher.messages.length).toBe(mailsBefore + 1);
  });
});
