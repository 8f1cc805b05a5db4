import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TokenService } from '../auth/tokens';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../log';
import { DEMO_TENANT_SLUG, DEMO_USERS } from './seed';

/**
 * Runs scripts/simulate.ts against this server as the demo tenant's admin, when the demo tenant
 * exists and SIMULATOR is on; null otherwise. The caller stops it with SIGTERM at shutdown.
 */
export async function startDemoSimulator(root: string, config: Config, db: Database, tokens: TokenService, port: number, log: Logger): Promise<ChildProcess | null> {
  if (!config.SIMULATOR || config.SIMULATOR_VEHICLES === 0) return null;
  const tenant = await db.prisma.tenant.findUnique({ where: { slug: DEMO_TENANT_SLUG } });
  const admin = tenant && (await db.prisma.user.findFirst({ where: { tenantId: tenant.id, role: 'admin' } }));
  if (!tenant || !admin) return null;
  log.info({ logins: DEMO_USERS.map((u) => `${u.email} / ${u.password} (${u.role})`) }, 'demo tenant: sign in with one of these');
  const token = await tokens.sign({ userId: admin.id, tenantId: tenant.id, role: 'admin' });
  const child = fork(
    path.join(root, 'scripts/simulate.ts'),
    ['--url', `http://127.0.0.1:${port}`, '--vehicles', String(config.SIMULATOR_VEHICLES), '--rate', String(config.SIMULATOR_RATE), '--quiet'],
    { execArgv: ['--import', 'tsx'], cwd: root, env: { ...process.env, GEOFLEET_TOKEN: token }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') log.warn({ code, signal }, 'demo simulator stopped');
  });
  return child;
}
