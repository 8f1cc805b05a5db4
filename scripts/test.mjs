// `npm test`: type check, unit, integration (real server + PostGIS), e2e (Playwright in Chromium).
// TEST_DATABASE_URL=postgresql://… runs integration and e2e against that PostgreSQL server
// (each in a database of its own) instead of embedded PostGIS. E2E=0 skips the browser layer.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;

function run(title, command, args, env = {}) {
  console.log(`\n━━ ${title} ━━`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${title} failed (${seconds} s)`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${title} (${seconds} s)`);
}

async function findChromium() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  try {
    const { chromium } = await import('@playwright/test');
    if (existsSync(chromium.executablePath())) return chromium.executablePath();
  } catch {
    // no Playwright-managed browser
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

const database = process.env.TEST_DATABASE_URL ? `PostgreSQL server (${new URL(process.env.TEST_DATABASE_URL).host})` : 'embedded PostGIS';
console.log(`GeoFleet tests against ${database}`);

run('type check', bin('tsc'), ['--noEmit', '-p', '.']);
run('unit tests', bin('vitest'), ['run', '--project', 'unit']);
run('production build', process.execPath, ['scripts/ensure-build.mjs']);
run('integration tests', bin('vitest'), ['run', '--project', 'integration']);

if (process.env.E2E === '0') {
  console.log('\n━━ e2e tests ━━\nSKIPPED: E2E=0 is set. The browser journeys did not run.');
} else {
  const chromium = await findChromium();
  if (!chromium) {
    console.error(
      '\n✗ e2e tests need Chromium and none was found.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y chromium   (then it is found at /usr/bin/chromium)\n' +
        '  or set CHROMIUM_PATH=/path/to/chromium, or run `npx playwright install chromium` where downloads work.\n' +
        '  To skip the browser layer on purpose: E2E=0 npm test',
    );
    process.exit(1);
  }
  run('e2e tests', bin('playwright'), ['test'], { CHROMIUM_PATH: chromium });
}
console.log('\nAll test layers passed.');
