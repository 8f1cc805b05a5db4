import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import type { AlertListResult } from '../server/protocol/alerts';
import { apiAs, collectErrors, saveScreenshot, signIn, waitForFleet, type Api } from './helpers';

/**
 * Alerts a manager can act on (issue 16, part 2): with a fence producing an alert every second,
 * the row under the pointer stays the same while alerts arrive; grouping, acknowledging, delete
 * with undo; the alerts page with filters and CSV export; and rough edges of part 4 (the app's
 * 404 page, names with emoji on the map, the map page on a phone).
 */

// A restricted circle far from the demo fleet (Baltimore), crossed by a test vehicle every second.
const CENTER = { lng: -76.9, lat: 39.45 };
const OUTSIDE = { lng: -76.91, lat: 39.45 };
const DEFAULT_RULES = { rules: [{ type: 'geofence_violation', event: 'exit', fenceType: 'RESTRICTED_ZONE', enabled: false }], quietHours: null, flood: { maxPerWindow: 2, windowMinutes: 5 } };

/** Drives `vehicleId` in and out of the circle once a second (one alert a second: entries and exits) until stopped. */
function alertEverySecond(admin: Api, vehicleId: string): () => Promise<void> {
  let inside = false;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      inside = !inside;
      const at = inside ? CENTER : OUTSIDE;
      await admin.post('/api/v1/positions', { vehicleId, lng: at.lng, lat: at.lat, timestamp: Date.now(), speed: 30, accuracy: 5 });
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

/** The alert id of the feed row under a point of the page (null: none). */
const rowAt = (page: Page, x: number, y: number) =>
  page.evaluate(([px, py]) => (document.elementFromPoint(px!, py!)?.closest('[data-alert-id]') as HTMLElement | null)?.dataset.alertId ?? null, [x, y]);

test('with a fence raising an alert every second, the row under the pointer stays put; group, acknowledge, delete and undo', async ({ page, request }) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  const manager = await apiAs(request, 'manager');
  const stamp = Date.now();
  // Exits alert too and nothing is summed up: one alert a second, as in the busy zone.
  expect((await admin.put('/api/v1/alert-rules', { rules: [], quietHours: null, flood: { maxPerWindow: 100, windowMinutes: 5 } })).status()).toBe(200);
  const made = await admin.post('/api/v1/vehicles', { name: `Flood van ${stamp}`, deviceId: `e2e-flood-${stamp}`, type: 'van' });
  expect(made.status()).toBe(201);
  const vehicle = (await made.json()).vehicle as { id: string; name: string };
  const fence = await admin.post('/api/v1/geofences', {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [CENTER.lng, CENTER.lat] },
    properties: { name: `Busy apron ${stamp}`, type: 'RESTRICTED_ZONE', radius: 300 },
  });
  expect(fence.status()).toBe(201);
  const fenceId = (await fence.json()).geofence.id as string;
  const stop = alertEverySecond(admin, vehicle.id);
  try {
    await signIn(page, 'manager');
    await waitForFleet(page);
    const feed = page.getByTestId('alert-feed');
    const rows = feed.getByTestId('alert-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);

    // The pointer rests on the top row (where new alerts would push it away); alerts keep coming for 6 s.
    // It enters the feed over its strip, as a hand coming from above would: from then on the rows
    // hold still. Then the list is scrolled to its top (while alerts were arriving, the browser's
    // scroll anchoring could have kept an older row in view and the top row above it, clipped).
    const strip = page.getByTestId('alert-new-strip');
    await strip.hover();
    await expect(strip).toContainText(/Paused while the pointer is here|new — show/);
    await feed.evaluate((list) => list.scrollTo({ top: 0 }));
    const target = rows.nth(0);
    const box = (await target.boundingBox())!;
    expect(box.y + box.height / 2, 'the top row is on the screen').toBeLessThan(page.viewportSize()!.height);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    await page.mouse.move(x, y);
    const aimed = await rowAt(page, x, y);
    expect(aimed).not.toBeNull();
    const newBar = page.getByTestId('alert-new-bar');
    await expect(newBar).toBeVisible({ timeout: 10_000 });
    for (let i = 0; i < 6; i++) {
      expect(await rowAt(page, x, y), `after ${i} s of new alerts`).toBe(aimed);
      await page.waitForTimeout(1000);
    }
    await expect(newBar).toContainText(/↑ \d+ new/);
    await saveScreenshot(page.getByTestId('alert-feed').locator('xpath=../..'), 'alerts-feed-held');
    // A click lands on the row aimed at: its checkbox is the one selected.
    await page.mouse.click(box.x + 14, y);
    await expect(feed.locator(`[data-alert-id="${aimed}"] input[type="checkbox"]`)).toBeChecked();
    await expect(page.getByTestId('alert-toolbar')).toContainText('1 selected');
    expect(await rowAt(page, x, y)).toBe(aimed);

    // "N new" shows them on top.
    // (The pointer is still over the feed and an alert comes every second, so the bar may be back
    // at once with the next one or two: what it held before the click is what must be gone.)
    const waiting = async () => ((await newBar.isVisible()) ? Number((await newBar.innerText()).replace(/\D/g, '')) : 0);
    const before = await waiting();
    expect(before).toBeGreaterThanOrEqual(3);
    await newBar.click();
    await expect.poll(waiting).toBeLessThan(before);
    expect(await rows.nth(0).getAttribute('data-alert-id'), 'the newest alert is on top now').not.toBe(aimed);

    // Grouped by fence: the busy apron with its count.
    await page.getByLabel('Group alerts').selectOption('fence');
    const group = feed.getByTestId('alert-group').filter({ hasText: `Busy apron ${stamp}` });
    await expect(group).toBeVisible();
    await expect(group.getByTestId('alert-group-count')).toContainText(/\d+ alerts/);
    await saveScreenshot(page.getByTestId('alert-feed').locator('xpath=../..'), 'alerts-grouped');

    // Acknowledge the whole group.
    await page.mouse.move(x, y); // hold the feed still while acting on it
    await group.getByRole('checkbox', { name: `Select the alerts of Busy apron ${stamp}` }).check();
    await page.getByTestId('alert-toolbar').getByRole('button', { name: 'Acknowledge' }).click();
    await expect(group.getByText('✓ acknowledged').first()).toBeVisible();
    await expect
      .poll(async () => (await manager.json<AlertListResult>(`/api/v1/alerts?geofenceId=${fenceId}&acknowledged=true&limit=1000`)).alerts.length)
      .toBeGreaterThanOrEqual(5);

    // Delete one, then undo it from the toast (no confirm dialog).
    await page.getByLabel('Group alerts').selectOption('none');
    const victim = rows.nth(1);
    const victimId = (await victim.getAttribute('data-alert-id'))!;
    await victim.getByRole('button', { name: 'Delete alert' }).click();
    const undo = page.getByTestId('alert-undo');
    await expect(undo).toContainText('1 alert deleted');
    await expect(feed.locator(`[data-alert-id="${victimId}"]`)).toHaveCount(0);
    expect((await manager.get(`/api/v1/alerts/${victimId}`)).status()).toBe(404);
    await saveScreenshot(page.getByTestId('alert-feed').locator('xpath=../..'), 'alerts-undo');
    await undo.getByRole('button', { name: 'Undo' }).click();
    // The hand goes back to the rows at once (a new hold may begin before the restore answers).
    await page.mouse.move(x, y);
    await expect(feed.locator(`[data-alert-id="${victimId}"]`)).toHaveCount(1);
    expect((await manager.get(`/api/v1/alerts/${victimId}`)).status()).toBe(200);

    // Mark all read: no unread left.
    await page.getByTestId('alert-toolbar').getByRole('button', { name: 'Mark all read' }).click();
    // (alerts keep arriving: only those of the last seconds may be unread)
    await expect
      .poll(async () => (await manager.json<AlertListResult>(`/api/v1/alerts?geofenceId=${fenceId}&read=false&limit=1000`)).alerts.length, { timeout: 10_000 })
      .toBeLessThanOrEqual(3);
    expect(errors).toEqual([]);
  } finally {
    await stop();
    await admin.put('/api/v1/alert-rules', DEFAULT_RULES);
    await admin.delete(`/api/v1/geofences/${fenceId}`);
    await admin.delete(`/api/v1/vehicles/${vehicle.id}`);
  }
});

test('the alerts page filters the history and exports it as CSV; the rules page shows every problem at its field', async ({ page, request }) => {
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  const stamp = Date.now();
  const made = await admin.post('/api/v1/vehicles', { name: `Zoë’s Van 🚐 ${stamp}`, deviceId: `e2e-page-${stamp}`, type: 'van' });
  const vehicle = (await made.json()).vehicle as { id: string; name: string };
  const fence = await admin.post('/api/v1/geofences', { type: 'Feature', geometry: { type: 'Point', coordinates: [CENTER.lng, CENTER.lat + 0.05] }, properties: { name: `History gate ${stamp}`, type: 'CHECKPOINT', radius: 300 } });
  const fenceId = (await fence.json()).geofence.id as string;
  try {
    for (const [i, p] of [{ lng: CENTER.lng - 0.01, lat: CENTER.lat + 0.05 }, { lng: CENTER.lng, lat: CENTER.lat + 0.05 }].entries()) {
      await admin.post('/api/v1/positions', { vehicleId: vehicle.id, lng: p.lng, lat: p.lat, timestamp: Date.now() + i, speed: 20, accuracy: 5 });
    }
    await expect.poll(async () => (await admin.json<AlertListResult>(`/api/v1/alerts?vehicleId=${vehicle.id}`)).alerts.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);

    await signIn(page, 'manager');
    await page.goto('/alerts');
    const history = page.getByTestId('alert-history');
    await expect(history).toBeVisible();
    await page.getByRole('combobox', { name: 'Vehicle', exact: true }).selectOption({ label: vehicle.name });
    await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption({ label: 'Geofence' });
    await expect(history.locator('tbody tr')).toHaveCount(1);
    await expect(history).toContainText(`${vehicle.name} entered History gate ${stamp} (checkpoint)`);
    await expect(history).toContainText('Geofence');
    await saveScreenshot(page, 'alerts-page');

    const download = page.waitForEvent('download');
    await page.getByTestId('alerts-export').click();
    const file = await (await download).path();
    const csv = await readFile(file, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toContain('Raised at,Happened at,Type,Severity,Message,Vehicle');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(vehicle.name);

    // The rules page: two mistakes, both shown at once at their fields with a summary.
    await page.getByRole('link', { name: 'Alert rules' }).click();
    const form = page.getByTestId('alert-rules-form');
    await expect(form).toBeVisible();
    await form.getByLabel('Quiet hours').check();
    await form.getByLabel('Time zone').fill('Atlantis');
    await form.getByLabel('Alerts one by one').fill('0');
    await form.getByRole('button', { name: 'Save rules' }).click();
    const summary = page.getByTestId('form-summary');
    await expect(summary).toContainText('Quiet hours, time zone: Choose a time zone such as Europe/Berlin');
    await expect(summary).toContainText('Flood protection, alerts one by one: Enter a number from 1 to 100');
    await expect(form.getByText('Choose a time zone such as Europe/Berlin', { exact: true })).toBeVisible();
    await saveScreenshot(page, 'alerts-rules');
    // Unsaved changes: a link away asks first (dismissed: we stay).
    page.once('dialog', (dialog) => void dialog.dismiss());
    await page.getByRole('link', { name: '← Alert history' }).click();
    await expect(form).toBeVisible();
    await form.getByRole('button', { name: 'Discard changes' }).click();
    expect((await admin.json<{ rules: unknown }>('/api/v1/alert-rules')).rules).toEqual(DEFAULT_RULES);
    expect(errors).toEqual([]);
  } finally {
    await admin.delete(`/api/v1/geofences/${fenceId}`);
    await admin.delete(`/api/v1/vehicles/${vehicle.id}`);
  }
});

test('rough edges: the app 404 links home; emoji names draw whole on the map; the map page fits a phone', async ({ browser, page, request }) => {
  test.setTimeout(120_000);
  await page.goto('/no-such-page');
  await expect(page.getByTestId('not-found')).toContainText('This page does not exist');
  await expect(page.getByRole('link', { name: 'Go to the live map' })).toHaveAttribute('href', '/');
  const api404 = await request.get('/api/v1/no-such-route');
  expect(api404.status()).toBe(404);
  expect((await api404.json()).error.code).toBe('NOT_FOUND');

  // A vehicle named with letters beyond ASCII and an emoji, at close zoom: no glyph is missing.
  const admin = await apiAs(request, 'admin');
  const stamp = Date.now();
  const made = await admin.post('/api/v1/vehicles', { name: `Zoë 🚐 Łódź ${stamp}`, deviceId: `e2e-emoji-${stamp}`, type: 'van' });
  const vehicle = (await made.json()).vehicle as { id: string };
  try {
    await admin.post('/api/v1/positions', { vehicleId: vehicle.id, lng: -76.95, lat: 39.5, timestamp: Date.now(), speed: 0, accuracy: 5 });
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Missing character')) warnings.push(m.text());
    });
    await signIn(page, 'manager');
    await page.goto('/map?at=-76.95,39.5,16');
    await waitForFleet(page);
    await page.waitForTimeout(3000); // labels are picked twice a second
    await saveScreenshot(page, 'alerts-emoji-label', { clip: { x: 200, y: 340, width: 500, height: 160 } });
    expect(warnings).toEqual([]);

    // A phone: nothing wider than the screen; the map and the alert feed both there.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    await signIn(mobile, 'manager');
    await waitForFleet(mobile);
    expect(await mobile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expect(mobile.locator('canvas').first()).toBeVisible();
    await mobile.getByTestId('alert-feed').scrollIntoViewIfNeeded();
    await expect(mobile.getByTestId('alert-feed')).toBeVisible();
    await saveScreenshot(mobile, 'alerts-phone');
    await phone.close();
  } finally {
    await admin.delete(`/api/v1/vehicles/${vehicle.id}`);
  }
});
