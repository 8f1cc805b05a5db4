import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Namespace } from 'socket.io';
import * as sql from '../db/sql/alerts';
import type { EventLog } from '../events/log';
import { createLogger } from '../log';
import { VehicleRegistry } from '../vehicles/registry';
import { AlertService } from './service';

// The SQL is exercised against PostgreSQL in test/integration/alerts.test.ts; here only the
// service's own behaviour around it: announcing, throttling, surviving a failed sweep.
vi.mock('../db/sql/alerts', () => ({ deleteExpiredAlerts: vi.fn(), insertAlerts: vi.fn(), purgeDeletedAlerts: vi.fn(async () => 0) }));

const emitted: Array<[string, string, unknown]> = [];
const fleet = { to: (room: string) => ({ emit: (event: string, payload: unknown) => emitted.push([room, event, payload]) }) } as unknown as Namespace;
/** The log's transaction, without a database: the work runs, its events are dropped. */
const events = { transact: async (work: (tx: never, emit: () => void) => Promise<unknown>) => work(null as never, () => undefined) } as unknown as EventLog;
const service = () =>
  new AlertService(null as never, { ttlHours: 24, registry: new VehicleRegistry(), log: createLogger('silent', false), fleet: () => fleet, events });

beforeEach(() => {
  emitted.length = 0;
  vi.mocked(sql.deleteExpiredAlerts).mockReset();
  vi.mocked(sql.insertAlerts).mockReset();
});

describe('AlertService', () => {
  it('a failed expiry sweep does not stop the next one; deletions are announced per tenant', async () => {
    const alerts = service();
    vi.mocked(sql.deleteExpiredAlerts)
      .mockRejectedValueOnce(new Error('database is away'))
      .mockResolvedValueOnce([
        { id: 'a1', tenantId: 't1' },
        { id: 'a2', tenantId: 't2' },
        { id: 'a3', tenantId: 't1' },
      ]);
    await expect(alerts.sweepExpired()).rejects.toThrow('database is away');
    await expect(alerts.sweepExpired()).resolves.toBe(3);
    expect(emitted).toEqual([
      ['tenant:t1', 'alert:deleted', { ids: ['a1', 'a3'] }],
      ['tenant:t2', 'alert:deleted', { ids: ['a2'] }],
    ]);
  });

  it('raises the same system error at most once a minute per tenant, one transaction at a time', async () => {
    const alerts = service();
    vi.mocked(sql.insertAlerts).mockResolvedValue([]);
    alerts.raiseSystem('t1', 'Geofence events could not be stored', {}, 0);
    alerts.raiseSystem('t1', 'Geofence events could not be stored', {}, 30_000);
    alerts.raiseSystem('t2', 'Geofence events could not be stored', {}, 30_000);
    alerts.raiseSystem('t1', 'Geofence events could not be stored', {}, 60_000);
    await new Promise((r) => setTimeout(r, 0));
    // the first alone; the two raised while it was being stored, together
    expect(vi.mocked(sql.insertAlerts).mock.calls.map(([, list]) => list.length)).toEqual([1, 2]);
    expect(vi.mocked(sql.insertAlerts).mock.calls.flatMap(([, list]) => list.map((a) => [a.tenantId, a.type, a.severity, a.at]))).toEqual([
      ['t1', 'system_error', 'high', 0],
      ['t2', 'system_error', 'high', 30_000],
      ['t1', 'system_error', 'high', 60_000],
    ]);
  });
});
