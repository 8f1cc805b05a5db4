import { mkdir } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
// window.__geofleet is declared in components/map/test-hooks.ts.

const MANAGER = { email: 'manager@demo.geofleet.dev', password: 'demo-manager' };
const MIN_VEHICLES = 200;
const SCREENSHOT = 'test-results/artifacts/live-map.png';

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const positionsOf = (page: Page) => page.evaluate(() => window.__geofleet!.positionsOf());
const framesReceived = (page: Page) => page.evaluate(() => window.__geofleet!.framesReceived());

test('manager signs in and watches the fleet move on the live map', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });

  await signIn(page, MANAGER.email, MANAGER.password);
  await page.waitForURL('**/map');
  await page.waitForFunction(
    (min) => (window.__geofleet?.vehicleCount() ?? 0) >= min,
    MIN_VEHICLES,
    { timeout: 45_000 },
  );
  await expect(page.getByTestId('connection-state')).toHaveText('Live');

  const before = new Map((await positionsOf(page)).map(([id, lng, lat]) => [id, [lng, lat]]));
  const framesBefore = await framesReceived(page);
  await page.waitForTimeout(3_000);
  const after = await positionsOf(page);
  const moved = after.filter(([id, lng, lat]) => {
    const previous = before.get(id);
    return previous && (previous[0] !== lng || previous[1] !== lat);
  }).length;
  expect(moved, `${moved} of ${before.size} vehicles moved in 3 s`).toBeGreaterThan(before.size / 2);
  expect(await framesReceived(page)).toBeGreaterThan(framesBefore);

  // Tailwind vs maplibre-gl.css: a collapsed container leaves a 300 px map and a 1 px deck canvas.
  const map = page.getByTestId('live-map');
  for (const canvas of [map.locator('canvas.maplibregl-canvas'), map.locator('canvas:not(.maplibregl-canvas)')]) {
    const box = await canvas.boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    expect(box?.height).toBeGreaterThan(300);
  }

  await mkdir('test-results/artifacts', { recursive: true });
  await page.screenshot({ path: SCREENSHOT });
  await testInfo.attach('live-map', { path: SCREENSHOT, contentType: 'image/png' });
  expect(pageErrors).toEqual([]);
});

test('a wrong password shows the server message', async ({ page, request }) => {
  const response = await request.post('/api/v1/auth/login', { data: { email: MANAGER.email, password: 'not-the-password' } });
  expect(response.status()).toBe(401);
  const { error } = (await response.json()) as { error: { message: string } };

  await signIn(page, MANAGER.email, 'not-the-password');
  // filter: Next's route announcer is an alert too
  await expect(page.getByRole('alert').filter({ hasText: error.message })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('the map without a session redirects to the login page', async ({ page }) => {
  await page.goto('/map');
  await page.waitForURL('**/login');
  await expect(page.getByLabel('Email')).toBeVisible();
});
