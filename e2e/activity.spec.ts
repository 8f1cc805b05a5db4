import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { expect, test } from '@playwright/test';
import { apiAs, collectErrors, saveScreenshot, signIn } from './helpers';

/**
 * Audit and integration journey: an admin's change to a vehicle appears on /activity with its
 * before/after, a second change arrives live while the page is open (SSE), a viewer is told the
 * page is not for them; on /admin/webhooks the admin adds a webhook to a receiver on loopback,
 * sees its secret once, pings it, and the receiver gets a correctly signed delivery of the next
 * change.
 */
let receiver: Server;
const received: Array<{ headers: Record<string, string | string[] | undefined>; body: string }> = [];

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});
test.afterAll(() => receiver.close());

test('activity and webhooks: a change is audited with before/after, live; a webhook receives it signed', async ({ page, browser, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  const admin = await apiAs(request, 'admin');
  const { vehicles } = await admin.json<{ vehicles: Array<{ id: string; name: string; plate: string | null }> }>('/api/v1/vehicles');
  const vehicle = vehicles.find((v) => v.name.startsWith('Van')) ?? vehicles[0]!;
  const plate = `E2E ${Date.now().toString(36).slice(-4).toUpperCase()}`;
  expect((await admin.patch(`/api/v1/vehicles/${vehicle.id}`, { plate })).status()).toBe(200);

  // ── the change on /activity, with who and before/after
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Activity' }).click();
  await page.waitForURL('**/activity');
  const row = page.getByTestId('activity-row').filter({ hasText: `changed vehicle ${vehicle.name}: plate` }).first();
  await expect(row).toContainText(`'${plate}'`);
  await expect(row).toContainText('Ada Admin');
  await row.getByText('Before / after').click();
  await expect(row.locator('pre').last()).toContainText(plate);

  // ── a second change arrives live, on top
  const plate2 = `${plate}-2`;
  expect((await admin.patch(`/api/v1/vehicles/${vehicle.id}`, { plate: plate2 })).status()).toBe(200);
  await page.mouse.move(5, 5); // the pointer off the list: new rows are shown, not held
  await expect(page.getByTestId('activity-row').first()).toContainText(`'${plate}' → '${plate2}'`, { timeout: 20_000 });
  await saveScreenshot(page, 'activity', { attachTo: testInfo });

  // ── a viewer is told the page is for admins and managers
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  await signIn(viewer, 'viewer');
  await viewer.goto('/activity');
  await expect(viewer.getByTestId('activity-forbidden')).toContainText('for admins and managers');
  await viewerContext.close();

  // ── a webhook to the receiver: secret once, ping, then the next change arrives signed
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('link', { name: 'Webhooks' }).click();
  await page.waitForURL('**/admin/webhooks');
  const port = (receiver.address() as { port: number }).port;
  const form = page.getByTestId('create-webhook-form');
  await form.getByTestId('webhook-url').fill(`http://127.0.0.1:${port}/hooks/e2e`);
  await form.locator('input[name="description"]').fill('E2E receiver');
  await form.getByTestId('webhook-create').click();
  const secret = (await page.getByTestId('webhook-secret-value').textContent())!.trim();
  expect(secret.length).toBeGreaterThanOrEqual(32);
  const hook = page.getByTestId('webhook-row').filter({ hasText: `127.0.0.1:${port}` });
  await expect(hook).toHaveCount(1);
  await hook.getByTestId('webhook-ping').click();
  await expect(hook.getByTestId('webhook-ping-result')).toContainText('204');

  const plate3 = `${plate}-3`;
  expect((await admin.patch(`/api/v1/vehicles/${vehicle.id}`, { plate: plate3 })).status()).toBe(200);
  await expect.poll(() => received.some((r) => r.body.includes(plate3)), { timeout: 20_000 }).toBe(true);
  const delivery = received.find((r) => r.body.includes(plate3))!;
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${delivery.headers['x-geofleet-timestamp']}.${delivery.body}`).digest('hex');
  expect(delivery.headers['x-geofleet-signature']).toBe(expected);
  expect(delivery.headers['x-geofleet-event']).toBe('vehicle.updated');
  await hook.getByTestId('webhook-log-toggle').click();
  await expect(hook.getByTestId('delivery-row').filter({ hasText: 'vehicle.updated' }).first()).toHaveAttribute('data-status', 'delivered', { timeout: 15_000 });
  await saveScreenshot(page, 'webhooks', { attachTo: testInfo });
  expect(errors).toEqual([]);
});
