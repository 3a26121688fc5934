/**
 * Credential types as values, like step types: each is defined once here (its fields, which of
 * them are secret, how they are checked), implemented once in server/ (how it authenticates a
 * request, its harmless test, the encoded forms of its secrets to redact) and rendered once in
 * client/ (its icon and summary), joined by registries keyed by the same types.
 */
import type { z } from 'zod';
import { strictObject } from '../workflow/schema-builders';

/** One field of a credential's data: how it is checked, whether it is secret, how the form asks for it. */
export interface CredentialField<Schema extends z.ZodType = z.ZodType> {
  label: string;
  /** Checks a value typed for this field; an optional field's schema accepts undefined. */
  schema: Schema;
  /**
   * Secret fields are encrypted at rest, write-only (the API never returns them, an edit that
   * leaves one blank keeps it) and replaced by `[redacted]` wherever a step records them.
   */
  secret?: true;
  /** The form's input for a public field (a secret field is always a password input). Default: text. */
  input?: 'text' | 'number' | 'select';
  /** The choices of a `select` field. */
  options?: readonly { value: string; label: string }[];
  placeholder?: string;
  /** One line under the field: where to find the value, what it is used for. */
  help?: string;
}

type Fields = Record<string, CredentialField>;
type ShapeOf<F extends Fields> = { [K in keyof F]: F[K]['schema'] };

/** The data of a credential with these fields, as checked: `{ token: string }`, … */
export type FieldsData<F extends Fields> = z.output<z.ZodObject<ShapeOf<F>>>;

/** Names of the fields marked `secret: true`. */
export type SecretFieldOf<F extends Fields> = {
  [K in keyof F]: F[K] extends { secret: true } ? K : never;
}[keyof F] &
  string;

export interface CredentialSpecInput<Type extends string, F extends Fields> {
  type: Type;
  title: string;
  description: string;
  fields: F;
  /** Checks across fields, on data whose fields each passed their own check. */
  refine?(data: FieldsData<F>, ctx: z.RefinementCtx): void;
  /** What the harmless check of `credentials.test` does, for the form; no Test button without it. */
  test?: string;
}

export interface CredentialSpec<Type extends string = string, F extends Fields = Fields>
  extends CredentialSpecInput<Type, F> {
  /** The whole data, every field checked and unknown fields refused. */
  dataSchema: z.ZodType<FieldsData<F>, unknown>;
  /** The secret fields, in form order. */
  secretFields: readonly SecretFieldOf<F>[];
}

export function defineCredentialSpec<const Type extends string, const F extends Fields>(
  spec: CredentialSpecInput<Type, F>,
): CredentialSpec<Type, F> {
  const shape = Object.fromEntries(
    Object.entries(spec.fields).map(([name, field]) => [name, field.schema]),
  ) as ShapeOf<F>;
  const object = strictObject(shape);
  const { refine } = spec;
  const secretFields = Object.keys(spec.fields).filter(
    (name) => spec.fields[name]?.secret === true,
  ) as SecretFieldOf<F>[];
  return {
    ...spec,
    dataSchema: refine ? object.superRefine((data, ctx) => refine(data, ctx)) : object,
    secretFields,
  };
}

/** Any credential spec, as code that handles every type sees it. */
export interface AnyCredentialSpec extends Omit<CredentialSpec, 'secretFields'> {
  secretFields: readonly string[];
}

/** Whether a field may be left out of a credential's data. */
export function isOptionalField(field: CredentialField): boolean {
  return field.schema.safeParse(undefined).success;
}
