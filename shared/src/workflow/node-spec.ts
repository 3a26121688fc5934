import type { z } from 'zod';

/**
 * What the editor and the server know about a kind of trigger or step: its name for people and the
 * schema of its config. The code that runs it lives in server/, in a registry typed against these.
 */
export interface NodeSpec<Type extends string, Schema extends z.ZodType> {
  type: Type;
  title: string;
  description: string;
  configSchema: Schema;
  /** The config a new node starts with in the editor; required fields are blank until the user fills them. */
  defaults: () => z.output<Schema>;
}

/** Checks that `defaults` matches the config schema and keeps the literal `type`. */
export function defineNodeSpec<const Type extends string, Schema extends z.ZodType>(
  spec: NodeSpec<Type, Schema>,
): NodeSpec<Type, Schema> {
  return spec;
}
