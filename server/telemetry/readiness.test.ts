import { describe, expect, it } from 'vitest';
import { checkReadiness, type ReadinessProbe } from './readiness';

const probe = (overrides: Partial<ReadinessProbe> = {}): ReadinessProbe => ({
  appliedMigrations: async () => 12,
  expectedMigrations: 12,
  queueDepth: () => 0,
  queueLimit: 1000,
  shuttingDown: () => false,
  timeoutMs: 50,
  ...overrides,
});

describe('checkReadiness', () => {
  it('is ready when the database answers, migrations are applied, the queue has room and no shutdown is under way', async () => {
    expect(await checkReadiness(probe())).toEqual({ ready: true, reasons: [] });
  });

  it('gives every reason it is not', async () => {
    const result = await checkReadiness(probe({ shuttingDown: () => true, queueDepth: () => 950, appliedMigrations: async () => 11 }));
    expect(result.ready).toBe(false);
    expect(result.reasons).toEqual(['shutting down', 'ingest queue at 950 of 1000 positions', 'migrations pending: 11 of 12 applied']);
  });

  it('counts a database that fails or does not answer in time as unreachable', async () => {
    const failing = await checkReadiness(probe({ appliedMigrations: () => Promise.reject(new Error('connection refused')) }));
    expect(failing.reasons).toEqual(['database unreachable: connection refused']);
    const hanging = await checkReadiness(probe({ appliedMigrations: () => new Promise(() => undefined) }));
    expect(hanging.reasons).toEqual(['database unreachable: no answer within 50 ms']);
  });
});
