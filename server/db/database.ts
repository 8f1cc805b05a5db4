import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../log';
import { startEmbeddedDatabase } from './embedded-db';
import { startEmbeddedHousekeeping } from './embedded-housekeeping';
import { PrismaClient } from './generated/prisma/client';
import { migrate } from './migrate';
import { maintainPartitions } from './partitions';
import { ensurePostgis } from './postgis';

export type Prisma = InstanceType<typeof PrismaClient>;

export interface Database {
  prisma: Prisma;
  pool: pg.Pool;
  embedded: boolean;
  /** Migrations this open applied (empty when the schema was already current). */
  appliedMigrations: string[];
  /** Resolves when the database answers a trivial query; rejects with the reason otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../prisma/migrations');

/**
 * Opens the database the configuration names (a PostgreSQL server, or embedded PostGIS when
 * DATABASE_URL is unset), makes sure PostGIS is there, applies pending migrations and keeps the
 * position history partitions for the retention window.
 */
export async function openDatabase(config: Config, log: Logger, onEmbeddedExit?: () => void): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? null
    : await startEmbeddedDatabase(path.join(config.DATA_DIR, 'pgdata'), config.EMBEDDED_DB_PORT, log, onEmbeddedExit);
  const url = config.DATABASE_URL ?? embedded!.url;

  // The embedded server runs every connection in ONE session: a single connection keeps
  // transactions and prepared statements from interleaving (and it serializes queries anyway).
  const pool = new pg.Pool({
    connectionString: url,
    max: embedded ? 1 : config.DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'geofleet',
  });
  pool.on('error', (error) => log.error({ err: error }, 'idle database connection failed'));

  let applied: string[];
  try {
    const postgis = await ensurePostgis(pool);
    applied = await migrate(pool, MIGRATIONS_DIR, log);
    log.info({ embedded: Boolean(embedded), postgis, applied: applied.length }, 'database ready');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw error;
  }

  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  // History partitions are part of a ready schema: they exist before anything writes positions
  // (a row for a day without its partition would land in the default one and block creating it).
  await maintainPartitions(prisma, Date.now(), { historyDays: config.HISTORY_RETENTION_DAYS, eventDays: config.EVENT_RETENTION_DAYS, archiveDir: config.HISTORY_ARCHIVE_DIR }, log);
  const stopHousekeeping = embedded ? startEmbeddedHousekeeping(pool, log) : () => undefined;
  return {
    prisma,
    pool,
    embedded: Boolean(embedded),
    appliedMigrations: applied,
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      stopHousekeeping();
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
