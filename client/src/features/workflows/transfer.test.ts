import { emptyDefinition } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import {
  distinctName,
  exportFileName,
  nameFromFile,
  parseImportFile,
  slugify,
  toExportFile,
} from './transfer';

const definition = {
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [
    {
      id: 'only-pro',
      name: 'Only pro users',
      type: 'filter',
      config: { match: 'all', conditions: [{ left: '{{ trigger.body.plan }}', op: 'equals', right: 'pro' }] },
    },
  ],
};

describe('export', () => {
  it('writes a file that import reads back to the same workflow', () => {
    const text = toExportFile({ name: 'Billing', description: 'Pro users only', definition });
    expect(JSON.parse(text)).toEqual({
      automateos: 1,
      name: 'Billing',
      description: 'Pro users only',
      definition,
    });
    const imported = parseImportFile(text, 'billing.automateos.json');
    expect(imported).toMatchObject({
      ok: true,
      kind: 'export',
      workflow: { name: 'Billing', description: 'Pro users only' },
    });
    if (imported.ok) {
      expect(imported.workflow.definition.steps[0]).toMatchObject(definition.steps[0] as object);
    }
  });

  it("names credentials by name and type, never by id, and the import asks which of the user's each is", () => {
    const id = '5b7c1f5e-98b6-4c1a-9d2e-3f4a5b6c7d8e';
    const withCredential = {
      ...definition,
      steps: [
        {
          id: 'call',
          name: 'Call',
          type: 'http',
          config: { url: 'https://api.example.com', auth: { type: 'credential', credentialId: id } },
        },
      ],
    };
    const text = toExportFile(
      { name: 'Billing', description: '', definition: withCredential },
      (credentialId) => (credentialId === id ? { name: 'Stripe live', type: 'httpBearer' } : undefined),
    );
    expect(text).not.toContain(id);
    expect(JSON.parse(text)).toMatchObject({
      definition: { steps: [{ config: { auth: { type: 'credential', credentialId: 'Stripe live' } } }] },
      credentials: [{ name: 'Stripe live', type: 'httpBearer' }],
    });
    const imported = parseImportFile(text, 'billing.automateos.json');
    expect(imported).toMatchObject({
      ok: true,
      credentials: [
        {
          ref: 'Stripe live',
          described: { name: 'Stripe live', type: 'httpBearer' },
          types: ['httpBearer', 'httpBasic', 'httpHeader'],
          steps: [0],
        },
      ],
    });
    // Without credentials the file looks as it always did.
    expect(JSON.parse(toExportFile({ name: 'Plain', description: '', definition }))).not.toHaveProperty(
      'credentials',
    );
  });

  it('names the file after the workflow', () => {
    expect(exportFileName('Notify billing (v2)')).toBe('notify-billing-v2.automateos.json');
    expect(exportFileName('Café – Überweisung')).toBe('cafe-uberweisung.automateos.json');
    expect(exportFileName('<img src=x onerror=alert(1)>')).toBe('img-src-x-onerror-alert-1.automateos.json');
    expect(exportFileName('🚀')).toBe('workflow.automateos.json');
    expect(slugify(`${'a'.repeat(59)} b`)).toHaveLength(59);
  });
});

describe('parseImportFile', () => {
  it('takes a bare definition and names it after the file', () => {
    const result = parseImportFile(JSON.stringify(definition), 'pro-filter.json');
    expect(result).toMatchObject({ ok: true, kind: 'definition', workflow: { name: 'pro-filter' } });
  });

  it('lists every problem of an export file with its path', () => {
    const broken = {
      automateos: 1,
      name: '',
      definition: { ...definition, steps: [{ ...definition.steps[0], type: 'slack' }], extra: true },
    };
    const result = parseImportFile(JSON.stringify(broken), 'x.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.path)).toEqual([
      'name',
      'definition.steps[0].type',
      'definition.extra',
    ]);
    expect(result.problems[1]?.message).toMatch(/Unknown step type "slack"/);
  });

  it('lists a bad step id beside the other problems of the file', () => {
    const [first] = definition.steps;
    const broken = {
      automateos: 1,
      name: '',
      definition: {
        ...definition,
        steps: [
          { ...first, type: 'slack' },
          { ...first, id: 'Bad Id' },
        ],
        extra: true,
      },
    };
    const result = parseImportFile(JSON.stringify(broken), 'x.json');
    if (result.ok) throw new Error('a broken file was accepted');
    expect(result.problems.map((problem) => problem.path).sort()).toEqual([
      'definition.extra',
      'definition.steps[0].type',
      'definition.steps[1].id',
      'name',
    ]);
  });

  it('says what is wrong with a file that is not JSON, not an object, or something else', () => {
    const problem = (text: string) => {
      const result = parseImportFile(text, 'x.json');
      return result.ok ? undefined : result.problems[0]?.message;
    };
    expect(problem('{"automateos": 1,}')).toMatch(
      /^The file is not valid JSON\. Line 1, column 17: Trailing comma/,
    );
    expect(problem('[1]')).toMatch(/Expected a JSON object/);
    expect(problem('{"hello": "world"}')).toMatch(/neither an AutomateOS export file/);
    expect(problem(JSON.stringify({ automateos: 2, name: 'x', definition: emptyDefinition() }))).toMatch(
      /Not an AutomateOS export file/,
    );
  });
});

describe('distinctName', () => {
  it('keeps a free name and numbers a taken one', () => {
    expect(distinctName('Billing', ['Slack'])).toBe('Billing');
    expect(distinctName('Billing', ['Billing'])).toBe('Billing (imported)');
    expect(distinctName('Billing', ['Billing', 'Billing (imported)'])).toBe('Billing (imported 2)');
    const long = 'n'.repeat(100);
    expect(distinctName(long, [long])).toBe(`${'n'.repeat(89)} (imported)`);
  });
});

describe('nameFromFile', () => {
  it('drops the extensions', () => {
    expect(nameFromFile('billing.automateos.json')).toBe('billing');
    expect(nameFromFile('Billing.JSON')).toBe('Billing');
    expect(nameFromFile('.json')).toBe('Imported workflow');
  });
});
