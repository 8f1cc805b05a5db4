import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import type { ReportScheduleDto, ReportScheduleListResult } from '../server/protocol/report-schedules';
import { apiAs, collectErrors, saveScreenshot, signIn } from './helpers';

/**
 * Scheduled reports: a manager on /reports picks a vehicle group (when the fleet has one), opens
 * "Schedule this report…", makes the summary weekly as Excel, sees it listed with its cadence,
 * runs it now and downloads the file from its link (an xlsx: a zip, "PK"), pauses it and deletes
 * it. On the way: a weekly schedule cannot lose its weekday in the form (the server refuses one
 * at that field), a bad recipient is caught at its field, a server refusal shows at its field,
 * and a viewer sees the list without its actions.
 */
test('scheduled reports: weekly summary as Excel, run now, download, pause, delete', async ({ page, browser }, testInfo) => {
  test.setTimeout(150_000);
  const errors = collectErrors(page);
  const manager = await apiAs(page.request, 'manager');
  const suffix = Date.now().toString(36);
  const name = `Weekly summary ${suffix}`;

  // The server's own rule, at its field: weekly needs a weekday.
  const refused = await manager.post('/api/v1/report-schedules', { name: `No day ${suffix}`, report: 'summary', cadence: 'weekly' });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { field?: string } }).error.field).toBe('weekday');
  const { email } = await manager.json<ReportScheduleListResult>('/api/v1/report-schedules');

  // A group of the fleet, if it has any (the demo seeds one per depot).
  const { vehicles } = await manager.json<{ vehicles: Array<{ groupName: string | null }> }>('/api/v1/vehicles');
  const groups = [...new Set(vehicles.map((v) => v.groupName).filter((g): g is string => !!g))].sort();
  const group = groups.includes('Bayview depot') ? 'Bayview depot' : (groups[0] ?? null);

  await signIn(page, 'manager');
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.waitForURL('**/reports');
  await expect(page.getByTestId('schedule-list')).toBeVisible();
  if (group) await page.getByTestId('report-group').selectOption(group);

  await page.getByTestId('schedule-open').click();
  const dialog = page.getByTestId('schedule-dialog');
  await expect(dialog).toBeVisible();
  // Prefilled from the page: the report, the group, a name that follows the cadence.
  await expect(dialog.getByTestId('schedule-scope')).toContainText(group ? `Summary · group ${group}` : 'Summary · the whole fleet');
  await expect(dialog.getByLabel('Name')).toHaveValue(group ? `${group} summary — daily` : 'Fleet summary — daily');
  await expect(dialog.getByTestId('schedule-cadence')).toContainText('Daily at 06:00 UTC');
  await expect(dialog.getByTestId('schedule-cadence')).toContainText('yesterday');
  await dialog.getByLabel('Cadence').selectOption('weekly');
  await expect(dialog.getByLabel('Name')).toHaveValue(/ — weekly$/);

  // Weekly always has its day: the weekday list has no blank choice and starts on Monday.
  const weekday = dialog.getByLabel('Weekday');
  await expect(weekday).toHaveValue('1');
  expect(await weekday.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).not.toContain('');
  await weekday.selectOption({ label: 'Wednesday' });
  await dialog.getByLabel('Hour (UTC)').selectOption('7');
  // The summary also prints to PDF; Excel here.
  await expect(dialog.getByLabel('Format').locator('option')).toHaveText(['CSV', 'Excel (xlsx)', 'PDF']);
  await dialog.getByLabel('Format').selectOption('xlsx');
  await expect(dialog.getByTestId('schedule-cadence')).toContainText('Weekly on Wednesday at 07:00 UTC');
  await expect(dialog.getByTestId('schedule-cadence')).toContainText('the 7 days before');
  await expect(dialog.getByTestId('schedule-cadence')).toContainText(/First run: Wednesday \d{4}-\d{2}-\d{2} 07:00 UTC/);
  await dialog.getByLabel('Name').fill(name);
  if (!email) await expect(dialog.getByTestId('schedule-no-email')).toContainText('SMTP_URL');

  // A recipient that is not an address is caught in the form, at its field.
  const recipients = dialog.getByLabel('E-mail recipients');
  await recipients.fill('ops@example.com,\nnot an address');
  await dialog.getByTestId('schedule-save').click();
  await expect(dialog.getByTestId('schedule-emails-error')).toContainText('“not an address” is not an e-mail address');
  await expect(recipients).toHaveAttribute('aria-invalid', 'true');
  await recipients.fill('ops@example.com');
  await expect(dialog.getByTestId('schedule-emails-error')).toHaveCount(0);

  // A refusal from the server lands at the field it names (answered here as the server answers
  // a weekly schedule without its weekday, which the form itself never sends).
  await page.route('**/api/v1/report-schedules', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: 400, json: { error: { code: 'VALIDATION_ERROR', message: 'weekday: is required for a weekly schedule: 1 (Monday) to 7 (Sunday)', field: 'weekday' } } })
      : route.fallback(),
  );
  await dialog.getByTestId('schedule-save').click();
  await expect(dialog.getByTestId('schedule-weekday-error')).toHaveText('Weekday is required for a weekly schedule: 1 (Monday) to 7 (Sunday)');
  await expect(weekday).toHaveAttribute('aria-invalid', 'true');
  await page.unroute('**/api/v1/report-schedules');
  // Changing the field clears the refusal.
  await weekday.selectOption({ label: 'Thursday' });
  await weekday.selectOption({ label: 'Wednesday' });
  await expect(dialog.getByTestId('schedule-weekday-error')).toHaveCount(0);
  await saveScreenshot(page, 'report-schedules-dialog', { attachTo: testInfo });

  await dialog.getByTestId('schedule-save').click();
  await expect(dialog).toBeHidden();

  // Listed with its cadence; kept on the server as the form said.
  const row = page.getByTestId('schedule-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  const id = (await row.getAttribute('data-schedule-id'))!;
  await expect(row.getByTestId('schedule-cadence-text')).toHaveText('Weekly on Wednesday at 07:00 UTC');
  await expect(row).toContainText('Summary · Excel');
  if (group) await expect(row).toContainText(`group ${group}`);
  await expect(row.getByTestId('schedule-next')).toContainText('07:00 UTC');
  await expect(row.getByTestId('schedule-delivery')).toContainText('Not made yet');
  const { schedule } = await manager.json<{ schedule: ReportScheduleDto }>(`/api/v1/report-schedules/${id}`);
  expect(schedule).toMatchObject({ name, report: 'summary', format: 'xlsx', cadence: 'weekly', weekday: 3, hour: 7, emails: ['ops@example.com'], active: true });
  expect(schedule.filters.vehicleGroup ?? null).toBe(group);

  // Run now: busy, then delivered with a link to the file.
  await row.getByTestId('schedule-run').click();
  await expect(row.getByTestId('schedule-run-result')).toBeVisible();
  const delivery = row.getByTestId('schedule-delivery');
  await expect(delivery).toHaveAttribute('data-outcome', 'delivered', { timeout: 60_000 });
  await expect(delivery).toContainText('Delivered');
  await expect(row.getByTestId('schedule-run-result')).toContainText('delivered');
  await expect(row.getByTestId('schedule-run')).toHaveText('Run now');
  const link = row.getByTestId('schedule-download');
  await expect(link).toBeVisible();
  await saveScreenshot(page.getByTestId('schedule-list'), 'report-schedules-list', { attachTo: testInfo });

  // The link needs no sign-in: an xlsx is a zip ("PK").
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const file = await readFile((await download.path())!);
  expect(file.length).toBeGreaterThan(100);
  expect(file.subarray(0, 2).toString('latin1')).toBe('PK');

  // A viewer sees the schedule and its delivery, with nothing to change.
  const viewerContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const viewer = await viewerContext.newPage();
  collectErrors(viewer, errors);
  await signIn(viewer, 'viewer');
  await viewer.goto('/reports');
  const viewerRow = viewer.locator(`[data-testid="schedule-row"][data-schedule-id="${id}"]`);
  await expect(viewerRow.getByTestId('schedule-delivery')).toHaveAttribute('data-outcome', 'delivered');
  await expect(viewerRow.getByTestId('schedule-run')).toHaveCount(0);
  await expect(viewer.getByTestId('schedule-open')).toHaveCount(0);
  await viewerContext.close();

  // Pause: no next run until resumed.
  await row.getByTestId('schedule-toggle').click();
  await expect(row.getByTestId('schedule-paused')).toBeVisible();
  await expect(row.getByTestId('schedule-toggle')).toHaveText('Resume');
  await expect(row.getByTestId('schedule-next')).toContainText('Paused');
  expect((await manager.json<{ schedule: ReportScheduleDto }>(`/api/v1/report-schedules/${id}`)).schedule).toMatchObject({ active: false, nextRunAt: null });

  // Delete asks first; No keeps it, Yes removes it.
  await row.getByTestId('schedule-delete').click();
  await row.getByTestId('schedule-delete-no').click();
  await expect(row).toBeVisible();
  await row.getByTestId('schedule-delete').click();
  await row.getByTestId('schedule-delete-yes').click();
  await expect(page.locator(`[data-testid="schedule-row"][data-schedule-id="${id}"]`)).toHaveCount(0);
  expect((await manager.get(`/api/v1/report-schedules/${id}`)).status()).toBe(404);

  // The only failed request was the refusal answered above.
  expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
});
