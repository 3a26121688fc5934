import { expect, type Page } from '@playwright/test';

/** The workflow editor, the one screen complex enough for a page object. */
export class WorkflowEditor {
  constructor(readonly page: Page) {}

  async open(id: string) {
    await this.page.goto(`/workflows/${id}`);
    // The editor's code is loaded on first use: allow for a slow first load.
    await expect(this.page.getByRole('tab', { name: 'Form' })).toBeVisible({ timeout: 15_000 });
  }

  get name() {
    return this.page.getByLabel('Name', { exact: true });
  }

  get trigger() {
    return this.page.getByRole('region', { name: 'Trigger', exact: true });
  }

  /** Step `number` (from 1) in the form. */
  step(number: number) {
    return this.page.getByRole('region', { name: `Step ${number}`, exact: true });
  }

  async addStep(
    title: 'HTTP Request' | 'Filter' | 'Create Notion page' | 'Send Slack message' | 'Send email',
  ) {
    await this.page.getByRole('button', { name: 'Add step' }).click();
    await this.page.getByRole('menuitem', { name: new RegExp(`^${title}`) }).click();
  }

  get saveButton() {
    return this.page.getByRole('button', { name: /^Save/ });
  }

  /** Saves with the keyboard shortcut and waits until the editor says so. */
  async save() {
    await this.page.keyboard.press('ControlOrMeta+s');
    await expect(this.page.getByText('Saved', { exact: true })).toBeVisible();
  }

  async showForm() {
    await this.page.getByRole('tab', { name: 'Form' }).click();
  }

  get json() {
    return this.page.getByLabel('Workflow definition (JSON)');
  }

  async showJson() {
    await this.page.getByRole('tab', { name: /JSON/ }).click();
    await expect(this.json).toBeVisible();
  }

  /** The JSON tab's definition, parsed. */
  async jsonDefinition(): Promise<unknown> {
    await this.showJson();
    return JSON.parse(await this.json.inputValue());
  }
}
