import { describe, expect, it } from 'vitest';
import {
  compilePattern,
  evaluateCondition,
  FILTER_OPERATORS,
  FilterConditionError,
  type FilterOperator,
  MAX_REGEX_LENGTH,
  MAX_REGEX_TEXT,
  regexText,
} from './filter-conditions';

type Case = [left: unknown, right: unknown, expected: boolean];

const check = (op: FilterOperator, cases: Case[], caseSensitive?: boolean) => {
  for (const [left, right, expected] of cases) {
    const condition = caseSensitive === undefined ? { left, op, right } : { left, op, right, caseSensitive };
    expect({ left, op, right, caseSensitive, result: evaluateCondition(condition) }).toEqual({
      left,
      op,
      right,
      caseSensitive,
      result: expected,
    });
  }
};

describe('equals / notEquals', () => {
  it('1. missing equals only missing', () => {
    check('equals', [
      [undefined, undefined, true],
      [null, undefined, true],
      [null, null, true],
      [undefined, '', false],
      ['', undefined, false],
      [null, 'null', false],
      [undefined, 0, false],
      [null, false, false],
    ]);
  });

  it('2. compares numbers and numeric strings as numbers', () => {
    check('equals', [
      ['10', 10.0, true],
      [10, '10.0', true],
      [' 10 ', '10', true],
      ['1e3', 1000, true],
      ['-2.5', -2.5, true],
      [0, '-0', true],
      [0.1 + 0.2, 0.3, false],
      ['10', 11, false],
    ]);
  });

  it('2. keeps identifiers that only look numeric as text', () => {
    check('equals', [
      ['01234', '1234', false], // leading zero: a zip code, not a number
      ['007', 7, false],
      ['12345678901234567890', '12345678901234567891', false], // too long to be exact as a number
      ['12345678901234567890', '12345678901234567890', true],
      ['0x10', 16, false],
      ['Infinity', Number.POSITIVE_INFINITY, true], // neither numeric: text "Infinity" = "Infinity"
      ['', 0, false],
      [' ', 0, false],
    ]);
  });

  it('3. compares a boolean with a boolean-like value as booleans', () => {
    check('equals', [
      [true, 'true', true],
      [true, 'TRUE', true],
      [' false ', false, true],
      [false, 'true', false],
      [true, true, true],
      [true, 1, false], // 1 is not boolean-like: text "true" vs "1"
      [false, 0, false],
      [false, '', false],
      ['true', 'TRUE', false], // two strings compare as text
    ]);
  });

  it('4. compares two ISO dates as instants', () => {
    check('equals', [
      ['2024-01-01', '2024-01-01T00:00:00Z', true],
      ['2024-01-01T10:00:00+02:00', '2024-01-01T08:00:00.000Z', true],
      ['2024-01-01T08:00', '2024-01-01T08:00:00Z', true], // no zone = UTC
      ['2024-01-01', '2024-01-02', false],
      ['2024-02-30', '2024-03-01', false], // not a real day: text comparison
    ]);
  });

  it('5. compares arrays and objects structurally, parsing JSON text on the other side', () => {
    check('equals', [
      [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
      [{ a: 1 }, { a: '1' }, true],
      [{ a: 1 }, { a: 1, b: 2 }, false],
      [[1, 2], [2, 1], false],
      [['a', 'b'], '["a", "b"]', true],
      [{ plan: 'pro' }, '{"plan":"pro"}', true],
      [{ plan: 'pro' }, '{"plan":"free"}', false],
      [{ a: 1 }, '[object Object]', false],
      [['a'], 'a', false],
      [[], '', false],
      [{ a: null }, { a: undefined }, true],
      [{ name: 'Ann' }, { name: 'ann' }, false],
    ]);
    check('equals', [[{ name: 'Ann' }, { name: 'ann' }, true]], false);
  });

  it('6. otherwise compares text forms, case-sensitive unless told otherwise', () => {
    check('equals', [
      ['pro', 'pro', true],
      ['Pro', 'pro', false],
      [5, '5', true],
      ['abc', 'abc ', false],
      ['true', true, true],
    ]);
    check(
      'equals',
      [
        ['Pro', 'pro', true],
        ['ÄBC', 'äbc', true],
        ['pro', 'free', false],
      ],
      false,
    );
  });

  it('notEquals is the exact negation', () => {
    check('notEquals', [
      ['10', 10, false],
      ['pro', 'free', true],
      [undefined, 'a', true],
      [undefined, null, false],
      [{ a: 1 }, { a: 1 }, false],
    ]);
    check('notEquals', [['Pro', 'pro', false]], false);
  });
});

describe('contains / notContains', () => {
  it('finds a substring in the text form of a scalar', () => {
    check('contains', [
      ['hello world', 'o w', true],
      ['hello', 'HELLO', false],
      ['order 42', 42, true],
      [12345, '234', true],
      [true, 'ru', true],
      ['abc', '', true],
      ['abc', 'abcd', false],
    ]);
    check('contains', [['hello', 'HELLO', true]], false);
  });

  it('finds an element of an array by the equals rule', () => {
    check('contains', [
      [['a', 'b'], 'b', true],
      [[1, 2, 3], '2', true],
      [['10'], 10.0, true],
      [[{ id: 1 }], { id: 1 }, true],
      [['ab'], 'a', false], // elements are matched whole, not as substrings
      [['A'], 'a', false],
      [[], 'a', false],
      [[null], null, false], // a missing right never matches
    ]);
    check('contains', [[['A'], 'a', true]], false);
  });

  it('looks for a key of an object', () => {
    check('contains', [
      [{ plan: 'pro' }, 'plan', true],
      [{ plan: 'pro' }, 'pro', false],
      [{ Plan: 1 }, 'plan', false],
    ]);
    check('contains', [[{ Plan: 1 }, 'plan', true]], false);
  });

  it('is false when either side is missing', () => {
    check('contains', [
      [undefined, 'a', false],
      [null, 'a', false],
      ['abc', undefined, false],
      ['null', null, false],
    ]);
  });

  it('notContains is the exact negation', () => {
    check('notContains', [
      ['hello', 'x', true],
      ['hello', 'ell', false],
      [['a'], 'a', false],
      [undefined, 'a', true],
    ]);
  });
});

describe('startsWith / endsWith', () => {
  it('compares text forms of scalars', () => {
    check('startsWith', [
      ['ord_123', 'ord_', true],
      ['ORD_123', 'ord_', false],
      [12345, 12, true],
      [12345, '45', false],
      ['abc', '', true],
    ]);
    check('startsWith', [['ORD_123', 'ord_', true]], false);
    check('endsWith', [
      ['report.pdf', '.pdf', true],
      ['report.PDF', '.pdf', false],
      [true, 'ue', true],
      [12.5, '.5', true],
    ]);
    check('endsWith', [['report.PDF', '.pdf', true]], false);
  });

  it('is false for missing values, arrays and objects', () => {
    for (const op of ['startsWith', 'endsWith'] as const) {
      check(op, [
        [undefined, 'a', false],
        [null, '', false],
        ['abc', undefined, false],
        [['abc'], 'a', false],
        [{ a: 1 }, '{', false],
        ['[1]', ['1'], false],
      ]);
    }
  });
});

describe('gt / gte / lt / lte', () => {
  it('compares numbers and numeric strings as numbers', () => {
    check('gt', [
      ['10', '9', true],
      [10, '9.5', true],
      ['9', 10, false],
      [5, 5, false],
      ['-1', -2, true],
    ]);
    check('gte', [
      [5, '5.0', true],
      [4.99, 5, false],
    ]);
    check('lt', [
      ['9', '10', true],
      [10, 10, false],
    ]);
    check('lte', [
      ['10', 10, true],
      [11, '10', false],
    ]);
  });

  it('compares ISO dates as instants when both sides are dates', () => {
    check('gt', [
      ['2024-03-01', '2024-02-29', true],
      ['2024-01-01T00:00:01Z', '2024-01-01', true],
      ['2024-01-01T01:00:00+02:00', '2024-01-01T00:00:00Z', false],
    ]);
    check('gte', [['2024-01-01T00:00:00Z', '2024-01-01', true]]);
    check('lt', [['2023-12-31T23:59:59Z', '2024-01-01', true]]);
    check('lte', [['2024-01-01', '2024-01-01T00:00:00.000Z', true]]);
  });

  it('never compares text lexicographically and is false for mixed or missing values', () => {
    for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
      check(op, [
        ['b', 'a', false],
        ['a', 'b', false],
        ['abc', 'abc', false],
        ['2024-01-01', 20240101, false],
        [undefined, 1, false],
        [1, null, false],
        [true, false, false],
        [[2], [1], false],
        ['01', '1', false],
        ['2024-02-30', '2024-01-01', false],
      ]);
    }
  });
});

describe('exists / notExists', () => {
  it('treats only undefined and null as missing', () => {
    check('exists', [
      [undefined, undefined, false],
      [null, undefined, false],
      ['', undefined, true],
      [0, undefined, true],
      [false, undefined, true],
      [[], undefined, true],
      [{}, undefined, true],
    ]);
    check('notExists', [
      [undefined, undefined, true],
      [null, undefined, true],
      ['', undefined, false],
      [false, undefined, false],
    ]);
  });
});

describe('isEmpty / isNotEmpty', () => {
  it('treats missing, "", [] and {} as empty, nothing else', () => {
    check('isEmpty', [
      [undefined, undefined, true],
      [null, undefined, true],
      ['', undefined, true],
      [[], undefined, true],
      [{}, undefined, true],
      [' ', undefined, false],
      [0, undefined, false],
      [false, undefined, false],
      [[null], undefined, false],
      [{ a: undefined }, undefined, false],
      ['[]', undefined, false],
    ]);
    check('isNotEmpty', [
      [undefined, undefined, false],
      ['', undefined, false],
      [{}, undefined, false],
      ['x', undefined, true],
      [0, undefined, true],
      [[0], undefined, true],
    ]);
  });
});

describe('isTrue / isFalse', () => {
  it('accepts booleans and "true"/"false" text in any case; missing is neither', () => {
    check('isTrue', [
      [true, undefined, true],
      ['true', undefined, true],
      [' TRUE ', undefined, true],
      ['True', undefined, true],
      [false, undefined, false],
      [1, undefined, false],
      ['yes', undefined, false],
      ['1', undefined, false],
      [undefined, undefined, false],
      [null, undefined, false],
      [[true], undefined, false],
    ]);
    check('isFalse', [
      [false, undefined, true],
      ['false', undefined, true],
      ['FALSE', undefined, true],
      [true, undefined, false],
      [0, undefined, false],
      ['', undefined, false],
      [undefined, undefined, false],
      [null, undefined, false],
    ]);
  });
});

describe('matchesRegex', () => {
  it('tests the text form of left against a plain or literal pattern', () => {
    check('matchesRegex', [
      ['ord_123', '^ord_\\d+$', true],
      ['ORD_123', '^ord_\\d+$', false],
      ['ORD_123', '/^ord_\\d+$/i', true],
      ['line1\nline2', '/^line2$/m', true],
      [12345, '^\\d{5}$', true],
      [true, '^tr', true],
      [{ a: 1 }, '"a":1', true],
      ['a/b', 'a/b', true], // not a literal: no leading slash
      ['x', '/x/gy', true], // g and y dropped
      [undefined, '.*', false],
      [null, '^$', false],
      ['', '^$', true],
    ]);
    check('matchesRegex', [['ORD_123', '^ord_\\d+$', true]], false);
  });

  it('gives the same answer when called repeatedly (no stateful g flag)', () => {
    const condition = { left: 'aaa', op: 'matchesRegex' as const, right: '/a/g' };
    expect([1, 2, 3].map(() => evaluateCondition(condition))).toEqual([true, true, true]);
  });

  it.each([
    ['(', /Not a valid regular expression: missing closing \)/],
    ['/x/q', /Unknown regex flag "q"/],
    ['a'.repeat(MAX_REGEX_LENGTH + 1), /the limit is 500/],
    ['(a)\\1', /Backreferences such as \\1 or \\k<name> are not supported/],
    ['(?<w>\\w+) \\k<w>', /Backreferences/],
    ['a(?=b)', /Lookahead and lookbehind/],
    ['(?<!a)b', /Lookahead and lookbehind/],
    ['a{1001}', /invalid repeat count/],
    ['(?:a{0,999}){0,999}', /too complex/],
  ])('refuses the pattern %s with a FilterConditionError', (pattern, message) => {
    expect(() => evaluateCondition({ left: 'aaaa', op: 'matchesRegex', right: pattern })).toThrow(
      FilterConditionError,
    );
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it('refuses a pattern that is not text, even when left is missing', () => {
    for (const right of [undefined, null, { a: 1 }, ['x']]) {
      expect(() => evaluateCondition({ left: 'x', op: 'matchesRegex', right })).toThrow(/needs a pattern/);
    }
    expect(() => evaluateCondition({ left: undefined, op: 'matchesRegex', right: '(' })).toThrow(
      FilterConditionError,
    );
  });

  it('accepts nested and overlapping repetition, which RE2 runs in linear time', () => {
    for (const pattern of [
      '^(\\d{1,3}\\.){3}\\d{1,3}$',
      '(a+)+$',
      '(\\d+\\.)+',
      '(a|a)*',
      '(?<word>\\w+) \\d',
      '^\\p{L}+$',
      '[\\k]',
      '\\(a+\\)+',
      '\\u0041\\x42',
      'a'.repeat(MAX_REGEX_LENGTH),
    ]) {
      expect(() => compilePattern(pattern)).not.toThrow();
    }
    expect(
      evaluateCondition({ left: '10.0.0.1', op: 'matchesRegex', right: '^(\\d{1,3}\\.){3}\\d{1,3}$' }),
    ).toBe(true);
    expect(evaluateCondition({ left: 'AB', op: 'matchesRegex', right: '\\u0041\\x42' })).toBe(true);
    expect(evaluateCondition({ left: 'Ωmega', op: 'matchesRegex', right: '^\\p{L}+$' })).toBe(true);
  });

  it('tests at most the first 64 KiB of the text and says so', () => {
    const long = `${'a'.repeat(MAX_REGEX_TEXT)}tail`;
    expect(regexText(long)).toEqual({ text: 'a'.repeat(MAX_REGEX_TEXT), cutFrom: MAX_REGEX_TEXT + 4 });
    expect(regexText('short')).toEqual({ text: 'short' });
    expect(evaluateCondition({ left: long, op: 'matchesRegex', right: 'tail' })).toBe(false);
    expect(evaluateCondition({ left: long, op: 'matchesRegex', right: '^a+$' })).toBe(true);
  });

  it('answers at once on text built to make a backtracking engine explode', () => {
    const hostile = `${'a'.repeat(MAX_REGEX_TEXT - 1)}!`;
    for (const pattern of ['^(a+)+$', '^(a|a)*$', '^(a+){1,60}$', '\\d+\\d+\\d+\\d+x']) {
      expect(evaluateCondition({ left: hostile, op: 'matchesRegex', right: pattern })).toBe(false);
    }
  });
});

describe('structural comparison', () => {
  it('is bounded in depth, with a message instead of a stack overflow', () => {
    let deep: unknown = 1;
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(() => evaluateCondition({ left: deep, op: 'equals', right: deep })).toThrow(
      /nested deeper than 400 levels/,
    );
  });
});

describe('evaluateCondition', () => {
  it('handles every operator', () => {
    for (const op of FILTER_OPERATORS) {
      expect(typeof evaluateCondition({ left: 'x', op, right: 'x' })).toBe('boolean');
    }
  });

  it('refuses an unknown operator (conditions arrive as JSON)', () => {
    const op = 'like' as FilterOperator;
    expect(() => evaluateCondition({ left: 'a', op, right: 'a' })).toThrow(/Unknown filter operator "like"/);
  });

  it('defaults to case-sensitive', () => {
    expect(evaluateCondition({ left: 'A', op: 'equals', right: 'a' })).toBe(false);
    expect(evaluateCondition({ left: 'A', op: 'equals', right: 'a', caseSensitive: true })).toBe(false);
    expect(evaluateCondition({ left: 'A', op: 'equals', right: 'a', caseSensitive: false })).toBe(true);
  });
});
