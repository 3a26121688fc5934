import { z } from 'zod';
import { emailStepType } from './email';
import { filterStepType } from './filter';
import { httpStepType } from './http';
import { byType, stepSchemasOf } from './node-spec';
import { notionStepType } from './notion';
import { unknownTypeError } from './schema-builders';
import { slackStepType } from './slack';

/**
 * Every step type, in the order the editor offers them. A new type is its spec file and one entry
 * here; the step union, `stepTypes` and the registries of server/ and client/ follow from it.
 */
export const stepSpecs = [
  httpStepType,
  filterStepType,
  notionStepType,
  slackStepType,
  emailStepType,
] as const;

export const stepSchema = z.discriminatedUnion('type', stepSchemasOf(stepSpecs), {
  error: unknownTypeError('step type'),
});
export type Step = z.output<typeof stepSchema>;
export type StepType = Step['type'];
/** The step of one type, e.g. `StepOf<'http'>`. */
export type StepOf<Type extends StepType> = Extract<Step, { type: Type }>;

/** Every step type's spec by its type; server/ and client/ keep registries with the same keys. */
export const stepTypes = byType(stepSpecs);
export type StepSpecOf<Type extends StepType> = (typeof stepTypes)[Type];

export function isStepType(value: unknown): value is StepType {
  return typeof value === 'string' && Object.hasOwn(stepTypes, value);
}
