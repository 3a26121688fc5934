/**
 * PostgreSQL's jsonb keeps object keys sorted by length, so a stored definition comes back as
 * `{ "steps", "trigger", "schemaVersion" }` and `{ "url", "method" }`. The editor and export files
 * show fields in the order the schema declares them (the order of DESIGN.md's example) instead.
 * Values are untouched: only the order of known keys changes; other keys follow in their own order.
 *
 * The order is read from the shared schemas themselves, so a new step or trigger type needs nothing
 * here: objects follow their shape, lists their element, and a step, trigger or body the option its
 * `type` names.
 */
import { isRecord, workflowDefinitionSchema } from '@automateos/shared';
import { z } from 'zod';

export function inFieldOrder(definition: unknown): unknown {
  return ordered(definition, workflowDefinitionSchema);
}

function ordered(value: unknown, schema: z.core.$ZodType): unknown {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray)
    return Array.isArray(value) ? value.map((item) => ordered(item, inner.element)) : value;
  if (!isRecord(value)) return value;
  if (inner instanceof z.ZodObject) return withKeysOf(value, inner.shape, true);
  if (inner instanceof z.ZodDiscriminatedUnion) {
    const objects = inner.options.filter((option) => option instanceof z.ZodObject);
    const discriminator = inner.def.discriminator;
    const match = objects.find((option) => {
      const literal = option.shape[discriminator];
      return (
        literal instanceof z.ZodLiteral && [...literal.values].some((type) => type === value[discriminator])
      );
    });
    if (match) return withKeysOf(value, match.shape, true);
    // An option this version does not know: only the fields every option has, as they are.
    const [first, ...rest] = objects;
    if (!first) return value;
    const common = Object.keys(first.shape).filter((key) => rest.every((option) => key in option.shape));
    return withKeysOf(value, Object.fromEntries(common.map((key) => [key, z.unknown()])), false);
  }
  return value;
}

/** Defaults, optionals and pipes wrap the schema that has the shape. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

function withKeysOf(
  value: Record<string, unknown>,
  shape: Record<string, z.core.$ZodType>,
  recurse: boolean,
): Record<string, unknown> {
  const known = Object.entries(shape).filter(([key]) => Object.hasOwn(value, key));
  const rest = Object.entries(value).filter(([key]) => !Object.hasOwn(shape, key));
  // fromEntries defines own properties, so a user's key such as __proto__ stays data.
  return Object.fromEntries([
    ...known.map(([key, field]) => [key, recurse ? ordered(value[key], field) : value[key]]),
    ...rest,
  ]);
}
