import { z } from 'zod';
import { filterConfigSchema, filterStepType } from './filter';
import { httpConfigSchema, httpStepType } from './http';
import type { NodeSpec } from './node-spec';
import { strictObject, unknownTypeError } from './schema-builders';

export const STEP_ID_PATTERN = /^[a-z0-9-]{1,64}$/;

export const stepIdSchema = z
  .string({ error: 'Step id is required' })
  .regex(STEP_ID_PATTERN, 'Step id must be lowercase letters, digits or dashes (1–64)');

export const stepNameSchema = z
  .string({ error: 'Step name is required' })
  .trim()
  .min(1, 'Step name is required')
  .max(100, 'Step name must be at most 100 characters');

export const httpStepSchema = strictObject({
  id: stepIdSchema,
  name: stepNameSchema,
  type: z.literal('http'),
  config: httpConfigSchema,
});

export const filterStepSchema = strictObject({
  id: stepIdSchema,
  name: stepNameSchema,
  type: z.literal('filter'),
  config: filterConfigSchema,
});

export const stepSchema = z.discriminatedUnion('type', [httpStepSchema, filterStepSchema], {
  error: unknownTypeError('step type'),
});
export type Step = z.output<typeof stepSchema>;
export type StepType = Step['type'];
export type HttpStep = z.output<typeof httpStepSchema>;
export type FilterStep = z.output<typeof filterStepSchema>;

/** Every step type, for the editor to render forms from; server/ keeps a registry with the same keys. */
export const stepTypes = {
  http: httpStepType,
  filter: filterStepType,
} satisfies { [Type in StepType]: NodeSpec<Type, z.ZodType> };
