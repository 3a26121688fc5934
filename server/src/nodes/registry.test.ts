/** The step registry: each type's config reaches its own node, and the compiler keeps them apart. */
import { type StepSpecOf, type StepType, stepTypes, workflowDefinitionSchema } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { publicApis } from '../../test/fixtures';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { filterNode } from './filter';
import { httpNode } from './http';
import { resolveStep, runStep, stepNodes } from './registry';
import type { StepNode } from './types';

// @ts-expect-error the Filter's node does not fit the HTTP type's slot: the registry is checked per type
const mixedUp: { [Type in StepType]: StepNode<StepSpecOf<Type>> } = { http: filterNode, filter: filterNode };

describe('step registry', () => {
  it('has one node per step type, each built from that type’s spec', () => {
    expect(Object.keys(stepNodes)).toEqual(Object.keys(stepTypes));
    for (const [type, node] of Object.entries(stepNodes)) expect(node.spec.type).toBe(type);
    expect(mixedUp.http.spec.type).toBe('filter');
  });

  it('resolves and runs each step with its own node', async () => {
    const { steps } = workflowDefinitionSchema.parse({
      schemaVersion: 1,
      trigger: { type: 'webhook' },
      steps: [
        {
          id: 'check',
          name: 'Check',
          type: 'filter',
          config: { conditions: [{ left: '{{ trigger.body.plan }}', op: 'equals', right: 'pro' }] },
        },
        {
          id: 'call',
          name: 'Call',
          type: 'http',
          config: { url: 'http://127.0.0.1:9/{{ trigger.body.plan }}' },
        },
      ],
    });
    const scope = { trigger: { body: { plan: 'free' } }, steps: {} };
    const [check, call] = steps;
    if (!check || !call) throw new Error('two steps');
    const filter = resolveStep(check, scope);
    expect(filter.input).toEqual({
      match: 'all',
      conditions: [{ left: 'free', op: 'equals', right: 'pro', caseSensitive: true }],
    });
    const http = createOutboundHttp({ policy: createAddressPolicy('') });
    const ctx = {
      signal: new AbortController().signal,
      http,
      log: { info: () => {}, warn: () => {} },
      apis: publicApis,
      credential: undefined,
    };
    expect(await runStep(check, filter.input, ctx)).toMatchObject({
      kind: 'stop',
      output: { passed: false },
    });
    expect(resolveStep(call, scope).input).toMatchObject({ url: 'http://127.0.0.1:9/free' });
    // An input that is not this type's: refused before the node runs.
    await expect(runStep(call, filter.input, ctx)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await http.close();
    expect(httpNode.spec).toBe(stepTypes.http);
  });
});
