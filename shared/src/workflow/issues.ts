import type { z } from 'zod';

export interface FieldIssue {
  /** Where the problem is, e.g. `steps[1].config.url`; "" for the whole value. */
  path: string;
  message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Validation issues as a flat list that a form or the JSON view can show next to the field. */
export function formatIssues(error: { issues: readonly z.core.$ZodIssue[] }): FieldIssue[] {
  return error.issues.map((issue) => {
    // zod reports unknown fields on their object; with a single one, point at the field itself.
    const [onlyKey, ...otherKeys] = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = onlyKey !== undefined && otherKeys.length === 0 ? [...issue.path, onlyKey] : issue.path;
    return { path: formatIssuePath(path), message: issue.message };
  });
}

/** `['steps', 1, 'config', 'headers', 'X-Source']` → `steps[1].config.headers["X-Source"]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      if (typeof key === 'string' && IDENTIFIER.test(key)) return index === 0 ? key : `.${key}`;
      return `[${JSON.stringify(String(key))}]`;
    })
    .join('');
}
