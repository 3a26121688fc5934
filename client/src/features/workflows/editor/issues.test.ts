import { exampleDefinition } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { fieldKey } from './field-path';
import { fieldFor, indexIssues, serverIssues, validateDraft } from './issues';

const example = exampleDefinition();

interface StepJson {
  id: string;
  type: string;
  config: Record<string, unknown>;
}
type DefinitionJson = Record<string, unknown> & { steps: StepJson[] };

/** A copy of the example, changed by `change`; `step(i)` reaches into it without type ceremony. */
function edit(change: (definition: DefinitionJson, step: (index: number) => StepJson) => void) {
  const definition = structuredClone(example) as DefinitionJson;
  change(definition, (index) => {
    const found = definition.steps[index];
    if (!found) throw new Error(`no step ${index}`);
    return found;
  });
  return definition;
}
const draft = (definition: unknown, name = 'Billing') => ({ name, description: '', definition });

/** Where each problem of a draft shows, as `field key → messages`. */
function placed(definition: unknown, name?: string) {
  return Object.fromEntries(indexIssues(validateDraft(draft(definition, name))));
}
const at = (...path: (string | number)[]) => fieldKey(path);

describe('validateDraft', () => {
  it('finds nothing wrong with DESIGN.md’s example', () => {
    expect(validateDraft(draft(example))).toEqual([]);
  });

  it('puts step config problems on their inputs', () => {
    const definition = edit((_, step) => {
      step(0).config.url = 'ftp://example.com';
      step(1).config.conditions = [{ left: '', op: 'equals', right: 'pro' }];
    });
    expect(placed(definition)).toEqual({
      [at('definition', 'steps', 0, 'config', 'url')]: [
        'URL must start with http:// or https://; "ftp:" URLs are not allowed',
      ],
      [at('definition', 'steps', 1, 'config', 'conditions', 0, 'left')]: [
        'Choose the value to test, e.g. {{ trigger.body.plan }}',
      ],
    });
  });

  it('puts a bad header on its row, named by the header', () => {
    const definition = edit((_, step) => {
      step(0).config.headers = { 'X Bad': 'x' };
    });
    expect(Object.keys(placed(definition))).toEqual([
      at('definition', 'steps', 0, 'config', 'headers', 'X Bad'),
    ]);
  });

  it('puts an expression problem inside a JSON body on the body editor', () => {
    const definition = edit((_, step) => {
      step(0).config.body = { type: 'json', value: { user: '{{ steps.only-pro.passed }}' } };
    });
    const issues = validateDraft(draft(definition));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: ['definition', 'steps', 0, 'config', 'body', 'value', 'user'],
      field: at('definition', 'steps', 0, 'config', 'body', 'value'),
      where: 'Step 1 · body.value.user',
    });
    expect(issues[0]?.message).toMatch(/not an earlier step/);
  });

  it('sends what the form has no input for to the step card, and the rest to the workflow', () => {
    const definition = edit((d, step) => {
      step(0).config.verbose = true;
      d.schemaVersion = 2;
    });
    const issues = validateDraft(draft(definition));
    expect(issues.map((issue) => [issue.where, issue.field])).toEqual([
      ['Definition · schemaVersion', at('definition')],
      ['Step 1 · verbose', at('definition', 'steps', 0)],
    ]);
  });

  it('sends an unknown step type to its card, and checks name and description', () => {
    const definition = edit((_, step) => {
      step(1).type = 'sms';
    });
    const byField = placed(definition, '  ');
    expect(Object.keys(byField)).toEqual([at('name'), at('definition', 'steps', 1)]);
    expect(byField[at('name')]).toEqual(['Name is required']);
  });

  it('puts a duplicate step id on the id input', () => {
    const definition = edit((_, step) => {
      step(1).id = 'notify';
    });
    expect(Object.keys(placed(definition))).toEqual([at('definition', 'steps', 1, 'id')]);
  });
});

describe('fieldFor', () => {
  const form = edit((_, step) => {
    step(0).config.body = { type: 'form', value: { plan: 'pro' } };
  });

  it('maps every input of the forms to itself', () => {
    const inputs = [
      ['name'],
      ['definition', 'trigger', 'config', 'method'],
      ['definition', 'steps', 0, 'id'],
      ['definition', 'steps', 0, 'config', 'retry', 'delayMs'],
      ['definition', 'steps', 0, 'config', 'body', 'value', 'plan'],
      ['definition', 'steps', 1, 'config', 'conditions', 0, 'right'],
      ['definition', 'steps', 1, 'config', 'match'],
    ];
    for (const path of inputs) expect(fieldFor(path, form)).toEqual(path);
  });

  it('maps what is below an input, or has no input, to the nearest thing the form shows', () => {
    expect(fieldFor(['definition', 'trigger', 'type'], form)).toEqual(['definition', 'trigger']);
    expect(fieldFor(['definition', 'steps'], form)).toEqual(['definition', 'steps']);
    expect(fieldFor(['definition', 'steps', 0, 'config', 'retry', 'jitter'], form)).toEqual([
      'definition',
      'steps',
      0,
      'config',
      'retry',
    ]);
    expect(fieldFor(['definition', 'steps', 1, 'config', 'conditions', 0], form)).toEqual([
      'definition',
      'steps',
      1,
      'config',
      'conditions',
      0,
    ]);
    expect(fieldFor(['definition', 'steps', 7, 'config', 'url'], form)).toEqual(['definition', 'steps', 7]);
    expect(fieldFor([], form)).toEqual([]);
  });
});

describe('serverIssues', () => {
  it('reads the all-string paths of a BAD_REQUEST back onto the same fields', () => {
    const issues = serverIssues(
      [
        {
          path: ['definition', 'steps', '1', 'config', 'conditions', '0', 'op'],
          message: 'Operator must be…',
        },
        { path: ['definition', 'steps', '0', 'config', 'headers', '0'], message: 'Header "0"' },
        { path: ['name'], message: 'Name is required' },
      ],
      edit((_, step) => {
        step(0).config.headers = { '0': 'zero' };
      }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      ['definition', 'steps', 1, 'config', 'conditions', 0, 'op'],
      // A header named "0" is an object key, not an array index.
      ['definition', 'steps', 0, 'config', 'headers', '0'],
      ['name'],
    ]);
    expect(issues[0]?.field).toBe(at('definition', 'steps', 1, 'config', 'conditions', 0, 'op'));
    expect(issues[0]?.where).toBe('Step 2 · conditions[0].op');
  });
});
