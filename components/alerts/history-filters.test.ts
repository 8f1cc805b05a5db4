import { describe, expect, it } from 'vitest';
import { historyParams, NO_HISTORY_FILTERS } from './history-filters';

describe('alert history filters', () => {
  it('no filters: an empty query', () => {
    expect(historyParams(NO_HISTORY_FILTERS).toString()).toBe('');
  });

  it('each filter its parameter; local times as ISO instants; a half-typed time is left out', () => {
    const p = historyParams({ ...NO_HISTORY_FILTERS, type: 'geofence_violation', severity: 'high', acknowledged: 'false', vehicleId: 'v1', from: '2026-12-07T08:00', to: '2026-12-0' });
    expect(Object.fromEntries(p)).toEqual({
      type: 'geofence_violation',
      severity: 'high',
      acknowledged: 'false',
      vehicleId: 'v1',
      from: new Date(2026, 11, 7, 8, 0).toISOString(),
    });
  });
});
