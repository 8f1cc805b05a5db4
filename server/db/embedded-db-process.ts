/**
 * Child process: embedded PostgreSQL + PostGIS (PGlite) served over the Postgres wire protocol
 * on 127.0.0.1. Runs outside the server's event loop so database work never stalls ingestion.
 *
 * Protocol with the parent (IPC): child → {type:'ready', port} | {type:'error', message};
 * parent → {type:'shutdown'}. The child ignores SIGINT/SIGTERM (a Ctrl-C reaches the whole
 * process group) and shuts down when the parent says so or when the parent disappears.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mayAnswerReady, withoutReadyForQuery } from './ready-for-query-filter';

type ParentMessage = { type: 'shutdown' };

const dataDir = process.env.GEOFLEET_EMBEDDED_DIR;
const port = Number(process.env.GEOFLEET_EMBEDDED_PORT ?? '0');

function send(message: object): void {
  if (process.connected) process.send?.(message);
}

/** How long closing the socket server and the database may take before the process just exits. */
const STOP_BUDGET_MS = 10_000;

let db: PGlite | null = null;
let server: PGLiteSocketServer | null = null;
let stopping: Promise<void> | null = null;
function stop(): Promise<void> {
  stopping ??= (async () => {
    // Closing can hang (a socket the dead parent never closed): never outlive it by more than this.
    setTimeout(() => process.exit(1), STOP_BUDGET_MS).unref();
    try {
      await server?.stop();
      await db?.close();
    } finally {
      process.exit(0);
    }
  })();
  return stopping;
}

async function main(): Promise<void> {
  if (!dataDir) throw new Error('GEOFLEET_EMBEDDED_DIR is not set');
  mkdirSync(dataDir, { recursive: true });
  db = await PGlite.create({ dataDir, extensions: { postgis } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  keepReadyForQueryToSync(db);
  server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 64 });
  await server.start();
  send({ type: 'ready', port: Number(server.getServerConn().split(':').pop()) });
}

/** The socket server hands PGlite one frontend message at a time: see ready-for-query-filter. */
function keepReadyForQueryToSync(pglite: PGlite): void {
  const exec = pglite.execProtocolRawStream.bind(pglite);
  pglite.execProtocolRawStream = (message, options) =>
    mayAnswerReady(message) || !options?.onRawData ? exec(message, options) : exec(message, { ...options, onRawData: withoutReadyForQuery(options.onRawData) });
}

// Registered before start-up, which takes seconds: a parent that dies meanwhile must not leave
// this process behind.
process.on('message', (message: ParentMessage) => {
  if (message?.type === 'shutdown') void stop();
});
process.on('disconnect', () => void stop());
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
