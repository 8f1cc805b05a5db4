import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SET } from '@/server/protocol/alert-rules';
import { checkRules } from './rules-form';

describe('the alert rules form', () => {
  it('the defaults pass', () => {
    expect(checkRules(DEFAULT_RULE_SET).ok).toBe(true);
  });

  it('every problem at once, at its field, with a plain summary', () => {
    const result = checkRules({
      rules: [{ type: 'speed_violation', event: 'enter', enabled: true }],
      quietHours: { start: '', end: '06:00', timeZone: 'Nowhere/Atlantis', minSeverity: 'critical' },
      flood: { maxPerWindow: 0, windowMinutes: 5 },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.fromEntries(result.problems.byField)).toEqual({
      'rules.0.event': 'Only geofence alerts can be narrowed by fence event or fence type',
      'quietHours.start': 'Enter a time as HH:MM, e.g. 22:00',
      'quietHours.timeZone': 'Choose a time zone such as Europe/Berlin',
      'flood.maxPerWindow': 'Enter a number from 1 to 100',
    });
    expect(result.problems.summary).toEqual([
      'Rule 1: Only geofence alerts can be narrowed by fence event or fence type',
      'Quiet hours, start: Enter a time as HH:MM, e.g. 22:00',
      'Quiet hours, time zone: Choose a time zone such as Europe/Berlin',
      'Flood protection, alerts one by one: Enter a number from 1 to 100',
    ]);
  });
});
