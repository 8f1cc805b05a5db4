/**
 * The server Playwright tests run against: a fresh embedded database in a temporary folder, or,
 * with TEST_DATABASE_URL, a database `geofleet_e2e` recreated on that server. Demo seed and
 * simulator on, so the journeys see a moving fleet.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { recreateDatabase } from './lib/scratch-database';

const root = path.resolve(import.meta.dirname, '..');

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  DATA_DIR: mkdtempSync(path.join(tmpdir(), 'geofleet-e2e-')),
  SIMULATOR: '1',
  DEMO_SEED: '1',
  REST_RATE_LIMIT_PER_MIN: '100000',
  REST_RATE_LIMIT_PER_USER_PER_MIN: '100000',
  OSMAND_PORT: '0',
  // the webhook journey's receiver listens on loopback
  WEBHOOK_ALLOW_PRIVATE: '1',
};
delete env.DATABASE_URL;
if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = await recreateDatabase(process.env.TEST_DATABASE_URL, `geofleet_e2e_${process.env.PORT ?? 'default'}`);

// A second, empty tenant for the admin console journey (e2e/admin.spec.ts): a new customer's
// admin with no vehicles and no users yet. The demo tenant is seeded first, as the server would.
{
  const { parseConfig } = await import('../server/config');
  const { openDatabase } = await import('../server/db/database');
  const { seedDemoIfEmpty } = await import('../server/demo/seed');
  const { createTenant } = await import('../server/tenants/create-tenant');
  const { createLogger } = await import('../server/log');
  const { E2E_NEW_TENANT } = await import('../e2e/new-tenant');
  const log = createLogger('warn', false);
  const db = await openDatabase(parseConfig(env), log);
  await seedDemoIfEmpty(db.prisma, log);
  await createTenant(db.prisma, E2E_NEW_TENANT);
  await db.close();
}

const server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 1));
