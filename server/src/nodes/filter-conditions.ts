/**
 * Conditions of the Filter step. Both sides come from expressions, so each may be any JSON value
 * or `undefined` (a path that was not there). The rules below are the contract; the tests in
 * filter-conditions.test.ts follow them line by line.
 *
 * Vocabulary
 *   missing      undefined or null.
 *   numeric      a finite number, or a string that is a plain decimal after trimming: "10", " -2.5 ",
 *                "1e3", "0.5". Not numeric: "", "0x10", "Infinity", ".5", booleans, and strings with
 *                leading zeros ("007", "01234") or more than 15 significant digits
 *                ("12345678901234567890"): those are identifiers, and comparing them as numbers would
 *                make zip codes equal ("01234" = "1234") and long ids collide.
 *   date         an ISO 8601 string: YYYY-MM-DD, optionally followed by THH:MM[:SS[.fff]] and Z or
 *                ±HH:MM. A time without a zone is read as UTC, so results never depend on the
 *                server's time zone.
 *   boolean-like true/false, or the strings "true"/"false" (trimmed, any case).
 *   text form    strings as they are; numbers via String(); booleans "true"/"false"; missing "";
 *                arrays and objects as JSON.
 *   caseSensitive defaults to true; `false` lower-cases both text forms (and adds the regex `i` flag).
 *
 * Operators
 *   equals       1. both missing → true; only one missing → false (use isEmpty for "missing or empty").
 *                2. both numeric → compared as numbers: "10" equals 10.0.
 *                3. a boolean against a boolean-like value → compared as booleans: true equals "TRUE".
 *                4. both dates → same instant: "2024-01-01" equals "2024-01-01T00:00:00Z".
 *                5. arrays/objects → structurally, element by element with these same rules, key order
 *                   ignored; against a string holding JSON of an array/object, that JSON is parsed first.
 *                6. otherwise the text forms are compared: 5 equals "5", "abc" does not equal "ABC"
 *                   unless caseSensitive is false.
 *   contains     left array → some element equals right (rule above); left object → has a key equal to
 *                the text form of right; left string/number/boolean → its text form includes right's.
 *                A missing left or right → false.
 *   startsWith,  text form of left starts/ends with text form of right. Only for string, number or
 *   endsWith     boolean values; missing, arrays and objects → false.
 *   gt gte lt lte both numeric → numbers; else both dates → instants; else false. Text is never compared
 *                lexicographically, so "b" gt "a" is false and "10" gt "9" is true.
 *   exists       left is not missing. A key holding "" or false exists.
 *   isEmpty      left is missing, "", [] or {}. " ", 0 and false are not empty.
 *   isTrue       left is true or "true" (trimmed, any case). isFalse: false or "false". A missing value
 *                is neither true nor false.
 *   matchesRegex right is the pattern in RE2 syntax, either plain (`^ord_\d+$`) or in literal form
 *                (`/^ord_\d+$/i`; flags i m s u v d, while g and y are dropped because they make test()
 *                stateful). RE2 matches in time linear in the text for every pattern, so no pattern can
 *                hold the worker (left comes from webhook callers). Left's text form is tested, at most
 *                its first 64 KiB (the step log notes a cut); a missing left → false. A pattern that is
 *                not text, longer than 500 characters, invalid, too complex, or that uses what RE2 lacks
 *                (backreferences, lookaround) throws FilterConditionError, so the step fails with a
 *                message instead of silently filtering everything out.
 *   notEquals, notContains, notExists, isNotEmpty are the exact negations of their counterparts, so
 *   notEquals(missing, "a") is true.
 */

import {
  type CompiledRegex,
  compileRegex,
  type FilterOperator,
  filterOperatorNames,
  isRecord,
  MAX_JSON_DEPTH,
  MAX_REGEX_LENGTH,
  MAX_REGEX_TEXT,
  toJsonText,
} from '@automateos/shared';

// The operator list is the workflow format's (shared/); this file owns what each one means.
export const FILTER_OPERATORS = filterOperatorNames;
export type { FilterOperator };

export interface FilterCondition {
  left: unknown;
  op: FilterOperator;
  right?: unknown;
  caseSensitive?: boolean;
}

/** A condition that cannot be evaluated as written (bad regex, unknown operator): a config error. */
export class FilterConditionError extends Error {
  override readonly name = 'FilterConditionError';
}

export { MAX_REGEX_LENGTH, MAX_REGEX_TEXT };

export function evaluateCondition({ left, op, right, caseSensitive = true }: FilterCondition): boolean {
  switch (op) {
    case 'equals':
      return looseEquals(left, right, caseSensitive);
    case 'notEquals':
      return !looseEquals(left, right, caseSensitive);
    case 'contains':
      return contains(left, right, caseSensitive);
    case 'notContains':
      return !contains(left, right, caseSensitive);
    case 'startsWith':
      return compareScalarText(left, right, caseSensitive, (l, r) => l.startsWith(r));
    case 'endsWith':
      return compareScalarText(left, right, caseSensitive, (l, r) => l.endsWith(r));
    case 'gt':
      return order(left, right, (d) => d > 0);
    case 'gte':
      return order(left, right, (d) => d >= 0);
    case 'lt':
      return order(left, right, (d) => d < 0);
    case 'lte':
      return order(left, right, (d) => d <= 0);
    case 'exists':
      return !isMissing(left);
    case 'notExists':
      return isMissing(left);
    case 'isEmpty':
      return isEmpty(left);
    case 'isNotEmpty':
      return !isEmpty(left);
    case 'isTrue':
      return asBoolean(left) === true;
    case 'isFalse':
      return asBoolean(left) === false;
    case 'matchesRegex':
      return matchesRegex(left, right, caseSensitive);
    default:
      throw new FilterConditionError(
        `Unknown filter operator "${String(op)}"; use one of ${FILTER_OPERATORS.join(', ')}.`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Coercions
// ---------------------------------------------------------------------------------------------

function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

const DECIMAL = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]?\d+)?$/i;
const MAX_SIGNIFICANT_DIGITS = 15;

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!DECIMAL.test(text)) return null;
  const mantissa = text
    .replace(/e.*$/i, '')
    .replace(/[+\-.]/g, '')
    .replace(/^0+/, '');
  if (mantissa.length > MAX_SIGNIFICANT_DIGITS) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(z|[+-]\d{2}:?\d{2})?)?$/i;

function asInstant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = ISO_DATE.exec(value.trim());
  if (!match) return null;
  const [, day, time, zone] = match;
  const normalised = time === undefined ? `${day}T00:00:00Z` : `${day}T${time}${zone ?? 'Z'}`;
  // Date.parse rolls 2024-02-30 over to March 1st; a calendar day that does not exist is not a date.
  const [year, month, date] = (day ?? '').split('-').map(Number);
  const calendar = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, date ?? 1));
  if (calendar.getUTCMonth() + 1 !== month || calendar.getUTCDate() !== date) return null;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? null : ms;
}

function asBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return null;
  const text = value.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}

function textOf(value: unknown): string {
  if (isMissing(value)) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return toJsonText(value);
}

function fold(text: string, caseSensitive: boolean): string {
  return caseSensitive ? text : text.toLowerCase();
}

/** An array/object, or a string holding the JSON of one; anything else → undefined. */
function asStructure(value: unknown): unknown[] | Record<string, unknown> | undefined {
  if (Array.isArray(value) || isRecord(value)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text.startsWith('[') && !text.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) || isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------------------------

function looseEquals(left: unknown, right: unknown, caseSensitive: boolean, depth = 0): boolean {
  if (isMissing(left) || isMissing(right)) return isMissing(left) && isMissing(right);

  const ln = asNumber(left);
  const rn = asNumber(right);
  if (ln !== null && rn !== null) return ln === rn;

  if (typeof left === 'boolean' || typeof right === 'boolean') {
    const lb = asBoolean(left);
    const rb = asBoolean(right);
    if (lb !== null && rb !== null) return lb === rb;
  }

  const ld = asInstant(left);
  const rd = asInstant(right);
  if (ld !== null && rd !== null) return ld === rd;

  const leftIsStructure = Array.isArray(left) || isRecord(left);
  const rightIsStructure = Array.isArray(right) || isRecord(right);
  if (leftIsStructure || rightIsStructure) {
    const ls = asStructure(left);
    const rs = asStructure(right);
    return ls !== undefined && rs !== undefined && structuresEqual(ls, rs, caseSensitive, depth);
  }

  return fold(textOf(left), caseSensitive) === fold(textOf(right), caseSensitive);
}

function structuresEqual(
  left: unknown[] | Record<string, unknown>,
  right: unknown[] | Record<string, unknown>,
  caseSensitive: boolean,
  depth: number,
): boolean {
  // Recursive, so bounded: a step's output can be nested as deep as its target likes.
  if (depth >= MAX_JSON_DEPTH) {
    throw new FilterConditionError(
      `These values are nested deeper than ${MAX_JSON_DEPTH} levels; compare a field inside them instead.`,
    );
  }
  if (Array.isArray(left) || Array.isArray(right)) {
    if (!Array.isArray(left) || !Array.isArray(right) || left.length !== right.length) return false;
    return left.every((item, i) => looseEquals(item, right[i], caseSensitive, depth + 1));
  }
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every(
    (key) => Object.hasOwn(right, key) && looseEquals(left[key], right[key], caseSensitive, depth + 1),
  );
}

function contains(left: unknown, right: unknown, caseSensitive: boolean): boolean {
  if (isMissing(left) || isMissing(right)) return false;
  if (Array.isArray(left)) return left.some((item) => looseEquals(item, right, caseSensitive));
  const needle = fold(textOf(right), caseSensitive);
  if (isRecord(left)) return Object.keys(left).some((key) => fold(key, caseSensitive) === needle);
  return fold(textOf(left), caseSensitive).includes(needle);
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function compareScalarText(
  left: unknown,
  right: unknown,
  caseSensitive: boolean,
  test: (left: string, right: string) => boolean,
): boolean {
  if (!isScalar(left) || !isScalar(right)) return false;
  return test(fold(textOf(left), caseSensitive), fold(textOf(right), caseSensitive));
}

function order(left: unknown, right: unknown, accept: (difference: number) => boolean): boolean {
  const ln = asNumber(left);
  const rn = asNumber(right);
  if (ln !== null && rn !== null) return accept(ln - rn);
  const ld = asInstant(left);
  const rd = asInstant(right);
  if (ld !== null && rd !== null) return accept(ld - rd);
  return false;
}

function isEmpty(value: unknown): boolean {
  if (isMissing(value) || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isRecord(value)) return Object.keys(value).length === 0;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions
// ---------------------------------------------------------------------------------------------

function matchesRegex(left: unknown, right: unknown, caseSensitive: boolean): boolean {
  const regex = compilePattern(right, caseSensitive);
  if (isMissing(left)) return false;
  return regex.test(regexText(left).text);
}

/** matchesRegex with the matching itself done by `test` (the Filter step hands long texts to a thread). */
export async function matchesRegexWith(
  { left, right, caseSensitive = true }: FilterCondition,
  test: (regex: CompiledRegex, text: string) => Promise<boolean>,
): Promise<boolean> {
  const regex = compilePattern(right, caseSensitive);
  if (isMissing(left)) return false;
  return test(regex, regexText(left).text);
}

/**
 * The text a matchesRegex condition tests: left's text form, cut at MAX_REGEX_TEXT characters.
 * `cutFrom` is the full length when it was cut, for the step log.
 */
export function regexText(left: unknown): { text: string; cutFrom?: number } {
  const text = textOf(left);
  return text.length > MAX_REGEX_TEXT
    ? { text: text.slice(0, MAX_REGEX_TEXT), cutFrom: text.length }
    : { text };
}

/** Compiles a matchesRegex pattern with the engine the editor and the API validate with (RE2). */
export function compilePattern(pattern: unknown, caseSensitive = true): CompiledRegex {
  if (typeof pattern !== 'string' && typeof pattern !== 'number') {
    throw new FilterConditionError('matchesRegex needs a pattern as text in "right", e.g. ^ord_\\d+$.');
  }
  const compiled = compileRegex(String(pattern), caseSensitive);
  if (!compiled.ok)
    throw new FilterConditionError(`The matchesRegex pattern ${String(pattern)}: ${compiled.problem}.`);
  return compiled.regex;
}
