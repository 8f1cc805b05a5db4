import { expect, test, type Page } from '@playwright/test';
import { collectErrors, saveScreenshot, signIn, submitLogin, USERS, waitForFleet } from './helpers';
// window.__geofleet is declared in components/map/test-hooks.ts.

const positionsOf = (page: Page) => page.evaluate(() => window.__geofleet!.positionsOf());
const framesReceived = (page: Page) => page.evaluate(() => window.__geofleet!.framesReceived());

test('manager signs in and watches the fleet move on the live map', async ({ page }, testInfo) => {
  const pageErrors = collectErrors(page);

  await signIn(page, 'manager');
  await waitForFleet(page, { atLeast: 200 });
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

  await saveScreenshot(page, 'live-map', { attachTo: testInfo });
  expect(pageErrors).toEqual([]);
});

test('a wrong password shows the server message', async ({ page, request }) => {
  const wrong = { email: USERS.manager.email, password: 'not-the-password' };
  const response = await request.post('/api/v1/auth/login', { data: wrong });
  expect(response.status()).toBe(401);
  const { error } = (await response.json()) as { error: { message: string } };

  await submitLogin(page, wrong);
  // filter: Next's route announcer is an alert too
  await expect(page.getByRole('alert').filter({ hasText: error.message })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
});

test('the map without a session redirects to the login page', async ({ page }) => {
  await page.goto('/map');
  await page.waitForURL('**/login');
  await expect(page.getByLabel('Email')).toBeVisible();
});

test('the top bar leads to the editors and trips for the roles that use them; a driver is sent to the driver page', async ({ page }) => {
  // Four sign-ins, each opening a page with a WebGL map in software: well past a minute when the machine is busy.
  test.setTimeout(150_000);
  await signIn(page, 'manager');
  const nav = page.getByRole('navigation', { name: 'Pages' });
  await expect(nav.getByRole('link', { name: 'Trips' })).toBeVisible();
  await saveScreenshot(page, 'top-bar', { clip: { x: 0, y: 0, width: 1280, height: 60 } });
  await nav.getByRole('link', { name: 'Zones & routes' }).click();
  await page.waitForURL('**/editor/zones');
  await page.getByRole('link', { name: 'Live map' }).click();
  await page.waitForURL(/\/map(\?.*)?$/);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Trips' }).click();
  await page.waitForURL('**/trips');
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'viewer');
  await expect(nav.getByRole('link', { name: 'Zones & routes' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Trips' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await signIn(page, 'driver');
  for (const path of ['/', '/map']) {
    await page.goto(path);
    await page.waitForURL('**/driver');
  }
});
