import { describe, expect, it } from 'vitest';
import { findExpressions } from './find';

describe('findExpressions', () => {
  it('finds expressions in strings at any depth, with their location, in document order', () => {
    const value = {
      url: 'https://x.io/{{ trigger.body.id }}',
      body: {
        type: 'json',
        value: { list: [1, '{{ steps.a.body }} and {{ trigger.method }}'], '{{ key }}': 2 },
      },
      timeoutMs: 10,
    };
    const { expressions, errors } = findExpressions(value);
    expect(errors).toEqual([]);
    expect(expressions.map(({ location, expression }) => [location, expression.source])).toEqual([
      [['url'], 'trigger.body.id'],
      [['body', 'value', 'list', 1], 'steps.a.body'],
      [['body', 'value', 'list', 1], 'trigger.method'],
    ]);
  });

  it('reports strings whose expressions do not parse', () => {
    const { expressions, errors } = findExpressions({
      headers: { a: '{{ trigger.body', b: '{{ trigger.query }}' },
    });
    expect(expressions.map((found) => found.location)).toEqual([['headers', 'b']]);
    expect(errors).toEqual([
      {
        location: ['headers', 'a'],
        error: {
          message: 'Unterminated expression: the "{{" at position 0 has no closing "}}"',
          position: 0,
        },
      },
    ]);
  });

  it('accepts any value, including a bare string and non-JSON leaves', () => {
    expect(findExpressions('{{ trigger.body }}').expressions[0]?.location).toEqual([]);
    expect(findExpressions(null)).toEqual({ expressions: [], errors: [] });
    expect(findExpressions([undefined, 1, true])).toEqual({ expressions: [], errors: [] });
  });

  it('walks deeply nested values without recursion', () => {
    let deep: unknown = '{{ trigger.body }}';
    for (let depth = 0; depth < 100_000; depth += 1) deep = [deep];
    const [found] = findExpressions(deep).expressions;
    expect(found?.location).toHaveLength(100_000);
  });
});
