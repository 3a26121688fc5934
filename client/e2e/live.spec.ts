/**
 * Live updates in the browser: pages change as executions are created and run, with no reload, no
 * focus change and no polling; when the stream cannot connect, the page says it refreshes on a timer.
 * The target the HTTP steps call holds its answers until the test releases them, so every "before"
 * is observed for sure and nothing depends on timing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { type APIRequestContext, expect, type Page, type Route, test } from '@playwright/test';
import { registerUser } from './support/api';

let target: Server;
let targetUrl: string;
/** Requests to `/hold/…` wait here until released. */
const held = new Map<string, () => void>();

test.beforeAll(async () => {
  target = createServer((req, res) => {
    req.resume();
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    };
    if (req.url?.startsWith('/hold/')) held.set(req.url, answer);
    else answer();
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  for (const release of held.values()) release();
  target.closeAllConnections();
  await new Promise((resolve) => target.close(resolve));
});

/** Answers the held request to `path` once it has arrived. */
async function release(path: string) {
  await expect.poll(() => held.has(path), { message: `a request to ${path}` }).toBe(true);
  held.get(path)?.();
  held.delete(path);
}

async function call<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/trpc/${procedure}`, { data: { json: input } });
  if (!response.ok()) throw new Error(`${procedure} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()).result.data.json as T;
}

const httpStep = (id: string, name: string, path: string) => ({
  id,
  name,
  type: 'http' as const,
  config: { method: 'POST' as const, url: `${targetUrl}${path}`, timeoutMs: 60_000 },
});

/** Signs the page in as a new user with an active workflow of these steps. */
async function seed(page: Page, steps: WorkflowDefinitionInput['steps']) {
  await registerUser(page.request);
  const { id, webhookUrl } = await call<{ id: string; webhookUrl: string }>(
    page.request,
    'workflows.create',
    {
      name: 'Live orders',
      definition: { schemaVersion: 1, trigger: { type: 'webhook', config: { method: 'POST' } }, steps },
    },
  );
  await call(page.request, 'workflows.setActive', { id, active: true });
  return { id, webhookUrl };
}

async function webhook(request: APIRequestContext, webhookUrl: string, body: unknown) {
  const response = await request.post(webhookUrl, { data: body });
  expect(response.status()).toBe(202);
  return ((await response.json()) as { executionId: string }).executionId;
}

/**
 * From now on `procedure` is never answered: whatever the page shows next came through the live
 * stream, not a refetch. Returns how many requests were held.
 */
async function holdQueries(page: Page, procedure: string) {
  const routes: Route[] = [];
  await page.route(new RegExp(`/trpc/[^?]*${procedure.replace('.', '\\.')}`), (route) => {
    routes.push(route);
  });
  return () => routes.length;
}

/** A value kept in the page's JavaScript: still there at the end means the page never reloaded. */
const markPage = (page: Page) =>
  page.evaluate(() => {
    const marker = crypto.randomUUID();
    Object.assign(window, { liveTestMarker: marker });
    return marker;
  });
const pageMarker = (page: Page) =>
  page.evaluate(() => (window as { liveTestMarker?: string }).liveTestMarker);

test('a webhook execution appears in the history and turns succeeded, in every open tab, with no reload', async ({
  page,
  context,
  request,
}) => {
  const workflow = await seed(page, [httpStep('charge', 'Charge the card', '/hold/charge')]);
  await page.goto(`/workflows/${workflow.id}/executions`);
  await expect(page.getByText('No executions yet')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // A second tab on the dashboard, side by side with the first.
  const dashboard = await context.newPage();
  await dashboard.goto('/');
  await expect(dashboard.getByText('Never run')).toBeVisible();
  await expect(dashboard.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  const listFetches = await holdQueries(page, 'executions.list');
  const dashboardFetches = await holdQueries(dashboard, 'workflows.list');
  const marks = [await markPage(page), await markPage(dashboard)];

  const executionId = await webhook(request, workflow.webhookUrl, { order: 1 });
  const row = page.locator(`tr[data-execution-id="${executionId}"]`);
  await expect(row.getByText('running')).toBeVisible();
  await expect(
    dashboard.getByRole('link', { name: 'Executions of Live orders: last running' }),
  ).toBeVisible();

  await release('/hold/charge');
  await expect(row.getByText('succeeded')).toBeVisible();
  await expect(
    dashboard.getByRole('link', { name: 'Executions of Live orders: last succeeded' }),
  ).toBeVisible();
  await expect(page.locator('tbody tr')).toHaveCount(1);

  // The second execution goes on top, the first keeps its place.
  const second = await webhook(request, workflow.webhookUrl, { order: 2 });
  await release('/hold/charge');
  await expect(page.locator(`tr[data-execution-id="${second}"]`).getByText('succeeded')).toBeVisible();
  await expect(page.locator('tbody tr').first()).toHaveAttribute('data-execution-id', second);
  await expect(page.locator('tbody tr').nth(1)).toHaveAttribute('data-execution-id', executionId);

  expect([await pageMarker(page), await pageMarker(dashboard)]).toEqual(marks);
  // At most the one reload a fresh stream asks for, held before it could answer.
  console.log(
    `live e2e: list fetches after the stream opened: ${listFetches()} (history), ${dashboardFetches()} (dashboard)`,
  );
  expect(listFetches()).toBeLessThanOrEqual(1);
  expect(dashboardFetches()).toBeLessThanOrEqual(1);
});

test('an execution page shows step 1 as soon as it finishes, while step 2 still waits on a slow target', async ({
  page,
  request,
}) => {
  const workflow = await seed(page, [
    httpStep('lookup', 'Look up the customer', '/hold/lookup'),
    httpStep('invoice', 'Create the invoice', '/hold/invoice'),
  ]);
  // Both calls are held, so the page is open before anything has finished.
  const executionId = await webhook(request, workflow.webhookUrl, { order: 3 });
  await page.goto(`/executions/${executionId}`);
  const header = page.getByRole('heading', { name: `Execution ${executionId.slice(0, 8)}` }).locator('..');
  const lookup = page.locator('[data-step-id="lookup"]');
  const invoice = page.locator('[data-step-id="invoice"]');
  await expect(header.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  const detailFetches = await holdQueries(page, 'executions.get');

  await release('/hold/lookup');
  await expect(lookup.getByText('succeeded')).toBeVisible();
  await expect(lookup.getByText('HTTP 200')).toBeVisible();
  await expect(invoice).toHaveAttribute('data-step-state', 'running');
  await expect(header.getByText('running', { exact: true })).toBeVisible();

  await release('/hold/invoice');
  await expect(invoice).toHaveAttribute('data-step-state', 'ran');
  await expect(invoice.getByText('succeeded')).toBeVisible();
  await expect(header.getByText('succeeded', { exact: true })).toBeVisible();
  // Finished: nothing left to follow.
  await expect(header.getByRole('status')).toBeHidden();
  expect(detailFetches()).toBe(0);
});

test('without a live stream, the history says it refreshes on a timer, and does', async ({
  page,
  request,
}) => {
  const workflow = await seed(page, [httpStep('notify', 'Notify', '/fast')]);
  // A proxy that does not pass server-sent events through.
  await page.route(/\/trpc\/executions\.watchList/, (route) => route.abort());
  await page.goto(`/workflows/${workflow.id}/executions`);
  await expect(page.getByText('No executions yet')).toBeVisible();
  const fallback = page.getByRole('status').filter({ hasText: 'Refreshing every 2 s' });
  await expect(fallback).toBeVisible({ timeout: 20_000 });
  await expect(fallback).toHaveAttribute('title', /Live updates are unavailable/);

  const executionId = await webhook(request, workflow.webhookUrl, { order: 4 });
  await expect(page.locator(`tr[data-execution-id="${executionId}"]`).getByText('succeeded')).toBeVisible();
});
