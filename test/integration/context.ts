import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

/** A second tenant, created before the server starts, for isolation tests. */
export const TENANT_B = {
  name: 'Rival Freight',
  slug: 'rival',
  admin: { email: 'admin@rival.example', password: 'rival-admin-pw', name: 'Rita Rival' },
};

/** A third tenant that never gets a road network: what routing and search answer without one. */
export const TENANT_ROADLESS = {
  name: 'Inland Couriers',
  slug: 'inland',
  admin: { email: 'admin@inland.example', password: 'inland-admin-pw', name: 'Ines Inland' },
};

/** What the integration global setup hands to the test files. */
export interface Provided {
  baseUrl: string;
  /** Port of the shared server's OsmAnd listener (OSMAND_PORT) on 127.0.0.1. */
  osmandPort: number;
  databaseKind: 'embedded' | 'server';
  migrationsAppliedFirst: string[];
  migrationsAppliedSecond: string[];
  migrationRows: Array<{ migration_name: string; checksum: string; finished: boolean; steps: number }>;
}

export function provide<K extends keyof Provided>(project: TestProject, key: K, value: Provided[K]): void {
  (project.provide as (k: string, v: unknown) => void)(key, value);
}

export function injected<K extends keyof Provided>(key: K): Provided[K] {
  return (inject as (k: string) => unknown)(key) as Provided[K];
}
