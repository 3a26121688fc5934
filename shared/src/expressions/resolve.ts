/**
 * Resolving expressions against an execution's data. This is a pure data lookup: paths are walked
 * one own property at a time, and nothing is ever evaluated, called or compiled.
 *
 * Decisions a user sees:
 * - A string that is exactly one expression (whitespace around it allowed) becomes the value with
 *   its type: number, boolean, object, array or null.
 * - Inside longer text a value is rendered as text: objects and arrays as JSON, null as "".
 * - A missing path becomes "" in both cases (never `undefined`, which JSON cannot hold) and is
 *   reported in `missing` so the step log can say which paths were empty. The one exception is
 *   resolveOperand, for filter conditions, which must tell a missing value from an empty one.
 * - Only own data properties are read: `__proto__`, `constructor`, `length`, getters and anything
 *   inherited are missing. Arrays take whole-number indexes only (`[0]`, or `.0`).
 * - A string whose expressions do not parse is left as written: it is data, never code.
 */
import { type ExpressionSegment, type PathSegment, parseTemplate } from './parse';
import { TextLimitError, toJsonText } from './render';

export interface ExpressionScope {
  /** What the trigger received: method, query, headers and body. */
  trigger: unknown;
  /** The output of each step that already ran, by step id. */
  steps: Readonly<Record<string, unknown>>;
}

export interface Resolution {
  value: unknown;
  /** Expression paths (as written) that found no value, each listed once. */
  missing: string[];
}

export type Lookup = { found: true; value: unknown } | { found: false };

/**
 * Most characters the expressions of one resolution may render as text. Without a bound a few
 * expressions repeating `{{ trigger.body }}` inside text would copy a 1 MiB body thousands of times.
 * A whole-string expression shares its value instead of copying it, and costs nothing here.
 */
export const MAX_RENDERED_TEXT = 16 * 1024 * 1024;

/** Resolving would render more than MAX_RENDERED_TEXT characters: the step fails with this message. */
export class ExpressionLimitError extends Error {
  override readonly name = 'ExpressionLimitError';
  constructor() {
    super(
      `The expressions of this step render more than ${MAX_RENDERED_TEXT.toLocaleString('en')} characters of text. ` +
        'Refer to smaller parts of the data, or use a whole-field expression such as "{{ trigger.body }}", which is not copied into text.',
    );
  }
}

/** What is left of MAX_RENDERED_TEXT for one resolution. */
interface Budget {
  left: number;
}

const NOT_FOUND: Lookup = { found: false };
const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/** Looks a parsed path up in the scope. The first segment is the root: `trigger` or `steps`. */
export function lookupPath(scope: ExpressionScope, path: readonly PathSegment[]): Lookup {
  const [root, ...rest] = path;
  let current: unknown;
  if (root === 'trigger') current = scope.trigger;
  else if (root === 'steps') current = scope.steps;
  else return NOT_FOUND;

  for (const segment of rest) {
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : ARRAY_INDEX.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= current.length) return NOT_FOUND;
      current = current[index];
    } else if (typeof current === 'object' && current !== null) {
      // A data descriptor of an own property: inherited members and getters stay out of reach.
      const property = Object.getOwnPropertyDescriptor(current, String(segment));
      if (property === undefined || !('value' in property)) return NOT_FOUND;
      current = property.value;
    } else {
      return NOT_FOUND;
    }
  }
  return current === undefined ? NOT_FOUND : { found: true, value: current };
}

/** Resolves the expressions of one string. */
export function resolveTemplate(text: string, scope: ExpressionScope): Resolution {
  const missing = new Set<string>();
  const value = resolveString(text, scope, missing, '', newBudget());
  return { value, missing: [...missing] };
}

/**
 * Like resolveTemplate, but a string that is exactly one expression with a missing path resolves
 * to `undefined`: a filter condition's `exists` must not mistake a missing field for "".
 */
export function resolveOperand(text: string, scope: ExpressionScope): Resolution {
  const missing = new Set<string>();
  const value = resolveString(text, scope, missing, undefined, newBudget());
  return { value, missing: [...missing] };
}

/**
 * Resolves every string inside a JSON value (a step config), returning a new value; the input is
 * not modified. Values found by exact expressions are shared with the scope, not copied.
 * Walks with an explicit stack, so deeply nested input cannot overflow the call stack.
 */
export function resolveValue(value: unknown, scope: ExpressionScope): Resolution {
  const missing = new Set<string>();
  const budget = newBudget();
  const root: unknown[] = [undefined];
  const pending: { source: unknown; target: object; key: string | number }[] = [
    { source: value, target: root, key: 0 },
  ];

  for (let task = pending.pop(); task !== undefined; task = pending.pop()) {
    const { source, target, key } = task;
    let result: unknown;
    if (typeof source === 'string') {
      result = resolveString(source, scope, missing, '', budget);
    } else if (Array.isArray(source)) {
      const copy: unknown[] = new Array(source.length).fill(null);
      for (let index = 0; index < source.length; index += 1) {
        pending.push({ source: source[index], target: copy, key: index });
      }
      result = copy;
    } else if (typeof source === 'object' && source !== null) {
      const copy = {};
      for (const [name, item] of Object.entries(source)) {
        // Define every key now so the copy keeps the original key order.
        setOwn(copy, name, null);
        pending.push({ source: item, target: copy, key: name });
      }
      result = copy;
    } else {
      result = source;
    }
    setOwn(target, key, result);
  }
  return { value: root[0], missing: [...missing] };
}

const newBudget = (): Budget => ({ left: MAX_RENDERED_TEXT });

function resolveString(
  text: string,
  scope: ExpressionScope,
  missing: Set<string>,
  missingExact: '' | undefined,
  budget: Budget,
): unknown {
  if (!text.includes('{{')) return text;
  const parsed = parseTemplate(text);
  if (!parsed.ok) return text;

  const { segments } = parsed;
  const expressions = segments.filter((segment) => segment.kind === 'expression');
  const [only] = expressions;
  const isExact =
    expressions.length === 1 &&
    segments.every((segment) => segment.kind === 'expression' || !segment.text.trim());
  if (isExact && only !== undefined) {
    const lookup = lookupAndNote(only, scope, missing);
    return lookup.found ? lookup.value : missingExact;
  }

  return segments
    .map((segment) => {
      if (segment.kind === 'text') return segment.text;
      const lookup = lookupAndNote(segment, scope, missing);
      if (!lookup.found) return '';
      const rendered = renderWithin(lookup.value, budget.left);
      budget.left -= rendered.length;
      return rendered;
    })
    .join('');
}

function renderWithin(value: unknown, maxLength: number): string {
  try {
    const text =
      typeof value === 'object' && value !== null ? toJsonText(value, maxLength) : renderText(value);
    if (text.length > maxLength) throw new ExpressionLimitError();
    return text;
  } catch (error) {
    if (error instanceof TextLimitError) throw new ExpressionLimitError();
    throw error;
  }
}

function lookupAndNote(expression: ExpressionSegment, scope: ExpressionScope, missing: Set<string>): Lookup {
  const lookup = lookupPath(scope, expression.path);
  if (!lookup.found) missing.add(expression.source);
  return lookup;
}

/** How a value reads inside text: strings as they are, objects and arrays as JSON, nothing as "". */
export function renderText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object') return toJsonText(value);
  return '';
}

/** Sets an own property even when the key is `__proto__`, which plain assignment would treat as the prototype. */
function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
