/**
 * Street tile benchmark: imports Baltimore (data/osm/baltimore.osm.pbf) for a fresh tenant and
 * builds every tile of the z14–z16 pyramid over it, cold (no cache), timing each build and
 * recording its size, per zoom and encoder.
 *
 *   npm run bench:tiles
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:tiles
 *
 * With DATABASE_URL it creates (and afterwards drops) `geofleet_bench_tiles` on that server and
 * times both encoders (PostGIS ST_AsMVT and PostGIS clipping + JS encoding); without it, the
 * embedded PGlite PostGIS (JS encoding only: no protobuf-c there). Then the same sweep warm, from
 * the LRU cache. Prints a summary and writes bench-results/tiles-<timestamp>.json. Options:
 *   --zooms 14,15,16     zoom levels of the sweep
 *   --file PATH          OSM file to import (data/osm/baltimore.osm.pbf)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TileService } from '../../server/basemap/tile-service';
import { TILE_BUFFER, type TileCoord } from '../../server/basemap/tile-rules';
import { parseConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { supportsMvt } from '../../server/db/sql/tiles';
import { seedDemoIfEmpty } from '../../server/demo/seed';
import { createLogger } from '../../server/log';
import { importRoadNetwork } from '../../server/roads/import';
import { dropDatabase, recreateDatabase } from '../lib/scratch-database';

const BENCH_DB = 'geofleet_bench_tiles';
const ROOT = path.resolve(import.meta.dirname, '../..');
const { values: args } = parseArgs({
  options: {
    zooms: { type: 'string', default: '14,15,16' },
    file: { type: 'string', default: path.join(ROOT, 'data/osm/baltimore.osm.pbf') },
  },
  strict: true,
});
const ZOOMS = args.zooms.split(',').map(Number);

function tilesOver([west, south, east, north]: number[], z: number): TileCoord[] {
  const n = 2 ** z;
  const x = (lng: number) => Math.floor(((lng + 180) / 360) * n);
  const y = (lat: number) => {
    const r = (lat * Math.PI) / 180;
    return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  };
  const tiles: TileCoord[] = [];
  for (let tx = x(west!); tx <= x(east!); tx++) for (let ty = y(north!); ty <= y(south!); ty++) tiles.push({ z, x: tx, y: ty });
  return tiles;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), max: sorted.at(-1) ?? 0 };
}

const log = createLogger('warn', false);
const baseUrl = process.env.DATABASE_URL;
const dataDir = baseUrl ? null : mkdtempSync(path.join(tmpdir(), 'geofleet-bench-tiles-'));
const url = baseUrl ? await recreateDatabase(baseUrl, BENCH_DB) : undefined;
const db = await openDatabase(parseConfig({ DATABASE_URL: url, DATA_DIR: dataDir ?? '.data' }), log);
const results: Record<string, unknown> = {};
try {
  await seedDemoIfEmpty(db.prisma, log);
  const [tenant] = await db.prisma.$queryRaw<Array<{ id: string }>>`SELECT id FROM tenants WHERE slug = 'demo'`;
  const tenantId = tenant!.id;
  let started = performance.now();
  const imported = await importRoadNetwork(db.prisma, tenantId, args.file, { source: path.basename(args.file) });
  const importMs = performance.now() - started;
  const [{ bbox } = { bbox: [] as number[] }] = await db.prisma.$queryRaw<Array<{ bbox: number[] }>>`
    SELECT ARRAY[ST_XMin(bbox), ST_YMin(bbox), ST_XMax(bbox), ST_YMax(bbox)] AS bbox FROM road_networks WHERE tenant_id = ${tenantId}::uuid`;
  const encoders: Array<'postgis' | 'js'> = (await supportsMvt(db.prisma)) ? ['postgis', 'js'] : ['js'];
  const database = db.embedded ? 'embedded PGlite PostGIS' : 'PostgreSQL server';
  console.log(`tiles: ${database}, ${path.basename(args.file)} imported in ${(importMs / 1000).toFixed(1)} s, bbox ${bbox.map((v) => v.toFixed(3)).join(',')}, buffer ${TILE_BUFFER}`);
  results.database = database;
  results.import = { ms: Math.round(importMs), summary: (imported as { summary?: unknown }).summary ?? null };
  results.bbox = bbox;
  results.sweeps = [];
  for (const encoder of encoders) {
    // Cold: a cache too small to keep anything, so every request builds its tile.
    const cold = new TileService(db.prisma, { encoder, cacheBytes: 0 });
    await cold.tile(tenantId, { z: 14, x: 0, y: 0 }); // warm the connection and the import-time lookup
    for (const z of ZOOMS) {
      const times: number[] = [];
      const sizes: number[] = [];
      let empty = 0;
      for (const coord of tilesOver(bbox, z)) {
        started = performance.now();
        const tile = await cold.tile(tenantId, coord);
        times.push(performance.now() - started);
        if (tile.byteLength === 0) empty++;
        else sizes.push(tile.byteLength);
      }
      const t = summary(times);
      const s = summary(sizes);
      (results.sweeps as unknown[]).push({ encoder, zoom: z, tiles: times.length, empty, ms: t, bytes: s });
      console.log(
        `  ${encoder.padEnd(7)} z${z}: ${String(times.length).padStart(4)} tiles (${empty} empty)  build p50 ${t.p50.toFixed(1)} ms  p95 ${t.p95.toFixed(1)} ms  max ${t.max.toFixed(1)} ms  ` +
          `size p50 ${(s.p50 / 1024).toFixed(1)} KB  p95 ${(s.p95 / 1024).toFixed(1)} KB  max ${(s.max / 1024).toFixed(1)} KB`,
      );
    }
  }
  // Warm: the same sweep served from the LRU cache.
  const warm = new TileService(db.prisma, { encoder: encoders[0] });
  const all = ZOOMS.flatMap((z) => tilesOver(bbox, z));
  for (const coord of all) await warm.tile(tenantId, coord);
  const hits: number[] = [];
  for (const coord of all) {
    started = performance.now();
    await warm.tile(tenantId, coord);
    hits.push(performance.now() - started);
  }
  const h = summary(hits);
  results.cached = { tiles: all.length, ms: h, cacheBytes: warm.cache.byteSize };
  console.log(`  cached:   ${all.length} tiles  p50 ${(h.p50 * 1000).toFixed(0)} µs  p95 ${(h.p95 * 1000).toFixed(0)} µs; cache holds ${(warm.cache.byteSize / 1e6).toFixed(1)} MB`);
} finally {
  await db.close();
  if (baseUrl) await dropDatabase(baseUrl, BENCH_DB);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `tiles-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), zooms: ZOOMS, ...results }, null, 2));
console.log(`tiles: wrote ${path.relative(ROOT, out)}`);
