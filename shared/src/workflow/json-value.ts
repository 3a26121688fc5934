import { z } from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Any JSON value: what an HTTP body or a test payload may hold. Checked with an explicit stack
 * rather than z.json()'s recursive union, so a deeply nested payload is a validation error at
 * worst, never a stack overflow, and the message says what is wrong.
 */
export const jsonValueSchema = z.custom<JsonValue>(isJsonValue, {
  error: 'Must be JSON: an object, array, string, finite number, true, false or null',
});

export function isJsonValue(value: unknown): value is JsonValue {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const current = pending.pop();
    if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return false;
    } else if (Array.isArray(current)) {
      // Holes would become null in JSON text: not the same value.
      for (let index = 0; index < current.length; index += 1) {
        if (!Object.hasOwn(current, index)) return false;
        pending.push(current[index]);
      }
    } else if (isPlainObject(current)) {
      for (const child of Object.values(current)) pending.push(child);
    } else {
      return false;
    }
  }
  return true;
}

/** An object that is not an array or null: what a JSON object looks like after parsing. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
