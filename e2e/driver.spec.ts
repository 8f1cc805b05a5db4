import { expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { apiAs, collectErrors, phoneContext, saveScreenshot, signIn, waitForFleet, type GeoPoint } from './helpers';
// window.__geofleet (the live map's read-only hooks) is declared in components/map/test-hooks.ts.

/**
 * The driver PWA: a phone (geolocation emulated) reports along a path while a manager watches
 * the live map; the offline journey; installability; and each problem's message.
 */
/** Fixes 1.2 s apart: the demo tenant allows one live position per second per vehicle. */
const FIX_INTERVAL_MS = 1200;

/** A drive north-east from Harbor East, Baltimore (the demo’s streets), ≈ 50 m between points. */
const path = (from: number, count: number): GeoPoint[] =>
  Array.from({ length: count }, (_, i) => ({ latitude: 39.2836 + (from + i) * 0.0003, longitude: -76.5995 + (from + i) * 0.0004 }));

test.describe.configure({ mode: 'serial' });

/** The vehicle assigned to the demo driver, looked up as the manager. */
async function driversVehicle(page: Page): Promise<{ id: string; name: string }> {
  const driver = await apiAs(page.request, 'driver');
  const manager = await apiAs(page.request, 'manager');
  const { vehicles } = await manager.json<{ vehicles: Array<{ id: string; name: string; driverId: string | null }> }>('/api/v1/vehicles');
  const vehicle = vehicles.find((v) => v.driverId === driver.user.id);
  if (!vehicle) throw new Error('the demo driver has no vehicle');
  return vehicle;
}

type HistoryPoint = { geometry: { coordinates: number[] }; properties: { ts: string; accuracy: number | null } };

/** The vehicle's stored positions since `from` (ISO), oldest first, as the manager reads them. */
async function history(page: Page, vehicleId: string, from: string): Promise<HistoryPoint[]> {
  const manager = await apiAs(page.request, 'manager');
  const to = new Date(Date.now() + 60_000).toISOString();
  const response = await manager.get(`/api/v1/vehicles/${vehicleId}/history?from=${from}&to=${to}`);
  expect(response.ok()).toBe(true);
  const { features } = (await response.json()) as { features: Array<{ properties: { kind: string } }> };
  expect(features[0]!.properties.kind).toBe('track');
  return features.slice(1) as unknown as HistoryPoint[];
}

/** Moves the phone along the points, one fix each, FIX_INTERVAL_MS apart. */
async function drive(context: BrowserContext, page: Page, points: readonly GeoPoint[]) {
  for (const point of points) {
    await page.waitForTimeout(FIX_INTERVAL_MS);
    await context.setGeolocation({ ...point, accuracy: 6 });
  }
}

const queued = (page: Page) => page.getByTestId('queued-count-value');
const connection = (page: Page) => page.getByTestId('connection-state-value');

/** Saves (and attaches) a screenshot of the driver's page as driver-<name>.png. */
async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await saveScreenshot(page, `driver-${name}`, { attachTo: testInfo });
}

/** The manager's live map, waiting for the fleet snapshot. */
async function dashboard(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, 'manager');
  await waitForFleet(page, { atLeast: 1 });
  return page;
}

/** Waits until the live map shows the vehicle at the point (frames carry micro-degrees). */
async function expectOnMap(map: Page, vehicleId: string, at: GeoPoint) {
  await map.waitForFunction(
    ({ id, lat, lng }) => {
      const found = window.__geofleet?.positionsOf().find(([vid]) => vid === id);
      return !!found && Math.abs(found[1] - lng) < 2e-6 && Math.abs(found[2] - lat) < 2e-6;
    },
    { id: vehicleId, lat: at.latitude, lng: at.longitude },
    { timeout: 20_000 },
  );
}

test('a driver signs in, tracks along a path, and the manager sees the vehicle move', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const route = path(0, 8);
  const context = await phoneContext(browser, testInfo, route[0]!);
  const page = await context.newPage();
  const errors = collectErrors(page);

  await signIn(page, 'driver');
  const vehicle = await driversVehicle(page);
  await expect(page.getByTestId('driver-vehicle')).toContainText(vehicle.name);
  await expect(connection(page)).toHaveText('Online');
  await expect(page.getByTestId('tracking-state')).toHaveText('Not tracking');
  await screenshot(page, testInfo, 'idle');

  const map = await dashboard(browser, testInfo);
  await page.getByRole('button', { name: 'Start tracking' }).click();
  await expect(page.getByRole('button', { name: 'Stop tracking' })).toBeVisible();
  await expectOnMap(map, vehicle.id, route[0]!);
  await drive(context, page, route.slice(1, 4));
  await expectOnMap(map, vehicle.id, route[3]!);
  await drive(context, page, route.slice(4));
  await expectOnMap(map, vehicle.id, route.at(-1)!);

  await expect(queued(page)).toHaveText('0');
  await expect(page.getByTestId('last-fix')).toContainText('±6 m');
  await expect(page.getByTestId('last-ack-value')).not.toHaveText('—');
  await screenshot(page, testInfo, 'tracking-online');

  await page.getByRole('button', { name: 'Stop tracking' }).click();
  await expect(page.getByTestId('tracking-state')).toHaveText('Not tracking');
  expect(errors).toEqual([]);
  await map.context().close();
  await context.close();
});

test('offline journey: fixes queue on the phone, survive a reload, and reach the database once each, in order', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const online = path(20, 3);
  const offline = path(23, 32);
  const afterReload = path(55, 3);
  const context = await phoneContext(browser, testInfo, online[0]!);
  const page = await context.newPage();
  const startedAt = new Date(Date.now() - 1000).toISOString();

  await signIn(page, 'driver');
  const vehicle = await driversVehicle(page);
  await expect(connection(page)).toHaveText('Online');
  // the service worker must hold the shell before the network goes
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Each start of the GPS watch reports the current position at once: the test expects that fix too.
  const expected: GeoPoint[] = [online[0]!];
  await page.getByRole('button', { name: 'Start tracking' }).click();
  await drive(context, page, online.slice(1));
  expected.push(...online.slice(1));
  // online, each fix is stored as it comes (the queue empties after every fix)
  await expect.poll(async () => (await history(page, vehicle.id, startedAt)).length).toBe(online.length);
  await expect(queued(page)).toHaveText('0');

  await context.setOffline(true);
  await expect(connection(page)).toHaveText('Offline');
  await drive(context, page, offline);
  expected.push(...offline);
  await expect(queued(page)).toHaveText(String(offline.length));
  await screenshot(page, testInfo, 'offline-queued');

  // Reload with no network: the service worker serves the page; the queue is still there.
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  await expect(page.getByTestId('driver-vehicle')).toContainText(vehicle.name);
  await expect(connection(page)).toHaveText('Offline');
  // Tracking resumes by itself. Its first report is the position the phone is at: usually the last
  // fix again (same timestamp: not queued twice); Chromium's emulation sometimes stamps it anew,
  // and then it is a new fix at the same place.
  await expect(page.getByRole('button', { name: 'Stop tracking' })).toBeVisible();
  await page.waitForTimeout(1000);
  const afterRestart = Number(await queued(page).textContent());
  expect([offline.length, offline.length + 1]).toContain(afterRestart);
  if (afterRestart > offline.length) expected.push(offline.at(-1)!);
  await drive(context, page, afterReload);
  expected.push(...afterReload);
  await expect(queued(page)).toHaveText(String(afterRestart + afterReload.length));

  await context.setOffline(false);
  await expect(connection(page)).toHaveText('Online');
  await expect(queued(page)).toHaveText('0', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Stop tracking' }).click();

  // The database holds every fix once, in the order driven, with the phone's own timestamps.
  const points = await history(page, vehicle.id, startedAt);
  expect(points.map((p) => p.geometry.coordinates)).toEqual(expected.map((p) => [p.longitude, p.latitude]));
  expect(points.every((p) => p.properties.accuracy === 6)).toBe(true);
  const times = points.map((p) => Date.parse(p.properties.ts!));
  expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
  // fixes were taken ≈ FIX_INTERVAL_MS apart, not stamped when they arrived
  const offlineSpan = times[online.length + offline.length - 1]! - times[online.length]!;
  expect(offlineSpan).toBeGreaterThan((offline.length - 1) * FIX_INTERVAL_MS * 0.8);

  // The dashboard shows the vehicle where the drive ended.
  const map = await dashboard(browser, testInfo);
  await expectOnMap(map, vehicle.id, afterReload.at(-1)!);
  await map.context().close();
  await context.close();
});

test('installable: valid manifest, service worker controlling /driver, page loads offline', async ({ browser }, testInfo) => {
  const context = await phoneContext(browser, testInfo, path(0, 1)[0]!);
  const page = await context.newPage();
  await signIn(page, 'driver');
  await page.evaluate(() => navigator.serviceWorker.ready);

  // Manifest: the fields Chrome's installability check and Lighthouse look at.
  const manifest = (await (await page.request.get('/manifest.webmanifest')).json()) as {
    name: string; short_name: string; start_url: string; display: string;
    icons: Array<{ src: string; sizes: string; type: string; purpose: string }>;
  };
  expect(manifest).toMatchObject({ name: 'GeoFleet Driver', short_name: 'GeoFleet', start_url: '/driver', display: 'standalone' });
  for (const [size, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']] as const) {
    const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === purpose);
    expect(icon, `${size} ${purpose} icon`).toBeDefined();
    const png = await (await page.request.get(icon!.src)).body();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(size);
  }

  const cdp = await context.newCDPSession(page);
  const parsed = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
  expect(parsed.url).toMatch(/\/manifest\.webmanifest$/);
  expect(parsed.errors).toEqual([]);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
  // Playwright's browser contexts are incognito profiles, where Chromium never installs apps.
  expect(installabilityErrors.filter((e) => e.errorId !== 'in-incognito')).toEqual([]);

  // the trip card has fetched the driver's trips: that answer must not be in any cache
  await expect(page.getByTestId('trip-empty')).toBeVisible();
  const worker = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration('/driver');
    const cached = await Promise.all((await caches.keys()).map(async (name) => (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)));
    return { script: registration?.active?.scriptURL, scope: registration?.scope, cached: cached.flat() };
  });
  expect(worker.script).toMatch(/\/driver-sw\.js$/);
  expect(worker.scope).toMatch(/\/driver$/);
  expect(worker.cached).toContain('/driver');
  expect(worker.cached.some((url) => url.startsWith('/_next/static/') && url.endsWith('.css'))).toBe(true);
  expect(worker.cached.filter((url) => url.startsWith('/_next/static/') && url.endsWith('.js')).length).toBeGreaterThan(3);
  expect(worker.cached.filter((url) => url.startsWith('/api/'))).toEqual([]);

  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  await expect(page.getByRole('button', { name: 'Start tracking' })).toBeVisible();
  expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  // opened offline, the trip card waits for the network instead of showing a stored trip
  await expect(page.getByTestId('trip-waiting')).toContainText('your trip loads once the phone is back online');
  await screenshot(page, testInfo, 'trip-offline-start');
  await context.close();
});

test('permission denied, no GPS, weak signal and a revoked token each say what to do', async ({ browser }, testInfo) => {
  test.setTimeout(90_000);
  const at = path(60, 1)[0]!;
  const context = await phoneContext(browser, testInfo, at, { allowLocation: false });
  const page = await context.newPage();
  await signIn(page, 'driver');

  // Permission denied: tracking stops, the notice says how to allow it; once allowed, it starts.
  await page.getByRole('button', { name: 'Start tracking' }).click();
  const denied = page.getByTestId('driver-notice').filter({ hasText: 'Location access is blocked' });
  await expect(denied).toContainText('Site settings');
  await expect(page.getByRole('button', { name: 'Start tracking' })).toBeVisible();
  await screenshot(page, testInfo, 'permission-denied');
  await context.grantPermissions(['geolocation']);
  await page.getByRole('button', { name: 'Start tracking' }).click();
  await expect(page.getByRole('button', { name: 'Stop tracking' })).toBeVisible();
  await expect(denied).toHaveCount(0);

  // No GPS: the emulated position becomes unavailable.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setGeolocationOverride', {});
  await page.getByRole('button', { name: 'Stop tracking' }).click();
  await page.getByRole('button', { name: 'Start tracking' }).click();
  await expect(page.getByTestId('driver-notice').filter({ hasText: 'No GPS position' })).toContainText('location services');

  // A position again (the watch recovers by itself), but a weak one: ±250 m is kept and flagged.
  await context.setGeolocation({ ...at, accuracy: 250 });
  await expect(page.getByTestId('driver-notice').filter({ hasText: 'Weak GPS signal (±250 m)' })).toBeVisible();
  await expect(page.getByTestId('driver-notice').filter({ hasText: 'No GPS position' })).toHaveCount(0);

  // Revoked token: the page says so, keeps the fixes, and offers to sign in again. (The session
  // is revoked too — no refresh cookie — or the app would renew the token by itself.)
  await context.clearCookies();
  await context.setOffline(true);
  await page.evaluate(() => {
    const session = JSON.parse(localStorage.getItem('geofleet.session')!);
    localStorage.setItem('geofleet.session', JSON.stringify({ ...session, token: `${session.token.slice(0, -4)}AAAA` }));
  });
  await page.reload();
  // tracking resumes; a move once the watch runs is a new fix, queued
  await expect(page.getByRole('button', { name: 'Stop tracking' })).toBeVisible();
  await page.waitForTimeout(1000);
  await context.setGeolocation({ latitude: at.latitude + 0.001, longitude: at.longitude, accuracy: 6 });
  await expect(queued(page)).not.toHaveText('0');
  await context.setOffline(false);
  const revoked = page.getByTestId('driver-notice').filter({ hasText: 'Your sign-in has ended' });
  await expect(revoked).toContainText(/on this phone (is|are) kept and sent after you sign in/);
  await expect(connection(page)).toHaveText('Signed out');
  await screenshot(page, testInfo, 'session-ended');
  await revoked.getByRole('button', { name: 'Sign in again' }).click();
  await signIn(page, 'driver');
  await expect(queued(page)).toHaveText('0');
  await page.getByRole('button', { name: 'Stop tracking' }).click();
  await context.close();
});
