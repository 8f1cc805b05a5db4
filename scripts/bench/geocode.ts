/**
 * Geocoding benchmark: index build time and memory, and search times, on real OSM extracts read
 * in memory through the import's reader (no database).
 *
 *   npm run bench:geocode -- [--queries 3000] [--seed 1] [--network baltimore|liechtenstein|all]
 *
 * Queries are drawn from the index's own data, in equal shares: prefixes of street and place
 * names (2+ letters, as typed), names with one typo (swap, drop or change one letter of a word of
 * 4+ letters), full addresses ("750 E Pratt St" and "Pratt St 750" forms, abbreviated), POI names,
 * and reverse lookups. Writes bench-results/geocode-<timestamp>.json.
 */
import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildRoadGraph } from '../../server/roads/graph/build';
import { random } from '../../server/roads/graph/fixtures';
import { buildGeocodeIndex, fromNetworkData, geocodeIndexBytes, GeocodeSearcher, nearestAddress, streetAt, type GeocodeSource } from '../../server/roads/geocode';
import { NetworkBuilder } from '../../server/roads/import/builder';
import { readOsm } from '../../server/roads/import/readers';

const NETWORKS: Record<string, { file: string; targetP95Ms: number }> = {
  baltimore: { file: 'data/osm/baltimore.osm.pbf', targetP95Ms: 20 },
  liechtenstein: { file: '../shared/data/osm/liechtenstein.osm.pbf', targetP95Ms: 20 },
};

const { values: args } = parseArgs({
  options: {
    queries: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '1' },
    network: { type: 'string', default: 'all' },
  },
});
const QUERIES = Math.max(1000, Number(args.queries));
const ROOT = path.resolve(import.meta.dirname, '../..');

const ABBREV: Record<string, string> = { Street: 'St', Avenue: 'Ave', Road: 'Rd', Boulevard: 'Blvd', Drive: 'Dr', Lane: 'Ln', East: 'E', West: 'W', North: 'N', South: 'S' };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const heapUsed = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

function typo(text: string, rnd: () => number): string {
  const words = text.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => w.length >= 4);
  if (long.length === 0) return text;
  const [word, i] = long[Math.floor(rnd() * long.length)]!;
  const p = 1 + Math.floor(rnd() * (word.length - 2));
  const kind = Math.floor(rnd() * 3);
  const changed =
    kind === 0 ? word.slice(0, p) + word[p + 1] + word[p] + word.slice(p + 2)
    : kind === 1 ? word.slice(0, p) + word.slice(p + 1)
    : word.slice(0, p) + (word[p] === 'e' ? 'a' : 'e') + word.slice(p + 1);
  words[i] = changed;
  return words.join(' ');
}

const abbreviate = (street: string) => street.split(' ').map((w) => ABBREV[w] ?? w).join(' ');

type Kind = 'prefix' | 'typo' | 'address' | 'poi';

function makeQueries(src: GeocodeSource, n: number, rnd: () => number): Array<{ kind: Kind; q: string; expect?: string }> {
  const names = [...new Set([...src.streets.map((s) => s.name), ...src.features.filter((f) => f.layer === 'place').map((f) => f.name)])];
  const pois = src.features.filter((f) => f.layer === 'poi').map((f) => f.name);
  const addresses = src.addresses.filter((a) => a.housenumber && a.street);
  const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)]!;
  const out: Array<{ kind: Kind; q: string; expect?: string }> = [];
  for (let i = 0; out.length < n; i++) {
    const kind = (['prefix', 'typo', 'address', 'poi'] as const)[i % 4];
    if (kind === 'prefix' && names.length) {
      const name = pick(names);
      out.push({ kind, q: name.slice(0, 2 + Math.floor(rnd() * Math.max(1, name.length - 2))) });
    } else if (kind === 'typo' && names.length) {
      out.push({ kind, q: typo(pick(names), rnd) });
    } else if (kind === 'address' && addresses.length) {
      const a = pick(addresses);
      const street = rnd() < 0.5 ? abbreviate(a.street!) : a.street!;
      out.push({ kind, q: rnd() < 0.5 ? `${a.housenumber} ${street}` : `${street} ${a.housenumber}`, expect: `${a.housenumber} ${a.street}` });
    } else if (kind === 'poi' && pois.length) {
      out.push({ kind, q: pick(pois) });
    } else if (!names.length && !pois.length && !addresses.length) {
      break;
    }
  }
  return out;
}

async function benchNetwork(name: string, file: string, targetP95Ms: number) {
  const full = path.resolve(ROOT, file);
  if (!existsSync(full)) {
    console.log(`${name}: ${file} not found, skipped`);
    return null;
  }
  let t = performance.now();
  const builder = new NetworkBuilder();
  await readOsm(createReadStream(full, { highWaterMark: 256 * 1024 }), builder, () => {});
  const data = builder.finish();
  const source = fromNetworkData(data);
  const readMs = performance.now() - t;

  const before = heapUsed();
  const buildTimes: number[] = [];
  let built = buildGeocodeIndex(source);
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    built = buildGeocodeIndex(source);
    buildTimes.push(performance.now() - t);
  }
  const { index, report } = built;
  const searcher = new GeocodeSearcher(index);
  const heapGrowth = heapUsed() - before;
  const bytes = geocodeIndexBytes(index);

  const rnd = random(Number(args.seed));
  const queries = makeQueries(source, QUERIES, rnd);
  // Warm up (JIT), then measure.
  for (const { q } of queries.slice(0, 200)) searcher.search(q);
  const times: Record<Kind | 'all', number[]> = { prefix: [], typo: [], address: [], poi: [], all: [] };
  let addressFound = 0;
  let addresses = 0;
  let empty = 0;
  for (const query of queries) {
    t = performance.now();
    const hits = searcher.search(query.q, { limit: 10 });
    const ms = performance.now() - t;
    times[query.kind].push(ms);
    times.all.push(ms);
    if (hits.length === 0) empty++;
    if (query.expect) {
      addresses++;
      if (hits[0]?.kind === 'address' && hits[0].label.startsWith(query.expect)) addressFound++;
    }
  }

  // Reverse: random points near addresses and streets.
  const graph = buildRoadGraph(data.segments.map((s, i) => ({ id: i + 1, lengthM: null, ...s }))).graph;
  const reverseTimes: number[] = [];
  const [w, s, e, n] = data.bbox!;
  for (let i = 0; i < 1000; i++) {
    const lng = w + rnd() * (e - w);
    const lat = s + rnd() * (n - s);
    t = performance.now();
    nearestAddress(index, lng, lat);
    streetAt(graph, lng, lat, 100);
    reverseTimes.push(performance.now() - t);
  }

  const stats = (list: number[]) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { count: list.length, p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? NaN) };
  };
  const result = {
    network: name,
    file,
    readMs: Math.round(readMs),
    buildMs: round(Math.min(...buildTimes)),
    report,
    bytes,
    bytesPerEntry: round(bytes / report.entries),
    heapGrowthBytes: heapGrowth,
    search: { all: stats(times.all), prefix: stats(times.prefix), typo: stats(times.typo), address: stats(times.address), poi: stats(times.poi) },
    reverse: stats(reverseTimes),
    addressTop1: addresses ? round(addressFound / addresses) : null,
    emptyResults: empty,
    targetP95Ms,
    meetsTarget: stats(times.all).p95 <= targetP95Ms,
  };
  console.log(
    `${name}: ${report.entries} entries (${report.addresses} addresses, ${report.streets} streets, ${report.places} places, ${report.pois} POIs), ${report.tokens} tokens\n` +
      `  read ${result.readMs} ms, build ${result.buildMs} ms, index ${(bytes / 1024).toFixed(0)} KiB = ${result.bytesPerEntry} B/entry (heap growth ${(heapGrowth / 1024).toFixed(0)} KiB)\n` +
      `  search ${times.all.length} queries: p50 ${result.search.all.p50} ms, p95 ${result.search.all.p95} ms, p99 ${result.search.all.p99} ms, max ${result.search.all.max} ms (target p95 ≤ ${targetP95Ms} ms: ${result.meetsTarget ? 'met' : 'MISSED'})\n` +
      `    prefix p95 ${result.search.prefix.p95} · typo p95 ${result.search.typo.p95} · address p95 ${result.search.address.p95} · poi p95 ${result.search.poi.p95} ms\n` +
      `  full addresses found first: ${((result.addressTop1 ?? 0) * 100).toFixed(1)} % of ${addresses}; queries without results: ${empty}\n` +
      `  reverse (address + street) p50 ${result.reverse.p50} ms, p95 ${result.reverse.p95} ms`,
  );
  return result;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

const selected = args.network === 'all' ? Object.keys(NETWORKS) : [args.network!];
const results = [];
for (const name of selected) {
  const net = NETWORKS[name];
  if (!net) throw new Error(`unknown network ${name} (${Object.keys(NETWORKS).join(', ')})`);
  const r = await benchNetwork(name, net.file, net.targetP95Ms);
  if (r) results.push(r);
}
mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
const out = path.join(ROOT, 'bench-results', `geocode-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(out, JSON.stringify({ machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, queries: QUERIES, seed: Number(args.seed), results }, null, 2));
console.log(`wrote ${path.relative(ROOT, out)}`);
