/**
 * The editor's Deliveries tab: requests to the webhook URL appear as they arrive (no reload), a
 * refused one with its reason and masked headers, an accepted one linking to its execution; a
 * delivery replays as a test run.
 */
import { createHmac } from 'node:crypto';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { registerUser } from './support/api';

async function call<T>(request: APIRequestContext, procedure: string, input: unknown): Promise<T> {
  const response = await request.post(`/trpc/${procedure}`, { data: { json: input } });
  if (!response.ok()) throw new Error(`${procedure} answered ${response.status()}: ${await response.text()}`);
  return (await response.json()).result.data.json as T;
}

test('deliveries show up live, refused ones with their reason, and replay as a test run', async ({
  page,
}) => {
  await registerUser(page.request);
  const secret = 'gh-e2e-secret';
  const credential = await call<{ id: string }>(page.request, 'credentials.create', {
    name: 'GitHub hook secret',
    type: 'webhookSecret',
    data: { secret },
  });
  const { id, webhookUrl } = await call<{ id: string; webhookUrl: string }>(
    page.request,
    'workflows.create',
    {
      name: 'Signed pushes',
      definition: {
        schemaVersion: 1,
        trigger: {
          type: 'webhook',
          config: { method: 'POST', signature: { preset: 'github', credentialId: credential.id } },
        },
        steps: [],
      },
    },
  );
  await call(page.request, 'workflows.setActive', { id, active: true });
  const path = new URL(webhookUrl).pathname;

  await page.goto(`/workflows/${id}`);
  await page.getByRole('tab', { name: 'Deliveries' }).click();
  await expect(page.getByText('No deliveries yet')).toBeVisible();

  // A forged request: refused, and shown with its reason while the page stays open.
  const body = '{"ref":"refs/heads/main"}';
  const forged = await page.request.post(path, {
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
    data: body,
  });
  expect(forged.status()).toBe(401);
  const rows = page.getByTestId('delivery-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('401 rejected');
  await expect(rows.first()).toContainText('The signature does not match the body.');

  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const accepted = await page.request.post(path, {
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signature,
      'x-api-key': 'e2e-canary',
    },
    data: body,
  });
  expect(accepted.status()).toBe(202);
  const { executionId } = (await accepted.json()) as { executionId: string };
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('202 accepted');
  await expect(rows.first().getByRole('link', { name: executionId.slice(0, 8) })).toBeVisible();

  // Its detail: headers masked, the body as sent; then replayed as a test run.
  await rows.first().click();
  await expect(page.getByTestId('delivery-body')).toHaveText(body);
  await expect(page.getByText('e2e-canary')).toHaveCount(0);
  await page.getByRole('button', { name: 'Replay as test run' }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(executionId);
});
