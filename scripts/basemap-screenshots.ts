// Screenshots of the live map's street basemap for docs/basemap-*.png: signs in, opens /map at a
// view (?at=lng,lat,zoom) and waits for the tiles and labels. Needs a running server whose
// tenant has a road network, Playwright and Chromium:
//   BASE_URL=http://localhost:3000 npx tsx scripts/basemap-screenshots.ts [email] [password]
import { chromium } from '@playwright/test';

const BASE_URL = process.env.BASE_URL ?? 'http://localhost:3000';
const [email = 'admin@demo.geofleet.dev', password = 'demo-admin'] = process.argv.slice(2);
const VIEWS: Array<{ file: string; zoom: number; lat: number; lng: number }> = [
  { file: 'docs/basemap-z12.png', zoom: 12, lat: 39.2845, lng: -76.575 },
  { file: 'docs/basemap-z15.png', zoom: 15, lat: 39.2842, lng: -76.5935 },
  { file: 'docs/basemap-z17.png', zoom: 17, lat: 39.2832, lng: -76.5922 },
];

const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password }),
});
if (!login.ok) throw new Error(`login failed: ${login.status}`);
const session = await login.json();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-dev-shm-usage'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((value) => window.localStorage.setItem('geofleet.session', value), JSON.stringify(session));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`  console ${message.type()}: ${message.text()}`);
  });
  for (const view of VIEWS) {
    await page.goto(`${BASE_URL}/map?at=${view.lng},${view.lat},${view.zoom}`);
    await page.waitForSelector('canvas.maplibregl-canvas');
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(4000); // SwiftShader draws slowly; labels fade in
    await page.screenshot({ path: view.file });
    console.log(`basemap-screenshots: ${view.file}`);
  }
} finally {
  await browser.close();
}
