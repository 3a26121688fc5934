import { describe, expect, it } from 'vitest';
import { describeJsonError, parseJson, toJsonText } from './json-text';

function errorOf(text: string) {
  const result = parseJson(text);
  if (result.ok) throw new Error(`expected ${text} to be invalid`);
  return result.error;
}

describe('parseJson', () => {
  it('parses valid JSON', () => {
    expect(parseJson('{"a": [1, "two", null, true]}')).toEqual({
      ok: true,
      value: { a: [1, 'two', null, true] },
    });
  });

  it('points at a missing comma with its line and column', () => {
    const error = errorOf('{\n  "a": 1\n  "b": 2\n}');
    expect(error).toMatchObject({ line: 3, column: 3 });
    expect(error.message).toContain('expected "," or "}"');
    expect(describeJsonError(error)).toMatch(/^Line 3, column 3: /);
  });

  it('names a trailing comma and points at it', () => {
    expect(errorOf('{\n  "a": 1,\n}')).toMatchObject({
      line: 2,
      column: 9,
      message: expect.stringMatching(/Trailing comma/),
    });
    expect(errorOf('[1, 2,]')).toMatchObject({ line: 1, column: 6 });
  });

  it('explains single quotes, unquoted names, unterminated strings and the end of the text', () => {
    expect(errorOf("{'a': 1}").message).toMatch(/property name in double quotes/);
    expect(errorOf('["a\'s]').message).toMatch(/Unterminated string|Line break/);
    expect(errorOf('{"a": 1').message).toMatch(/missing its closing }/);
    expect(errorOf('').message).toMatch(/empty/);
    expect(errorOf('{"a": 1} x')).toMatchObject({ column: 10 });
    expect(errorOf('{"a": tru}').message).toMatch(/expected a value/);
  });

  it('round-trips what toJsonText writes', () => {
    const value = { steps: [{ id: 'a', config: { headers: { 'X-Source': 'automateos' } } }] };
    expect(parseJson(toJsonText(value))).toEqual({ ok: true, value });
  });
});
