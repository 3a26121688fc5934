/**
 * The whole loop as a new user lives it, through the UI only: sign up, build a workflow in the
 * form, try the draft, switch it on, and watch a webhook's execution arrive live with the right
 * data at each step. `npm run screenshots -w @automateos/client` runs it with UPDATE_SCREENSHOTS=1
 * to retake the README's screenshots from these very screens.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { WorkflowEditor } from './support/workflow-editor';

const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const images = path.resolve(import.meta.dirname, '../../docs/images');

async function screenshot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  // Let transitions (a collapsible opening, a toast leaving) settle before the picture.
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(images, name), fullPage: true });
}

/** The service the HTTP step calls: keeps each request body's exact text. */
let target: Server;
let targetUrl: string;
const bodies: string[] = [];

test.beforeAll(async () => {
  target = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      bodies.push(text);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, ticket: `t_${bodies.length}` }));
    });
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/signups`;
});

test.afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
});

test('sign up, build a workflow in the form, switch it on, and a webhook’s execution arrives live with its data', async ({
  page,
}) => {
  test.slow();
  await page.setViewportSize({ width: 1280, height: 900 });
  const user = {
    name: 'Grace Hopper',
    email: `grace-${Date.now()}@example.com`,
    password: 'a long passphrase 42',
  };

  // Sign up.
  await page.goto('/');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText(user.name);

  // Build it in the form: an HTTP step whose JSON body has its keys in a deliberate order, then a filter.
  await page.getByRole('link', { name: 'New workflow' }).first().click();
  const editor = new WorkflowEditor(page);
  await expect(editor.name).toBeFocused({ timeout: 15_000 });
  await page.keyboard.type('Welcome pro signups');
  await editor.addStep('HTTP Request');
  const http = editor.step(1);
  await http.getByLabel('Step name', { exact: true }).fill('Open a ticket');
  await http.getByLabel('Step id', { exact: true }).fill('ticket');
  await http.getByLabel('Method', { exact: true }).selectOption('POST');
  await http.getByLabel('URL', { exact: true }).fill(targetUrl);
  await http.getByLabel('Body type', { exact: true }).selectOption('json');
  await http
    .getByLabel('JSON body', { exact: true })
    .fill(
      '{ "user": "{{ trigger.body.user.id }}", "plan": "{{ trigger.body.user.plan }}", "note": "welcome" }',
    );
  await editor.addStep('Filter');
  const filter = editor.step(2);
  await filter.getByLabel('Step name', { exact: true }).fill('Only pro');
  await filter.getByLabel('Step id', { exact: true }).fill('only-pro');
  await filter.getByLabel('Condition 1 value', { exact: true }).fill('{{ trigger.body.user.plan }}');
  await filter.getByLabel('Condition 1 compare with', { exact: true }).fill('pro');
  await editor.save();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  // The JSON tab shows the body's keys as typed.
  await editor.showJson();
  await expect(editor.json).toHaveValue(
    /"user": "\{\{ trigger\.body\.user\.id \}\}",\s*"plan": "\{\{ trigger\.body\.user\.plan \}\}",\s*"note": "welcome"/,
  );
  await editor.showForm();

  // Try it beside the editor before switching it on.
  await page.getByRole('button', { name: 'Test run' }).click();
  const panel = page.getByRole('complementary', { name: 'Test run' });
  await panel.getByLabel('Payload (JSON)').fill('{ "user": { "id": "u_test", "plan": "pro" } }');
  await panel.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(panel.getByTestId('test-run-result')).toHaveAttribute('data-status', 'succeeded');
  expect(bodies.at(-1)).toBe('{"user":"u_test","plan":"pro","note":"welcome"}');
  await screenshot(page, 'editor.png');

  // Switch it on, from the header.
  const active = page.getByRole('switch', { name: 'Active' });
  await active.locator('..').click();
  await expect(active).toBeChecked();
  const webhookUrl = await editor.trigger.getByRole('textbox', { name: 'Webhook URL' }).inputValue();

  // Watch the history while a webhook arrives: the execution appears without a reload.
  await page.getByRole('link', { name: 'Executions' }).click();
  await expect(page.getByRole('heading', { name: 'Executions', exact: true })).toBeVisible();
  const sent = '{"user":{"plan":"pro","id":"u_42"},"source":"signup form"}';
  const response = await page.request.post(webhookUrl, {
    headers: { 'content-type': 'application/json' },
    data: sent,
  });
  expect(response.status()).toBe(202);
  const { executionId } = (await response.json()) as { executionId: string };
  const row = page.locator(`tr[data-execution-id="${executionId}"]`);
  await expect(row.getByText('succeeded')).toBeVisible();
  await expect(row.getByText('Webhook', { exact: true })).toBeVisible();
  await row.getByRole('link', { name: executionId.slice(0, 8) }).click();
  await expect(page).toHaveURL(`/executions/${executionId}`);

  // Each step's data: the request was sent with the body's keys in the typed order, the filter kept it.
  expect(bodies.at(-1)).toBe('{"user":"u_42","plan":"pro","note":"welcome"}');
  const trigger = page.getByRole('region', { name: 'Trigger' });
  await trigger.getByRole('button', { name: /^Body as received/ }).click();
  await expect(trigger.getByTestId('received-body')).toHaveText(sent);
  const ticket = page.locator('[data-step-id="ticket"]');
  await expect(ticket.getByText('succeeded')).toBeVisible();
  await expect(ticket.getByText('HTTP 200')).toBeVisible();
  await expect(ticket.getByText('"t_2"')).toBeVisible();
  await ticket.getByRole('button', { name: /^Input/ }).click();
  await expect(ticket.getByText('"u_42"')).toBeVisible();
  const only = page.locator('[data-step-id="only-pro"]');
  await expect(only.getByText('succeeded')).toBeVisible();
  const condition = only.getByRole('table', { name: 'Filter conditions' }).getByRole('row').nth(1);
  await expect(condition).toContainText('"pro"');
  await expect(condition).toContainText('✓ true');
  await screenshot(page, 'execution.png');

  // The dashboard has it, switched on, with its last execution.
  await page.getByRole('link', { name: 'Workflows', exact: true }).first().click();
  await expect(page.getByRole('switch', { name: 'Active: Welcome pro signups' })).toBeChecked();
  if (SCREENSHOTS) {
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await screenshot(page, 'dashboard-dark.png');
    await page.getByRole('button', { name: 'Switch to light mode' }).click();
  }
});
