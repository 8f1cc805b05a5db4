import { describe, expect, it } from 'vitest';
import { summaryHtml } from '../history/pdf';
import { ApiError, parseOrThrow } from './errors';
import { NO_GROUP, reportQuery, SUMMARY_GROUP_BY, SUMMARY_ROW_LABEL, summaryRowCount, type SummaryRow } from './reports';

const RANGE = { from: '2026-12-06', to: '2026-12-06' };

describe('the summary by vehicle, driver or group', () => {
  it('groupBy takes vehicle (the default), driver and group; anything else is refused naming the three', () => {
    expect(parseOrThrow(reportQuery, RANGE).groupBy).toBe('vehicle');
    expect(parseOrThrow(reportQuery, { ...RANGE, groupBy: '' }).groupBy).toBe('vehicle');
    for (const groupBy of SUMMARY_GROUP_BY) expect(parseOrThrow(reportQuery, { ...RANGE, groupBy }).groupBy).toBe(groupBy);
    try {
      parseOrThrow(reportQuery, { ...RANGE, groupBy: 'team' });
      throw new Error('accepted');
    } catch (error) {
      const e = error as ApiError;
      expect({ code: e.code, field: e.field }).toEqual({ code: 'VALIDATION_ERROR', field: 'groupBy' });
      expect(e.message).toContain('must be vehicle, driver or group');
    }
  });

  it('names what a row stands for: the first column and the count of rows', () => {
    expect(SUMMARY_ROW_LABEL).toEqual({ vehicle: 'Vehicle', driver: 'Driver', group: 'Group' });
    expect(summaryRowCount('group', 2)).toBe('2 groups');
    expect(summaryRowCount('group', 1)).toBe('1 group');
    expect(summaryRowCount('vehicle', 0)).toBe('0 vehicles');
    expect(summaryRowCount('driver', 1_200)).toBe('1,200 drivers');
  });

  it('prints a group summary with "Group" over the names and the vehicles without a group last', () => {
    const row = (id: string, name: string, trips: number): SummaryRow => ({ id, name, trips, distanceM: 1000 * trips, drivingS: 100 * trips, idleS: 0, maxSpeedKmh: 50, avgSpeedKmh: 36, stops: 0, stoppedS: 0, visits: 0, alerts: 0, drivingEvents: 0 });
    const html = summaryHtml({
      title: 'Fleet summary',
      subtitle: `${summaryRowCount('group', 2)} · UTC days`,
      groupBy: 'group',
      rows: [row('North depot', 'North depot', 3), row('', NO_GROUP, 1)],
      totals: { trips: 4 },
      days: [],
    });
    expect(html).toContain('<thead><tr><th>Group</th>');
    expect(html).toContain('<p>2 groups · UTC days</p>');
    expect(html.indexOf('<td>North depot</td>')).toBeLessThan(html.indexOf('<td>No group</td>'));
  });
});
