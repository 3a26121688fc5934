import { expect, test } from '@playwright/test';
import { registerUser } from './support/api';

test('a token made on the API tokens page calls the REST API until it is revoked', async ({
  page,
  playwright,
}) => {
  await registerUser(page.request);
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await expect(page.getByText('No tokens yet.')).toBeVisible();

  const form = page.getByRole('form', { name: 'New token' });
  await form.getByLabel('Name').fill('Deploy script');
  await form.getByLabel('Scope').selectOption({ label: 'Read only' });
  await form.getByLabel('Expires after').selectOption({ label: '30 days' });
  await form.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByTestId('new-token');
  await expect(shown).toHaveText(/^aos_[A-Za-z0-9_-]{43}$/);
  const token = (await shown.textContent()) ?? '';
  const row = page.getByRole('row', { name: /Deploy script/ });
  await expect(row.getByText('Read only')).toBeVisible();
  await expect(row.getByText(token.slice(0, 8))).toBeVisible();
  // The full token is shown once, in the notice, never in the list.
  await expect(page.getByRole('table', { name: 'API tokens' })).not.toContainText(token);

  // A client without the browser's cookies: only the bearer token speaks for it.
  const api = await playwright.request.newContext({ baseURL: page.url() });
  const headers = { authorization: `Bearer ${token}` };
  expect((await api.get('/api/v1/workflows', { headers })).status()).toBe(200);
  expect((await api.post('/api/v1/workflows', { headers, data: { name: 'x' } })).status()).toBe(403);
  await page.reload();
  await expect(row.getByText('Never')).toHaveCount(0);

  await row.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
  await expect(row.getByText('Revoked')).toBeVisible();
  expect((await api.get('/api/v1/workflows', { headers })).status()).toBe(401);
  await api.dispose();
});

test('the interactive API docs load from this server within the CSP', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') violations.push(message.text());
  });
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { name: /AutomateOS API/ })).toBeVisible();
  await expect(page.getByText('/workflows/{id}/run').first()).toBeVisible();
  expect(violations.filter((text) => /Content Security Policy|Refused/.test(text))).toEqual([]);
});
