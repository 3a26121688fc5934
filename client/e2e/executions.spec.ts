import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exampleDefinition as designExample } from '@automateos/shared';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { registerUser } from './support/api';

/** What the local target answers: the step's output body, so the log can be checked against it. */
const TARGET_REPLY = 'hello from the target';

interface Received {
  method: string;
  url: string;
  body: unknown;
}

/** A stand-in for "api.example.com": records each request and answers JSON. */
let target: Server;
let targetUrl: string;
const received: Received[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

test.beforeAll(async () => {
  target = createServer(async (req, res) => {
    const text = await readBody(req);
    received.push({ method: req.method ?? '', url: req.url ?? '', body: text ? JSON.parse(text) : null });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: TARGET_REPLY, orderId: `ord_${received.length}` }));
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/events`;
});

test.afterAll(async () => {
  await new Promise((resolve) => target.close(resolve));
});

/** Calls a tRPC procedure with the cookies of `request`; the superjson transformer wraps both ways in `json`. */
async function call<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/trpc/${procedure}`, { data: { json: input } });
  if (!response.ok()) throw new Error(`${procedure} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()).result.data.json as T;
}

interface Workflow {
  id: string;
  webhookUrl: string;
}

/** The example workflow of DESIGN.md, its HTTP step pointed at the local target. */
function exampleDefinition(extraSteps: object[] = []) {
  const definition = designExample(targetUrl);
  return { ...definition, steps: [...definition.steps, ...extraSteps] };
}

/** Signs the page in as a new user and gives them the example workflow, switched on unless told otherwise. */
async function seedWorkflow(page: Page, { active = true, extraSteps = [] as object[] } = {}) {
  await registerUser(page.request);
  const workflow = await call<Workflow>(page.request, 'workflows.create', {
    name: 'Billing notifications',
    definition: exampleDefinition(extraSteps),
  });
  if (active) await call(page.request, 'workflows.setActive', { id: workflow.id, active: true });
  return workflow;
}

async function postWebhook(request: APIRequestContext, workflow: Workflow, body: unknown) {
  const response = await request.post(workflow.webhookUrl, { data: body });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { executionId: string }).executionId;
}

const proOrder = { user: { id: 'u_1', plan: 'pro' }, amount: 42 };

test('a webhook request appears in the list, succeeds, and shows both steps’ data', async ({
  page,
  request,
}) => {
  const workflow = await seedWorkflow(page);
  await page.goto(`/workflows/${workflow.id}/executions`);
  await expect(page.getByRole('heading', { name: 'Executions', exact: true })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Billing notifications' })).toHaveAttribute(
    'href',
    `/workflows/${workflow.id}`,
  );
  await expect(page.getByText('No executions yet')).toBeVisible();
  await expect(page.getByTestId('webhook-url')).toHaveText(workflow.webhookUrl);
  // The sample sends what the steps read, with the value the filter keeps; its copy button sits
  // beside the heading, not over the command.
  const curl = page.getByLabel('curl example');
  await expect(curl).toHaveText(
    `curl -X POST '${workflow.webhookUrl}' -H 'content-type: application/json' -d '{"user":{"id":"example","plan":"pro"},"amount":"example"}'`,
  );
  const copy = await page.getByRole('button', { name: 'Copy curl command' }).boundingBox();
  const command = await curl.boundingBox();
  expect(copy && command && copy.y + copy.height <= command.y).toBe(true);

  const executionId = await postWebhook(request, workflow, proOrder);
  // The list refreshes on its own while the execution is queued or running.
  const row = page.locator(`tr[data-execution-id="${executionId}"]`);
  await expect(row.getByText('succeeded')).toBeVisible();
  await expect(row.getByText('Webhook', { exact: true })).toBeVisible();

  await row.getByRole('link', { name: executionId.slice(0, 8) }).click();
  await expect(page).toHaveURL(`/executions/${executionId}`);
  await expect(page.getByRole('heading', { name: `Execution ${executionId.slice(0, 8)}` })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Billing notifications' })).toHaveAttribute(
    'href',
    `/workflows/${workflow.id}`,
  );

  const trigger = page.getByRole('region', { name: 'Trigger' });
  await expect(trigger.getByText('"u_1"', { exact: true })).toBeVisible();
  // The body as it came, byte for byte.
  await trigger.getByRole('button', { name: /^Body as received/ }).click();
  await expect(trigger.getByTestId('received-body')).toHaveText(JSON.stringify(proOrder));

  const notify = page.locator('[data-step-id="notify"]');
  await expect(notify.getByText('Notify billing')).toBeVisible();
  await expect(notify.getByText('succeeded')).toBeVisible();
  await expect(notify.getByText('HTTP 200')).toBeVisible();
  // Output (open): the target's response. Input (collapsed): the config with its expressions resolved.
  await expect(notify.getByText(`"${TARGET_REPLY}"`)).toBeVisible();
  await notify.getByRole('button', { name: /^Input/ }).click();
  await expect(notify.getByText(`"${targetUrl}"`)).toBeVisible();
  await expect(notify.getByText('"u_1"')).toBeVisible();

  const filter = page.locator('[data-step-id="only-pro"]');
  await expect(filter.getByText('succeeded')).toBeVisible();
  const condition = filter.getByRole('table', { name: 'Filter conditions' }).getByRole('row').nth(1);
  await expect(condition).toContainText('"pro"');
  await expect(condition).toContainText('is equal to');
  await expect(condition).toContainText('✓ true');

  // The target got what the expressions resolved to, with types kept.
  expect(received.at(-1)?.body).toEqual({ user: 'u_1', amount: 42 });

  // The short id a list shows works as an address too.
  await page.goto(`/executions/${executionId.slice(0, 8)}`);
  await expect(page).toHaveURL(`/executions/${executionId}`);
  await expect(page.getByRole('heading', { name: `Execution ${executionId.slice(0, 8)}` })).toBeVisible();
  await page.goto('/executions/00000000');
  await expect(page.getByRole('heading', { name: 'Execution not found' })).toBeVisible();
});

test('a payload that fails the filter shows "filtered", the condition table and the skipped step', async ({
  page,
  request,
}) => {
  const workflow = await seedWorkflow(page, {
    extraSteps: [
      { id: 'thank', name: 'Thank the customer', type: 'http', config: { method: 'POST', url: targetUrl } },
    ],
  });
  const hostile = '<img src=x onerror=window.__xss=1>';
  const executionId = await postWebhook(request, workflow, {
    user: { id: hostile, plan: 'free' },
    amount: 5,
  });

  await page.goto(`/workflows/${workflow.id}/executions`);
  const row = page.locator(`tr[data-execution-id="${executionId}"]`);
  await expect(row.getByText('filtered')).toBeVisible();
  await row.click();
  await expect(page).toHaveURL(`/executions/${executionId}`);

  // Said from what happened, in neutral colours: a filter that keeps an execution out is no warning.
  const outcome = page.getByTestId('filtered-outcome');
  await expect(outcome).toContainText('Filtered by “Only pro users”');
  await expect(outcome).toContainText('the step after it did not run.');
  const channels = (await outcome.evaluate((element) => getComputedStyle(element).backgroundColor))
    .match(/\d+/g)
    ?.slice(0, 3)
    .map(Number);
  expect(channels).toHaveLength(3);
  // Grey: the three channels are close to one another.
  expect(Math.max(...(channels ?? [])) - Math.min(...(channels ?? []))).toBeLessThan(16);
  const filter = page.locator('[data-step-id="only-pro"]');
  await expect(filter.getByText('filtered', { exact: true })).toBeVisible();
  const condition = filter.getByRole('table', { name: 'Filter conditions' }).getByRole('row').nth(1);
  await expect(condition).toContainText('"free"');
  await expect(condition).toContainText('"pro"');
  await expect(condition).toContainText('✗ false');
  await expect(page.locator('[data-step-id="thank"]').getByText('not run')).toBeVisible();

  // User-provided text is shown as text, never run as markup.
  await expect(
    page.getByRole('region', { name: 'Trigger' }).getByText(`"${hostile}"`, { exact: true }),
  ).toBeVisible();
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
});

test('Test run in the editor runs the draft on screen beside it, live, without leaving the page', async ({
  page,
}) => {
  const workflow = await seedWorkflow(page, { active: false });
  // A switched-off workflow still runs manually; this one gives the panel a body to start from.
  await call(page.request, 'workflows.testRun', {
    id: workflow.id,
    payload: { user: { id: 'u_prefill', plan: 'pro' }, amount: 1 },
  });

  await page.goto(`/workflows/${workflow.id}`);
  // An edit not saved yet: the test run must send to the new URL.
  await page
    .getByRole('region', { name: 'Step 1', exact: true })
    .getByLabel('URL', { exact: true })
    .fill(`${targetUrl}/draft`);
  await page.getByRole('button', { name: 'Test run' }).click();
  const panel = page.getByRole('complementary', { name: 'Test run' });
  await expect(panel).toContainText('unsaved changes included');
  const payload = panel.getByLabel('Payload (JSON)');
  await expect(payload).toHaveValue(/"u_prefill"/);

  await payload.fill('{ "user": ');
  await expect(panel.getByText(/^Not valid JSON/)).toBeVisible();
  await expect(panel.getByRole('button', { name: 'Run the draft' })).toBeDisabled();

  await payload.fill(JSON.stringify({ user: { id: 'u_manual', plan: 'pro' }, amount: 7 }));
  await panel.getByRole('button', { name: 'Run the draft' }).click();

  // The result arrives in the panel, step by step, and the editor stays as it was.
  const result = panel.getByTestId('test-run-result');
  await expect(result).toHaveAttribute('data-status', 'succeeded');
  await expect(result.locator('[data-step-id="notify"]').getByText('succeeded')).toBeVisible();
  await expect(result.locator('[data-step-id="only-pro"]').getByText('succeeded')).toBeVisible();
  await expect(page).toHaveURL(`/workflows/${workflow.id}`);
  await expect(page.getByText('Unsaved changes', { exact: true })).toBeVisible();
  expect(received.at(-1)).toMatchObject({ url: '/events/draft', body: { user: 'u_manual', amount: 7 } });

  // Its page (in a tab of its own: the editor keeps its draft) says it was a test run of the draft.
  const [executionPage] = await Promise.all([
    page.context().waitForEvent('page'),
    result.getByRole('link').first().click(),
  ]);
  await expect(executionPage.getByTestId('execution-mode')).toHaveText(/^Test run\s*unsaved draft$/);
  await expect(
    executionPage.getByRole('region', { name: 'Trigger' }).getByText('Test payload'),
  ).toBeVisible();
  await executionPage.close();
});

test('Re-run from the detail page starts a new execution with the same trigger data', async ({
  page,
  request,
}) => {
  const workflow = await seedWorkflow(page);
  const executionId = await postWebhook(request, workflow, proOrder);
  await page.goto(`/executions/${executionId}`);
  await expect(page.locator('[data-step-id="only-pro"]').getByText('succeeded')).toBeVisible();

  // It asks first: the HTTP step calls its URL again.
  const before = received.length;
  await page.getByRole('button', { name: 'Re-run' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Re-run this execution?' });
  await expect(confirm).toContainText('Its HTTP Request step calls its URL again.');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  // Closed before the page's own button is looked for again (a closing dialog still holds one).
  await expect(confirm).toBeHidden();
  expect(received.length).toBe(before);
  await page.getByRole('button', { name: 'Re-run' }).click();
  await confirm.getByRole('button', { name: 'Re-run' }).click();
  await expect(page).not.toHaveURL(`/executions/${executionId}`);
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  // And says which one it re-ran.
  const mode = page.getByTestId('execution-mode');
  await expect(mode).toHaveText(new RegExp(`^Re-run\\s*of ${executionId.slice(0, 8)}$`));
  await expect(mode.getByRole('link', { name: executionId.slice(0, 8) })).toHaveAttribute(
    'href',
    `/executions/${executionId}`,
  );
  await expect(page.locator('[data-step-id="only-pro"]').getByText('succeeded')).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Trigger' }).getByText('"u_1"', { exact: true }),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Executions' }).click();
  await expect(page.locator('tbody tr')).toHaveCount(2);
});

test('the list filters by status and loads older executions page by page', async ({ page }) => {
  const workflow = await seedWorkflow(page, { active: false });
  for (let index = 0; index < 22; index++) {
    const plan = index % 2 === 0 ? 'pro' : 'free';
    await call(page.request, 'workflows.testRun', {
      id: workflow.id,
      payload: { user: { id: `u_${index}`, plan } },
    });
  }

  await page.goto(`/workflows/${workflow.id}/executions`);
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(22);
  await expect(page.getByRole('button', { name: 'Load more' })).toBeHidden();
  // The list keeps refreshing until every run has finished.
  await expect(rows.filter({ hasText: /queued|running/ })).toHaveCount(0);

  await page.getByLabel('Status').selectOption('filtered');
  await expect(page).toHaveURL(/status=filtered/);
  await expect(rows).toHaveCount(11);
  await expect(rows.filter({ hasNotText: 'filtered' })).toHaveCount(0);
});
