import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { apiAs, collectErrors, saveScreenshot, signIn } from './helpers';

/**
 * Looking back: two vans drove yesterday morning (sent as stored history); a manager opens
 * Reports from the top bar, sees yesterday's summary with both vans and totals, the chart, the
 * journeys, exports the summary as CSV (totals equal to the table's), then replays both vans:
 * the map shows them, Play moves the clock and the speed chart follows.
 */
test('reports and replay: yesterday’s summary, journeys, CSV export, replay plays', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const errors = collectErrors(page);
  const admin = await apiAs(page.request, 'admin');
  const suffix = Date.now().toString(36);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const t0 = Date.parse(`${yesterday}T08:00:00Z`);
  const ids: string[] = [];
  for (const [i, lng] of [-76.5995, -76.6065].entries()) {
    const created = await admin.post('/api/v1/vehicles', { name: `Replay Van ${String.fromCharCode(65 + i)} ${suffix}`, type: 'van', deviceId: `replay-${i}-${suffix}` });
    expect(created.status()).toBe(201);
    const { vehicle } = (await created.json()) as { vehicle: { id: string } };
    ids.push(vehicle.id);
    // Parked 10 min, 3 km north at 36 km/h, parked 15 min, back, parked 10 min: fixes every 10 s.
    const fixes: unknown[] = [];
    let ts = t0;
    let lat = 39.2836;
    const park = (s: number) => {
      for (let k = 0; k < s; k += 10) fixes.push({ vehicleId: vehicle.id, lat, lng, timestamp: (ts += 10_000), speed: 0, heading: 0, accuracy: 5 });
    };
    const drive = (m: number, dir: 1 | -1) => {
      for (let d = 100; d <= m; d += 100) fixes.push({ vehicleId: vehicle.id, lat: (lat += (dir * 100) / 111_000), lng, timestamp: (ts += 10_000), speed: 36 - i * 6, heading: dir > 0 ? 0 : 180, accuracy: 5 });
    };
    park(600);
    drive(3000, 1);
    park(900);
    drive(3000, -1);
    park(600);
    expect((await admin.post('/api/v1/positions', fixes)).status()).toBe(200);
  }

  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL('**/reports');
  const table = page.getByTestId('report-table');
  // Yesterday's summary by default: both vans, 2 journeys each, 6 km each.
  for (const name of ['A', 'B']) await expect(table.getByRole('row', { name: new RegExp(`Replay Van ${name} ${suffix}`) })).toContainText('6.0 km');
  await expect(page.getByTestId('distance-chart')).toBeVisible();
  await expect(page.getByTestId('report-totals')).toContainText('Total');
  await saveScreenshot(page, 'reports', { attachTo: testInfo });

  // The CSV has the same vans and a total row equal to the sum of theirs.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toBe(`geofleet-summary-${yesterday}-${yesterday}.csv`);
  const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(','));
  const col = csv[0]!.indexOf('Distance (km)');
  const vans = csv.filter((r) => r[0]!.includes(suffix));
  expect(vans).toHaveLength(2);
  const total = csv.find((r) => r[0] === 'Total')!;
  expect(Number(total[col])).toBeGreaterThanOrEqual(vans.reduce((s, r) => s + Number(r[col]), 0) - 0.001);

  // One depot's vehicles (the demo seeds a group per depot, a quarter of the fleet each): every
  // one of them listed, idle or not, and the two ungrouped vans not.
  await page.getByTestId('report-group').selectOption('Bayview depot');
  await expect(table.locator('tbody tr')).toHaveCount(60);
  await expect(table.getByRole('row').filter({ hasText: suffix })).toHaveCount(0);
  await saveScreenshot(page, 'reports-group', { attachTo: testInfo });
  await page.getByTestId('report-group').selectOption('');

  // The fence events screen: today's entries and exits of the demo fleet, then the exits only.
  await page.getByTestId('report-kind').selectOption('geofence-events');
  await page.getByRole('button', { name: 'Today' }).click();
  const eventCells = table.locator('tbody tr td:nth-child(2)');
  await expect.poll(() => eventCells.count(), { timeout: 20_000 }).toBeGreaterThan(0);
  await page.getByTestId('report-fence-event').selectOption('exit');
  await expect.poll(async () => [...new Set(await eventCells.allTextContents())]).toEqual(['Exit']);
  await saveScreenshot(page, 'reports-fence-events', { attachTo: testInfo });
  await page.getByTestId('report-kind').selectOption('summary');
  await page.getByRole('button', { name: 'Yesterday' }).click();

  // Journeys: four, sortable by distance.
  await page.getByTestId('report-kind').selectOption('trips');
  await expect(table.getByRole('row').filter({ hasText: suffix })).toHaveCount(4);
  await table.getByRole('button', { name: 'Distance' }).click();
  await expect(table.getByRole('columnheader', { name: /Distance/ })).toHaveAttribute('aria-sort', 'descending');

  // Replay both vans from 08:00 to 09:30 UTC yesterday.
  await page.goto(`/replay?vehicles=${ids.join(',')}`);
  const local = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByTestId('replay-from').fill(local(t0));
  await page.getByTestId('replay-to').fill(local(t0 + 90 * 60_000));
  await page.getByTestId('replay-load').click();
  await expect(page.getByTestId('speed-chart')).toBeVisible();
  const slider = page.getByTestId('replay-slider');
  const before = Number(await slider.inputValue());
  await page.getByTestId('replay-speed').selectOption('64', { force: true });
  await page.getByTestId('replay-play').click();
  await expect.poll(async () => Number(await slider.inputValue()), { timeout: 15_000 }).toBeGreaterThan(before + 60_000);
  await page.getByTestId('replay-play').click(); // pause
  // Seek into the first journey: the speed readout follows the slider.
  await slider.fill(String(t0 + 12 * 60_000 + 30_000));
  await expect(page.getByTestId('speed-now')).toContainText('36 km/h');
  await saveScreenshot(page, 'replay', { attachTo: testInfo });
  expect(errors).toEqual([]);
});
