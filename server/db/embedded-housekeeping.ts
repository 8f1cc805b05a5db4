import type pg from 'pg';
import type { Logger } from '../log';

/**
 * Tables rewritten on the ingest path: every stored position updates its vehicle's row in
 * vehicle_states (a non-HOT update: the GiST-indexed geom changes), every appended event bumps its
 * tenant's and its aggregate's counters, fence crossings upsert memberships, driving counters
 * upsert days. Each update leaves a dead row version behind.
 */
const CHURNING_TABLES = ['vehicle_states', 'event_streams', 'aggregate_versions', 'geofence_memberships', 'driving_days', 'history_open_segments'];
const VACUUM_EVERY_MS = 60_000;
const ANALYZE_EVERY_MS = 3_600_000;

/**
 * What autovacuum does for a PostgreSQL server, for the embedded database, which has none (PGlite
 * runs one backend, without background workers): without it the dead row versions above pile up
 * (240 demo vehicles at 1 Hz leave ≈860,000 an hour in vehicle_states alone, and its GiST index
 * grows with them), and the planner keeps the row counts of the first start (a tenant that grew
 * from 240 vehicles to 10,000 is still planned as 240).
 *
 * Every minute the churning tables are vacuumed (a minute's dead rows take milliseconds; the one
 * embedded connection is busy that long), every hour the whole database is analyzed. Returns a
 * stop function.
 */
export function startEmbeddedHousekeeping(pool: pg.Pool, log: Logger): () => void {
  let running = false;
  let lastAnalyze = Date.now();
  const tick = async () => {
    if (running) return;
    running = true;
    const started = performance.now();
    try {
      await pool.query(`VACUUM (ANALYZE) ${CHURNING_TABLES.join(', ')}`);
      if (Date.now() - lastAnalyze >= ANALYZE_EVERY_MS) {
        await pool.query('ANALYZE');
        lastAnalyze = Date.now();
      }
      log.debug({ ms: Math.round(performance.now() - started) }, 'embedded database vacuumed');
    } catch (error) {
      log.warn({ err: error }, 'embedded database housekeeping failed, will retry');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), VACUUM_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
