// Builds the driver page's service worker after `next build` (ensure-build runs it): bundles
// app/driver/sw.ts with the precache list of this build into .next/driver-sw.js, which
// app/driver-sw.js/route.ts serves at /driver-sw.js.
//
// Precached: the prerendered /driver HTML, every /_next/static file it references (scripts,
// styles: content-hashed names, so no revision), the web manifest and the icons it names.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);
const SHELL_HTML = at('.next/server/app/driver.html');
const OUTPUT = at('.next/driver-sw.js');

const revision = (file) => createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);

function precacheList() {
  if (!existsSync(SHELL_HTML)) {
    throw new Error('build-driver-sw: .next/server/app/driver.html is missing: run `next build` first (the /driver page must stay static)');
  }
  const html = readFileSync(SHELL_HTML, 'utf8');
  const staticUrls = [...new Set(html.match(/\/_next\/static\/[^"'\s\\)]+/g) ?? [])].sort();
  for (const url of staticUrls) {
    if (!existsSync(at('.next', url.slice('/_next/'.length)))) throw new Error(`build-driver-sw: ${url} is not in .next/static`);
  }
  const manifest = JSON.parse(readFileSync(at('public/manifest.webmanifest'), 'utf8'));
  const publicFiles = ['/manifest.webmanifest', ...manifest.icons.map((icon) => icon.src), '/icons/apple-touch-icon.png'];
  return [
    { url: '/driver', revision: revision(SHELL_HTML) },
    ...staticUrls.map((url) => ({ url, revision: null })),
    ...publicFiles.map((url) => ({ url, revision: revision(at('public', url)) })),
    { url: '/icon.png', revision: revision(at('app/icon.png')) },
  ];
}

const entries = precacheList();
await build({
  entryPoints: [at('app/driver/sw.ts')],
  outfile: OUTPUT,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  define: { __DRIVER_PRECACHE__: JSON.stringify(entries), 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
console.log(`build-driver-sw: .next/driver-sw.js (${(statSync(OUTPUT).size / 1024).toFixed(1)} KB), ${entries.length} files precached`);
