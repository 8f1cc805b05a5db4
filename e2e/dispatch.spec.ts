import { expect, test } from '@playwright/test';
import { apiAs, collectErrors, phoneContext, saveScreenshot, signIn, submitLogin } from './helpers';

/** Fells Point, Baltimore (the demo road network). */
const VAN_AT = { latitude: 39.2915, longitude: -76.589 }; // Butchers Hill, ≈1.2 km north

/**
 * Dispatch journey: a manager opens Dispatch from the top bar, finds the pickup with the address
 * search, asks for a wheelchair vehicle; the request is offered at once to the only capable
 * van and the console shows why (the factor breakdown); the van's driver gets the offer on the
 * phone and accepts; the console shows it assigned, with the trip.
 */
test('dispatch journey: address search → offer with its breakdown → the driver accepts on the phone', async ({ page, browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const run = Date.now().toString(36);

  // A driver and a van with a wheelchair lift, standing at Butchers Hill (the simulator never drives vehicles with a driver).
  const admin = await apiAs(request, 'admin');
  const email = `e2e-dispatch-${run}@demo.geofleet.dev`;
  expect((await admin.post('/api/v1/users', { email, name: 'Wendy Wheels', password: 'wendy-wheels-pw', role: 'driver' })).status()).toBe(201);
  const driverId = ((await (await request.post('/api/v1/auth/login', { data: { email, password: 'wendy-wheels-pw' } })).json()) as { user: { id: string } }).user.id;
  const created = await admin.post('/api/v1/vehicles', { name: `Access Van ${run}`, deviceId: `access-van-${run}`, driverId, attributes: { capabilities: ['wheelchair'] } });
  expect(created.status()).toBe(201);
  const van = ((await created.json()) as { vehicle: { id: string; name: string } }).vehicle;
  const report = async () =>
    expect((await admin.post('/api/v1/positions', [{ vehicleId: van.id, lng: VAN_AT.longitude, lat: VAN_AT.latitude, timestamp: Date.now(), speed: 0 }])).status()).toBeLessThan(300);
  await report();

  // ── the manager opens the console from the top bar
  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Dispatch' }).click();
  await page.waitForURL('**/dispatch');
  await expect(page.getByTestId('dispatch-live-state')).toHaveText('Live');
  const form = page.getByTestId('dispatch-form');

  // Bad input first: an empty form names every missing field at once, each at its place, and
  // sends nothing; typing in a field clears its message.
  await form.getByTestId('dispatch-create').click();
  await expect(form.getByTestId('dispatch-error-location')).toHaveText('Search an address or pick a point on the map.');
  await expect(form.getByTestId('dispatch-error-serviceType')).toHaveText('Say what is needed (e.g. chilled delivery).');
  await expect(form.locator('input[name="serviceType"]')).toHaveAttribute('aria-invalid', 'true');
  await saveScreenshot(form, 'dispatch-form-field-errors');
  await form.locator('input[name="serviceType"]').fill('Wheelchair pickup');
  await expect(form.getByTestId('dispatch-error-serviceType')).toHaveCount(0);
  await expect(form.getByTestId('dispatch-error-location')).toBeVisible();

  // The pickup from the address search.
  const search = form.getByRole('combobox', { name: 'Search address or place' });
  await search.fill('Thames Street');
  await expect(form.getByRole('option').first()).toBeVisible();
  await search.press('Enter');
  await expect(form.getByTestId('picked-location')).toContainText('Address: ');
  await expect(form.getByTestId('dispatch-error-location')).toHaveCount(0);
  await form.getByLabel('wheelchair').check();
  await form.getByRole('button', { name: 'Preview candidates' }).click();
  await expect(form.getByTestId('dispatch-preview').getByTestId('candidate').first()).toContainText(van.name);
  await report();
  await form.getByTestId('dispatch-create').click();

  // Offered at once to the van; the detail explains the score.
  const detail = page.getByTestId('dispatch-detail');
  await expect(detail).toContainText(`Offered to ${van.name}`);
  await expect(page.getByTestId('dispatch-queue').getByTestId('dispatch-row').filter({ hasText: 'Wheelchair pickup' }).first()).toHaveAttribute('data-status', 'OFFERED');
  const candidate = detail.getByTestId('candidate').filter({ hasText: van.name });
  await expect(candidate).toContainText('by road');
  await expect(candidate.getByRole('definition')).toHaveCount(6);
  await saveScreenshot(page, 'dispatch', { attachTo: testInfo });

  // ── the driver's phone: the offer, Accept
  const context = await phoneContext(browser, testInfo, VAN_AT);
  const phone = await context.newPage();
  const phoneErrors = collectErrors(phone);
  await submitLogin(phone, { email, password: 'wendy-wheels-pw' });
  await phone.waitForURL('**/driver');
  const offer = phone.getByTestId('dispatch-offer');
  await expect(offer).toContainText('Wheelchair pickup');
  await expect(offer.getByRole('link', { name: 'Navigate to the pickup' })).toHaveAttribute('href', /google\.com\/maps\/dir\/\?api=1&destination=39\.2/);
  await saveScreenshot(phone, 'dispatch-offer-phone', { attachTo: testInfo });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(phone.getByText('Accepted: the trip is below.')).toBeVisible();

  // ── the console follows: assigned, in the recently decided list
  await expect(page.getByTestId('dispatch-recent').getByTestId('dispatch-row').filter({ hasText: 'Wheelchair pickup' }).first()).toHaveAttribute('data-status', 'ASSIGNED');
  await context.close();
  expect(phoneErrors.filter((e) => !/geolocation|Failed to load resource/i.test(e))).toEqual([]);
  // The form checked the bad input itself: no request was refused.
  expect(errors).toEqual([]);
});
