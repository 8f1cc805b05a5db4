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
  OSMAND_PORT: '0',
  // the webhook journey's receiver listens on loopback
  WEBHOOK_ALLOW_PRIVATE: '1',
};
delete env.DATABASE_URL;
if (process.env.TEST_DATABASE_URL) env.DATABASE_URL = await recreateDatabase(process.env.TEST_DATABASE_URL, `geofleet_e2e_${process.env.PORT ?? 'default'}`);

const server = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: root, env, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 1));
