/**
 * Operator tool: import an OpenStreetMap road network into a tenant, against the configured
 * database (DATABASE_URL, or the embedded one in DATA_DIR — stop the server first when
 * embedded; a running server picks the new network up at its next start, or import through
 * POST /api/v1/road-network instead).
 *
 *   npm run roads -- import data/osm/baltimore.osm.pbf --tenant demo [--source "Baltimore 2026-12"]
 *
 * Formats: .osm.pbf, .osm, .osm.gz, .geojson (found from the content). Prints progress to
 * stderr and the summary as JSON to stdout; exits 1 with a message on bad input or an unknown
 * tenant, and the tenant's previous network stays as it was.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { createLogger } from '../server/log';
import type { RoadImportProgress } from '../server/protocol/road-network';
import { importRoadNetwork } from '../server/roads/import';

const USAGE = 'usage: npm run roads -- import <file> --tenant <slug> [--source <label>]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { tenant: { type: 'string' }, source: { type: 'string' }, quiet: { type: 'boolean', default: false } },
});

function progressLine(p: RoadImportProgress): string {
  const mb = (n: number) => (n / 1048576).toFixed(1);
  if (p.phase === 'reading') return `reading ${mb(p.bytesRead)}${p.totalBytes ? ` / ${mb(p.totalBytes)}` : ''} MB`;
  if (p.phase === 'writing') return `writing ${p.rowsWritten} / ${p.totalRows ?? '?'} rows`;
  return p.phase;
}

async function main(): Promise<void> {
  const [command, file] = positionals;
  if (command !== 'import' || !file || !values.tenant) throw new Error(USAGE);
  const config = parseConfig();
  const db = await openDatabase(config, createLogger('warn', false));
  try {
    const tenant = await db.prisma.tenant.findUnique({ where: { slug: values.tenant } });
    if (!tenant) throw new Error(`no tenant with slug "${values.tenant}" (npm run tenant -- create … makes one)`);
    const started = performance.now();
    // A terminal gets one line rewritten in place; a log gets one line per phase.
    const tty = process.stderr.isTTY && !values.quiet;
    let lastPhase = '';
    const result = await importRoadNetwork(db.prisma, tenant.id, file, {
      ...(values.source ? { source: values.source } : {}),
      onProgress: (p) => {
        if (tty) process.stderr.write(`\r${progressLine(p).padEnd(40)}`);
        else if (!values.quiet && p.phase !== lastPhase) console.error(p.phase);
        lastPhase = p.phase;
      },
    });
    if (tty) process.stderr.write('\n');
    const seconds = (performance.now() - started) / 1000;
    console.error(`imported ${result.format} into ${tenant.slug} in ${seconds.toFixed(1)} s`);
    console.log(JSON.stringify(result.summary, null, 2));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`roads: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
