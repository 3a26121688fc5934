import { describe, expect, it } from 'vitest';
import { fieldsOf } from './webhook-body';

describe('fieldsOf', () => {
  it('keeps every value of a name repeated many times, in order', () => {
    const fields = fieldsOf(
      new URLSearchParams(Array.from({ length: 20_000 }, (_, i) => `a=${i}&b=x`).join('&')),
    );
    expect(fields.a).toHaveLength(20_000);
    expect((fields.a as string[]).at(-1)).toBe('19999');
    expect(fields.b).toHaveLength(20_000);
  });

  it('keeps a single value as text and names like __proto__ as data', () => {
    const fields = fieldsOf(new URLSearchParams('one=1&__proto__=p&two=2&two=3'));
    expect(Object.entries(fields)).toEqual([
      ['one', '1'],
      ['__proto__', 'p'],
      ['two', ['2', '3']],
    ]);
  });
});
