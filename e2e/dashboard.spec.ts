import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { apiAs, collectErrors, numberIn, saveScreenshot, signIn, submitDemoTrip, waitForFleet, type Role } from './helpers';
// window.__geofleet is declared in components/map/test-hooks.ts.

const FENCE = 'Baltimore service area';

/** A fence over the whole demo area, so every vehicle is inside it (created once per server). */
async function ensureFence(request: APIRequestContext) {
  const admin = await apiAs(request, 'admin');
  const { geofences } = await admin.json<{ geofences: Array<{ properties: { name: string } }> }>('/api/v1/geofences');
  if (geofences.some((f) => f.properties.name === FENCE)) return;
  const response = await admin.post('/api/v1/geofences', {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[-76.7, 39.18], [-76.45, 39.18], [-76.45, 39.38], [-76.7, 39.38], [-76.7, 39.18]]] },
    properties: { name: FENCE, type: 'SERVICE_AREA', alertOnEntry: false, alertOnExit: false },
  });
  expect(response.status()).toBe(201);
}

/** Signs in on the live map and waits for the fleet. */
async function openMap(page: Page, who: Role = 'manager') {
  await signIn(page, who);
  await waitForFleet(page);
}

test('manager sees live KPIs, the activity chart, fences and the alert feed', async ({ page, request }) => {
  await ensureFence(request);
  const errors = collectErrors(page);
  await openMap(page);

  // KPIs from the server's metrics push: the demo fleet is 240 vehicles, most of them moving.
  const figure = (id: string) => numberIn(page.getByTestId(id));
  await expect.poll(() => figure('kpi-active'), { timeout: 20_000 }).toBeGreaterThanOrEqual(200);
  await expect.poll(() => figure('kpi-moving'), { timeout: 20_000 }).toBeGreaterThan(100);
  // Fleet figures first; the system figures are folded away until asked for.
  await expect(page.getByTestId('kpi-ingest')).toBeHidden();
  await page.getByTestId('kpi-system').getByText('System figures').click();
  await expect(page.getByTestId('kpi-ingest')).toContainText(/\d+\s*pos\/s/);
  await expect.poll(async () => page.getByTestId('kpi-latency').innerText(), { timeout: 20_000 }).toMatch(/\d+ \/ \d+/);
  await expect(page.getByTestId('activity-chart').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('fence-legend')).toBeVisible();

  // The alert feed answers from the alerts API: a list or its empty state, and the unread counts.
  const feed = page.getByTestId('alert-feed');
  await expect(feed.locator('[data-state="empty"], [data-testid="alert-list"]')).toBeVisible();
  await expect(feed.locator('[data-state="error"]')).toHaveCount(0);
  await expect(page.getByTestId('kpi-alerts')).not.toContainText('—');
  await expect(page.getByTestId('kpi-alerts')).not.toContainText('…');

  // Filters: hiding moving vehicles is one click and shows as such.
  const moving = page.getByTestId('map-toolbar').getByRole('button', { name: 'Moving' });
  await moving.click();
  await expect(moving).toHaveAttribute('aria-pressed', 'false');
  await moving.click();
  await expect(moving).toHaveAttribute('aria-pressed', 'true');

  await saveScreenshot(page, 'dashboard');
  expect(errors).toEqual([]);
});

test('manager clicks a vehicle and watches its live values in the panel, then finds another by search', async ({ page, request }) => {
  test.setTimeout(120_000); // software WebGL on a shared machine makes every step slow
  await ensureFence(request);
  const errors = collectErrors(page);
  await openMap(page);
  await expect(page.getByTestId('connection-state')).toHaveText('Live');

  // A moving vehicle in view, clicked where it is drawn.
  const [id, point] = await page.evaluate(() => {
    const hooks = window.__geofleet!;
    for (const [vid] of hooks.positionsOf()) {
      const reading = hooks.readingOf(vid);
      const p = hooks.screenPointOf(vid);
      if (reading?.status === 'moving' && p && p[0] > 120 && p[0] < 850 && p[1] > 420 && p[1] < 740) return [vid, p] as const;
    }
    throw new Error('no moving vehicle in view');
  });
  const panel = page.getByTestId('vehicle-panel');
  // deck.gl picks on its next frame: on a busy machine a frame can take seconds, so click again
  // (same point: at this zoom a vehicle moves well under a pixel a second) until the panel opens.
  await expect(async () => {
    await page.mouse.click(point[0], point[1]);
    await expect(panel).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 45_000 });
  const picked = await page.evaluate(() => document.querySelector('[data-testid="vehicle-name"]')?.textContent ?? '');
  const pickedId = await page.evaluate((name) => window.__geofleet!.positionsOf().find(([vid]) => window.__geofleet!.readingOf(vid)?.info.name === name)?.[0], picked);
  expect(pickedId, `clicked near ${id}, panel shows ${picked}`).toBeTruthy();

  // Live: the panel follows the store's readings as positions arrive, second after second.
  for (let i = 0; i < 3; i++) {
    await expect
      .poll(async () => {
        const reading = await page.evaluate((vid) => window.__geofleet!.readingOf(vid!), pickedId);
        const shown = await panel.getByTestId('vehicle-speed').innerText();
        return reading && shown === (reading.speed === null ? '—' : `${Math.round(reading.speed)} km/h`);
      }, { timeout: 5_000 })
      .toBe(true);
    await expect(panel.getByTestId('vehicle-updated')).toHaveText(/just now|\d s ago/);
    await page.waitForTimeout(1_000);
  }
  await expect(panel.getByTestId('vehicle-heading')).toHaveText(/\d+° (N|NE|E|SE|S|SW|W|NW)/);
  await expect(panel.getByTestId('vehicle-fences')).toContainText(FENCE);
  await expect(panel.getByTestId('vehicle-status')).toHaveText(/Moving|Stopped/);
  await saveScreenshot(page, 'vehicle-panel');

  // Follow mode on and off.
  await panel.getByRole('button', { name: 'Follow' }).click();
  await expect(panel.getByRole('button', { name: 'Following' })).toHaveAttribute('aria-pressed', 'true');
  await panel.getByRole('button', { name: 'Following' }).click();

  // Search by name → that vehicle's panel.
  const other = await page.evaluate((vid) => {
    const hooks = window.__geofleet!;
    const [otherId] = hooks.positionsOf().find(([v]) => v !== vid)!;
    return hooks.readingOf(otherId)!.info;
  }, pickedId);
  const search = page.getByRole('combobox', { name: 'Search vehicles by name or plate' });
  await search.fill(other.plate ?? other.name);
  await page.getByRole('option').filter({ hasText: other.name }).first().click();
  await expect(page.getByTestId('vehicle-name')).toHaveText(other.name);
  await panel.getByRole('button', { name: 'Close vehicle details' }).click();
  await expect(panel).toBeHidden();
  expect(errors).toEqual([]);
});

test('the vehicle panel holds the vehicle’s trip: a manager creates one there, a viewer only reads it', async ({ page, browser, request }) => {
  test.setTimeout(150_000);
  const errors = collectErrors(page);
  const manager = await apiAs(request, 'manager');
  const { vehicles } = await manager.json<{ vehicles: Array<{ id: string; name: string; state: unknown }> }>('/api/v1/vehicles');
  const vehicle = vehicles.filter((v) => v.state).at(-1)!;
  const openPanel = async (p: Page) => {
    await p.getByRole('combobox', { name: 'Search vehicles by name or plate' }).fill(vehicle.name);
    await p.getByRole('option').filter({ hasText: vehicle.name }).first().click();
    await expect(p.getByTestId('vehicle-name')).toHaveText(vehicle.name);
    return p.getByTestId('vehicle-panel').getByTestId('trip-controls');
  };

  let viewerErrors: string[] = [];
  try {
    await openMap(page);
    const trip = await openPanel(page);
    // The driver status follows the trip live: available, busy once a trip is given, available again.
    const driverStatus = page.getByTestId('vehicle-panel').getByTestId('driver-status').locator('[data-status]');
    await expect(trip).toContainText('No active trip');
    await expect(driverStatus).toHaveAttribute('data-status', 'ONLINE');
    await expect(driverStatus).toHaveText('Available');
    await saveScreenshot(page, 'vehicle-panel-trip-form');
    await submitDemoTrip(trip);
    await expect(trip.getByTestId('trip-status')).toHaveAttribute('data-status', 'PENDING');
    await expect(trip.getByTestId('trip-advance')).toBeVisible();
    await expect(driverStatus).toHaveText('Busy');
    await saveScreenshot(page, 'vehicle-panel-trip');
    // The toolbar's dispatch filter: only busy vehicles on the map, this one among them.
    const idle = vehicles.find((v) => v.state && v.id !== vehicle.id)!;
    await page.getByTestId('map-dispatch-filter').selectOption('BUSY');
    const shown = (id: string) => page.evaluate((vid) => window.__geofleet!.isShown(vid), id);
    await expect.poll(() => shown(idle.id)).toBe(false);
    expect(await shown(vehicle.id)).toBe(true);
    await page.getByTestId('map-dispatch-filter').selectOption('');
    await expect.poll(() => shown(idle.id)).toBe(true);

    // A viewer sees the same trip in the panel, without buttons or a form.
    const viewerContext = await browser.newContext();
    const viewer = await viewerContext.newPage();
    viewerErrors = collectErrors(viewer);
    await openMap(viewer, 'viewer');
    const viewerTrip = await openPanel(viewer);
    await expect(viewerTrip.getByTestId('trip-status')).toHaveAttribute('data-status', 'PENDING');
    await expect(viewerTrip.getByRole('button')).toHaveCount(0);
    await expect(viewer.getByTestId('vehicle-panel').getByTestId('driver-status')).toContainText('Busy');
    await saveScreenshot(viewer, 'vehicle-panel-trip-viewer');
    await viewerContext.close();

    // Cancelled from the manager's panel: back to the form.
    page.once('dialog', (dialog) => void dialog.accept());
    await trip.getByTestId('trip-cancel').click();
    await expect(trip).toContainText('No active trip');
    await expect(driverStatus).toHaveText('Available');
  } finally {
    // Journeys share one server: whatever failed above, leave no active trip on this vehicle.
    const { trips } = await manager.json<{ trips: Array<{ id: string }> }>(`/api/v1/trips?vehicleId=${vehicle.id}&active=true`);
    for (const { id } of trips) await manager.post(`/api/v1/trips/${id}/status`, { status: 'CANCELLED' });
  }
  expect([...errors, ...viewerErrors]).toEqual([]);
});

test('routes are drawn on the live map and follow changes made elsewhere', async ({ page, request }) => {
  test.setTimeout(300_000); // the route journey visits the editor and back
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  const name = `E2E route ${Date.now()}`;
  // Over the harbor south of Fort McHenry, so no vehicle is drawn over its middle.
  const line: Array<[number, number]> = [[-76.6, 39.256], [-76.57, 39.256], [-76.54, 39.257]];
  await openMap(page);
  // The map keeps its view in the URL: open it centred on the route's middle.
  await page.goto(`/map?at=${line[1]![0]},${line[1]![1]},14`);
  await waitForFleet(page);
  await expect(page.getByTestId('connection-state')).toHaveText('Live');
  const routes = page.getByTestId('map-toolbar').getByRole('checkbox', { name: 'Routes' });
  await expect(routes).toBeChecked();

  /** What the map's tooltip says over the middle of the route ('' when nothing is there). */
  const tooltipOverRoute = async () => {
    const point = await page.evaluate((at) => window.__geofleet!.screenPointAt(at), line[1]!);
    await page.mouse.move(point![0] + 1, point![1]);
    await page.mouse.move(point![0], point![1]);
    await page.waitForTimeout(300);
    const tooltip = page.locator('.deck-tooltip');
    return (await tooltip.isVisible()) ? await tooltip.innerText() : '';
  };

  const created = await admin.post('/api/v1/routes', {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: line },
    properties: { name, color: '#9333ea' },
  });
  expect(created.status()).toBe(201);
  const { route } = (await created.json()) as { route: { id: string } };
  await expect.poll(tooltipOverRoute, { timeout: 30_000 }).toContain(`${name}\nRoute · 5.2 km · 0 vehicles`);
  await saveScreenshot(page, 'dashboard-route');

  // Renamed in the editor (here: REST) → route:changed; switched off → gone; deleted → route:removed.
  expect((await admin.patch(`/api/v1/routes/${route.id}`, { properties: { name: `${name} (renamed)` } })).status()).toBe(200);
  await expect.poll(tooltipOverRoute, { timeout: 30_000 }).toContain(`${name} (renamed)`);
  await routes.uncheck();
  await expect.poll(tooltipOverRoute, { timeout: 30_000 }).not.toContain(name);
  await routes.check();
  await expect.poll(tooltipOverRoute, { timeout: 30_000 }).toContain(name);

  // A vehicle of its own on the route, assigned to it, then 500 m north of it: drawn as off route
  // (violet); deleting the route leaves it with no route to be off.
  const stamp = Date.now();
  const made = await admin.post('/api/v1/vehicles', { name: `E2E Van ${stamp}`, deviceId: `e2e-route-${stamp}`, type: 'van' });
  expect(made.status()).toBe(201);
  const { vehicle } = (await made.json()) as { vehicle: { id: string } };
  const report = async (lat: number, timestamp: number, lng = -76.58) => {
    const sent = await admin.post('/api/v1/positions', { vehicleId: vehicle.id, lng, lat, timestamp, speed: 20, accuracy: 5 });
    expect(sent.status()).toBe(200);
  };
  const statusOf = () => page.evaluate((id) => window.__geofleet!.readingOf(id)?.status ?? null, vehicle.id);
  await report(39.256, stamp);
  expect((await admin.put(`/api/v1/routes/${route.id}/vehicles`, { vehicleIds: [vehicle.id] })).status()).toBe(200);
  await report(39.2605, stamp + 2000);
  await expect.poll(statusOf, { timeout: 20_000 }).toBe('offRoute');
  await expect(page.getByTestId('map-toolbar').getByRole('button', { name: 'Off route' })).toBeVisible();
  // found by search: the map flies there and the panel says so
  await page.getByRole('combobox', { name: 'Search vehicles by name or plate' }).fill(`E2E Van ${stamp}`);
  await page.getByRole('option').filter({ hasText: `E2E Van ${stamp}` }).first().click();
  await expect(page.getByTestId('vehicle-status')).toHaveText('Off route');
  await page.mouse.move(5, 300); // no tooltip over the picture
  await saveScreenshot(page, 'dashboard-off-route');

  // Back on the route and on along it: the panel shows its progress, status and ETA, and the
  // route widget (opened from the map) lists it with the route's other vehicles.
  await report(39.256, stamp + 4000, -76.575);
  await report(39.2561, stamp + 6000, -76.57);
  const panelRoute = page.getByTestId('vehicle-route');
  await expect(panelRoute.getByTestId('route-status')).toHaveText('In transit', { timeout: 20_000 });
  await expect(panelRoute.getByTestId('route-eta')).toContainText('km left · ETA');
  await page.getByTestId('route-widget-open').click();
  await page.getByTestId('route-widget').getByRole('combobox', { name: 'Route' }).selectOption(route.id);
  const inWidget = page.getByTestId('route-widget-vehicles').locator(`[data-vehicle-id="${vehicle.id}"]`);
  await expect(inWidget.getByTestId('route-status')).toHaveText('In transit');
  await expect(inWidget).toContainText(`E2E Van ${stamp}`);
  await page.mouse.move(5, 300);
  await saveScreenshot(page, 'dashboard-route-progress');
  // The route editor lists the route's vehicles with their progress too.
  await page.goto('/editor/routes');
  await page.getByTestId('route-item').filter({ hasText: `${name} (renamed)` }).click();
  await expect(page.getByTestId('route-vehicles-progress').getByTestId('route-status')).toHaveText('In transit', { timeout: 20_000 });
  await saveScreenshot(page, 'editor-route-progress');
  await page.goto(`/map?at=${line[1]![0]},${line[1]![1]},14`);
  await waitForFleet(page);

  expect((await admin.delete(`/api/v1/routes/${route.id}`)).status()).toBe(204);
  await expect.poll(tooltipOverRoute, { timeout: 30_000 }).not.toContain(name);
  await expect.poll(statusOf, { timeout: 20_000 }).toBe('moving');
  expect((await admin.delete(`/api/v1/vehicles/${vehicle.id}`)).status()).toBe(204);
  expect(errors).toEqual([]);
});

test('a critical alert raises a toast over the map; clicking it opens the vehicle', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  const name = `E2E critical ${Date.now()}`;
  await openMap(page);
  await expect(page.getByTestId('connection-state')).toHaveText('Live');

  // A vehicle of its own that reports where the test says (a simulated one would drive on and
  // leave the circle while a slow machine is still looking for the toast), and a critical
  // restricted circle next to it: the vehicle's next position is inside.
  const stamp = Date.now();
  const made = await admin.post('/api/v1/vehicles', { name: `E2E Truck ${stamp}`, deviceId: `e2e-critical-${stamp}`, type: 'truck' });
  expect(made.status()).toBe(201);
  const { vehicle } = (await made.json()) as { vehicle: { id: string; name: string } };
  const report = async (lng: number) => {
    const sent = await admin.post('/api/v1/positions', { vehicleId: vehicle.id, lng, lat: 52.52, timestamp: Date.now(), speed: 20, accuracy: 5 });
    expect(sent.status()).toBe(200);
  };
  await report(13.39);
  const created = await admin.post('/api/v1/geofences', {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [13.4, 52.52] },
    properties: { name, type: 'RESTRICTED_ZONE', severity: 'critical', radius: 200 },
  });
  expect(created.status()).toBe(201);
  const { geofence } = (await created.json()) as { geofence: { id: string } };
  await report(13.4);

  const toast = page.getByTestId('critical-toast').filter({ hasText: `${vehicle.name} entered ${name}` });
  await expect(toast).toBeVisible({ timeout: 20_000 });
  await expect(toast).toContainText('Critical alert');
  await expect.poll(() => numberIn(page.getByTestId('kpi-alerts').getByTitle('Critical: unread'))).toBeGreaterThanOrEqual(1);
  await saveScreenshot(page, 'critical-toast');
  await toast.getByRole('button', { name: new RegExp(`${vehicle.name} entered`) }).click();
  await expect(page.getByTestId('vehicle-name')).toHaveText(vehicle.name);
  await expect(toast).toBeHidden();

  expect((await admin.delete(`/api/v1/geofences/${geofence.id}`)).status()).toBe(204);
  expect((await admin.delete(`/api/v1/vehicles/${vehicle.id}`)).status()).toBe(204);
  expect(errors).toEqual([]);
});
