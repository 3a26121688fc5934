/**
 * The one regex engine of `matchesRegex`: RE2 semantics (re2js, pure JavaScript), whose matching
 * time grows linearly with the text whatever the pattern. Patterns come from any account and the
 * text from any webhook caller, so a backtracking engine (V8's RegExp) would let one of them hold
 * the worker for minutes. The editor, the API and the worker all compile through `compileRegex`, so
 * a pattern that saves is exactly the pattern that runs.
 */
import { RE2JS, RE2JSException } from 're2js';

export const MAX_REGEX_LENGTH = 500;
/** Characters of text a pattern is tested against; beyond that the step log says what was cut. */
export const MAX_REGEX_TEXT = 64 * 1024;
/**
 * RE2 instructions a compiled pattern may have. Matching time is linear in the text times the
 * pattern's size, so the size is bounded too: `[\s\S]{0,2000}` is over, everyday patterns are
 * well under a hundred.
 */
export const MAX_REGEX_PROGRAM = 2_000;

export interface CompiledRegex {
  /** Like RegExp.prototype.test: true when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** The pattern in RE2's own syntax and its re2js flags: enough to compile it again elsewhere. */
  re2: { source: string; flags: number };
}

export type RegexCompilation = { ok: true; regex: CompiledRegex } | { ok: false; problem: string };

const REGEX_LITERAL = /^\/([\s\S]*)\/([a-z]*)$/;
const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always reads patterns as Unicode, and `d` (match indices) changes nothing for a test.
  u: 0,
  v: 0,
  d: 0,
};
// Dropped: they make RegExp#test stateful, which a condition must never be.
const DROPPED_FLAGS = new Set(['g', 'y']);
const RE2_NOTE = 'matchesRegex uses RE2 syntax, which guarantees matching in linear time';

/**
 * Compiles a matchesRegex pattern: plain (`^ord_\d+$`) or literal (`/^ord_\d+$/i`, flags i m s u v d;
 * g and y are ignored). `caseSensitive: false` adds `i`.
 */
export function compileRegex(pattern: string, caseSensitive = true): RegexCompilation {
  if (pattern.length > MAX_REGEX_LENGTH) {
    return problem(`The pattern is ${pattern.length} characters long; the limit is ${MAX_REGEX_LENGTH}`);
  }
  const literal = REGEX_LITERAL.exec(pattern);
  const source = literal ? (literal[1] ?? '') : pattern;
  let flags = caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE;
  for (const flag of literal?.[2] ?? '') {
    if (DROPPED_FLAGS.has(flag)) continue;
    const bit = FLAG_BITS[flag];
    if (bit === undefined) return problem(`Unknown regex flag "${flag}": allowed flags are i, m, s, u, v, d`);
    flags |= bit;
  }
  const unsupported = unsupportedSyntax(source);
  if (unsupported) return problem(unsupported);
  let compiled: RE2JS;
  let re2Source: string;
  try {
    // JavaScript spellings RE2 writes differently: (?<name>…), \u0041, \u{1F600}, \cA, [^].
    re2Source = RE2JS.translateRegExp(source);
    compiled = RE2JS.compile(re2Source, flags);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const reason = error.message.replace(/^error parsing regexp: /, '');
    return problem(
      reason.startsWith('expression too large')
        ? `The pattern is too complex: ${reason}. Use smaller repeat counts`
        : `Not a valid regular expression: ${reason}`,
    );
  }
  const size = compiled.programSize();
  if (size > MAX_REGEX_PROGRAM) {
    return problem(
      `The pattern is too complex: it compiles to ${size} instructions, the limit is ${MAX_REGEX_PROGRAM}. Use smaller repeat counts`,
    );
  }
  return { ok: true, regex: { test: (text) => compiled.test(text), re2: { source: re2Source, flags } } };
}

function problem(message: string): RegexCompilation {
  return { ok: false, problem: message };
}

/**
 * Backreferences and lookaround, which RE2 lacks, named so the user knows what to change (RE2's own
 * message would be "invalid escape sequence"; and re2js would read `\k<name>` as the text "k<name>").
 */
function unsupportedSyntax(source: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))) {
        return `Backreferences such as \\1 or \\k<name> are not supported: ${RE2_NOTE}`;
      }
      i += 1;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && /^\(\?(?:=|!|<=|<!)/.test(source.slice(i, i + 4))) {
      return `Lookahead and lookbehind — (?=…), (?!…), (?<=…), (?<!…) — are not supported: ${RE2_NOTE}`;
    }
  }
  return undefined;
}
