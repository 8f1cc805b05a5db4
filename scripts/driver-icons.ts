/**
 * Renders the driver app's icons (public/icons/*.png) from one SVG with headless Chromium.
 * The PNGs are committed; run again only when the design changes:
 *
 *   node_modules/.bin/tsx scripts/driver-icons.ts
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'public/icons');

/** A pin (emerald, white core) on the dashboard's slate; `inset` shrinks it into the maskable safe zone. */
function svg(size: number, { rounded, inset }: { rounded: boolean; inset: number }): string {
  const s = 512;
  const scale = 1 - inset;
  const radius = rounded ? 112 : 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${s} ${s}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#1e293b"/><stop offset="1" stop-color="#0f172a"/>
    </linearGradient>
  </defs>
  <rect width="${s}" height="${s}" rx="${radius}" fill="url(#bg)"/>
  <g transform="translate(${(s * (1 - scale)) / 2} ${(s * (1 - scale)) / 2}) scale(${scale})">
    <ellipse cx="256" cy="430" rx="92" ry="22" fill="#10b981" opacity="0.25"/>
    <path d="M256 74c-83 0-150 66-150 148 0 104 126 196 143 208a12 12 0 0 0 14 0c17-12 143-104 143-208 0-82-67-148-150-148z" fill="#10b981"/>
    <circle cx="256" cy="222" r="66" fill="#ffffff"/>
    <circle cx="256" cy="222" r="26" fill="#0f172a"/>
  </g>
</svg>`;
}

const ICONS = [
  { file: 'driver-192.png', size: 192, rounded: true, inset: 0.08 },
  { file: 'driver-512.png', size: 512, rounded: true, inset: 0.08 },
  // Maskable: full-bleed background, the pin inside the central 80 % safe zone.
  { file: 'driver-maskable-512.png', size: 512, rounded: false, inset: 0.3 },
  // iOS rounds the corners itself and shows transparency as black.
  { file: 'apple-touch-icon.png', size: 180, rounded: false, inset: 0.16 },
];

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
for (const icon of ICONS) {
  await page.setViewportSize({ width: icon.size, height: icon.size });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg(icon.size, icon)}</body></html>`);
  await page.locator('svg').screenshot({ path: path.join(out, icon.file), omitBackground: true });
  console.log(`driver-icons: public/icons/${icon.file}`);
}
await browser.close();
