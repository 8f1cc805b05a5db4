import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 4_000;

/**
 * Starts embedded PostGIS in a child process and resolves with a connection URL once it
 * listens. Data lives in `dir`, so a restart keeps everything.
 */
export async function startEmbeddedDatabase(
  dir: string,
  port: number,
  log: Logger,
  onUnexpectedExit?: () => void,
): Promise<EmbeddedDatabase> {
  const started = Date.now();
  const child = fork(path.join(here, 'embedded-db-process.ts'), [], {
    execArgv: ['--import', 'tsx'],
    cwd: path.resolve(here, '../..'),
    env: { ...process.env, GEOFLEET_EMBEDDED_DIR: dir, GEOFLEET_EMBEDDED_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });

  const readyPort = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded database did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.on('message', (message: { type: string; port?: number; message?: string }) => {
      if (message.type === 'ready' && message.port) {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`embedded database failed to start: ${message.message}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded database exited during start-up (code ${code})`));
    });
  });
  log.info({ dir, port: readyPort, ms: Date.now() - started }, 'embedded PostGIS ready');

  child.on('exit', (code, signal) => {
    if (stopping) return;
    log.fatal({ code, signal }, 'embedded database exited unexpectedly');
    onUnexpectedExit?.();
  });

  let stopping = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${readyPort}/postgres`,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send({ type: 'shutdown' });
    else child.kill('SIGKILL');
  });
}
