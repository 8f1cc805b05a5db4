import type { MetricSources } from './metrics';

/** Sources with fixed numbers, for tests of the metrics and of the files that name them. */
export function fakeSources(overrides: Partial<MetricSources> = {}): MetricSources {
  return {
    ingest: () => ({
      accepted: new Map([['socket', 120], ['rest', 3]]),
      rejected: new Map([['socket', new Map([['RATE_LIMITED', 4]])], ['osmand', new Map([['NOT_FOUND', 1]])]]),
    }),
    queueDepth: () => 7,
    queueLimit: 300,
    events: () => ({ appended: 42, backlog: 2 }),
    webhookOutcomes: () => ({ delivered: 9, retry: 1, failed: 0 }),
    pool: () => ({ size: 8, inUse: 2, idle: 6, waiting: 0 }),
    databaseKind: 'embedded',
    sockets: () => ({ byNamespace: { '/fleet': 3, '/driver': 5 }, tenants: 2 }),
    messages: () => ({ in: 50, out: 70 }),
    routes: () => ({ assigned: 10, offRoute: 1 }),
    ...overrides,
  };
}
