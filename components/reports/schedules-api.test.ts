import { describe, expect, it } from 'vitest';
import { periodText, reportScheduleCreate } from '@/server/protocol/report-schedules';
import { atField, bytesText, coverageText, defaultName, filtersFromQuery, filtersText, firstRunText, formatsFor, parseRecipients, untilText, utcText } from './schedules-api';

const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';
const F1 = '33333333-3333-4333-8333-333333333333';

describe('the filters a schedule takes from the report page', () => {
  it('keeps the filters and drops the range, format and limit', () => {
    const filters = filtersFromQuery(`from=2026-12-01&to=2026-12-07&vehicleIds=${V1},${V2}&vehicleGroup=North+depot&format=xlsx&limit=50`);
    expect(filters).toEqual({ groupBy: 'vehicle', vehicleIds: [V1, V2], vehicleGroup: 'North depot' });
  });

  it('turns comma lists into arrays and leaves blanks out', () => {
    expect(filtersFromQuery(`from=2026-12-01&to=2026-12-01&geofenceIds=${F1}&types=exit&vehicleIds=&vehicleType=+`)).toEqual({ groupBy: 'vehicle', geofenceIds: [F1], types: ['exit'] });
  });

  it('keeps the summary’s rows per driver or group', () => {
    expect(filtersFromQuery('from=2026-12-01&to=2026-12-01&groupBy=driver').groupBy).toBe('driver');
  });

  it('gives the whole fleet for a page without filters', () => {
    expect(filtersFromQuery('from=2026-12-01&to=2026-12-02')).toEqual({ groupBy: 'vehicle' });
  });

  it('makes filters the server accepts', () => {
    const filters = filtersFromQuery(`from=2026-12-01&to=2026-12-07&vehicleIds=${V1}&vehicleGroup=North depot&geofenceIds=${F1}&types=enter`);
    expect(reportScheduleCreate.safeParse({ name: 'x', report: 'geofence-events', cadence: 'daily', filters }).success).toBe(true);
  });
});

describe('the default name', () => {
  it('names the fleet summary by its cadence', () => {
    expect(defaultName('summary', 'Summary', {}, 'daily')).toBe('Fleet summary — daily');
    expect(defaultName('summary', 'Summary', {}, 'weekly')).toBe('Fleet summary — weekly');
  });

  it('names the group when the page shows one', () => {
    expect(defaultName('summary', 'Summary', { vehicleGroup: 'North depot' }, 'weekly')).toBe('North depot summary — weekly');
    expect(defaultName('trips', 'Journeys', { vehicleGroup: 'North depot' }, 'daily')).toBe('Journeys, North depot — daily');
  });

  it('uses the report’s label for other reports', () => {
    expect(defaultName('geofence-visits', 'Fence visits', { vehicleGroup: null }, 'daily')).toBe('Fence visits — daily');
  });

  it('stays within the 100 characters a name may have', () => {
    expect(defaultName('summary', 'Summary', { vehicleGroup: 'x'.repeat(120) }, 'weekly').length).toBe(100);
  });
});

describe('e-mail recipients from the text box', () => {
  it('splits on commas, semicolons and new lines and trims', () => {
    expect(parseRecipients(' a@example.com,b@example.com\nc@example.com ; d@example.com\r\n')).toEqual({ emails: ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'], problem: null });
  });

  it('is empty for an empty box', () => {
    expect(parseRecipients('  \n , ')).toEqual({ emails: [], problem: null });
  });

  it('drops duplicates whatever their case', () => {
    expect(parseRecipients('a@example.com, A@Example.com').emails).toEqual(['a@example.com']);
  });

  it('names the addresses that are not ones', () => {
    expect(parseRecipients('a@example.com, ops at example').problem).toBe('“ops at example” is not an e-mail address. Separate addresses with commas or new lines.');
    expect(parseRecipients('x, y, z, w, a@example.com').problem).toBe('“x”, “y”, “z” and 1 more are not e-mail addresses. Separate addresses with commas or new lines.');
  });

  it('says when a space separates two addresses', () => {
    expect(parseRecipients('a@example.com b@example.com').problem).toContain('is not an e-mail address');
  });

  it('allows at most 20', () => {
    const many = Array.from({ length: 21 }, (_, i) => `p${i}@example.com`).join('\n');
    expect(parseRecipients(many).problem).toBe('At most 20 recipients (there are 21).');
  });

  it('accepts what the server accepts', () => {
    const { emails } = parseRecipients('a@example.com\nb.c+ops@mail.example.org');
    expect(reportScheduleCreate.safeParse({ name: 'x', report: 'summary', cadence: 'daily', emails }).success).toBe(true);
  });
});

describe('times and periods', () => {
  // Thursday 2026-12-10 09:30 UTC.
  const now = Date.parse('2026-12-10T09:30:00Z');

  it('writes instants in UTC', () => {
    expect(utcText(Date.parse('2026-12-14T06:00:00Z'))).toBe('2026-12-14 06:00 UTC');
  });

  it('writes a period as the UTC days it covers', () => {
    expect(periodText(Date.parse('2026-12-09T00:00:00Z'), Date.parse('2026-12-10T00:00:00Z'))).toBe('2026-12-09');
    expect(periodText(Date.parse('2026-12-03T00:00:00Z'), Date.parse('2026-12-10T00:00:00Z'))).toBe('2026-12-03 – 2026-12-09');
  });

  it('says what a run covers', () => {
    expect(coverageText('daily')).toContain('yesterday');
    expect(coverageText('weekly')).toContain('the 7 days before');
  });

  it('gives the first run and its days: later today for daily', () => {
    expect(firstRunText({ cadence: 'daily', weekday: null, hour: 18 }, now)).toBe('Thursday 2026-12-10 18:00 UTC, covering 2026-12-09');
    expect(firstRunText({ cadence: 'daily', weekday: null, hour: 6 }, now)).toBe('Friday 2026-12-11 06:00 UTC, covering 2026-12-10');
  });

  it('gives the first run and its days: the next such weekday for weekly', () => {
    expect(firstRunText({ cadence: 'weekly', weekday: 1, hour: 6 }, now)).toBe('Monday 2026-12-14 06:00 UTC, covering 2026-12-07 – 2026-12-13');
  });

  it('says how long until a time', () => {
    expect(untilText(now + 40_000, now)).toBe('in 40 s');
    expect(untilText(now + 12 * 60_000, now)).toBe('in 12 min');
    expect(untilText(now + 3 * 3_600_000, now)).toBe('in 3 h');
    expect(untilText(now + 4 * 86_400_000, now)).toBe('in 4 d');
    expect(untilText(now - 1000, now)).toBe('now');
  });
});

describe('what the list shows', () => {
  it('offers PDF for the summary only', () => {
    expect(formatsFor('summary')).toEqual(['csv', 'xlsx', 'pdf']);
    expect(formatsFor('trips')).toEqual(['csv', 'xlsx']);
  });

  it('writes file sizes', () => {
    expect(bytesText(812)).toBe('812 B');
    expect(bytesText(12_400)).toBe('12.4 kB');
    expect(bytesText(3_100_000)).toBe('3.1 MB');
  });

  it('writes the filters in words', () => {
    expect(filtersText({ groupBy: 'vehicle' })).toBe('');
    expect(filtersText({ groupBy: 'driver', vehicleGroup: 'North depot', vehicleIds: [V1, V2], geofenceIds: [F1], types: ['enter', 'exit'] })).toBe('group North depot · 2 vehicles · 1 fence · enter, exit · a row per driver');
  });

  it('puts a server refusal in the form’s words at its field', () => {
    expect(atField('Weekday', 'is required for a weekly schedule: 1 (Monday) to 7 (Sunday)')).toBe('Weekday is required for a weekly schedule: 1 (Monday) to 7 (Sunday)');
    expect(atField('Name', 'A schedule with this name exists.')).toBe('A schedule with this name exists.');
  });
});
