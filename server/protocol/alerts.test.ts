import { describe, expect, it } from 'vitest';
import { alertPatch, alertsBulkDelete, alertsBulkPatch, alertsQuery } from './alerts';
import { ApiError, parseOrThrow } from './errors';

const refusal = (schema: Parameters<typeof parseOrThrow>[0], input: unknown) => {
  try {
    parseOrThrow(schema, input);
  } catch (error) {
    const e = error as ApiError;
    return { code: e.code, field: e.field, message: e.message };
  }
  throw new Error('accepted');
};
const ID = '0b6f1a52-8d6e-4f0e-9a51-3c1f5d7e2a10';

describe('alertsQuery', () => {
  it('parses every filter from query-string values', () => {
    expect(
      parseOrThrow(alertsQuery, {
        severity: 'high,critical',
        type: 'geofence_violation',
        read: 'false',
        acknowledged: 'true',
        vehicleId: ID.toUpperCase(),
        from: '2026-11-22T10:00:00Z',
        to: '1895000000000',
        limit: '5',
      }),
    ).toEqual({
      severity: ['high', 'critical'],
      type: ['geofence_violation'],
      read: false,
      acknowledged: true,
      vehicleId: ID,
      from: Date.parse('2026-11-22T10:00:00Z'),
      to: 1895000000000,
      limit: 5,
    });
    expect(parseOrThrow(alertsQuery, { severity: '', read: '' })).toEqual({ limit: 100 });
  });

  it('names the field of a bad filter', () => {
    expect(refusal(alertsQuery, { severity: 'urgent' })).toEqual({
      code: 'VALIDATION_ERROR',
      field: 'severity',
      message: 'severity: "urgent" must be one of low, medium, high, critical (comma-separated for several)',
    });
    expect(refusal(alertsQuery, { type: 'fire' }).field).toBe('type');
    expect(refusal(alertsQuery, { read: 'yes' })).toMatchObject({ field: 'read', message: 'read: must be true or false' });
    expect(refusal(alertsQuery, { vehicleId: '42' }).field).toBe('vehicleId');
    expect(refusal(alertsQuery, { from: 'yesterday' }).field).toBe('from');
    expect(refusal(alertsQuery, { from: '2000', to: '1000' }).field).toBe('to');
    expect(refusal(alertsQuery, { limit: '0' }).field).toBe('limit');
    expect(refusal(alertsQuery, { limit: '1001' }).field).toBe('limit');
    expect(refusal(alertsQuery, { severty: 'high' }).message).toMatch(/^unknown field severty; use severity, type, read/);
  });
});

describe('alert changes', () => {
  it('PATCH one: read and/or acknowledged, only true', () => {
    expect(parseOrThrow(alertPatch, { acknowledged: true })).toEqual({ acknowledged: true });
    expect(refusal(alertPatch, { read: false })).toMatchObject({ field: 'read', message: 'read: must be true (alerts cannot be marked unread)' });
    expect(refusal(alertPatch, {}).message).toMatch(/^nothing to change/);
    expect(refusal(alertPatch, { read: true, pinned: true }).message).toBe('unknown field pinned; use read, acknowledged');
    expect(refusal(alertPatch, 'read').message).toBe('must be a JSON object');
  });

  it('bulk: ids as a list (deduplicated, lower case) or "all"', () => {
    expect(parseOrThrow(alertsBulkPatch, { ids: [ID, ID.toUpperCase()], read: true })).toEqual({ ids: [ID], read: true });
    expect(parseOrThrow(alertsBulkDelete, { ids: 'all' })).toEqual({ ids: 'all' });
    expect(refusal(alertsBulkDelete, { ids: [] })).toMatchObject({ field: 'ids', message: 'ids: must name at least one alert' });
    expect(refusal(alertsBulkDelete, { ids: [ID, 'x'] })).toMatchObject({ field: 'ids.1' });
    expect(refusal(alertsBulkDelete, { ids: 'some' }).field).toBe('ids');
    expect(refusal(alertsBulkDelete, {}).field).toBe('ids');
    expect(refusal(alertsBulkPatch, { ids: 'all' }).message).toMatch(/^nothing to change/);
  });
});
