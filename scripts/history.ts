/**
 * Operator tool: derive movement history again (journeys, stops, geofence visits, daily
 * summaries) for a date range from the stored positions and geofence events, against the
 * configured database (DATABASE_URL, or the embedded one in DATA_DIR — stop the server first
 * when embedded). Days are UTC; `--to` is inclusive.
 *
 *   npm run history -- rebuild --from 2026-12-01 --to 2026-12-07 [--tenant <uuid>]
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../server/config';
import { openDatabase } from '../server/db/database';
import { segmentOptionsOf } from '../server/history/config';
import { rebuildHistory } from '../server/history/rebuild';
import { createLogger } from '../server/log';
import { rangeOf } from '../server/protocol/reports';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, to: { type: 'string' }, tenant: { type: 'string' } },
});

async function main(): Promise<void> {
  if (positionals[0] !== 'rebuild' || !values.from || !values.to) throw new Error('usage: npm run history -- rebuild --from YYYY-MM-DD --to YYYY-MM-DD [--tenant ID]');
  const { from, to } = rangeOf({ from: values.from, to: values.to });
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to) throw new Error('--from and --to must be days (YYYY-MM-DD) with from ≤ to');
  const config = parseConfig();
  const db = await openDatabase(config, createLogger('warn', false));
  try {
    const result = await rebuildHistory(db.prisma, {
      from,
      to,
      tenantId: values.tenant ?? null,
      segment: segmentOptionsOf(config),
      progress: (n) => process.stderr.write(`\r${n.toLocaleString('en')} positions`),
    });
    process.stderr.write('\n');
    console.log(JSON.stringify(result));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`history: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
