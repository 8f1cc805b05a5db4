/**
 * Starts the real GeoFleet server as a child process (exactly as `npm start` runs it) against
 * embedded PostGIS in a temporary folder, or against a fresh database on the PostgreSQL server
 * named by TEST_DATABASE_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropDatabase, recreateDatabase } from '../../scripts/lib/scratch-database';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const TEST_JWT_SECRET = 'integration-test-secret-0123456789abcdefghijklmnop';
/** /metrics of the test servers asks for this bearer token. */
export const TEST_METRICS_TOKEN = 'integration-metrics-token-0123';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `geofleet-${prefix}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A new, empty database on the server of `baseUrl`; drop() removes it. */
export async function freshDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `geofleet_test_${process.pid}_${Date.now().toString(36)}`;
  const url = await recreateDatabase(baseUrl, name);
  return { url, drop: () => dropDatabase(baseUrl, name) };
}

export interface RunningServer {
  url: string;
  port: number;
  /** The OsmAnd listener's port (OSMAND_PORT from the env, else a free one). */
  osmandPort: number;
  child: ChildProcess;
  logs: string[];
  /** SIGTERM, then resolves with how long the exit took and the exit code. */
  stop(signal?: NodeJS.Signals): Promise<{ ms: number; code: number | null }>;
}

export function serverEnv(dataDir: string, databaseUrl: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    SIMULATOR: '0',
    REST_RATE_LIMIT_PER_MIN: '100000',
    REST_RATE_LIMIT_PER_USER_PER_MIN: '100000',
    OFFLINE_AFTER_S: '5',
    TRIP_SHARE_GRACE_S: '3',
    LOG_LEVEL: 'info',
    LOG_PRETTY: '0',
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    ...extra,
  };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return env;
}

/**
 * Starts the server on free ports. A port found free can be taken by another process before the
 * server binds it (seen in CI: the OsmAnd port, seconds later, while the database started), so a
 * start-up that fails with "in use" is retried on new ports unless the caller pinned them.
 */
export async function startServer(env: NodeJS.ProcessEnv, timeoutMs = 150_000): Promise<RunningServer> {
  const pinned = Boolean(env.OSMAND_PORT);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(env, timeoutMs);
    } catch (error) {
      if (pinned || attempt >= 3 || !(error instanceof PortTakenError)) throw error;
    }
  }
}

class PortTakenError extends Error {}

async function startOnce(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunningServer> {
  const port = await freePort();
  // Never Traccar's default 5055: several servers (lifecycle, other people's runs) share the machine.
  const osmandPort = env.OSMAND_PORT ? Number(env.OSMAND_PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', OSMAND_PORT: String(osmandPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() can check that nothing is left behind
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in ${timeoutMs} ms:\n${logs.join('\n')}`)), timeoutMs);
    const check = () => {
      if (logs.some((l) => l.includes('GeoFleet listening'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const message = `server exited with ${code} during start-up:\n${logs.join('\n')}`;
      reject(logs.some((l) => /is in use|EADDRINUSE/.test(l)) ? new PortTakenError(message) : new Error(message));
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    osmandPort,
    child,
    logs,
    stop(signal = 'SIGTERM') {
      const started = Date.now();
      return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve({ ms: 0, code: child.exitCode });
        child.once('exit', (code) => resolve({ ms: Date.now() - started, code }));
        process.kill(-child.pid!, signal);
      });
    },
  };
}

/** True when any process of the group `pgid` is still alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
