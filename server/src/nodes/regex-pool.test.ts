import { compileRegex, MAX_REGEX_TEXT } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { INLINE_REGEX_TEXT, testRegex } from './regex-pool';

const compiled = (pattern: string) => {
  const result = compileRegex(pattern);
  if (!result.ok) throw new Error(result.problem);
  return result.regex;
};

describe('testRegex', () => {
  it('answers like the pattern itself, inline for short text and on the thread for long text', async () => {
    const long = `${'xy'.repeat(MAX_REGEX_TEXT / 2 - 1)}z!`;
    expect(long.length).toBeGreaterThan(INLINE_REGEX_TEXT);
    const cases: [string, string, boolean][] = [
      ['^(x|xy)*z!$', long, true],
      ['^(x|xy)*$', long, false],
      ['(?i)Z!$', long, true],
      ['^ord_\\d+$', 'ord_42', true],
      ['^ord_\\d+$', 'ord_x', false],
    ];
    const answers = await Promise.all(cases.map(([pattern, text]) => testRegex(compiled(pattern), text)));
    expect(answers).toEqual(cases.map(([, , expected]) => expected));
  });

  it('keeps the event loop free while long texts are matched', async () => {
    const regex = compiled('(?s)^.{0,300}x.{0,300}y.{0,300}$');
    const text = 'xyxxy0123x'.repeat(MAX_REGEX_TEXT / 10);
    let worstLag = 0;
    let ticking = true;
    const ticker = (async () => {
      while (ticking) {
        const before = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 1));
        worstLag = Math.max(worstLag, performance.now() - before);
      }
    })();
    const started = performance.now();
    await Promise.all(Array.from({ length: 40 }, () => testRegex(regex, text)));
    const elapsed = performance.now() - started;
    ticking = false;
    await ticker;
    console.log(
      `REGEX thread: 40 tests of ${text.length} characters in ${Math.round(elapsed)} ms; worst event-loop lag ${Math.round(worstLag)} ms`,
    );
  });
});
