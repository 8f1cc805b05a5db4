import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { apiAs, collectErrors, expectEditorLive, saveScreenshot, signIn } from './helpers';

/**
 * The geofence and route editors: drawing and saving a fence, the server's reason for an invalid
 * shape, importing a GPX route, and read-only access for viewers and managers.
 */

const GPX_FIXTURE = path.join(import.meta.dirname, 'fixtures', 'tempelhof-loop.gpx');

/** Clicks at fractions of the map's box, one by one (terra-draw reads pointer events). */
async function clickMap(page: Page, points: Array<[number, number]>) {
  const box = (await page.getByTestId('editor-map').boundingBox())!;
  for (const [x, y] of points) {
    await page.mouse.click(box.x + box.width * x, box.y + box.height * y);
    await page.waitForTimeout(150);
  }
}

async function openZones(page: Page) {
  await page.goto('/editor');
  await page.waitForURL('**/editor/zones');
  await expectEditorLive(page);
}

test('admin draws a polygon fence, saves it, and finds it in the list and over REST', async ({ page, request }, testInfo) => {
  const errors = collectErrors(page);
  const name = `E2E depot ${Date.now()}`;
  await signIn(page, 'admin');
  await openZones(page);

  await page.getByRole('button', { name: 'Polygon', exact: true }).click();
  await clickMap(page, [[0.35, 0.3], [0.6, 0.3], [0.62, 0.6], [0.38, 0.62], [0.35, 0.3]]);
  await expect(page.getByTestId('fence-shape')).toHaveText('polygon');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Type').selectOption('DEPOT');
  await page.getByLabel('Dwell time').fill('30');
  await page.getByRole('button', { name: 'Create geofence' }).click();
  await expect(page.getByTestId('editor-notice')).toHaveText(`Saved “${name}”.`);
  await saveScreenshot(page, 'editor-fence-saved', { attachTo: testInfo });

  await page.getByRole('button', { name: '← All geofences' }).click();
  await expect(page.getByTestId('fence-item').filter({ hasText: name })).toBeVisible();

  const admin = await apiAs(request, 'admin');
  const { geofences } = await admin.json<{ geofences: Array<{ geometry: { type: string; coordinates: number[][][] }; properties: Record<string, unknown> }> }>('/api/v1/geofences');
  const stored = geofences.find((g) => g.properties.name === name);
  expect(stored?.geometry.type).toBe('Polygon');
  expect(stored?.geometry.coordinates[0]).toHaveLength(5);
  expect(stored?.properties).toMatchObject({ type: 'DEPOT', kind: 'static', dwellSeconds: 30 });
  expect(errors).toEqual([]);
});

test('a drawn circle is saved as its center and radius', async ({ page, request }) => {
  const name = `E2E gate ${Date.now()}`;
  await signIn(page, 'admin');
  await openZones(page);
  await page.getByRole('button', { name: 'Circle', exact: true }).click();
  await clickMap(page, [[0.5, 0.5], [0.6, 0.5]]);
  await expect(page.getByTestId('fence-shape')).toHaveText(/^circle, radius [\d.]+ k?m$/);
  const [, value, unit] = (await page.getByTestId('fence-shape').textContent())!.match(/([\d.]+) (k?m)$/)!;
  const drawn = Number(value) * (unit === 'km' ? 1000 : 1);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create geofence' }).click();
  await expect(page.getByTestId('editor-notice')).toHaveText(`Saved “${name}”.`);

  const admin = await apiAs(request, 'admin');
  const { geofences } = await admin.json<{ geofences: Array<{ geometry: { type: string }; properties: { name: string; radius?: number; areaM2: number } }> }>('/api/v1/geofences');
  const stored = geofences.find((g) => g.properties.name === name)!;
  expect(stored.geometry.type).toBe('Point');
  expect(Math.abs(stored.properties.radius! - drawn)).toBeLessThanOrEqual(unit === 'km' ? 5 : 0.5);
  expect(Math.abs(stored.properties.areaM2 / (Math.PI * stored.properties.radius! ** 2) - 1)).toBeLessThan(0.01);
});

test('a self-intersecting polygon shows the server’s reason and marks where it is', async ({ page }, testInfo) => {
  await signIn(page, 'admin');
  await openZones(page);
  const before = await page.getByTestId('fence-item').count();

  await page.getByRole('button', { name: 'Polygon', exact: true }).click();
  // A bow tie: the second edge crosses the fourth.
  await clickMap(page, [[0.35, 0.3], [0.6, 0.6], [0.6, 0.3], [0.35, 0.6], [0.35, 0.3]]);
  await page.getByLabel('Name').fill('Bow tie');
  await page.getByRole('button', { name: 'Create geofence' }).click();

  const error = page.getByTestId('editor-error');
  await expect(error).toContainText('invalid geometry: Self-intersection');
  await expect(error).toContainText(/at \[-?\d+\.\d+, -?\d+\.\d+\]/);
  await expect(page.getByTestId('error-vertex')).toBeVisible();
  // The marker sits where the two edges cross: in the middle of the drawn shape.
  const box = (await page.getByTestId('editor-map').boundingBox())!;
  const marker = (await page.getByTestId('error-vertex').boundingBox())!;
  expect(Math.abs(marker.x + marker.width / 2 - (box.x + box.width * 0.475))).toBeLessThan(25);
  expect(Math.abs(marker.y + marker.height / 2 - (box.y + box.height * 0.45))).toBeLessThan(25);
  await saveScreenshot(page, 'editor-invalid-polygon', { attachTo: testInfo });

  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('fence-item')).toHaveCount(before);
});

test('admin imports a route from a GPX file: preview, save, PostGIS length shown', async ({ page, request }, testInfo) => {
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  type RouteList = { routes: Array<{ id: string; properties: { name: string; lengthM: number; vehicleIds: string[]; attributes: Record<string, unknown> } }> };
  const before = new Set((await admin.json<RouteList>('/api/v1/routes')).routes.map((r) => r.id));
  await signIn(page, 'admin');
  await page.goto('/editor/routes');
  await expect(page.getByTestId('editor-map')).toHaveAttribute('data-ready', 'true');

  await page.getByTestId('import-input').setInputFiles(GPX_FIXTURE);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('tempelhof-loop.gpx: 1 route to create');
  await expect(preview.getByTestId('import-item')).toHaveText(/Tempelhof loop\s*8 points, ≈ \d\.\d\d km/);
  await saveScreenshot(page, 'editor-route-preview', { attachTo: testInfo });

  await page.getByRole('button', { name: 'Save 1 route' }).click();
  await expect(page.getByTestId('editor-notice')).toHaveText('Imported 1 route from tempelhof-loop.gpx.');
  const shown = await page.getByTestId('route-length').textContent();

  const after = (await admin.json<RouteList>('/api/v1/routes')).routes.filter((r) => !before.has(r.id));
  expect(after).toHaveLength(1);
  const route = after[0]!;
  expect(route.properties.name).toBe('Tempelhof loop');
  expect(route.properties.attributes).toMatchObject({ source: 'tempelhof-loop.gpx', description: 'Delivery loop around the old airfield' });
  expect(route.properties.lengthM).toBeGreaterThan(3_000);
  expect(shown).toBe(`${(route.properties.lengthM / 1000).toFixed(2)} km`);

  // Rename it and assign two vehicles: the list shows them, and so does REST.
  const name = `Tempelhof loop ${Date.now()}`;
  await page.getByLabel('Name').fill(name);
  const picker = page.getByTestId('vehicle-picker');
  await picker.getByRole('checkbox').nth(0).check();
  await picker.getByRole('checkbox').nth(1).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('editor-notice')).toHaveText(`Saved “${name}”.`);
  await saveScreenshot(page, 'editor-route-saved', { attachTo: testInfo });
  await page.getByRole('button', { name: '← All routes' }).click();
  await expect(page.getByTestId('route-item').filter({ hasText: name })).toContainText('2 vehicles');
  const saved = await admin.json<{ route: RouteList['routes'][number] }>(`/api/v1/routes/${route.id}`);
  expect(saved.route.properties.vehicleIds).toHaveLength(2);
  expect(errors).toEqual([]);
});

for (const who of ['viewer', 'manager'] as const) {
  test(`a ${who} opening /editor sees the editors read-only`, async ({ page, request }, testInfo) => {
    // Something to look at: a fence made by the admin.
    const admin = await apiAs(request, 'admin');
    const name = `Read-only check ${who} ${Date.now()}`;
    const created = await admin.post('/api/v1/geofences', {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [13.38, 52.52] },
      properties: { name, radius: 400 },
    });
    expect(created.status()).toBe(201);

    await signIn(page, who);
    await openZones(page);
    await expect(page.getByTestId('read-only-note')).toContainText(`You are signed in as a ${who}`);
    await expect(page.getByTestId('draw-tools')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Polygon', exact: true })).toHaveCount(0);

    await page.getByTestId('fence-item').filter({ hasText: name }).click();
    await expect(page.getByTestId('geofence-form')).toHaveAttribute('disabled', '');
    await expect(page.getByLabel('Name')).toHaveValue(name);
    await expect(page.getByLabel('Name')).toBeDisabled();
    await expect(page.getByLabel('Type')).toBeDisabled();
    await expect(page.getByRole('button', { name: /Save|Delete|Create/ })).toHaveCount(0);
    await saveScreenshot(page, `editor-read-only-${who}`, { attachTo: testInfo });

    await page.getByRole('link', { name: 'Routes' }).click();
    await page.waitForURL('**/editor/routes');
    await expect(page.getByTestId('read-only-note')).toContainText('only admins can draw, edit, import or delete routes');
    await expect(page.getByTestId('import-input')).toHaveCount(0);
  });
}

test('a fence saved elsewhere appears live in an open editor', async ({ page, request }) => {
  await signIn(page, 'viewer');
  await openZones(page);
  const name = `Live fence ${Date.now()}`;
  const admin = await apiAs(request, 'admin');
  const created = await admin.post('/api/v1/geofences', {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[13.3, 52.5], [13.31, 52.5], [13.31, 52.51], [13.3, 52.5]]] },
    properties: { name },
  });
  expect(created.status()).toBe(201);
  await expect(page.getByTestId('fence-item').filter({ hasText: name })).toBeVisible();
});
