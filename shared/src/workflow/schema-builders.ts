import { z } from 'zod';

/**
 * z.strictObject whose unknown-field error names the field and the fields that are allowed, so a
 * typo in the JSON view is easy to fix. Unknown fields are rejected, never silently dropped.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const names = issue.keys.map((key) => `"${key}"`).join(', ');
      return `Unknown field${issue.keys.length === 1 ? '' : 's'} ${names}: allowed fields are ${allowed}`;
    },
  });
}

/** Error for a discriminated union whose `type` matches none of its options; zod lists the options. */
export function unknownTypeError(what: string) {
  return (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code !== 'invalid_union') return undefined;
    const options: unknown = 'options' in issue ? issue.options : undefined;
    if (!Array.isArray(options)) return undefined;
    const { input } = issue;
    const type = typeof input === 'object' && input !== null && 'type' in input ? input.type : undefined;
    const choices = `use one of ${options.join(', ')}`;
    if (type === undefined) return `${what.charAt(0).toUpperCase()}${what.slice(1)} is required: ${choices}`;
    return `Unknown ${what} ${JSON.stringify(type)}: ${choices}`;
  };
}
