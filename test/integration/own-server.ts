import { parseConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import { createTenant } from '../../server/tenants/create-tenant';
import { fetchJson } from './client';
import { TENANT_B } from './context';
import { freshDatabase, serverEnv, startServer, tempDir, type RunningServer } from './harness';

/**
 * A server of the test file's own on a fresh database of `baseUrl`'s PostgreSQL server, with the
 * demo tenant and tenant B, a direct connection to that database (to fill the event log with
 * known events), and the logins the tests use. Needs a PostgreSQL server: the embedded database
 * serves one session to every connection, so a second writer beside the server would interleave
 * its transactions with the server's.
 */
export interface OwnServer {
  server: RunningServer;
  db: Database;
  demo: { token: string; tenantId: string; userId: string };
  rival: { token: string; tenantId: string };
  viewerToken: string;
  driverToken: string;
  close(): Promise<void>;
}

export async function startOwnServer(baseUrl: string, name: string): Promise<OwnServer> {
  const fresh = await freshDatabase(baseUrl);
  const env = serverEnv(tempDir(name), fresh.url);
  const log = createLogger('silent', false);
  const db = await openDatabase(parseConfig(env), log);
  await seedDemoIfEmpty(db.prisma, log);
  await createTenant(db.prisma, TENANT_B);
  const server = await startServer(env);
  const login = (email: string, password: string) => fetchJson(server.url, '/api/v1/auth/login', { body: { email, password } });
  const admin = await login('admin@demo.geofleet.dev', 'demo-admin');
  const b = await login(TENANT_B.admin.email, TENANT_B.admin.password);
  return {
    server,
    db,
    demo: { token: admin.token, tenantId: admin.user.tenantId, userId: admin.user.id },
    rival: { token: b.token, tenantId: b.user.tenantId },
    viewerToken: (await login('viewer@demo.geofleet.dev', 'demo-viewer')).token,
    driverToken: (await login('driver@demo.geofleet.dev', 'demo-driver')).token,
    async close() {
      await server.stop();
      await db.close();
      await fresh.drop();
    },
  };
}
