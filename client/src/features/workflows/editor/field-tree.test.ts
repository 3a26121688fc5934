import { lookupPath, parseTemplate } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { noSamples } from './field-samples';
import { childPath, childrenOf, type FieldNode, fieldTree, MAX_CHILDREN, previewOf } from './field-tree';

/** Every path under `node`, as the picker would offer them when each row is opened. */
function allPaths(node: FieldNode): FieldNode[] {
  return [node, ...childrenOf(node).children.flatMap(allPaths)];
}

describe('the field tree', () => {
  it('writes paths the expression parser reads back to the same value, whatever the keys', () => {
    const body = {
      user: { id: 'u_1', 'x-plan': 'pro', 'first name': 'Ada', 'quote"s': 1, 'back\\slash': 2, '10': 'ten' },
      items: [{ sku: 'a' }, { sku: 'b' }],
    };
    const root: FieldNode = { label: 'body', path: 'trigger.body', sample: { value: body } };
    const scope = { trigger: { body }, steps: {} };
    const nodes = allPaths(root);
    expect(nodes.map((node) => node.path)).toContain('trigger.body.user["first name"]');
    expect(nodes.map((node) => node.path)).toContain('trigger.body.items[1].sku');
    for (const node of nodes) {
      const parsed = parseTemplate(`{{ ${node.path} }}`);
      if (!parsed.ok || parsed.segments[0]?.kind !== 'expression')
        throw new Error(`not parsed: ${node.path}`);
      expect(lookupPath(scope, parsed.segments[0].path)).toEqual({ found: true, value: node.sample?.value });
    }
  });

  it('shows a bounded number of children at a time', () => {
    const many = Array.from({ length: MAX_CHILDREN + 7 }, (_, index) => index);
    const { children, more } = childrenOf({ label: 'list', path: 'trigger.body', sample: { value: many } });
    expect(children).toHaveLength(MAX_CHILDREN);
    expect(more).toBe(7);
    expect(childPath('steps.a', 'b c')).toBe('steps.a["b c"]');
  });

  it('offers the trigger fields and each earlier step, from samples where there are some', () => {
    const scope = {
      triggerType: 'webhook',
      steps: [
        { id: 'notify', type: 'http' },
        { id: 'check', type: 'filter' },
      ],
    };
    const plain = fieldTree(scope, noSamples);
    expect(plain.trigger.map((node) => node.path)).toEqual([
      'trigger.body',
      'trigger.query',
      'trigger.headers',
      'trigger.method',
    ]);
    // Without data, a step offers its type's described output fields.
    expect(childrenOf(plain.steps[0] as FieldNode).children.map((node) => node.path)).toEqual([
      'steps.notify.status',
      'steps.notify.headers',
      'steps.notify.body',
    ]);

    const withData = fieldTree(scope, {
      trigger: {
        fields: { body: { plan: 'pro' }, query: {}, headers: {}, method: 'POST' },
        source: 'the last execution',
      },
      steps: new Map([
        ['notify', { stepId: 'notify', executionId: 'e', createdAt: new Date(), output: { status: 201 } }],
        ['check', { stepId: 'check', executionId: 'e', createdAt: new Date(), tooLarge: true as const }],
      ]),
    });
    expect(withData.trigger[0]?.sample).toEqual({ value: { plan: 'pro' } });
    expect(childrenOf(withData.steps[0] as FieldNode).children).toEqual([
      { label: 'status', path: 'steps.notify.status', sample: { value: 201 } },
    ]);
    expect(withData.steps[1]?.note).toMatch(/too large/);
  });

  it('previews values in a few characters', () => {
    expect(previewOf({ a: 1, b: 2 })).toBe('{2 keys}');
    expect(previewOf([1])).toBe('[1 item]');
    expect(previewOf('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(previewOf(null)).toBe('null');
  });
});
