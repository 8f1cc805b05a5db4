import { expect, test } from '@playwright/test';
import { apiAs, collectErrors, saveScreenshot, signIn } from './helpers';

/**
 * The driving scorecard: the demo driver's phone reports a drive with one hard stop; a manager
 * opens /drivers, finds the driver ranked with a trend (two seeded weeks behind today), opens the
 * driver's events and sees the hard stop's evidence chart; the vehicles tab ranks the fleet; the
 * driver sees their own score and events in the driver app.
 */
test('drivers scorecard: ranking with trends, events with evidence, the driver’s own score', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const driver = await apiAs(page.request, 'driver');
  const manager = await apiAs(page.request, 'manager');
  const { vehicles } = await manager.json<{ vehicles: Array<{ id: string; name: string; driverId: string | null }> }>('/api/v1/vehicles');
  const vehicle = vehicles.find((v) => v.driverId === driver.user.id)!;
  const { user: me } = await driver.json<{ user: { name: string } }>('/api/v1/auth/me');

  // A drive on the demo's streets ten minutes ago: 50 km/h, a hard stop to 10 km/h in 2 s, on.
  const t0 = Date.now() - 10 * 60_000;
  const speeds = [0, 10, 20, 30, 40, 50, 50, 50, 50, 50, 30, 10, 10, 10, 15, 20, 25, 25, 25];
  let lat = 39.2836;
  const fixes = speeds.map((speed, i) => {
    lat += (speed / 3.6 / 111_320) * 1.2;
    return { vehicleId: vehicle.id, lat, lng: -76.5995, timestamp: t0 + i * 1200, speed, heading: 0, accuracy: 4 };
  });
  const admin = await apiAs(page.request, 'admin');
  expect((await admin.post('/api/v1/positions', fixes)).status()).toBe(200);

  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Drivers' }).click();
  await page.waitForURL('**/drivers');
  const rows = page.getByTestId('scorecard-row');
  const mine = rows.filter({ hasText: me.name });
  await expect(mine).toHaveCount(1);
  await expect(mine.getByTestId('score-badge')).toBeVisible();
  await mine.click();
  const detail = page.getByTestId('scorecard-detail');
  await expect(detail).toContainText(me.name);
  // Other journeys' drives may have newer events: open the hard stop's own evidence.
  const brake = detail.getByRole('listitem').filter({ has: page.getByTestId('driving-event').filter({ hasText: 'Harsh braking' }) }).first();
  await expect(brake).toBeVisible();
  if (!(await brake.getByTestId('evidence-chart').isVisible())) await brake.getByTestId('driving-event').click();
  await expect(brake.getByTestId('evidence-chart')).toBeVisible();
  await saveScreenshot(page, 'drivers-scorecard', { attachTo: testInfo });

  await page.getByTestId('scorecard-vehicles').click();
  await expect(rows.nth(20)).toBeVisible();
  await saveScreenshot(page, 'drivers-scorecard-vehicles', { attachTo: testInfo });

  // Today's events on the live map (a layer toggle, off by default), around the hard stop.
  await page.goto('/map?at=-76.605,39.29,13');
  const toggle = page.getByLabel('Driving events');
  await expect(toggle).not.toBeChecked();
  const loaded = page.waitForResponse((r) => r.url().includes('/api/v1/driving-events') && r.ok());
  await toggle.check();
  await loaded;
  await page.waitForTimeout(1500);
  await saveScreenshot(page, 'map-driving-events', { attachTo: testInfo });
  expect(errors).toEqual([]);

  // The driver, in the driver app: their own score and today's events.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const driverPage = await phone.newPage();
  await signIn(driverPage, 'driver');
  const today = driverPage.getByTestId('today-driving');
  await expect(today.getByTestId('score-badge')).toBeVisible();
  // At least this journey's hard stop (the driver journey drives the same phone earlier today;
  // exact counts per drive are the integration test's).
  await expect(today.getByTestId('driving-event').filter({ hasText: 'Harsh braking' }).first()).toBeVisible();
  await saveScreenshot(driverPage, 'driver-app-driving-today', { attachTo: testInfo, fullPage: true });
  await phone.close();
});
