/**
 * Readers for a definition that may hold anything the JSON tab accepted: the form shows what it
 * can and leaves the rest to the validation messages.
 */
import { isRecord } from '@automateos/shared';

export const asRecord = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});
export const asText = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : fallback;
export const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The object with `key` set to `value`, or without `key` when `value` is undefined; the rest untouched. */
export function withField(
  object: Record<string, unknown>,
  key: string,
  value: unknown,
): Record<string, unknown> {
  if (value !== undefined) return { ...object, [key]: value };
  const { [key]: _removed, ...rest } = object;
  return rest;
}
