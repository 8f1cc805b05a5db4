// Builds the Next.js app when there is no production build yet or when a file the build depends
// on changed since, so `npm start` is one command on a fresh clone and fast on later starts.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const BUILD_ID = '.next/BUILD_ID';
const INPUTS = [
  'app', 'components', 'public', 'server/protocol', 'server/http', 'server/services.ts',
  // route handlers bundle these too (ways in, bearer tokens, the SSE stream)
  'server/ingest', 'server/auth', 'server/events', 'server/basemap', 'server/telemetry',
  'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package-lock.json',
];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

const built = existsSync(BUILD_ID) ? statSync(BUILD_ID).mtimeMs : 0;
const changed = INPUTS.find((entry) => newestMtime(entry) > built);
if (built === 0 || changed) {
  console.log(built === 0 ? 'ensure-build: no production build yet, building (≈1 min)…' : `ensure-build: ${changed} changed, rebuilding…`);
  execFileSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
}
// The driver page's service worker precaches this build's chunks: made after every build.
const DRIVER_SW = '.next/driver-sw.js';
if (!existsSync(DRIVER_SW) || statSync(DRIVER_SW).mtimeMs < statSync(BUILD_ID).mtimeMs) {
  execFileSync(process.execPath, ['scripts/build-driver-sw.mjs'], { stdio: 'inherit' });
}
