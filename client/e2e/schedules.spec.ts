import { expect, test } from '@playwright/test';
import { registerUser } from './support/api';
import { WorkflowEditor } from './support/workflow-editor';

// The editor defaults a new schedule to the browser's zone.
test.use({ timezoneId: 'Europe/Berlin' });

test('a schedule built in the form shows its next runs, and once on, its first scheduled execution', async ({
  page,
}) => {
  // Up to a minute for the next slot, then the scheduler and the worker.
  test.setTimeout(150_000);
  await registerUser(page.request);
  const editor = new WorkflowEditor(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'New workflow' }).click();
  await expect(editor.name).toBeFocused();
  await page.keyboard.type('Every minute');

  await editor.trigger.getByLabel('Trigger type', { exact: true }).selectOption('schedule');
  await expect(editor.trigger.getByText('On a schedule')).toBeVisible();
  await expect(editor.trigger.getByLabel('Time zone', { exact: true })).toHaveValue('Europe/Berlin');
  const nextRuns = page.getByRole('region', { name: 'Next runs' });
  await expect(nextRuns.getByText('Runs every weekday at 09:00 (Europe/Berlin).')).toBeVisible();
  await expect(nextRuns.getByRole('row')).toHaveCount(6);

  // A time that the spring change skips is pointed out.
  await editor.trigger.getByLabel('Schedule mode', { exact: true }).selectOption('daily');
  await editor.trigger.getByLabel('Time of day', { exact: true }).fill('02:30');
  await expect(nextRuns.getByText('Runs every day at 02:30 (Europe/Berlin).')).toBeVisible();
  await expect(
    nextRuns.getByText(/02:30 does not exist in Europe\/Berlin .* it runs once, at 03:00, instead/),
  ).toBeVisible();

  // Raw cron names what is wrong with it.
  await editor.trigger.getByLabel('Schedule mode', { exact: true }).selectOption('custom');
  const cron = editor.trigger.getByLabel('Cron', { exact: true });
  await cron.fill('0 0 9 * * 1');
  await expect(editor.trigger.getByText(/the seconds field is not supported/)).toBeVisible();
  await cron.fill('* * * * *');
  await expect(nextRuns.getByText('Runs every minute (Europe/Berlin).')).toBeVisible();
  // Each run in the zone and in UTC.
  await expect(nextRuns.getByRole('row').nth(1)).toContainText(/GMT\+[12].*UTC/);

  await editor.save();
  const active = page.getByRole('switch', { name: 'Active' });
  await active.locator('..').click();
  await expect(active).toBeChecked();
  await expect(editor.trigger.getByText(/^Next run \(as saved\):/)).toBeVisible();

  await page.getByRole('link', { name: 'Executions' }).click();
  await expect(page.getByRole('button', { name: 'Run now' })).toBeVisible();
  const scheduled = page.getByRole('row').filter({ hasText: 'schedule' });
  await expect(scheduled.first()).toContainText(/slot /, { timeout: 100_000 });
  await scheduled.first().getByRole('link').click();
  await expect(page.getByText('Scheduled', { exact: true })).toBeVisible();
  await expect(page.getByText(/^Slot /)).toBeVisible();

  await page.goto('/');
  const row = page.getByRole('row').filter({ hasText: 'Every minute' });
  await expect(row.getByText('Schedule · every minute (Europe/Berlin)')).toBeVisible();
  await expect(row.getByText(/^Next run /)).toBeVisible();
});
