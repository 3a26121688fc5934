/**
 * Generated patterns — nested and overlapping repetition, alternation, bounded repeats, the shapes
 * behind catastrophic backtracking — against generated and adversarial text. Every compilation
 * either succeeds or names its problem, and every match completes: the worst time on 64 KiB of
 * text is printed (not asserted; the machine is shared). On short text, where V8's backtracking is
 * still cheap, RE2 answers as RegExp#test would.
 */

import { compileRegex, MAX_REGEX_TEXT } from '@automateos/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const atom = fc.constantFrom('a', 'b', 'ab', '.', '[ab]', '[^b]', '\\d', '\\w', '1', '(?:a|a)', '(?:a|ab)');
const quantifier = fc.constantFrom('', '*', '+', '?', '{2}', '{1,3}', '{0,20}', '{1,60}', '*?', '+?');

const pattern: fc.Arbitrary<string> = fc
  .letrec<{ node: string }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(atom, quantifier).map(([a, q]) => a + q),
      fc
        .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 4 }), quantifier)
        .map(([parts, q]) => `(?:${parts.join('')})${q}`),
      fc
        .tuple(fc.array(tie('node'), { minLength: 2, maxLength: 3 }), quantifier)
        .map(([parts, q]) => `(${parts.join('|')})${q}`),
    ),
  }))
  .node.map((body) => body);

const anchored = fc
  .tuple(fc.boolean(), pattern, fc.boolean())
  .map(([start, body, end]) => `${start ? '^' : ''}${body}${end ? '$' : ''}`);

const smallQuantifier = fc.constantFrom('', '*', '+', '?', '{2}', '{1,3}', '*?', '+?');
/** Patterns V8 can still check against: two levels of grouping, small repeats. */
const comparable: fc.Arbitrary<string> = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.oneof(
        fc.tuple(atom, smallQuantifier).map(([a, q]) => a + q),
        fc
          .tuple(fc.array(fc.tuple(atom, smallQuantifier), { minLength: 2, maxLength: 3 }), smallQuantifier)
          .map(([parts, q]) => `(${parts.map(([a, aq]) => a + aq).join('|')})${q}`),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.boolean(),
  )
  .map(([start, parts, end]) => `${start ? '^' : ''}${parts.join('')}${end ? '$' : ''}`);

/** Text that keeps many alternatives alive and then fails at the very end. */
const adversarial = fc
  .tuple(fc.constantFrom('a', 'ab', '1', 'a1', 'aab'), fc.constantFrom('!', 'b', '', '\n'))
  .map(
    ([unit, tail]) =>
      unit.repeat(Math.ceil(MAX_REGEX_TEXT / unit.length)).slice(0, MAX_REGEX_TEXT - 1) + tail,
  );

describe('matchesRegex engine (RE2), generated patterns', () => {
  it('compiles or names the problem, and matches 64 KiB of hostile text to completion', () => {
    let worstMs = 0;
    let worstPattern = '';
    let compiled = 0;
    let refused = 0;
    fc.assert(
      fc.property(anchored, adversarial, fc.boolean(), (source, text, caseSensitive) => {
        const result = compileRegex(source, caseSensitive);
        if (!result.ok) {
          refused += 1;
          expect(result.problem).toMatch(/\S/);
          return;
        }
        compiled += 1;
        const started = performance.now();
        expect(typeof result.regex.test(text)).toBe('boolean');
        const ms = performance.now() - started;
        if (ms > worstMs) {
          worstMs = ms;
          worstPattern = source;
        }
      }),
      { numRuns: 300 },
    );
    console.log(
      `REGEX property: ${compiled} compiled, ${refused} refused; worst match on ${MAX_REGEX_TEXT} characters ` +
        `${worstMs.toFixed(1)} ms for ${worstPattern}`,
    );
  });

  it('agrees with RegExp#test on short text', () => {
    // Small repeats and at most 6 characters: V8's backtracking must stay cheap here too, or the
    // reference itself hangs (a generated `((a|a){0,20}){1,60}` on 10 characters never returns).
    fc.assert(
      fc.property(comparable, fc.stringMatching(/^[ab1]{0,6}$/), (source, text) => {
        const result = compileRegex(source);
        if (!result.ok) return;
        expect(result.regex.test(text)).toBe(new RegExp(source).test(text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('matchesRegex engine (RE2), known catastrophic shapes', () => {
  it.each([
    '(a|a)*$',
    '^(a+){1,60}$',
    '\\d+\\d+\\d+\\d+x',
    '^(a+)+$',
    '^(\\w+\\s?)*$',
    '((a|aa)+)+b',
    '(.*a){20}$',
    '^(a|a?)+$',
  ])('%s runs, linear in the text', (source) => {
    const result = compileRegex(source);
    if (!result.ok) throw new Error(result.problem);
    const text = `${'a'.repeat(MAX_REGEX_TEXT - 1)}!`;
    const started = performance.now();
    result.regex.test(text);
    console.log(
      `REGEX ${source}: ${(performance.now() - started).toFixed(1)} ms on ${text.length} characters`,
    );
  });
});
