import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { expect, test } from '@playwright/test';
import { registerUser } from './support/api';
import { WorkflowEditor } from './support/workflow-editor';
import { createWorkflow } from './support/workflows';

/** A target that answers with the Authorization header it got: the log must show it redacted. */
let target: Server;
let targetUrl: string;
const authorizations: string[] = [];

test.beforeAll(async () => {
  target = createServer((req, res) => {
    req.resume();
    authorizations.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ youSent: req.headers.authorization ?? null }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/whoami`;
});

test.afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
});

const oneHttpStep = (url: string, headers: Record<string, string> = {}): WorkflowDefinitionInput => ({
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [{ id: 'whoami', name: 'Who am I', type: 'http', config: { method: 'GET', url, headers } }],
});

test('a credential made on the Credentials page is used by an HTTP step and shows as [redacted] in the log', async ({
  page,
}) => {
  const token = `e2e-canary-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, {
    name: 'Who am I',
    definition: oneHttpStep(targetUrl),
  });

  await page.goto('/credentials');
  await expect(page.getByText('No credentials yet')).toBeVisible();
  await page.getByRole('button', { name: 'New credential' }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption({ label: 'Bearer token' });
  await dialog.getByLabel('Name').fill('Who-am-I API');
  await dialog.getByLabel('Token').fill(token);
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /Who-am-I API/ });
  await expect(row.getByText('Bearer token')).toBeVisible();
  await expect(row.getByText('No workflow')).toBeVisible();

  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  await editor.step(1).getByLabel('Credential').selectOption({ label: 'Who-am-I API (Bearer token)' });
  await editor.save();

  await page.getByRole('button', { name: 'Test run' }).click();
  const run = page.getByRole('complementary', { name: 'Test run' });
  await run.getByLabel('Payload (JSON)').fill('{}');
  await run.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(run.getByTestId('test-run-result')).toHaveAttribute('data-status', 'succeeded');
  // Its page, with the whole log (the panel's link opens a tab of its own; here, the same tab).
  const href = await run.getByTestId('test-run-result').getByRole('link').first().getAttribute('href');
  await page.goto(href ?? '');
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  const step = page.locator('[data-step-id="whoami"]');
  await expect(step.getByText('succeeded')).toBeVisible();
  // The target got the token; the log shows what it echoed, redacted, and names the credential.
  expect(authorizations.at(-1)).toBe(`Bearer ${token}`);
  await expect(step.getByText('"Bearer [redacted]"')).toBeVisible();
  await step.getByRole('button', { name: /^Input/ }).click();
  await expect(step.getByText('"Who-am-I API"')).toBeVisible();
  expect(await page.content()).not.toContain(token);

  // Listed as used, and its edit form says it is saved without ever showing it.
  await page.goto('/credentials');
  await expect(row.getByRole('link', { name: 'Who am I' })).toBeVisible();
  await row.getByRole('button', { name: 'Edit Who-am-I API' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Who-am-I API' });
  await expect(edit.getByLabel('Token')).toHaveValue('');
  await expect(edit.getByLabel('Token')).toHaveAttribute('placeholder', 'Saved. Leave blank to keep it');
  expect(await page.content()).not.toContain(token);
});

test('a hand-typed Authorization header is moved into a new credential from the editor', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, {
    name: 'Hand-typed',
    definition: oneHttpStep(targetUrl, { Authorization: 'Bearer typed-by-hand-123' }),
  });
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  const step = editor.step(1);
  await expect(step.getByText('looks like a secret')).toBeVisible();
  await step.getByRole('button', { name: 'Move to a credential' }).click();
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await expect(dialog.getByLabel('Type')).toHaveValue('httpBearer');
  await expect(dialog.getByLabel('Token')).toHaveValue('typed-by-hand-123');
  await dialog.getByLabel('Name').fill('Moved token');
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(dialog).toBeHidden();
  await expect(step.getByText('looks like a secret')).toBeHidden();
  await expect(step.getByLabel('Credential')).toHaveValue(/^[0-9a-f-]{36}$/);
  await editor.save();
  const definition = (await editor.jsonDefinition()) as { steps: { config: Record<string, unknown> }[] };
  expect(definition.steps[0]?.config.headers).toEqual({});
  expect(JSON.stringify(definition)).not.toContain('typed-by-hand-123');
});

test('export names the credential, and import maps it back to one of the user’s', async ({ page }) => {
  await registerUser(page.request);
  const credential = await page.request
    .post('/trpc/credentials.create', {
      data: { json: { name: 'Stripe live', type: 'httpBearer', data: { token: 'sk_live_export_canary' } } },
    })
    .then(
      async (response) =>
        ((await response.json()) as { result: { data: { json: { id: string } } } }).result.data.json,
    );
  const definition = oneHttpStep(targetUrl);
  const [step] = definition.steps;
  if (step?.type !== 'http') throw new Error('one HTTP step');
  step.config.auth = { type: 'credential', credentialId: credential.id };
  await createWorkflow(page.request, { name: 'Charges', definition });

  await page.goto('/');
  await page.getByRole('button', { name: 'Actions for Charges' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export JSON' }).click();
  const text = await readFile(await (await downloading).path(), 'utf8');
  expect(text).not.toContain(credential.id);
  expect(text).not.toContain('sk_live_export_canary');
  expect(JSON.parse(text)).toMatchObject({ credentials: [{ name: 'Stripe live', type: 'httpBearer' }] });

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const importDialog = page.getByRole('dialog', { name: 'Import a workflow' });
  await importDialog.getByLabel('Import workflow file', { exact: true }).setInputFiles({
    name: 'charges.automateos.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(importDialog.getByRole('region', { name: 'Preview' })).toContainText(
    'Uses a credential: you choose which of yours next.',
  );
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  const mapping = page.getByRole('dialog', { name: 'Choose the credentials' });
  const picker = mapping.getByLabel('Credential for Stripe live (Bearer token)');
  await expect(picker).toHaveValue(credential.id);
  await mapping.getByRole('button', { name: 'Import workflow' }).click();
  await expect(page.getByText('Imported “Charges (imported)”')).toBeVisible();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const editor = new WorkflowEditor(page);
  await expect(editor.step(1).getByLabel('Credential')).toHaveValue(credential.id);
});
