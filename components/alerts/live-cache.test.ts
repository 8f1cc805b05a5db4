import { describe, expect, it } from 'vitest';
import type { AlertDto, AlertListResult } from '@/server/protocol/alerts';
import { withDeleted, withNewAlert, withRead } from './live-cache';

const alert = (id: string, severity: AlertDto['severity'], readAt: string | null = null): AlertDto => ({
  id, type: 'geofence_violation', severity, message: id, vehicleId: null, geofenceId: null, at: '2026-11-23T00:00:00Z', position: null,
  details: {}, readAt, acknowledgedAt: null, acknowledgedBy: null, expiresAt: '2026-11-24T00:00:00Z', createdAt: '2026-11-23T00:00:00Z',
});
const list = (alerts: AlertDto[]): AlertListResult => ({ alerts, truncated: false, unread: { low: 0, medium: 1, high: 0, critical: 0 } });

describe('live alert cache updates', () => {
  it('puts a new alert on top of a list it matches, and counts it unread either way', () => {
    const all = withNewAlert(list([alert('a', 'medium')]), null, alert('b', 'critical'));
    expect(all.alerts.map((a) => a.id)).toEqual(['b', 'a']);
    expect(all.unread.critical).toBe(1);
    const mediumOnly = withNewAlert(list([alert('a', 'medium')]), 'medium', alert('b', 'critical'));
    expect(mediumOnly.alerts.map((a) => a.id)).toEqual(['a']);
    expect(mediumOnly.unread.critical).toBe(1);
    expect(withNewAlert(all, null, alert('b', 'critical'))).toBe(all); // the same event twice
  });

  it('marks alerts read or acknowledged and takes them off the unread count once', () => {
    const read = withRead(list([alert('a', 'medium'), alert('c', 'low', 'x')]), { ids: ['a', 'c'], readAt: 'r', acknowledgedAt: 'k', acknowledgedBy: 'u' });
    expect(read.alerts[0]).toMatchObject({ readAt: 'r', acknowledgedAt: 'k', acknowledgedBy: 'u' });
    expect(read.alerts[1]!.readAt).toBe('x');
    expect(read.unread.medium).toBe(0);
    expect(withRead(read, { ids: ['a'], readAt: 'r2' }).unread.medium).toBe(0);
  });

  it('removes deleted alerts', () => {
    const left = withDeleted(list([alert('a', 'medium'), alert('b', 'low', 'x')]), { ids: ['a', 'b'] });
    expect(left.alerts).toEqual([]);
    expect(left.unread.medium).toBe(0);
  });
});
