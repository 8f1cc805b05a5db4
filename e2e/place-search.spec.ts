import { expect, test, type Page } from '@playwright/test';
import { apiAs, collectErrors, saveScreenshot, signIn } from './helpers';
// window.__geofleet is declared in components/map/test-hooks.ts.

/** Pixels between where a [lng, lat] is drawn and the centre of the live map. */
async function offCentre(page: Page, lngLat: [number, number]): Promise<number> {
  const point = await page.evaluate((p) => window.__geofleet?.screenPointAt(p) ?? null, lngLat);
  const box = await page.getByTestId('live-map').boundingBox();
  if (!point || !box) return Infinity;
  return Math.hypot(point[0] - (box.x + box.width / 2), point[1] - (box.y + box.height / 2));
}

test('a dispatcher finds Pratt Street in the map search and the map moves there', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const api = await apiAs(request, 'manager');
  // The demo tenant's Baltimore network is indexed in the background after start-up.
  await expect.poll(async () => (await api.get('/api/v1/geocode?q=Pratt&limit=1')).status(), { timeout: 60_000 }).toBe(200);
  const probe = await api.get('/api/v1/geocode?q=Pratt&limit=1');
  const pratt = ((await probe.json()) as { results: Array<{ lng: number; lat: number; name: string }> }).results[0]!;
  expect(pratt.name).toBe('East Pratt Street');

  const pageErrors = collectErrors(page);
  await signIn(page, 'manager');
  await expect(page.getByTestId('live-map').locator('canvas.maplibregl-canvas')).toBeVisible();
  const before = await offCentre(page, [pratt.lng, pratt.lat]);

  const search = page.getByRole('combobox', { name: 'Search address or place' });
  await search.fill('Pratt');
  const options = page.getByRole('listbox', { name: 'Addresses and places' }).getByRole('option');
  await expect(options.first()).toContainText('East Pratt Street');
  // Keyboard: down and back up, Escape closes, typing reopens.
  await search.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await search.press('ArrowUp');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await saveScreenshot(page, 'place-search-results', { attachTo: testInfo });
  await search.press('Escape');
  await expect(options).toHaveCount(0);
  await search.fill('Prat');
  await expect(options.first()).toContainText('Pratt');
  await search.fill('Pratt');
  await expect(options.first()).toContainText('East Pratt Street');
  await search.press('Enter');

  await expect(search).toHaveValue(/East Pratt Street/);
  await expect.poll(() => offCentre(page, [pratt.lng, pratt.lat]), { timeout: 15_000 }).toBeLessThan(150);
  expect(before).toBeGreaterThan(150);
  await saveScreenshot(page, 'place-search-chosen', { attachTo: testInfo });

  await search.fill('zzzzqqq');
  await expect(page.getByRole('status').filter({ hasText: 'No address or place matches' })).toBeVisible();
  expect(pageErrors).toEqual([]);
});
