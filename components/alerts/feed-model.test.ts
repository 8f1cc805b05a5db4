import { describe, expect, it } from 'vitest';
import type { AlertDto } from '@/server/protocol/alerts';
import { alertCount, groupRows, holdStill } from './feed-model';
import { withRestored } from './live-cache';

const alert = (id: string, over: Partial<AlertDto> = {}): AlertDto => ({
  id, type: 'geofence_violation', severity: 'high', message: id, vehicleId: null, geofenceId: null, at: '2026-11-23T00:00:00Z', position: null,
  details: {}, readAt: null, acknowledgedAt: null, acknowledgedBy: null, expiresAt: '2026-11-24T00:00:00Z', createdAt: `2026-11-23T00:00:0${id.length}Z`, ...over,
});
const ids = (rows: { alert: AlertDto }[]) => rows.map((r) => r.alert.id);

describe('the feed holds still while held', () => {
  const a = alert('a');
  const b = alert('b');
  const c = alert('c');

  it('not held: shows the list as it is, without what the user deleted', () => {
    const view = holdStill(null, [c, b, a], new Set(['b']));
    expect(ids(view.rows)).toEqual(['c', 'a']);
    expect(view.waiting).toBe(0);
  });

  it('held: new alerts wait (counted) and the shown rows keep their places', () => {
    const view = holdStill([b, a], [c, alert('d'), b, a]);
    expect(ids(view.rows)).toEqual(['b', 'a']);
    expect(view.waiting).toBe(2);
  });

  it('held: an alert removed by someone else stays in place, marked gone; changes to shown alerts show', () => {
    const readB = { ...b, readAt: '2026-11-23T00:01:00Z' };
    const view = holdStill([c, b, a], [readB, a]);
    expect(ids(view.rows)).toEqual(['c', 'b', 'a']);
    expect(view.rows.map((r) => r.gone)).toEqual([true, false, false]);
    expect(view.rows[1]!.alert.readAt).toBe(readB.readAt);
  });

  it("held: the user's own deletes leave, and are not counted as new when restored", () => {
    const view = holdStill([c, b, a], [c, b, a], new Set(['b']));
    expect(ids(view.rows)).toEqual(['c', 'a']);
    expect(holdStill([c, b, a], [c, b, a]).waiting).toBe(0);
  });

  it('held: an alert the user restored returns to its place even if the hold began while it was deleted', () => {
    const older = alert('o', { createdAt: '2026-11-23T00:00:00Z' });
    const middle = alert('m', { createdAt: '2026-11-23T00:00:05Z' });
    const newer = alert('n', { createdAt: '2026-11-23T00:00:09Z' });
    const arrived = alert('x', { createdAt: '2026-11-23T00:00:10Z' });
    // The hold began without `middle` (deleted); it is back, and a new one arrived meanwhile.
    const current = [arrived, newer, middle, older];
    expect(ids(holdStill([newer, older], current).rows)).toEqual(['n', 'o']);
    const view = holdStill([newer, older], current, new Set(), new Set(['m']));
    expect(ids(view.rows)).toEqual(['n', 'm', 'o']);
    expect(view.waiting).toBe(1);
    // Restored but older than every held row: it goes last.
    expect(ids(holdStill([newer], current, new Set(), new Set(['o'])).rows)).toEqual(['n', 'o']);
  });
});

describe('grouping', () => {
  const rows = [
    alert('v1-z1', { vehicleId: 'v1', geofenceId: 'z1', details: { fenceName: 'Zone A' } }),
    alert('v2-none', { vehicleId: 'v2' }),
    alert('v1-z2', { vehicleId: 'v1', geofenceId: 'z2', details: { fenceName: 'Depot' }, readAt: '2026-11-23T00:00:00Z' }),
    alert('v2-z1', { vehicleId: 'v2', geofenceId: 'z1', details: { fenceName: 'Zone A' } }),
    alert('system'),
  ].map((a) => ({ alert: a, gone: false }));
  const names: Record<string, string> = { v1: 'Van 12', v2: 'Truck 3' };

  it('by fence: one group per fence with counts, in order of the newest row, alerts without a fence last', () => {
    const groups = groupRows(rows, 'fence', (id) => names[id]);
    expect(groups.map((g) => [g.label, g.rows.length, g.unread])).toEqual([
      ['Zone A', 2, 2],
      ['Depot', 1, 0],
      ['Not about a fence', 2, 2],
    ]);
    expect(ids(groups[0]!.rows)).toEqual(['v1-z1', 'v2-z1']);
  });

  it('by vehicle: named from the live fleet', () => {
    const groups = groupRows(rows, 'vehicle', (id) => names[id]);
    expect(groups.map((g) => [g.label, g.rows.length, g.unread])).toEqual([
      ['Van 12', 2, 1],
      ['Truck 3', 2, 2],
      ['Not about a vehicle', 1, 1],
    ]);
    expect(groupRows(rows, 'vehicle', () => undefined)[0]!.label).toBe('Unknown vehicle');
  });

  it('gone rows are not counted unread', () => {
    expect(groupRows([{ alert: alert('x', { vehicleId: 'v1' }), gone: true }], 'vehicle', () => 'Van')[0]!.unread).toBe(0);
  });

  it('counts read as words', () => {
    expect([alertCount(1), alertCount(3)]).toEqual(['1 alert', '3 alerts']);
  });
});

describe('undo in the cached list', () => {
  it('puts restored alerts back in their place and counts them unread again', () => {
    const list = { alerts: [alert('ccc'), alert('a')], truncated: false, unread: { low: 0, medium: 0, high: 2, critical: 0 } };
    const back = withRestored(list, null, [alert('bb')]);
    expect(back.alerts.map((a) => a.id)).toEqual(['ccc', 'bb', 'a']);
    expect(back.unread.high).toBe(3);
    expect(withRestored(back, null, [alert('bb')]).unread.high).toBe(3); // twice is once
    expect(withRestored(list, 'low', [alert('bb')]).alerts).toHaveLength(2);
  });
});
