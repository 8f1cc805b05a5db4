// Runs after `npm install` / `npm ci`: generates the Prisma client offline and copies the
// browser assets (maplibre worker, offline basemap, label glyphs) into public/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

// `prisma generate` needs no schema engine, but the CLI insists on finding one; any
// executable satisfies the check without a download.
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], { stdio: 'inherit', env });
if (existsSync('scripts/copy-assets.mjs')) {
  execFileSync(process.execPath, ['scripts/copy-assets.mjs'], { stdio: 'inherit' });
}
if (existsSync('scripts/build-glyphs.ts')) {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-glyphs.ts'], { stdio: 'inherit' });
}
