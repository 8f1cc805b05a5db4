import path from 'node:path';
import { expect, test } from '@playwright/test';
import { collectErrors, saveScreenshot, signIn } from './helpers';

/**
 * Road network journey: an admin opens Road network from the top bar, sees the current state
 * (empty before the first import), uploads a file that is not OSM and is told why with the
 * network kept, then uploads Baltimore and sees the result and the summary with km by class.
 * A manager is told the page is for admins.
 */
const BALTIMORE = path.resolve(import.meta.dirname, '../data/osm/baltimore.osm.pbf');

test('road network: upload with progress, a refused file, then Baltimore with its summary', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await signIn(page, 'admin');
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Road network' }).click();
  await page.waitForURL('**/admin/road-network');
  await expect(page.getByTestId('road-network-empty').or(page.getByTestId('road-network-summary'))).toBeVisible();

  await page.getByTestId('road-network-file').setInputFiles({ name: 'notes.osm', mimeType: 'text/plain', buffer: Buffer.from('these are not roads') });
  await page.getByTestId('road-network-import').click();
  await expect(page.getByTestId('road-network-error')).toContainText('not an OpenStreetMap file');
  await expect(page.getByTestId('road-network-error')).toContainText('current network was kept');

  await page.getByTestId('road-network-file').setInputFiles(BALTIMORE);
  await page.getByTestId('road-network-import').click();
  await expect(page.getByTestId('road-network-result')).toContainText('segments', { timeout: 60_000 });
  const summary = page.getByTestId('road-network-summary');
  await expect(summary).toContainText('baltimore.osm.pbf');
  await expect(page.getByTestId('road-network-classes')).toContainText('motorway');
  await expect(page.getByTestId('road-network-classes')).toContainText('residential');
  await saveScreenshot(page, 'road-network', { fullPage: true });

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, 'manager');
  await manager.goto('/admin/road-network');
  await expect(manager.getByTestId('road-network-admins-only')).toContainText('managed by admins');
  await managerContext.close();
  expect(errors.filter((e) => !/400|Bad Request/.test(e))).toEqual([]);
});
