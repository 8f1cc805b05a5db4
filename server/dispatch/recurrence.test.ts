import { describe, expect, it } from 'vitest';
import { nextOccurrence, recurrenceProblem } from './recurrence';

describe('recurring requests (RRULE)', () => {
  it('rolls a weekly Monday/Wednesday series forward from its start', () => {
    const start = new Date('2026-12-07T09:00:00Z'); // a Monday
    expect(nextOccurrence('FREQ=WEEKLY;BYDAY=MO,WE', start, start)?.toISOString()).toBe('2026-12-09T09:00:00.000Z');
    expect(nextOccurrence('RRULE:FREQ=WEEKLY;BYDAY=MO,WE', start, new Date('2026-12-09T09:00:00Z'))?.toISOString()).toBe('2026-12-14T09:00:00.000Z');
  });

  it('ends a counted series', () => {
    const start = new Date('2026-12-07T09:00:00Z');
    expect(nextOccurrence('FREQ=DAILY;COUNT=2', start, start)?.toISOString()).toBe('2026-12-08T09:00:00.000Z');
    expect(nextOccurrence('FREQ=DAILY;COUNT=2', start, new Date('2026-12-08T09:00:00Z'))).toBeNull();
  });

  it('says what is wrong with a rule', () => {
    expect(recurrenceProblem('FREQ=WEEKLY;BYDAY=MO')).toBeNull();
    expect(recurrenceProblem('every monday')).toMatch(/RFC 5545 RRULE/);
    expect(recurrenceProblem('FREQ=SECONDLY')).toBe('may repeat at most hourly');
    expect(recurrenceProblem('DTSTART:20261207T090000Z;FREQ=DAILY')).toMatch(/DTSTART/);
  });
});
