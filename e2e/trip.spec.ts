import { expect, test } from '@playwright/test';
import { apiAs, collectErrors, phoneContext, saveScreenshot, signIn, simulatorKeepsMoving, submitDemoTrip } from './helpers';

/** Where the driver's phone is (the page tracks while the trip runs). */
const AT = { latitude: 39.2836, longitude: -76.5995 };

/**
 * Trip journey: a manager creates it on /trips, the driver advances it on his phone's /driver page
 * to COMPLETED while the rider page and the manager's list follow each state; an invalid
 * transition is refused naming the allowed ones; a trip changed elsewhere and a cancel with
 * confirmation on the driver's card.
 */
test('trip journey: created by a manager, advanced by the driver to COMPLETED, followed on the rider page', async ({ page, browser, request }, testInfo) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);

  // A vehicle the simulator drives without a stop for the whole journey (the rider's ETA needs
  // recent movement, the trip's distance comes from its positions), driven by the demo driver,
  // named explicitly in the form. Vehicles with a driver are the phone's, not the simulator's.
  const manager = await apiAs(request, 'manager');
  const driver = await apiAs(request, 'driver');
  const { vehicles } = await manager.json<{
    vehicles: Array<{ id: string; name: string; driverId: string | null; state: { speed: number | null } | null }>;
  }>('/api/v1/vehicles');
  // other journeys share this server and may have left trips on some vehicles (open or done):
  // this journey's row must be the only one of its vehicle
  const { trips: earlier } = await manager.json<{ trips: Array<{ vehicleId: string }> }>('/api/v1/trips?limit=500');
  const busy = new Set(earlier.map((t) => t.vehicleId));
  let vehicle: (typeof vehicles)[number] | undefined;
  for (const v of vehicles) {
    if ((v.state?.speed ?? 0) > 0 && !v.driverId && !busy.has(v.id) && (await simulatorKeepsMoving(request, v.id, 240))) {
      vehicle = v;
      break;
    }
  }
  if (!vehicle) throw new Error('no simulated vehicle drives the next 240 s without a stop');
  expect(vehicle).toBeTruthy();

  // ── the manager creates the trip on /trips
  await signIn(page, 'manager');
  await page.goto('/trips');
  await expect(page.getByTestId('trips-empty').or(page.getByTestId('trip-row').first())).toBeVisible(); // the list has loaded
  const form = page.getByTestId('create-trip-form');
  // An empty form names every missing field at once, each at its place.
  await form.getByRole('button', { name: 'Create trip' }).click();
  await expect(form.getByTestId('trip-vehicle-error')).toHaveText('Choose a vehicle.');
  await expect(form.getByTestId('pickup-error')).toHaveText('Search an address, or enter "latitude, longitude".');
  await expect(form.getByTestId('dropoff-error')).toHaveText('Search an address, or enter "latitude, longitude".');
  await saveScreenshot(form, 'trip-form-field-errors');
  // The vehicle list narrows as the name is typed; the dropoff comes from the address search,
  // which fills its name and coordinates (typed coordinates stay possible: the pickup).
  await form.getByTestId('trip-vehicle-filter').fill(vehicle.name);
  await expect(form.getByTestId('trip-vehicle').locator('option:not([disabled])')).toContainText([vehicle.name]);
  expect(await form.getByTestId('trip-vehicle').locator('option:not([disabled])').count()).toBeLessThan(vehicles.length);
  await form.getByTestId('trip-vehicle').selectOption(vehicle.id);
  await form.getByTestId('trip-driver').selectOption({ label: 'Dana Driver' });
  const dropoffSearch = form.getByTestId('dropoff-search').getByRole('combobox', { name: 'Search address or place' });
  await dropoffSearch.fill('Patterson Park');
  await expect(form.getByTestId('dropoff-search').getByRole('option').first()).toBeVisible();
  await dropoffSearch.press('Enter');
  await expect(form.locator('input[name="dropoffLabel"]')).toHaveValue(/Patterson Park/);
  const [dropLat, dropLng] = (await form.getByTestId('dropoff-latlng').inputValue()).split(',').map(Number) as [number, number];
  expect(dropLat).toBeGreaterThan(39.2);
  expect(dropLat).toBeLessThan(39.4);
  expect(dropLng).toBeGreaterThan(-76.7);
  expect(dropLng).toBeLessThan(-76.5);
  // The pickup picked on a map (it opens on the fleet's area): a click there names the place.
  await form.getByTestId('pickup-map-pick').click();
  const picker = page.getByTestId('map-pick-dialog');
  await expect(picker.getByTestId('map-pick-map')).toHaveAttribute('data-ready', 'true');
  await picker.getByTestId('map-pick-map').click();
  await expect(picker.getByTestId('map-pick-place')).not.toHaveText(/Click the map|Looking up/);
  await saveScreenshot(page, 'trip-map-pick', { fullPage: false });
  await picker.getByTestId('map-pick-use').click();
  await expect(picker).toHaveCount(0);
  const [pickLat, pickLng] = (await form.getByTestId('pickup-latlng').inputValue()).split(',').map(Number) as [number, number];
  expect(pickLat).toBeGreaterThan(39.2);
  expect(pickLat).toBeLessThan(39.4);
  expect(pickLng).toBeGreaterThan(-76.7);
  expect(pickLng).toBeLessThan(-76.5);
  await expect(form.locator('input[name="pickupLabel"]')).not.toHaveValue('');
  await form.locator('input[name="pickupLabel"]').fill('Harbor East Market');
  await form.locator('input[name="dropoffLabel"]').fill('Patterson Park Café');
  // A wrong coordinate shows at its field; typing there clears it.
  await form.getByTestId('pickup-latlng').fill('52.52, 200');
  await form.getByRole('button', { name: 'Create trip' }).click();
  await expect(form.getByTestId('pickup-error')).toHaveText('Longitude must be between -180 and 180');
  await expect(form.getByTestId('pickup-latlng')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByTestId('dropoff-error')).toHaveCount(0);
  await form.getByTestId('pickup-latlng').fill('39.2836, -76.5995');
  await expect(form.getByTestId('pickup-error')).toHaveCount(0);
  await form.getByRole('button', { name: 'Create trip' }).click();

  const row = page.getByTestId('trip-row').filter({ hasText: vehicle.name });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('trip-status')).toHaveAttribute('data-status', 'PENDING');
  await expect(row).toContainText('Harbor East Market → Patterson Park Café');
  const tripId = (await row.getAttribute('data-trip-id'))!;
  const sharePath = (await row.getByTestId('share-link').getAttribute('href'))!;
  expect(sharePath).toMatch(/^\/track\/[A-Za-z0-9_-]{32}$/);

  // A second trip for the same vehicle is refused with the server's reason.
  await form.getByTestId('trip-vehicle').selectOption(vehicle.id);
  await submitDemoTrip(form);
  await expect(form.getByTestId('trip-vehicle-error')).toContainText('The vehicle already has an active trip');
  await expect(form.getByTestId('trip-vehicle')).toHaveAttribute('aria-invalid', 'true');

  // ── the rider opens the link in a separate browser context: no session, phone-sized
  const riderContext = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  const rider = await riderContext.newPage();
  collectErrors(rider, errors);
  await rider.goto(sharePath);
  const card = rider.getByTestId('track-card');
  await expect(card).toHaveAttribute('data-status', 'PENDING');
  await expect(rider.getByTestId('track-headline')).toHaveText('Your trip is booked');
  await expect(rider.getByTestId('pickup-marker')).toBeVisible();
  await expect(rider.getByTestId('dropoff-marker')).toBeVisible();
  await expect(rider.getByTestId('vehicle-marker')).toBeVisible();
  await expect(card).toContainText(vehicle.name);
  await saveScreenshot(rider, 'track-pending');

  // ── the driver's phone (a third context): the card on /driver shows the trip, pickup first
  const driverContext = await phoneContext(browser, testInfo, AT);
  const phone = await driverContext.newPage();
  collectErrors(phone, errors);
  await signIn(phone, 'driver');
  const tripCard = phone.getByTestId('current-trip');
  const next = tripCard.getByTestId('trip-next');
  await expect(tripCard).toHaveAttribute('data-status', 'PENDING');
  await expect(tripCard.getByTestId('trip-headline')).toHaveText('New trip: head to the pickup');
  await expect(tripCard.getByTestId('trip-pickup')).toHaveAttribute('data-active', 'true');
  await expect(tripCard.getByTestId('trip-pickup')).toContainText('Harbor East Market');
  await expect(tripCard.getByTestId('trip-dropoff')).toContainText('Patterson Park Café');
  await expect(tripCard).toContainText(`Vehicle: ${vehicle.name}`);
  await expect(next).toHaveText('Start driving to pickup');
  // tracking runs alongside the trip: with it off, the card asks for it and starts it
  const trackingPrompt = tripCard.getByTestId('trip-tracking-prompt');
  await expect(trackingPrompt).toContainText('Tracking is off: start it before you set off');
  await saveScreenshot(tripCard, 'driver-trip-tracking-prompt');
  await trackingPrompt.getByRole('button', { name: 'Track this trip' }).click();
  await expect(phone.getByTestId('tracking-state')).toContainText('Tracking: every fix is kept');
  await expect(trackingPrompt).toHaveCount(0);
  await expect(phone.getByTestId('connection-state-value')).toHaveText('Online');
  await saveScreenshot(phone, 'driver-trip-page', { fullPage: true, attachTo: testInfo });
  await saveScreenshot(tripCard, 'driver-trip-pending');

  // ── EN_ROUTE from the driver's card; the rider and the manager's list follow (polls ≤ 5 s)
  await next.click();
  await expect(tripCard).toHaveAttribute('data-status', 'EN_ROUTE');
  await expect(tripCard.getByTestId('trip-headline')).toHaveText('Driving to the pickup');
  await expect(next).toHaveText('Arrived at pickup');
  await saveScreenshot(tripCard, 'driver-trip-en-route');
  await expect(card).toHaveAttribute('data-status', 'EN_ROUTE', { timeout: 12_000 });
  await expect(rider.getByTestId('track-headline')).toHaveText('Your ride is on the way');
  await expect(row.getByTestId('trip-status')).toHaveAttribute('data-status', 'EN_ROUTE', { timeout: 12_000 });
  // the simulator keeps the vehicle moving: an ETA to the pickup appears
  await expect(rider.getByTestId('track-eta')).toContainText(/At pickup in about \d+ min/, { timeout: 12_000 });
  await saveScreenshot(rider, 'track-en-route', { attachTo: testInfo });

  // An invalid transition is refused, naming the allowed ones (over the API, with the driver's token).
  const driverMove = (id: string, status: string) => driver.post(`/api/v1/trips/${id}/status`, { status });
  const invalid = await driverMove(tripId, 'COMPLETED');
  expect(invalid.status()).toBe(409);
  const refusal = (await invalid.json()).error;
  expect(refusal).toMatchObject({ code: 'CONFLICT', details: { from: 'EN_ROUTE', to: 'COMPLETED', allowed: ['ARRIVED', 'CANCELLED'] } });
  expect(refusal.message).toContain('allowed next: ARRIVED, CANCELLED');

  // ── ARRIVED
  await next.click();
  await expect(tripCard).toHaveAttribute('data-status', 'ARRIVED');
  await expect(next).toHaveText('Passenger on board: start trip');
  await saveScreenshot(tripCard, 'driver-trip-arrived');
  await expect(card).toHaveAttribute('data-status', 'ARRIVED', { timeout: 12_000 });
  await expect(rider.getByTestId('track-headline')).toHaveText('Your ride has arrived');

  // ── offline at the pickup: the card refuses to change state, tracking keeps queueing fixes
  await phone.evaluate(() => navigator.serviceWorker.ready); // the shell must be cached before the network goes
  await driverContext.setOffline(true);
  await expect(tripCard.getByTestId('trip-offline')).toContainText('cannot change until the phone is back online');
  await expect(next).toBeDisabled();
  await expect(tripCard.getByTestId('trip-cancel')).toBeDisabled();
  await driverContext.setGeolocation({ latitude: AT.latitude + 0.001, longitude: AT.longitude, accuracy: 6 });
  await expect(phone.getByTestId('queued-count-value')).not.toHaveText('0');
  // Reopened with no network, the page shows the trip as last seen, and says since when.
  expect((await phone.reload())?.fromServiceWorker()).toBe(true);
  await expect(tripCard).toHaveAttribute('data-status', 'ARRIVED');
  await expect(tripCard.getByTestId('trip-pickup')).toContainText('Harbor East Market');
  await expect(tripCard.getByTestId('trip-offline')).toBeVisible();
  await expect(tripCard.getByTestId('trip-as-of')).toContainText(/As of \d\d:\d\d, when the phone was last online/);
  await expect(next).toBeDisabled();
  await expect(phone.getByTestId('tracking-state')).toContainText('Tracking: every fix is kept'); // resumed by itself
  await saveScreenshot(tripCard, 'driver-trip-offline');
  await driverContext.setOffline(false);
  await expect(tripCard.getByTestId('trip-offline')).toHaveCount(0);
  await expect(phone.getByTestId('queued-count-value')).toHaveText('0', { timeout: 20_000 });

  // ── IN_PROGRESS: the dropoff is where the driver heads now
  await next.click();
  await expect(tripCard).toHaveAttribute('data-status', 'IN_PROGRESS');
  await expect(tripCard.getByTestId('trip-dropoff')).toHaveAttribute('data-active', 'true');
  await expect(next).toHaveText('Complete trip');
  await saveScreenshot(tripCard, 'driver-trip-in-progress');
  await expect(card).toHaveAttribute('data-status', 'IN_PROGRESS', { timeout: 12_000 });
  await expect(rider.getByTestId('track-eta')).toContainText(/destination|moving|location/);

  // the manager's list follows by itself
  await expect(row.getByTestId('trip-status')).toHaveAttribute('data-status', 'IN_PROGRESS', { timeout: 12_000 });
  await expect(row.getByTestId('trip-advance')).toHaveText('Mark completed');
  await saveScreenshot(page, 'trips', { attachTo: testInfo });

  // ── COMPLETED: the card says so and empties
  await next.click();
  await expect(tripCard).toHaveAttribute('data-status', 'none');
  await expect(tripCard.getByTestId('trip-ended')).toContainText('Trip completed at');
  await expect(tripCard.getByTestId('trip-empty')).toContainText('No active trip');
  await saveScreenshot(tripCard, 'driver-trip-completed');
  await expect(row.getByTestId('trip-status')).toHaveAttribute('data-status', 'COMPLETED', { timeout: 12_000 });
  await expect(row.getByTestId('trip-advance')).toHaveCount(0);
  await expect(card).toHaveAttribute('data-status', 'COMPLETED', { timeout: 12_000 });
  // "You have arrived" only when the vehicle is within 300 m of the dropoff (track-text.test.ts);
  // the vehicle here moves by simulator and phone, so either ending is right.
  await expect(rider.getByTestId('track-headline')).toHaveText(/^(You have arrived|Your trip has ended)$/);
  const steps = rider.getByTestId('status-stepper').locator('li');
  await expect(steps).toHaveCount(5);
  for (const step of await steps.all()) await expect(step).toHaveAttribute('data-done', 'true');
  await saveScreenshot(rider, 'track-completed', { attachTo: testInfo });
  // on a laptop the status card floats over a full-size map
  await rider.setViewportSize({ width: 1280, height: 800 });
  const mapBox = await rider.getByTestId('track-map').boundingBox();
  expect(mapBox?.width).toBe(1280);
  expect(mapBox?.height).toBe(800);
  await saveScreenshot(rider, 'track-desktop');

  // The API agrees: every state stamped, distance from the vehicle's positions.
  const { trip } = await manager.json<{ trip: { timestamps: Record<string, string | null>; distanceM: number } }>(`/api/v1/trips/${tripId}`);
  for (const s of ['PENDING', 'EN_ROUTE', 'ARRIVED', 'IN_PROGRESS', 'COMPLETED']) expect(trip.timestamps[s]).not.toBeNull();
  expect(trip.distanceM).toBeGreaterThan(0);

  // ── a trip changed elsewhere: the manager cancels it while the driver's card still offers the next step
  // (a vehicle no earlier journey left a trip on: the dispatch journey's accepted offer is still active)
  const other = vehicles.find((v) => v.id !== vehicle.id && !busy.has(v.id))!;
  const createFor = async (label: string) => {
    const response = await manager.post('/api/v1/trips', {
      vehicleId: other.id,
      driverId: driver.user.id,
      pickup: { lng: -76.59, lat: 39.28, label },
      dropoff: { lng: -76.58, lat: 39.29, label: 'Canton Square' },
    });
    expect(response.status()).toBe(201);
    return (await response.json()).trip.id as string;
  };
  const second = await createFor('Rosenthaler Platz');
  // the card finds the new trip by polling
  await expect(tripCard).toHaveAttribute('data-status', 'PENDING', { timeout: 12_000 });
  await expect(tripCard.getByTestId('trip-pickup')).toContainText('Rosenthaler Platz');
  // hold the card's refresh so it still shows PENDING when the driver taps
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await phone.route(/\/api\/v1\/trips\?/, async (route) => {
    await held;
    await route.continue();
  });
  const cancelled = await manager.post(`/api/v1/trips/${second}/status`, { status: 'CANCELLED' });
  expect(cancelled.status()).toBe(200);
  await expect(next).toHaveText('Start driving to pickup');
  await next.click();
  // the move is refused; the card stays on "Saving…" until it has fetched the trip as it is now
  await expect(next).toHaveText('Saving…');
  release();
  await phone.unrouteAll({ behavior: 'wait' });
  await expect(tripCard.getByTestId('trip-error')).toContainText(
    'This trip was changed elsewhere. status: CANCELLED is final; no further transition is allowed',
  );
  await expect(tripCard).toHaveAttribute('data-status', 'none');
  await saveScreenshot(tripCard, 'driver-trip-conflict');
  await tripCard.getByRole('button', { name: 'Dismiss' }).click();
  await expect(tripCard.getByTestId('trip-error')).toHaveCount(0);

  // ── the driver cancels a trip, after confirming
  const third = await createFor('Nordbahnhof');
  await expect(tripCard).toHaveAttribute('data-status', 'PENDING', { timeout: 12_000 });
  await tripCard.getByTestId('trip-cancel').click();
  const confirm = tripCard.getByTestId('trip-cancel-confirm');
  await expect(confirm).toContainText('Cancel this trip?');
  await saveScreenshot(tripCard, 'driver-trip-cancel-confirm');
  await confirm.getByRole('button', { name: 'Keep trip' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(tripCard).toHaveAttribute('data-status', 'PENDING');
  await tripCard.getByTestId('trip-cancel').click();
  await confirm.getByRole('button', { name: 'Yes, cancel trip' }).click();
  await expect(tripCard).toHaveAttribute('data-status', 'none');
  await expect(tripCard.getByTestId('trip-ended')).toContainText('Trip cancelled at');
  const { trip: thirdNow } = await manager.json<{ trip: { status: string } }>(`/api/v1/trips/${third}`);
  expect(thirdNow.status).toBe('CANCELLED');
  await phone.getByRole('button', { name: 'Stop tracking' }).click();
  await driverContext.close();

  // ── filtered to the vehicle, the side panel is its trip controls (the dashboard's vehicle panel):
  // a new trip there, cancelled with its button
  await page.getByTestId('filter-vehicle').selectOption(vehicle.id);
  const panel = page.getByTestId('trip-controls');
  await expect(panel).toContainText('No active trip');
  await submitDemoTrip(panel);
  await expect(panel.getByTestId('trip-status')).toHaveAttribute('data-status', 'PENDING');
  await expect(page.getByTestId('trip-row')).toHaveCount(2);
  await saveScreenshot(page, 'trips-vehicle');
  page.once('dialog', (dialog) => void dialog.accept());
  await panel.getByTestId('trip-cancel').click();
  await expect(panel).toContainText('No active trip');
  await expect(page.getByTestId('trip-row').first().getByTestId('trip-status')).toHaveAttribute('data-status', 'CANCELLED');

  // ── a link nobody issued is a friendly page, not an error
  await rider.goto('/track/not-a-real-link-aaaaaaaaaaaaaaa');
  await expect(rider.getByTestId('track-gone')).toContainText('no longer active');
  await saveScreenshot(rider, 'track-gone');

  // the 409 of the refused second trip and the 404 of the unknown link are expected; nothing else
  const unexpected = errors.filter((e) => !/status of (409|404)/.test(e));
  expect(unexpected, unexpected.join('\n')).toEqual([]);
  await riderContext.close();
});
