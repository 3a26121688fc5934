/** Inputs of the credentials procedures, shared so the Credentials page validates like the server. */
import { z } from 'zod';
import { strictObject, unknownTypeError } from '../workflow/schema-builders';
import type { AnyCredentialSpec } from './spec';
import { credentialSpecs } from './types';

export const credentialNameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

const credentialUuid = z.uuid('Credential id must be a UUID');

type CreateSchemaOf<Spec extends AnyCredentialSpec> = z.ZodObject<
  { name: typeof credentialNameSchema; type: z.ZodLiteral<Spec['type']>; data: Spec['dataSchema'] },
  z.core.$strict
>;
type CreateSchemas<Specs extends readonly AnyCredentialSpec[]> = {
  -readonly [K in keyof Specs]: CreateSchemaOf<Specs[K]>;
};

// As stepSchemasOf: keeps the tuple element for element, so each type's data goes with its type.
function createSchemasOf<const Specs extends readonly [AnyCredentialSpec, ...AnyCredentialSpec[]]>(
  specs: Specs,
) {
  return specs.map((spec) =>
    strictObject({ name: credentialNameSchema, type: z.literal(spec.type), data: spec.dataSchema }),
  ) as CreateSchemas<Specs>;
}

/** `{ name, type, data }`: `data` holds every field of the type, secret ones included. */
export const createCredentialInput = z.discriminatedUnion('type', createSchemasOf(credentialSpecs), {
  error: unknownTypeError('credential type'),
});
export type CreateCredentialInput = z.input<typeof createCredentialInput>;

/**
 * A change to some fields of `data`: a field left out (or a secret field sent as "") keeps its
 * value, `null` removes an optional one. The result is checked against the credential's type.
 */
export const credentialDataPatchSchema = z
  .record(
    z.string().max(64, 'Field names are at most 64 characters'),
    z.union([z.string().max(10_000, 'Values are at most 10000 characters'), z.number(), z.null()], {
      error: 'Field values are text, numbers or null',
    }),
  )
  .refine((patch) => Object.keys(patch).length <= 20, 'A credential has at most 20 fields');
export type CredentialDataPatch = z.output<typeof credentialDataPatchSchema>;

export const updateCredentialInput = strictObject({
  id: credentialUuid,
  name: credentialNameSchema.optional(),
  data: credentialDataPatchSchema.optional(),
});
export type UpdateCredentialInput = z.input<typeof updateCredentialInput>;

export const credentialIdInput = strictObject({ id: credentialUuid });
export type CredentialIdInput = z.input<typeof credentialIdInput>;
