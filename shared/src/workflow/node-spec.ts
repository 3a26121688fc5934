/**
 * Step and trigger types as values. A type is defined once here, in shared/, because the editor
 * renders and validates forms from it; server/ implements it and client/ renders it, each in a
 * registry keyed by the same types, so the compiler names whatever a new type still lacks.
 */
import { z } from 'zod';
import type { CredentialType } from '../credentials/types';
import { strictObject } from './schema-builders';

/**
 * The credential a kind of step uses (Activepieces' declared auth): which credential types it
 * accepts, and where its config names one by id. Saving a workflow checks that id (the user's
 * own credential, of one of these types); the worker decrypts it and hands it to the step, typed.
 */
export interface StepAuth<Types extends CredentialType = CredentialType> {
  types: readonly Types[];
  /** Where the config holds the credential id, e.g. `['auth', 'credentialId']`. */
  path: readonly string[];
  /** Whether the step cannot run without one (the HTTP step's is optional). */
  required: boolean;
}

/** A kind of step: its name for people, its config, what it runs on, and what it hands on. */
export interface StepSpec<
  Type extends string = string,
  Config extends z.ZodType = z.ZodType,
  Input extends z.ZodType = z.ZodType,
  Output extends z.ZodType = z.ZodType,
  Auth extends StepAuth | undefined = StepAuth | undefined,
> {
  type: Type;
  title: string;
  description: string;
  /** The config as saved in the workflow, expressions unresolved. */
  configSchema: Config;
  /** The config a new step starts with in the editor; required fields are blank until the user fills them. */
  defaults: () => z.output<Config>;
  /**
   * The config after its expressions were resolved: checked before the step runs, so a whole-string
   * expression that put an object where text belongs is a step error, not a crash inside the step.
   */
  inputSchema: Input;
  /**
   * What the step hands on as `steps.<id>`. The editor offers each top-level field that has a
   * description (`.describe(…)`) as an expression; log views read stored outputs with it.
   */
  outputSchema: Output;
  /** The credential the step uses, if any kind of step of this type can use one. */
  auth?: Auth;
}

/** Checks that `defaults` matches the config schema and keeps the literal `type`. */
export function defineStepSpec<
  const Type extends string,
  Config extends z.ZodType,
  Input extends z.ZodType,
  Output extends z.ZodType,
  const Auth extends StepAuth | undefined = undefined,
>(
  spec: StepSpec<Type, Config, Input, Output, Auth>,
): StepSpec<Type, Config, Input, Output, Auth> & { auth: Auth } {
  // A spec without `auth` has it undefined, which is what its type says.
  return spec as StepSpec<Type, Config, Input, Output, Auth> & { auth: Auth };
}

/** A kind of trigger: its config, the data an execution it starts stores, and what expressions read. */
export interface TriggerSpec<
  Type extends string = string,
  Config extends z.ZodType = z.ZodType,
  Data extends z.ZodType = z.ZodType,
  Field extends string = string,
> {
  type: Type;
  title: string;
  description: string;
  /** The trigger's config in the workflow definition; a missing config parses as `{}`. */
  configSchema: Config;
  defaults: () => z.output<Config>;
  /** What an execution started by this trigger stores as its trigger data. */
  dataSchema: Data;
  /**
   * The fields of the trigger data that expressions may read as `{{ trigger.<field> }}`, each with
   * what it holds, in the order the editor lists them. A workflow whose steps read any other
   * `trigger.…` field is refused when it is saved.
   */
  fields: Readonly<Record<Field, string>>;
  /** The credential the trigger uses, if it can use one (the webhook's signing secret). */
  auth?: StepAuth;
}

export function defineTriggerSpec<
  const Type extends string,
  Config extends z.ZodType,
  Data extends z.ZodType,
  const Field extends string,
>(spec: TriggerSpec<Type, Config, Data, Field>): TriggerSpec<Type, Config, Data, Field> {
  return spec;
}

export type AnyStepSpec = StepSpec<string, z.ZodType, z.ZodType, z.ZodType, StepAuth | undefined>;
export type AnyTriggerSpec = TriggerSpec<string, z.ZodType, z.ZodType, string>;

export const STEP_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

export const stepIdSchema = z
  .string({ error: 'Step id is required' })
  .regex(STEP_ID_PATTERN, 'Step id must be lowercase letters, digits or dashes (1–64)');

export const stepNameSchema = z
  .string({ error: 'Step name is required' })
  .trim()
  .min(1, 'Step name is required')
  .max(100, 'Step name must be at most 100 characters');

type StepSchemaOf<Spec extends AnyStepSpec> = z.ZodObject<
  {
    id: typeof stepIdSchema;
    name: typeof stepNameSchema;
    type: z.ZodLiteral<Spec['type']>;
    config: Spec['configSchema'];
  },
  z.core.$strict
>;
type TriggerSchemaOf<Spec extends AnyTriggerSpec> = z.ZodObject<
  { type: z.ZodLiteral<Spec['type']>; config: Spec['configSchema'] },
  z.core.$strict
>;

/** A step of this type in the workflow definition: `{ id, name, type, config }`. */
export function stepSchemaOf<const Spec extends AnyStepSpec>(spec: Spec): StepSchemaOf<Spec> {
  return strictObject({
    id: stepIdSchema,
    name: stepNameSchema,
    type: z.literal(spec.type),
    config: spec.configSchema,
  });
}

/** A trigger of this type in the workflow definition: `{ type, config }`. */
export function triggerSchemaOf<const Spec extends AnyTriggerSpec>(spec: Spec): TriggerSchemaOf<Spec> {
  return strictObject({ type: z.literal(spec.type), config: spec.configSchema });
}

type StepSchemas<Specs extends readonly AnyStepSpec[]> = {
  -readonly [K in keyof Specs]: StepSchemaOf<Specs[K]>;
};
type TriggerSchemas<Specs extends readonly AnyTriggerSpec[]> = {
  -readonly [K in keyof Specs]: TriggerSchemaOf<Specs[K]>;
};

// Array.map types its result as an array of the union of its elements, which would let one type's
// config pass for another's; these keep the tuple, element for element, which is what map returns.
export function stepSchemasOf<const Specs extends readonly [AnyStepSpec, ...AnyStepSpec[]]>(specs: Specs) {
  return specs.map((spec) => stepSchemaOf(spec)) as StepSchemas<Specs>;
}

export function triggerSchemasOf<const Specs extends readonly [AnyTriggerSpec, ...AnyTriggerSpec[]]>(
  specs: Specs,
) {
  return specs.map((spec) => triggerSchemaOf(spec)) as TriggerSchemas<Specs>;
}

/** `{ [spec.type]: spec }` for a list of specs, keyed by their literal types. */
export function byType<const Specs extends readonly { type: string }[]>(specs: Specs) {
  return Object.fromEntries(specs.map((spec) => [spec.type, spec])) as {
    [Spec in Specs[number] as Spec['type']]: Spec;
  };
}

/** The top-level fields of an output schema that carry a description: what the editor offers. */
export function describedFields(schema: z.ZodType): { name: string; description: string }[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape).flatMap(([name, field]) => {
    const description = field instanceof z.ZodType ? field.description : undefined;
    return description ? [{ name, description }] : [];
  });
}
