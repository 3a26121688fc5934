import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Deepest nesting a payload, a test-run body or a step's data may have (documented in the README). */
export const MAX_JSON_DEPTH = 400;
/** Most values (each string, number, array, object…) one checked value may hold. */
export const MAX_JSON_NODES = 1_000_000;

const NOT_JSON = 'Must be JSON: an object, array, string, finite number, true, false or null';

/**
 * Text that JSON can carry but PostgreSQL cannot work with: a NUL character, or half of a surrogate
 * pair. A `json` column would store either, and every JSON operator on that row would then fail.
 */
function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'Contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'Contains an unpaired surrogate (such as \\ud800), which cannot be stored';
  return undefined;
}

export interface JsonLimits {
  maxDepth?: number;
  maxNodes?: number;
  /** Upper bound on the length of the value's JSON text (counted as it is walked, never built). */
  maxTextLength?: number;
  /**
   * Only measure depth, values and text, for data headed for JSON.stringify (a step's input and
   * output): any non-object is a leaf (undefined, which JSON drops, included), and an object met
   * twice is counted each time, as its JSON text would repeat it — a step's input shares values on
   * purpose when it uses `{{ trigger.body }}` twice. The node bound still ends the walk, on any shape.
   */
  measureOnly?: boolean;
}

/**
 * Why `value` is not plain, storable JSON within the limits, or undefined. Walks with an explicit stack and a
 * visited set, so neither deep nesting, nor a value that contains itself, nor shared parts that
 * would fan out into billions of nodes (what superjson's referential equalities or an API caller's
 * object can build) can hold the event loop: each object is looked at once, and a second sight of
 * it is refused. JSON text never holds the same object twice.
 */
export function jsonValueProblem(value: unknown, limits: JsonLimits = {}): string | undefined {
  const maxDepth = limits.maxDepth ?? MAX_JSON_DEPTH;
  const maxNodes = limits.maxNodes ?? MAX_JSON_NODES;
  const maxText = limits.maxTextLength ?? Number.POSITIVE_INFINITY;
  const seen = new Set<object>();
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  let text = 0;
  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, depth } = item;
    nodes += 1;
    if (nodes > maxNodes) return `Holds more than ${maxNodes.toLocaleString('en')} values`;
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem) return problem;
      text += current.length + 2;
    } else if (limits.measureOnly && (typeof current !== 'object' || current === null)) {
      text += 24;
    } else if (current === null || typeof current === 'boolean') {
      text += 5;
    } else if (typeof current === 'number') {
      if (!Number.isFinite(current)) return NOT_JSON;
      text += 24;
    } else if (typeof current === 'object') {
      if (depth >= maxDepth) return `Nested deeper than ${maxDepth} levels`;
      if (!limits.measureOnly) {
        if (seen.has(current)) return 'Refers to the same object twice (or contains itself)';
        seen.add(current);
      }
      if (Array.isArray(current)) {
        text += current.length + 2;
        for (let index = 0; index < current.length; index += 1) {
          // Holes would become null in JSON text: not the same value.
          if (!Object.hasOwn(current, index) && !limits.measureOnly) return NOT_JSON;
          pending.push({ value: current[index], depth: depth + 1 });
        }
      } else if (limits.measureOnly || isPlainObject(current)) {
        for (const [key, child] of Object.entries(current)) {
          const problem = unstorableText(key);
          if (problem) return problem;
          text += key.length + 4;
          pending.push({ value: child, depth: depth + 1 });
        }
      } else {
        return NOT_JSON;
      }
    } else {
      return NOT_JSON;
    }
    if (text > maxText) return `Longer than ${maxText.toLocaleString('en')} characters as JSON`;
  }
  return undefined;
}

export function isJsonValue(value: unknown, limits?: JsonLimits): value is JsonValue {
  return jsonValueProblem(value, limits) === undefined;
}

/**
 * Any JSON value: what an HTTP body or a test payload may hold, within MAX_JSON_DEPTH and
 * MAX_JSON_NODES. The message says what is wrong.
 */
export const jsonValueSchema = z
  .custom<JsonValue>((value) => jsonValueProblem(value) === undefined, {
    // Only computed again for a value that failed.
    error: (issue) => jsonValueProblem(issue.input),
  })
  // What the REST API's OpenAPI document says of it (a custom check has no JSON Schema of its own).
  .meta({ description: 'Any JSON value' });

/** An object that is not an array or null: what a JSON object looks like after parsing. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
