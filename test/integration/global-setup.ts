import { mkdir, writeFile } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import { createTenant } from '../../server/tenants/create-tenant';
import { provide, TENANT_B, TENANT_ROADLESS } from './context';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';


/**
 * Prepares one database (demo tenant + a second tenant for isolation tests), opening it twice to
 * observe that migrations apply once, then starts the real server against it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = tempDir('it');
  const fresh = process.env.TEST_DATABASE_URL ? await freshDatabase(process.env.TEST_DATABASE_URL) : null;
  const env = serverEnv(dataDir, fresh?.url);
  const config = parseConfig(env);
  const log = createLogger('warn', false);

  const first = await openDatabase(config, log);
  await first.close();
  const appliedFirst = first.appliedMigrations;
  const db = await openDatabase(config, log);
  try {
    await seedDemoIfEmpty(db.prisma, log);
    await createTenant(db.prisma, TENANT_B);
    await createTenant(db.prisma, TENANT_ROADLESS);
    const rows = await db.pool.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    provide(project, 'migrationRows', rows.rows.map((r) => ({ migration_name: r.migration_name, checksum: r.checksum, finished: r.finished_at !== null, steps: r.applied_steps_count })));
    provide(project, 'migrationsAppliedFirst', appliedFirst);
    provide(project, 'migrationsAppliedSecond', db.appliedMigrations);
  } finally {
    await db.close();
  }

  let server: RunningServer;
  try {
    server = await startServer(env);
  } catch (error) {
    await fresh?.drop();
    throw error;
  }
  provide(project, 'baseUrl', server.url);
  provide(project, 'osmandPort', server.osmandPort);
  provide(project, 'databaseKind', fresh ? 'server' : 'embedded');

  return async () => {
    await server.stop();
    await fresh?.drop();
    // The shared server's log, for reading after a failure (test-results/ is ignored by git).
    await mkdir('test-results', { recursive: true });
    await writeFile('test-results/integration-server.log', server.logs.join('\n') + '\n');
  };
}
