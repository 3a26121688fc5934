/**
 * How the API's answers travel: superjson's wire format (`{ json, meta }`), which the web app and
 * the CLI read with superjson, written without superjson's walk when the answer holds nothing but
 * plain JSON, Dates and undefined, as every answer of ours does. superjson copies the path and the
 * ancestors at every node it visits and merges its annotations level by level: about 3 µs a node,
 * 9–14 ms for a 50-step execution, more than all the rest of executions.get. Here the answer itself
 * is the `json` (JSON.stringify writes a Date as superjson does, with toISOString) and only the paths
 * of Dates and undefined are collected. Anything else (a Map, a BigInt, NaN, a class instance, a
 * cycle) goes to superjson itself, so what the client reads is always what superjson would give it.
 */
import superjson, { type SuperJSONResult } from 'superjson';

type Annotation = ['Date'] | ['undefined'];

/** What a walk found: the root's annotation, or the annotation at each path beneath it. */
interface Found {
  root: Annotation | undefined;
  paths: Record<string, Annotation>;
}

/** Deeper than any stored value may be (MAX_JSON_DEPTH); beyond it, superjson (which handles cycles). */
const MAX_DEPTH = 256;
/** Keys superjson refuses to annotate beneath, as a prototype pollution risk on the reading side. */
const POLLUTING_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** superjson's path syntax: keys joined by dots, with dots and backslashes in a key escaped. */
const pathOf = (keys: string[]) =>
  keys.map((key) => key.replace(/\\/g, '\\\\').replace(/\./g, '\\.')).join('.');

/**
 * Collects the annotations `value` needs, `keys` being its path (the path is written only for the
 * few values annotated). False when it holds something this walk does not write; `unsafe` says an
 * ancestor's key is one superjson would refuse.
 */
function annotate(value: unknown, keys: string[], found: Found, unsafe: boolean): boolean {
  const mark = (annotation: Annotation) => {
    if (unsafe) return false;
    if (keys.length === 0) found.root = annotation;
    else found.paths[pathOf(keys)] = annotation;
    return true;
  };
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      // superjson annotates NaN, ±Infinity and -0 (JSON has none of them).
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'undefined':
      return mark(['undefined']);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (keys.length > MAX_DEPTH) return false;
  if (value instanceof Date) return !Number.isNaN(value.getTime()) && mark(['Date']);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false;
      keys.push(String(i));
      const written = annotate(value[i], keys, found, unsafe);
      keys.pop();
      if (!written) return false;
    }
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const [key, item] of Object.entries(value)) {
    keys.push(key);
    const written = annotate(item, keys, found, unsafe || POLLUTING_KEYS.has(key));
    keys.pop();
    if (!written) return false;
  }
  return true;
}

export function serializeAnswer(value: unknown): SuperJSONResult {
  const found: Found = { root: undefined, paths: {} };
  if (!annotate(value, [], found, false)) return superjson.serialize(value);
  // Checked above: plain JSON but for the Dates and undefined the annotations describe.
  const json = value as SuperJSONResult['json'];
  if (found.root) return { json, meta: { values: found.root, v: 1 } };
  if (Object.keys(found.paths).length === 0) return { json };
  return { json, meta: { values: found.paths, v: 1 } };
}

/** The `output` transformer of the tRPC API: answers written by serializeAnswer, read by superjson. */
export const answerTransformer = {
  serialize: serializeAnswer,
  deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload),
};
