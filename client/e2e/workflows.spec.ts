import { readFile } from 'node:fs/promises';
import { workflowDefinitionSchema } from '@automateos/shared';
import { expect, type Page, test } from '@playwright/test';
import { registerUser, type TestUser } from './support/api';
import { WorkflowEditor } from './support/workflow-editor';
import {
  createWorkflow,
  exampleDefinition,
  getWorkflow,
  notifyStep,
  updateWorkflow,
} from './support/workflows';

test.describe.configure({ mode: 'serial' });

/** What the server stores for a definition: the same workflow with every default written out. */
const stored = (definition: unknown) => workflowDefinitionSchema.parse(definition);

async function signIn(page: Page, user: TestUser) {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows', exact: true })).toBeVisible();
}

test("builds DESIGN.md's example through the forms and finds it again after signing out and in", async ({
  page,
}) => {
  const user = await registerUser(page.request);
  const editor = new WorkflowEditor(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'New workflow' }).click();
  // Nothing is created until the first save.
  await expect(page).toHaveURL(/\/workflows\/new$/);
  await expect(page.getByText('Not saved yet')).toBeVisible();
  // A new workflow starts with its name selected, ready to be typed over.
  await expect(editor.name).toBeFocused();
  await page.keyboard.type('Notify billing for pro users');

  await editor.addStep('HTTP Request');
  const http = editor.step(1);
  await http.getByLabel('Step name', { exact: true }).fill('Notify billing');
  await http.getByLabel('Step id', { exact: true }).fill('notify');
  await http.getByLabel('Method', { exact: true }).selectOption('POST');
  await http.getByLabel('URL', { exact: true }).fill('https://api.example.com/events');
  await http.getByRole('button', { name: 'Add header' }).click();
  await http.getByLabel('Header name 1', { exact: true }).fill('X-Source');
  await http.getByLabel('Header value 1', { exact: true }).fill('automateos');
  await http.getByLabel('Body type', { exact: true }).selectOption('json');
  await http
    .getByLabel('JSON body', { exact: true })
    .fill('{ "user": "{{ trigger.body.user.id }}", "amount": "{{ trigger.body.amount }}" }');

  await editor.addStep('Filter');
  const filter = editor.step(2);
  await filter.getByLabel('Step name', { exact: true }).fill('Only pro users');
  await filter.getByLabel('Step id', { exact: true }).fill('only-pro');
  // The expression menu offers the trigger's fields and the steps above, then puts the cursor in place.
  const left = filter.getByLabel('Condition 1 value', { exact: true });
  await filter.getByRole('button', { name: 'Insert an expression into Condition 1 value' }).click();
  await page.getByRole('button', { name: 'Open steps.notify' }).click();
  await expect(page.getByRole('button', { name: 'Insert {{ steps.notify.body }}' })).toBeVisible();
  await page.getByRole('button', { name: 'Insert {{ trigger.body }}' }).click();
  await expect(left).toBeFocused();
  await page.keyboard.type('.user.plan');
  await expect(left).toHaveValue('{{ trigger.body.user.plan }}');
  await expect(filter.getByLabel('Condition 1 operator', { exact: true })).toHaveValue('equals');
  await filter.getByLabel('Condition 1 compare with', { exact: true }).fill('pro');

  await editor.save();
  // Created by that save, the workflow now has its own address.
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  const expected = stored(exampleDefinition);
  expect(await editor.jsonDefinition()).toEqual(expected);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Notify billing for pro users' })).toBeVisible();
  await expect(editor.step(1).getByLabel('URL', { exact: true })).toHaveValue(
    'https://api.example.com/events',
  );
  await expect(editor.step(1).getByLabel('Header value 1', { exact: true })).toHaveValue('automateos');
  await expect(editor.step(2).getByLabel('Condition 1 compare with', { exact: true })).toHaveValue('pro');
  expect(await editor.jsonDefinition()).toEqual(expected);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await signIn(page, user);
  await page.getByRole('link', { name: 'Notify billing for pro users' }).click();
  expect(await editor.jsonDefinition()).toEqual(expected);
});

test('the form follows the JSON tab; invalid JSON is shown and cannot be saved', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request);
  const editor = new WorkflowEditor(page);
  const saves: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('workflows.update')) saves.push(request.url());
  });
  await editor.open(workflow.id);

  await editor.showJson();
  const text = await editor.json.inputValue();
  await editor.json.fill(
    text
      .replace('https://api.example.com/events', 'https://api.example.com/v2/events')
      .replace('Only pro users', 'Pro only'),
  );
  await editor.showForm();
  await expect(editor.step(1).getByLabel('URL', { exact: true })).toHaveValue(
    'https://api.example.com/v2/events',
  );
  await expect(editor.step(2).getByLabel('Step name', { exact: true })).toHaveValue('Pro only');
  await expect(page.getByText('Unsaved changes')).toBeVisible();

  // And the other way round, keeping what the form has no input for.
  await editor.step(2).getByLabel('Condition 1 operator', { exact: true }).selectOption('exists');
  const afterForm = (await editor.jsonDefinition()) as { steps: { config: { conditions?: unknown[] } }[] };
  expect(afterForm.steps[1]?.config.conditions?.[0]).toEqual({
    left: '{{ trigger.body.user.plan }}',
    op: 'exists',
    caseSensitive: true,
  });

  await editor.json.fill(`${await editor.json.inputValue()}\n,`);
  await expect(page.getByRole('alert').filter({ hasText: 'Invalid JSON' })).toContainText(
    /Line \d+, column 1: /,
  );
  await page.keyboard.press('ControlOrMeta+s');
  await expect(page.getByText('Not saved', { exact: true })).toBeVisible();
  await editor.showForm();
  await expect(page.getByText('The JSON tab has a syntax error')).toBeVisible();
  await expect(editor.step(1).getByLabel('URL', { exact: true })).toHaveJSProperty('readOnly', true);
  expect(saves).toEqual([]);

  await editor.showJson();
  await editor.json.fill((await editor.json.inputValue()).replace(/\n,$/, ''));
  await expect(editor.saveButton).toBeEnabled();
  await editor.save();
  const saved = await getWorkflow(page.request, workflow.id);
  expect(saved.definition.steps[0]?.config).toMatchObject({ url: 'https://api.example.com/v2/events' });
  expect(saved.definition.steps[1]?.name).toBe('Pro only');
});

test('validation errors show at the field; a concurrent edit offers a reload', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request);
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);

  const url = editor.step(1).getByLabel('URL', { exact: true });
  await url.fill('ftp://example.com');
  await expect(url).toHaveAttribute('aria-invalid', 'true');
  await expect(editor.step(1).getByText('"ftp:" URLs are not allowed')).toBeVisible();
  // The count sits in the header, where it moves nothing; it opens the list, and Save says why it waits.
  const problems = page.getByRole('button', { name: '1 problem to fix' });
  await editor.saveButton.click();
  await expect(page.getByText('Not saved', { exact: true })).toBeVisible();
  await expect(page.getByRole('dialog', { name: /to fix before saving/ })).toContainText(
    '"ftp:" URLs are not allowed',
  );
  await page.keyboard.press('Escape');
  await url.fill('https://api.example.com/v3/events');
  await expect(problems).toBeHidden();

  // A JSON body that is not JSON yet survives a trip to the JSON tab, and keeps Save disabled.
  const body = editor.step(1).getByLabel('JSON body', { exact: true });
  await body.fill('{ "user": ');
  await editor.showJson();
  await page.getByRole('button', { name: '1 problem to fix' }).click();
  await expect(page.getByRole('dialog', { name: /to fix before saving/ })).toContainText(
    'The JSON body is not valid JSON',
  );
  await page.keyboard.press('Escape');
  await editor.showForm();
  await expect(body).toHaveValue('{ "user": ');
  await expect(page.getByRole('button', { name: '1 problem to fix' })).toBeVisible();
  await body.fill('{ "user": "{{ trigger.body.user.id }}" }');
  await expect(page.getByRole('button', { name: /problem to fix/ })).toBeHidden();

  // Someone else saves in the meantime.
  await updateWorkflow(page.request, {
    id: workflow.id,
    version: workflow.version,
    name: 'Renamed elsewhere',
  });
  await editor.saveButton.click();
  const conflict = page.getByRole('alert').filter({ hasText: 'changed somewhere else' });
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole('button', { name: 'Copy my version as JSON' })).toBeVisible();
  await conflict.getByRole('button', { name: 'Reload' }).click();
  await expect(conflict).toBeHidden();
  await expect(editor.name).toHaveValue('Renamed elsewhere');
  await expect(editor.step(1).getByLabel('URL', { exact: true })).toHaveValue(
    'https://api.example.com/events',
  );
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
});

test('leaving with unsaved changes asks first', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request);
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  await editor.name.fill('Billing, edited');

  await page.getByRole('main').getByRole('link', { name: 'Workflows' }).click();
  const leave = page.getByRole('alertdialog', { name: 'Leave without saving?' });
  await expect(leave).toBeVisible();
  await leave.getByRole('button', { name: 'Keep editing' }).click();
  await expect(editor.name).toHaveValue('Billing, edited');

  await page.getByRole('main').getByRole('link', { name: 'Workflows' }).click();
  await leave.getByRole('button', { name: 'Leave without saving' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Billing', exact: true })).toBeVisible();

  // Closing the tab or reloading gets the browser's own question.
  await editor.open(workflow.id);
  await editor.name.fill('Billing, edited again');
  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  expect((await dialog).type()).toBe('beforeunload');
  // Accepted, and the close awaited: a page left open after a dismissed beforeunload made the
  // context's teardown fail now and then (Chromium, "browserContext.close: Test ended").
  const closed = page.waitForEvent('close');
  await (await dialog).accept();
  await closed;
});

test('dashboard: switch on, search, duplicate, export, import and delete', async ({ page }) => {
  await registerUser(page.request);
  const billing = await createWorkflow(page.request, { name: 'Billing', description: 'Pro signups' });
  await createWorkflow(page.request, { name: 'Slack alerts' });
  await page.goto('/');

  const active = page.getByRole('switch', { name: 'Active: Billing' });
  await expect(active).not.toBeChecked();
  // The switch's input is visually hidden; people (and this test) click the switch drawn for it.
  await active.locator('..').click();
  await expect(active).toBeChecked();
  await expect.poll(async () => (await getWorkflow(page.request, billing.id)).active).toBe(true);
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Active: Billing' })).toBeChecked();

  await page.getByRole('searchbox', { name: 'Search workflows by name' }).fill('slack');
  await expect(page.getByRole('link', { name: 'Slack alerts' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Billing', exact: true })).toBeHidden();
  await expect(page).toHaveURL(/\?q=slack$/);
  await page.getByRole('searchbox', { name: 'Search workflows by name' }).fill('nothing like this');
  await expect(page.getByText('No workflows match “nothing like this”.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search workflows by name' }).fill('');
  await expect(page.getByRole('link', { name: 'Billing', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Actions for Billing' }).click();
  await page.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(page.getByRole('link', { name: 'Copy of Billing' })).toBeVisible();
  await expect(page.getByRole('switch', { name: 'Active: Copy of Billing' })).not.toBeChecked();

  await page.getByRole('button', { name: 'Actions for Billing', exact: true }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export JSON' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('billing.automateos.json');
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(file).toEqual({
    automateos: 1,
    name: 'Billing',
    description: 'Pro signups',
    definition: stored(exampleDefinition),
  });

  // Import: a file, previewed first; the copy gets a name of its own and a message says so.
  const importDialog = page.getByRole('dialog', { name: 'Import a workflow' });
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await importDialog.getByLabel('Import workflow file', { exact: true }).setInputFiles(await download.path());
  const preview = importDialog.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('Creates Billing (imported), switched off');
  await expect(preview).toContainText('a workflow named “Billing” already exists');
  await expect(preview).toContainText('Notify billing');
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported “Billing (imported)”')).toBeVisible();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(billing.id);
  const editor = new WorkflowEditor(page);
  await expect(editor.name).toHaveValue('Billing (imported)');
  expect(await editor.jsonDefinition()).toEqual(stored(exampleDefinition));

  // Pasted, with four problems: all four are listed, the bad step id among them, and nothing is created.
  await page.goto('/');
  const [first] = exampleDefinition.steps;
  const broken = {
    automateos: 1,
    name: '',
    definition: {
      ...exampleDefinition,
      steps: [
        { id: 'x', name: 'X', type: 'sms', config: {} },
        { ...first, id: 'Bad Id' },
      ],
      extra: true,
    },
  };
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await importDialog.getByLabel('Or paste JSON').fill(JSON.stringify(broken));
  const problems = importDialog.getByRole('region', { name: 'Problems' });
  await expect(problems).toContainText('It cannot be imported: 4 problems');
  await expect(problems).toContainText('Name is required');
  await expect(problems).toContainText('Unknown step type "sms"');
  await expect(problems).toContainText('definition.steps[1].id');
  await expect(problems).toContainText('definition.extra');
  await expect(importDialog.getByRole('button', { name: 'Import', exact: true })).toBeDisabled();
  await importDialog.getByLabel('Import workflow file', { exact: true }).setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ "name": "x", }'),
  });
  await expect(importDialog.getByTestId('import-file-name')).toHaveText('notes.json');
  await expect(problems).toContainText('The file is not valid JSON. Line 1, column 14: Trailing comma');
  await importDialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Actions for Copy of Billing' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete this workflow?' });
  await expect(confirm).toContainText('Copy of Billing');
  await confirm.getByRole('button', { name: 'Delete workflow' }).click();
  await expect(page.getByRole('link', { name: 'Copy of Billing' })).toBeHidden();
  await expect(page.getByRole('link', { name: 'Billing', exact: true })).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Billing (imported)', exact: true })).toHaveCount(1);
});

test('dashboard: 50 workflows at a time, the rest with Load more, all kept current', async ({ page }) => {
  await registerUser(page.request);
  for (let i = 1; i <= 52; i++) await createWorkflow(page.request, { name: `Bulk ${i}` });
  await page.goto('/');
  const rows = page.getByRole('link', { name: /^Bulk \d+$/ });
  await expect(rows).toHaveCount(50);
  // The most recently changed first: the two oldest come with the next page.
  await expect(rows.first()).toHaveText('Bulk 52');
  await expect(page.getByRole('link', { name: 'Bulk 1', exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(52);
  await expect(page.getByRole('button', { name: 'Load more' })).toBeHidden();

  // Switching on one from the second page refetches every page shown: it is now the latest change.
  const active = page.getByRole('switch', { name: 'Active: Bulk 1', exact: true });
  await active.locator('..').click();
  await expect(active).toBeChecked();
  await expect(rows.first()).toHaveText('Bulk 1');
  await expect(rows).toHaveCount(52);
});

test("a second user sees none of the first user's workflows", async ({ page, browser }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, { name: 'Only mine' });

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await registerUser(otherPage.request);
  await otherPage.goto('/');
  await expect(otherPage.getByText('No workflows yet')).toBeVisible();
  await expect(otherPage.getByText('Only mine')).toBeHidden();
  await otherPage.goto(`/workflows/${workflow.id}`);
  await expect(otherPage.getByRole('heading', { name: 'Workflow not found' })).toBeVisible();
  await other.close();
});

test('a hostile workflow name is shown as text and runs nothing', async ({ page }) => {
  const hostile = '<img src=x onerror=alert(1)>';
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, {
    name: hostile,
    description: hostile,
    definition: {
      ...exampleDefinition,
      steps: [
        { ...notifyStep, name: hostile, config: { ...notifyStep.config, headers: { 'X-Source': hostile } } },
      ],
    },
  });

  await page.goto('/');
  await expect(page.getByRole('link', { name: hostile })).toBeVisible();
  await page.getByRole('button', { name: `Actions for ${hostile}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(page.getByRole('alertdialog')).toContainText(hostile);
  await page.getByRole('button', { name: 'Cancel' }).click();

  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  await expect(page.getByRole('heading', { name: hostile })).toBeVisible();
  await expect(editor.step(1).getByText(hostile)).toBeVisible();
  await expect(editor.step(1).getByLabel('Header value 1', { exact: true })).toHaveValue(hostile);
  await expect(page).toHaveTitle(`${hostile} · AutomateOS`);
  await editor.showJson();
  await expect(editor.json).toHaveValue(/<img src=x onerror=alert\(1\)>/);

  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});
