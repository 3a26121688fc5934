/**
 * A Notion step built in the form against a Notion stand-in (started here, on the port the product
 * was given as NOTION_API_URL): the credential made from the picker, the database picked from the
 * list the API gives, its properties filled in, a webhook sent, and the page link in the execution
 * log followed to the page the stand-in serves.
 */
import { expect, test } from '@playwright/test';
import { type FakeNotion, NOTION_TOKEN, startFakeNotion } from '../../server/test/fakes/notion';
import { notionPort } from '../playwright.config';
import { registerUser } from './support/api';
import { WorkflowEditor } from './support/workflow-editor';
import { createWorkflow } from './support/workflows';

let notion: FakeNotion;

test.beforeAll(async () => {
  notion = await startFakeNotion(notionPort);
});
test.afterAll(async () => {
  await notion.close();
});

test('webhook → Create Notion page: built in the form, and the log links to the page', async ({ page }) => {
  await registerUser(page.request);
  const workflow = await createWorkflow(page.request, {
    name: 'Orders to Notion',
    definition: { schemaVersion: 1, trigger: { type: 'webhook', config: { method: 'POST' } }, steps: [] },
  });
  const editor = new WorkflowEditor(page);
  await editor.open(workflow.id);
  await editor.addStep('Create Notion page');
  const step = editor.step(1);

  await step.getByLabel('Notion credential').selectOption({ label: 'New credential…' });
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Name').fill('Team Notion');
  await dialog.getByLabel('Integration token').fill(NOTION_TOKEN);
  await dialog.getByRole('button', { name: 'Create credential' }).click();
  await expect(dialog).toBeHidden();

  // The databases come from Notion's search; picking one shows an input per property.
  await step.getByLabel('Database', { exact: true }).selectOption({ label: 'Tasks' });
  await step.getByRole('textbox', { name: 'Name', exact: true }).fill('Order {{ trigger.body.id }}');
  await step.getByRole('textbox', { name: 'Points', exact: true }).fill('{{ trigger.body.points }}');
  await step.getByRole('textbox', { name: 'Tags', exact: true }).fill('bug, ui');
  await expect(step.getByText('Owner (people) is not set by this step.')).toBeVisible();
  await editor.save();

  await page.request.post('/trpc/workflows.setActive', { data: { json: { id: workflow.id, active: true } } });
  const response = await page.request.post(workflow.webhookUrl, { data: { id: 42, points: 3 } });
  expect(response.status()).toBe(202);
  const { executionId } = (await response.json()) as { executionId: string };

  await page.goto(`/executions/${executionId}`);
  const log = page.locator('[data-step-id]').first();
  await expect(log.getByText('succeeded')).toBeVisible();
  expect(notion.problems).toEqual([]);
  const [created] = notion.pages;
  expect(created?.properties).toMatchObject({
    Name: { title: [{ text: { content: 'Order 42' } }] },
    Points: { number: 3 },
    Tags: { multi_select: [{ name: 'bug' }, { name: 'ui' }] },
  });

  const link = log.getByRole('link', { name: 'Open the page in Notion' });
  await expect(link).toHaveAttribute('href', `${notion.url}/p/${created?.id.replace(/-/g, '')}`);
  const [opened] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
  await expect(opened.getByRole('heading', { name: `Fake Notion page ${created?.id}` })).toBeVisible();
  expect(await page.content()).not.toContain(NOTION_TOKEN);
});
