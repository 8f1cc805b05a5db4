/**
 * Road network import benchmark: for each OSM file, the read + build (parse, classify, split at
 * junctions: no database) time and memory, then the whole import (read, build, one-transaction
 * write) into a fresh tenant, with the rows per table.
 *
 *   npm run bench:road-import [-- --files data/osm/baltimore.osm.pbf,/path/liechtenstein.osm.pbf]
 *
 * With DATABASE_URL the import goes to a scratch database on that server (created and dropped),
 * else to an embedded PostGIS in a temporary folder. Writes bench-results/road-import-<date>.json.
 * Memory: process RSS, and heap + array buffers grown by building, with the built data still referenced (run with
 * --expose-gc for a settled heap: the npm script does).
 */
import { createReadStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { createLogger } from '../../server/log';
import { importRoadNetwork, NetworkBuilder, readOsm } from '../../server/roads/import';
import { createTenant } from '../../server/tenants/create-tenant';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const root = path.resolve(import.meta.dirname, '../..');
const BENCH_DB = 'geofleet_bench_road_import';
const { values: args } = parseArgs({ options: { files: { type: 'string', default: 'data/osm/baltimore.osm.pbf' } } });
const files = args.files.split(',').map((f) => path.resolve(root, f.trim()));
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (n: number) => Math.round(n / 1048576);

async function buildOnly(file: string) {
  gc();
  const before = process.memoryUsage();
  const started = performance.now();
  const builder = new NetworkBuilder();
  const format = await readOsm(createReadStream(file, { highWaterMark: 256 * 1024 }), builder);
  const data = builder.finish();
  const ms = performance.now() - started;
  gc();
  const after = process.memoryUsage();
  const result = {
    format,
    ms: Math.round(ms),
    read: data.read,
    ways: data.ways,
    segments: data.segments.length,
    features: data.features.length,
    addresses: data.addresses.length,
    /** JS heap + typed-array buffers held by the built data. */
    dataMB: mb(after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers),
    rssMB: mb(after.rss),
  };
  void data;
  return result;
}

async function main(): Promise<void> {
  const built: Record<string, unknown> = {};
  for (const file of files) built[path.basename(file)] = await buildOnly(file);

  const log = createLogger('warn', false);
  const baseUrl = process.env.DATABASE_URL;
  const url = baseUrl ? await recreateDatabase(baseUrl, BENCH_DB) : undefined;
  const db = await openDatabase(parseConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'geofleet-bench-roads-')), DATABASE_URL: url }), log);
  const imported: Record<string, unknown> = {};
  try {
    for (const file of files) {
      const slug = `bench-${path.basename(file).replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${Date.now().toString(36)}`;
      const { tenantId } = await createTenant(db.prisma, { name: slug, slug, admin: { email: `${slug}@example.com`, name: 'Bench', password: 'bench-password' } });
      const started = performance.now();
      const phases: Record<string, number> = {};
      const { summary } = await importRoadNetwork(db.prisma, tenantId, file, { onProgress: (p) => (phases[p.phase] ??= Math.round(performance.now() - started)) });
      imported[path.basename(file)] = { ms: Math.round(performance.now() - started), phaseStartMs: phases, segments: summary.segments, features: summary.features, addresses: summary.addresses, rssMB: mb(process.memoryUsage().rss) };
    }
  } finally {
    await db.close();
    if (baseUrl) await dropDatabase(baseUrl, BENCH_DB);
  }
  const report = { at: new Date().toISOString(), database: baseUrl ? 'server' : 'embedded', built, imported };
  console.log(JSON.stringify(report, null, 2));
  mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  const out = path.join(root, 'bench-results', `road-import-${report.at.slice(0, 10)}.json`);
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${path.relative(root, out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
