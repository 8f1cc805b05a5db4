import { expect, test, type Page } from '@playwright/test';
import { apiAs, collectErrors, saveScreenshot, signIn, submitLogin, USERS } from './helpers';
import { E2E_NEW_TENANT } from './new-tenant';

/**
 * The admin console as a new customer uses it, with no curl: the new tenant's admin adds a van
 * and a driver, assigns them, reads the OsmAnd settings and sends a position with them (as a phone
 * would), and sees the van on the map. Then sessions: one that ends mid-use leads to sign-in and
 * back to the same page, and a deactivated user is signed out within seconds.
 */
const ADMIN = E2E_NEW_TENANT.admin;
const docShot = (page: Page, name: string) => saveScreenshot(page, name, { fullPage: false });

test('a new tenant admin adds a van and a driver, connects the van with the OsmAnd settings and sees it on the map', async ({ page, request }, testInfo) => {
  test.setTimeout(150_000);
  const errors = collectErrors(page);
  await submitLogin(page, ADMIN);
  await page.waitForURL(/\/map(\?.*)?$/);
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Admin' }).click();
  await page.waitForURL('**/admin/vehicles');
  await expect(page.getByText('No vehicles yet')).toBeVisible();

  // An empty form: every problem at its field at once, with a summary on top.
  await page.getByTestId('add-vehicle').click();
  const form = page.getByTestId('vehicle-form');
  await form.getByTestId('vehicle-save').click();
  await expect(form.getByTestId('form-error-summary')).toHaveText('2 fields need your attention.');
  await expect(form.getByTestId('error-name')).toHaveText('Enter a name.');
  await expect(form.getByTestId('error-deviceId')).toHaveText('Enter a device identifier.');
  await expect(form.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await docShot(page, 'admin-vehicle-errors');

  await form.getByLabel('Name').fill('Harbor Van 1');
  await form.getByLabel('Device identifier').fill('harbor-van-1');
  await form.getByLabel('Group').fill('North depot');
  await form.getByLabel('Speed limit (km/h)').fill('80');
  await form.getByTestId('vehicle-save').click();
  // Created: the phone setup opens right away.
  const setup = page.getByTestId('device-setup');
  await expect(setup).toBeVisible();
  await expect(page.getByTestId('vehicle-row')).toHaveCount(1);

  // A driver user…
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
  await page.waitForURL('**/admin/users');
  const userForm = page.getByTestId('user-form');
  await userForm.getByLabel('Name').fill('Dara Driver');
  await userForm.getByLabel('Email').fill('dara@harbor.example');
  await userForm.getByLabel('Password').fill('dara-password');
  await userForm.getByLabel('Role').selectOption('driver');
  await userForm.getByTestId('user-create').click();
  await expect(page.locator('[data-user="dara@harbor.example"]')).toBeVisible();
  await docShot(page, 'admin-users');

  // …assigned to the van.
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Drivers' }).click();
  const row = page.locator('[data-driver="dara@harbor.example"]');
  await row.getByTestId('assign-vehicle').selectOption({ label: 'Harbor Van 1' });
  await expect(row.getByTestId('assign-vehicle')).toHaveValue(/.+/);
  await page.reload();
  await expect(page.locator('[data-driver="dara@harbor.example"]').getByTestId('assign-vehicle').locator('option:checked')).toHaveText('Harbor Van 1');
  await docShot(page, 'admin-drivers');

  // The OsmAnd settings, as the phone would scan them.
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Vehicles' }).click();
  const van = page.locator('[data-vehicle="Harbor Van 1"]');
  await expect(van).toContainText('Dara Driver');
  await van.getByTestId('setup-vehicle').click();
  await page.getByRole('tab', { name: 'OsmAnd' }).click();
  await expect(page.getByTestId('settings-qr')).toBeVisible();
  const template = await page.getByTestId('setting-online-tracking-web-address').innerText();
  expect(template).toContain('/api/v1/osmand?id=');
  await docShot(page, 'admin-device-setup');

  // The phone reports (OsmAnd fills in the placeholders).
  const [lat, lon] = [39.2904, -76.6122];
  const url = template.replace('{0}', String(lat)).replace('{1}', String(lon)).replace('{2}', String(Math.floor(Date.now() / 1000))).replace('{3}', '5').replace('{4}', '10').replace('{5}', '3');
  const sent = await request.get(url);
  expect(sent.status(), await sent.text()).toBe(200);

  // The van is on the map where the phone said, and the group is a filter there.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Live map' }).click();
  await page.waitForFunction(() => (window.__geofleet?.positionsOf().length ?? 0) >= 1, null, { timeout: 60_000 });
  const [, lng, latOnMap] = (await page.evaluate(() => window.__geofleet!.positionsOf()))[0]!;
  expect(lng).toBeCloseTo(lon, 3);
  expect(latOnMap).toBeCloseTo(lat, 3);
  await expect(page.getByTestId('vehicle-count')).toContainText('1');
  await expect(page.getByTestId('map-group-filter')).toContainText('North depot');
  await docShot(page, 'admin-van-on-map');
  await testInfo.attach('osmand-url', { body: url });
  // A tenant without a road network has no street tiles: those requests may fail, nothing else may.
  expect(errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
});

test('an admin sets the home area from the road network; the editors open there', async ({ page, request }) => {
  const errors = collectErrors(page);
  await signIn(page, 'admin');
  await page.goto('/admin/settings');
  const panel = page.getByTestId('home-area-panel');
  await expect(panel.getByTestId('home-area-status')).toHaveText(/^Not set: maps open on the road network’s extent/);
  await expect(panel.getByTestId('home-area-map')).toHaveAttribute('data-ready', 'true');
  await panel.getByTestId('home-area-use-roads').click();
  // The demo's Baltimore extract.
  await expect(panel.getByTestId('home-area-status')).toHaveText(/^Set to 39\.\d\d…39\.\d\d° N, 76\.\d\d…76\.\d\d° W\.$/);
  await expect(panel.getByTestId('home-area-map')).toHaveAttribute('data-outline', 'solid');
  await docShot(page, 'admin-home-area');
  const admin = await apiAs(request, 'admin');
  const home = (await admin.json<{ tenant: { homeArea: number[] | null } }>('/api/v1/tenant')).tenant.homeArea;
  expect(home).toHaveLength(4);

  await page.goto('/editor/zones');
  await page.waitForFunction(() => window.__geofleetEditor !== undefined);
  await expect
    .poll(async () => {
      const [lng, lat] = await page.evaluate(() => window.__geofleetEditor!.center());
      return lng > home![0]! && lng < home![2]! && lat > home![1]! && lat < home![3]!;
    })
    .toBe(true);

  // Back as it was: other journeys expect no home area.
  await page.goto('/admin/settings');
  await page.getByTestId('home-area-clear').click();
  await expect(page.getByTestId('home-area-status')).toHaveText(/^Not set/);
  expect(errors).toEqual([]);
});

test('a session that ends mid-use leads to sign-in and back to the same page', async ({ page }) => {
  await signIn(page, 'manager');
  await page.goto('/admin/users');
  await expect(page.getByTestId('user-list')).toBeVisible();
  // /login while signed in goes home.
  await page.goto('/login');
  await page.waitForURL(/\/map(\?.*)?$/);
  await page.goto('/admin/users');
  await expect(page.getByTestId('user-list')).toBeVisible();

  // The session ends on the server (its refresh token revoked) and the access token is no longer valid.
  await page.evaluate(async () => {
    await fetch('/api/v1/auth/logout', { method: 'POST' });
    const raw = localStorage.getItem('geofleet.session')!;
    localStorage.setItem('geofleet.session', JSON.stringify({ ...JSON.parse(raw), token: 'expired.token.value' }));
  });
  // The next request (the page's session check, within seconds) finds out.
  await page.waitForURL(/\/login\?next=%2Fadmin%2Fusers&ended=1$/, { timeout: 20_000 });
  await expect(page.getByTestId('session-ended')).toContainText('Your session ended');
  await docShot(page, 'admin-session-ended');
  await page.getByLabel('Email').fill(USERS.manager.email);
  await page.getByLabel('Password').fill(USERS.manager.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin/users');
  await expect(page.getByTestId('user-list')).toBeVisible();
});

test('a deactivated user is signed out within seconds on every open page', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const admin = await request.post('/api/v1/auth/login', { data: ADMIN });
  const token = ((await admin.json()) as { token: string }).token;
  const headers = { authorization: `Bearer ${token}` };
  const email = `mo.${Date.now().toString(36)}@harbor.example`;
  const created = await request.post('/api/v1/users', { headers, data: { email, name: 'Mo Manager', password: 'mo-manager-pw', role: 'manager' } });
  expect(created.status()).toBe(201);
  const userId = ((await created.json()) as { user: { id: string } }).user.id;

  const context = await browser.newContext();
  const map = await context.newPage();
  await submitLogin(map, { email, password: 'mo-manager-pw' });
  await map.waitForURL(/\/map(\?.*)?$/);
  await expect(map.getByTestId('connection-state')).toHaveText('Live');
  const consolePage = await context.newPage();
  await consolePage.goto('/admin/vehicles');
  await expect(consolePage.getByTestId('vehicles-panel')).toBeVisible();

  const started = Date.now();
  expect((await request.patch(`/api/v1/users/${userId}`, { headers, data: { active: false } })).status()).toBe(200);
  // The map's socket is closed by the server: sign-in at once. The console page checks within 10 s.
  await map.waitForURL(/\/login/, { timeout: 10_000 });
  await consolePage.waitForURL(/\/login/, { timeout: 15_000 });
  expect(Date.now() - started).toBeLessThan(15_000);
  await expect(map.getByTestId('session-ended')).toBeVisible();
  // And cannot sign in again.
  await submitLogin(map, { email, password: 'mo-manager-pw' });
  await expect(map.getByRole('alert').filter({ hasText: 'deactivated' })).toBeVisible();
  await context.close();
});
