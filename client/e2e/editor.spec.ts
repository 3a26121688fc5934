/**
 * The editor as a new user finds it: nothing created before the first save, problems shown when
 * they are the user's to fix, limits said where they apply, a field picker from real data, and the
 * on/off switch that acts on the saved workflow.
 */
import { expect, test } from '@playwright/test';
import { registerUser } from './support/api';
import { WorkflowEditor } from './support/workflow-editor';
import { createWorkflow, getWorkflow } from './support/workflows';

/** tRPC with the superjson transformer wraps input and result in `json`. */
async function listNames(page: import('@playwright/test').Page) {
  const response = await page.request.get(`/trpc/workflows.list?input=${encodeURIComponent('{"json":{}}')}`);
  const items = (await response.json()).result.data.json.items as { name: string }[];
  return items.map((item) => item.name);
}

test('a new workflow exists only once it is saved; leaving before that leaves nothing behind', async ({
  page,
}) => {
  const user = await registerUser(page.request);
  const editor = new WorkflowEditor(page);
  await page.goto('/');
  // The name given at sign-up, not the email.
  await expect(page.getByTestId('signed-in-as')).toHaveText(user.name);
  await page.getByRole('link', { name: 'New workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/new$/);
  await expect(page.getByRole('switch', { name: 'Active' })).toBeDisabled();
  // Untouched: leaving asks nothing and stores nothing.
  await page.getByRole('navigation', { name: 'breadcrumb' }).getByRole('link', { name: 'Workflows' }).click();
  await expect(page).toHaveURL(/\/$/);
  expect(await listNames(page)).toEqual([]);

  await page.getByRole('link', { name: 'New workflow' }).click();
  await editor.name.fill('Signups');
  await page.getByRole('navigation', { name: 'breadcrumb' }).getByRole('link', { name: 'Workflows' }).click();
  await page
    .getByRole('alertdialog', { name: 'Leave without saving?' })
    .getByRole('button', { name: 'Leave without saving' })
    .click();
  await expect(page).toHaveURL(/\/$/);
  expect(await listNames(page)).toEqual([]);

  await page.getByRole('link', { name: 'New workflow' }).click();
  await editor.name.fill('Signups');
  await editor.save();
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f-]{36}$/);
  expect(await listNames(page)).toEqual(['Signups']);
  // Leaving now asks nothing: it is saved.
  await page.getByRole('navigation', { name: 'breadcrumb' }).getByRole('link', { name: 'Workflows' }).click();
  await expect(page.getByRole('link', { name: 'Signups' })).toBeVisible();
});

test('limits that agree: no silent cut, URLs checked at save, no problems shown for a step just added', async ({
  page,
}) => {
  await registerUser(page.request);
  const editor = new WorkflowEditor(page);
  await page.goto('/workflows/new');
  await expect(page.getByRole('tab', { name: 'Form' })).toBeVisible({ timeout: 15_000 });

  const long = 'n'.repeat(300);
  await editor.name.fill(long);
  await expect(editor.name).toHaveValue(long);
  await expect(
    page.getByText('Name must be at most 100 characters (this one has 300)', { exact: true }),
  ).toBeVisible();
  await editor.name.fill('n'.repeat(90));
  await expect(page.getByText('90 of 100 characters')).toBeVisible();
  await editor.name.fill('Limits');

  // A step just added is not a problem yet: no count in the header, no message at its fields.
  const header = page.getByRole('button', { name: /problems? to fix/ });
  await editor.addStep('HTTP Request');
  await expect(editor.step(1)).toBeVisible();
  await expect(header).toBeHidden();
  await expect(editor.step(1).getByText('URL is required')).toBeHidden();
  // Saving shows what is missing.
  await editor.saveButton.click();
  await expect(editor.step(1).getByText('URL is required')).toBeVisible();
  await expect(page.getByRole('button', { name: '1 problem to fix' })).toBeVisible();

  const url = editor.step(1).getByLabel('URL', { exact: true });
  for (const [bad, message] of [
    ['https://[::1', 'the IPv6 address "[::1" has no closing "]"'],
    ['http://127.0.0.1:99999/x', 'the port must be a number from 0 to 65535, not "99999"'],
  ] as const) {
    await url.fill(bad);
    await expect(editor.step(1).getByText(message)).toBeVisible();
  }
  await url.fill('https://api.example.com/events');
  await expect(header).toBeHidden();
  await editor.save();
});

test('the field picker offers the fields of the last payload and each earlier step’s last output', async ({
  page,
}) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, {
    name: 'Picker',
    definition: {
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [
        {
          id: 'health',
          name: 'Health',
          type: 'http',
          config: { method: 'GET', url: 'http://127.0.0.1:1/x' },
        },
        {
          id: 'check',
          name: 'Check',
          type: 'filter',
          config: { match: 'all', conditions: [{ left: '{{ trigger.body }}', op: 'exists' }] },
        },
      ],
    },
  });
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  // Point the HTTP step at this server's own health check, and run the draft once.
  const origin = new URL(page.url()).origin.replace('localhost', '127.0.0.1');
  await editor.step(1).getByLabel('URL', { exact: true }).fill(`${origin}/healthz`);
  await page.getByRole('button', { name: 'Test run' }).click();
  const panel = page.getByRole('complementary', { name: 'Test run' });
  await panel
    .getByLabel('Payload (JSON)')
    .fill('{"order":{"id":"ord_7","lines":[{"sku":"A-1"}]},"customer email":"a@b.c"}');
  // Before anything ran, the payload being typed is what the picker offers.
  const condition = editor.step(2).getByLabel('Condition 1 value', { exact: true });
  await editor.step(2).getByRole('button', { name: 'Insert an expression into Condition 1 value' }).click();
  const picker = page.getByRole('dialog', { name: 'Fields to insert' });
  await expect(picker).toContainText('From the test payload.');
  await page.keyboard.press('Escape');
  await panel.getByRole('button', { name: 'Run the draft' }).click();
  await expect(panel.getByTestId('test-run-result')).toHaveAttribute('data-status', 'succeeded');
  await condition.fill('');

  await editor.step(2).getByRole('button', { name: 'Insert an expression into Condition 1 value' }).click();
  await expect(picker).toContainText('From the last test run');
  // The trigger body opens on its own; nested fields open on request; odd keys are quoted.
  await expect(
    picker.getByRole('button', { name: 'Insert {{ trigger.body["customer email"] }}' }),
  ).toBeVisible();
  await picker.getByRole('button', { name: 'Open trigger.body.order' }).click();
  await picker.getByRole('button', { name: 'Open trigger.body.order.lines' }).click();
  await picker.getByRole('button', { name: 'Open trigger.body.order.lines[0]' }).click();
  await expect(
    picker.getByRole('button', { name: 'Insert {{ trigger.body.order.lines[0].sku }}' }),
  ).toContainText('"A-1"');
  // The step above, with its last output.
  await picker.getByRole('button', { name: 'Open steps.health' }).click();
  await picker.getByRole('button', { name: 'Open steps.health.body' }).click();
  await picker.getByRole('button', { name: 'Insert {{ steps.health.body.ok }}' }).click();
  await expect(condition).toHaveValue('{{ steps.health.body.ok }}');
  await expect(picker).toBeHidden();
});

test('the Active switch is in the header and, with unsaved changes, saves them first', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request);
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  const active = page.getByRole('switch', { name: 'Active' });
  await expect(editor.trigger.getByRole('switch')).toHaveCount(0);

  await editor.name.fill('Billing v2');
  await active.locator('..').click();
  const confirm = page.getByRole('alertdialog', { name: 'Save and switch on?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(active).not.toBeChecked();
  expect((await getWorkflow(page.request, workflow.id)).active).toBe(false);

  await active.locator('..').click();
  await confirm.getByRole('button', { name: 'Save and switch on' }).click();
  await expect(active).toBeChecked();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  const saved = await getWorkflow(page.request, workflow.id);
  expect(saved).toMatchObject({ name: 'Billing v2', active: true });
  // Switching off needs no question; and the editor is not made stale by its own switch.
  await active.locator('..').click();
  await expect(active).not.toBeChecked();
  await editor.name.fill('Billing v3');
  await editor.save();
});

test('every page has the same trail back and the same width', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, { name: 'Trail' });
  const widths: number[] = [];
  const trail = () => page.getByRole('navigation', { name: 'breadcrumb' }).getByRole('link');
  const headingWidth = async () => {
    const box = await page.getByRole('heading', { level: 1 }).locator('xpath=../..').boundingBox();
    widths.push(Math.round(box?.width ?? 0));
  };

  await page.goto(`/workflows/${workflow.id}`);
  // The editor's code is loaded on first use: allow for a slow first load.
  await expect(page.getByRole('tab', { name: 'Form' })).toBeVisible({ timeout: 15_000 });
  await expect(trail()).toHaveText(['Workflows']);
  await headingWidth();
  await page.goto(`/workflows/${workflow.id}/executions`);
  await expect(trail()).toHaveText(['Workflows', 'Trail']);
  await headingWidth();
  const { executionId } = (
    await (
      await page.request.post('/trpc/workflows.testRun', { data: { json: { id: workflow.id, payload: {} } } })
    ).json()
  ).result.data.json as { executionId: string };
  await page.goto(`/executions/${executionId}`);
  await expect(trail()).toHaveText(['Workflows', 'Trail', 'Executions']);
  await headingWidth();
  await page.goto('/');
  await headingWidth();
  await page.goto('/credentials');
  await headingWidth();
  expect(new Set(widths).size).toBe(1);
});
