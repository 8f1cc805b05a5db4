import { describe, expect, it } from 'vitest';
import { describeCadence, nextRun, periodOf, reportScheduleCreate, reportSchedulePatch } from './report-schedules';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('when a schedule runs next', () => {
  it('daily: today at its hour if still ahead, else tomorrow', () => {
    expect(iso(nextRun({ cadence: 'daily', weekday: null, hour: 6 }, at('2026-12-07T05:59:00Z')))).toBe('2026-12-07T06:00:00.000Z');
    expect(iso(nextRun({ cadence: 'daily', weekday: null, hour: 6 }, at('2026-12-07T06:00:00Z')))).toBe('2026-12-08T06:00:00.000Z');
    expect(iso(nextRun({ cadence: 'daily', weekday: null, hour: 0 }, at('2026-12-31T23:30:00Z')))).toBe('2027-01-01T00:00:00.000Z');
  });

  it('weekly: the next of its ISO weekday at its hour (2026-12-07 is a Monday)', () => {
    expect(iso(nextRun({ cadence: 'weekly', weekday: 1, hour: 6 }, at('2026-12-07T05:00:00Z')))).toBe('2026-12-07T06:00:00.000Z');
    expect(iso(nextRun({ cadence: 'weekly', weekday: 1, hour: 6 }, at('2026-12-07T07:00:00Z')))).toBe('2026-12-14T06:00:00.000Z');
    expect(iso(nextRun({ cadence: 'weekly', weekday: 7, hour: 23 }, at('2026-12-07T07:00:00Z')))).toBe('2026-12-13T23:00:00.000Z');
    expect(iso(nextRun({ cadence: 'weekly', weekday: 3, hour: 12 }, at('2026-12-07T07:00:00Z')))).toBe('2026-12-09T12:00:00.000Z');
  });
});

describe('the period a run reports on', () => {
  it('daily: the UTC day just ended; weekly: the 7 days before the run day', () => {
    expect(periodOf('daily', at('2026-12-07T06:00:00Z'))).toEqual({ from: at('2026-12-06T00:00:00Z'), to: at('2026-12-07T00:00:00Z') });
    expect(periodOf('weekly', at('2026-12-07T06:00:00Z'))).toEqual({ from: at('2026-11-30T00:00:00Z'), to: at('2026-12-07T00:00:00Z') });
  });

  it('says it in words', () => {
    expect(describeCadence({ cadence: 'daily', weekday: null, hour: 6 })).toBe('Daily at 06:00 UTC');
    expect(describeCadence({ cadence: 'weekly', weekday: 1, hour: 18 })).toBe('Weekly on Monday at 18:00 UTC');
  });
});

describe('a schedule as REST takes it', () => {
  const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

  it('fills the defaults: xlsx at 06:00 UTC, active, no recipients', () => {
    const s = reportScheduleCreate.parse({ name: ' Fleet summary ', report: 'summary', cadence: 'daily' });
    expect(s).toMatchObject({ name: 'Fleet summary', format: 'xlsx', hour: 6, weekday: null, active: true, emails: [], filters: { groupBy: 'vehicle' } });
  });

  it('names each problem at its field', () => {
    expect(issues(reportScheduleCreate.safeParse({ name: 'x', report: 'summary', cadence: 'weekly' }))).toEqual(['weekday: is required for a weekly schedule: 1 (Monday) to 7 (Sunday)']);
    expect(issues(reportScheduleCreate.safeParse({ name: 'x', report: 'trips', cadence: 'daily', format: 'pdf' }))).toEqual(['format: pdf is made for the summary report']);
    expect(issues(reportScheduleCreate.safeParse({ name: 'x', report: 'summary', cadence: 'daily', hour: 24 }))).toEqual(['hour: must be from 0 to 23']);
    expect(issues(reportScheduleCreate.safeParse({ name: 'x', report: 'summary', cadence: 'daily', emails: ['ops@example.com', 'not mail'] }))).toEqual(['emails.1: must be an e-mail address']);
    expect(issues(reportScheduleCreate.safeParse({ name: '', report: 'nope', cadence: 'hourly' })).map((i) => i.split(':')[0])).toEqual(['name', 'report', 'cadence']);
    expect(issues(reportScheduleCreate.safeParse({ name: 'x', report: 'summary', cadence: 'daily', filters: { vehicleIds: 'not-a-uuid' } }))[0]).toMatch(/^filters\.vehicleIds\.0: /);
  });

  it('a patch takes any of the fields and nothing else', () => {
    expect(reportSchedulePatch.parse({ active: false })).toEqual({ active: false });
    expect(issues(reportSchedulePatch.safeParse({ tenantId: 'x' }))[0]).toMatch(/tenantId|Unrecognized/);
  });
});
