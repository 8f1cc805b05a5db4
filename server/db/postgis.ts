import type pg from 'pg';

/**
 * Makes sure PostGIS is available in the connected database, creating the extension when it is
 * missing and permitted; otherwise fails with what to run.
 */
export async function ensurePostgis(pool: pg.Pool): Promise<string> {
  const installed = await pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'postgis'");
  if (installed.rows[0]) return installed.rows[0].extversion;

  const available = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'");
  if (available.rowCount === 0) {
    throw new Error(
      'PostGIS is not installed on the database server. Install it (Debian/Ubuntu: `apt-get install postgresql-15-postgis-3`, matching your PostgreSQL version) and start GeoFleet again.',
    );
  }
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (error) {
    const db = (await pool.query<{ db: string }>('SELECT current_database() AS db')).rows[0]?.db ?? 'your database';
    throw new Error(
      `PostGIS is installed but could not be enabled (${error instanceof Error ? error.message : String(error)}). As a superuser run: psql -d ${db} -c 'CREATE EXTENSION postgis'`,
    );
  }
  const created = await pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'postgis'");
  return created.rows[0]?.extversion ?? 'unknown';
}
