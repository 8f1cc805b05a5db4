// Generated front-end assets (gitignored), rebuilt at install time; idempotent.
//   public/vendor/maplibre-gl-worker.mjs   MapLibre's worker (the bundler breaks its import.meta.url lookup)
//   public/basemap/countries.geojson        land: world-atlas countries-50m merged into polygons
//   public/basemap/borders.geojson          country borders mesh
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as topojson from 'topojson-client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const COORD_DECIMALS = 4; // ≈11 m, finer than the 1:50m source

/** True when `target` exists and is newer than every source. */
function upToDate(target, sources) {
  if (!existsSync(target)) return false;
  const built = statSync(target).mtimeMs;
  return sources.every((source) => statSync(source).mtimeMs <= built);
}

function copyWorker() {
  const source = require.resolve('maplibre-gl/dist/maplibre-gl-worker.mjs');
  const target = join(root, 'public/vendor/maplibre-gl-worker.mjs');
  mkdirSync(dirname(target), { recursive: true });
  if (upToDate(target, [source]) && statSync(target).size === statSync(source).size) return;
  copyFileSync(source, target);
  console.log('copy-assets: public/vendor/maplibre-gl-worker.mjs');
}

/** JSON with coordinates rounded, which shrinks the files about threefold. */
function writeGeoJson(target, geojson) {
  const factor = 10 ** COORD_DECIMALS;
  const text = JSON.stringify(geojson, (_key, value) =>
    typeof value === 'number' ? Math.round(value * factor) / factor : value,
  );
  writeFileSync(target, text);
  console.log(`copy-assets: ${target.slice(root.length + 1)} (${(text.length / 1e6).toFixed(1)} MB)`);
}

function buildBasemap() {
  const source = require.resolve('world-atlas/countries-50m.json');
  const countriesFile = join(root, 'public/basemap/countries.geojson');
  const bordersFile = join(root, 'public/basemap/borders.geojson');
  if (upToDate(countriesFile, [source]) && upToDate(bordersFile, [source])) return;
  mkdirSync(dirname(countriesFile), { recursive: true });
  const topology = JSON.parse(readFileSync(source, 'utf8'));
  const countries = topology.objects.countries;
  const land = topojson.merge(topology, countries.geometries);
  writeGeoJson(countriesFile, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: land }] });
  const borders = topojson.mesh(topology, countries, (a, b) => a !== b);
  writeGeoJson(bordersFile, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: borders }] });
}

copyWorker();
buildBasemap();
