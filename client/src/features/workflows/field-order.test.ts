import { describe, expect, it } from 'vitest';
import { inFieldOrder } from './field-order';

// As jsonb hands it back: keys sorted by length.
const stored = {
  steps: [
    {
      id: 'notify',
      name: 'Notify billing',
      type: 'http',
      config: {
        url: 'https://api.example.com/events',
        body: { type: 'json', value: { user: '{{ trigger.body.user.id }}', amount: 1 } },
        query: {},
        retry: { backoff: 'exponential', delayMs: 1000, attempts: 0 },
        method: 'POST',
        headers: { 'X-Source': 'automateos' },
        timeoutMs: 10000,
        failOnHttpError: true,
      },
    },
    {
      id: 'only-pro',
      name: 'Only pro',
      type: 'filter',
      config: { match: 'all', conditions: [{ op: 'equals', left: 'a', right: 'pro', caseSensitive: true }] },
    },
    { id: 'x', type: 'sms', config: { b: 1, a: 2 }, name: 'Unknown' },
  ],
  trigger: { type: 'webhook', config: { method: 'POST' } },
  schemaVersion: 1,
  extra: true,
};

const keys = (value: unknown) => Object.keys(value as object);

describe('inFieldOrder', () => {
  const result = inFieldOrder(stored) as typeof stored;

  it('orders known fields as the schema declares them, unknown ones after', () => {
    expect(keys(result)).toEqual(['schemaVersion', 'trigger', 'steps', 'extra']);
    expect(keys(result.steps[0]?.config)).toEqual([
      'method',
      'url',
      'headers',
      'query',
      'body',
      'timeoutMs',
      'retry',
      'failOnHttpError',
    ]);
    expect(keys(result.steps[0]?.config.retry)).toEqual(['attempts', 'backoff', 'delayMs']);
    expect(keys(result.steps[1]?.config.conditions?.[0])).toEqual(['left', 'op', 'right', 'caseSensitive']);
    expect(keys(result.steps[2])).toEqual(['id', 'name', 'type', 'config']);
  });

  it('changes nothing but the order, and leaves values written by the user alone', () => {
    expect(result).toEqual(stored);
    expect(keys(result.steps[0]?.config.body?.value)).toEqual(['user', 'amount']);
    expect(keys(result.steps[2]?.config)).toEqual(['b', 'a']);
    expect(inFieldOrder('not a definition')).toBe('not a definition');
  });
});
