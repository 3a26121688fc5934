/** Inputs of the workflow procedures, shared so the editor's forms validate exactly like the server. */
import { z } from 'zod';
import { credentialNameSchema } from '../credentials/api';
import { credentialTypeNames } from '../credentials/types';
import { MAX_STEPS, workflowDefinitionSchema } from './definition';
import { jsonValueSchema } from './json-value';
import { strictObject } from './schema-builders';

/** Longest workflow name: the editor counts towards it as you type. */
export const WORKFLOW_NAME_MAX = 100;

export const workflowNameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(WORKFLOW_NAME_MAX, {
    error: (issue) =>
      `Name must be at most ${WORKFLOW_NAME_MAX} characters (this one has ${String(issue.input).length})`,
  });

export const workflowDescriptionSchema = z
  .string()
  .trim()
  .max(1000, 'Description must be at most 1000 characters');

const workflowIdSchema = z.uuid('Workflow id must be a UUID');

export const createWorkflowInput = strictObject({
  name: workflowNameSchema,
  description: workflowDescriptionSchema.optional(),
  definition: workflowDefinitionSchema,
});
export type CreateWorkflowInput = z.input<typeof createWorkflowInput>;

/** `version` is the one the client last read: a stale one makes the update fail with CONFLICT. */
export const updateWorkflowInput = strictObject({
  id: workflowIdSchema,
  version: z.int('Version must be a whole number').min(0),
  name: workflowNameSchema.optional(),
  description: workflowDescriptionSchema.optional(),
  definition: workflowDefinitionSchema.optional(),
});
export type UpdateWorkflowInput = z.input<typeof updateWorkflowInput>;

export const idInput = strictObject({ id: workflowIdSchema });
export type IdInput = z.input<typeof idInput>;

export const setActiveInput = strictObject({ id: workflowIdSchema, active: z.boolean() });
export type SetActiveInput = z.input<typeof setActiveInput>;

/** Workflows in a page of `workflows.list` unless `limit` says otherwise, and the most it may ask for. */
export const WORKFLOW_PAGE_SIZE = 50;
export const WORKFLOW_PAGE_MAX = 200;

/** Most recently changed first, a page at a time: `cursor` is the last id of the previous page. */
export const listWorkflowsInput = strictObject({
  search: z.string().trim().max(100, 'Search must be at most 100 characters').optional(),
  cursor: workflowIdSchema.optional(),
  limit: z
    .int(`Limit must be a whole number from 1 to ${WORKFLOW_PAGE_MAX}`)
    .min(1, `Limit must be a whole number from 1 to ${WORKFLOW_PAGE_MAX}`)
    .max(WORKFLOW_PAGE_MAX, `Limit must be at most ${WORKFLOW_PAGE_MAX}`)
    .default(WORKFLOW_PAGE_SIZE),
}).prefault({});
export type ListWorkflowsInput = z.input<typeof listWorkflowsInput>;

/**
 * `payload` becomes the trigger body of a manual execution. `definition`: run this (the editor's
 * unsaved draft, validated like a save) instead of the saved definition.
 */
export const testRunInput = strictObject({
  id: workflowIdSchema,
  payload: jsonValueSchema,
  definition: workflowDefinitionSchema.optional(),
});
export type TestRunInput = z.input<typeof testRunInput>;

/**
 * The file that export writes and import reads. `automateos` is the file format version. Steps name
 * their credentials by name, and `credentials` gives each name's type: ids mean nothing in another
 * account, and the import asks which of the user's own credentials each one is.
 */
export const exportFileSchema = strictObject({
  automateos: z.literal(1, { error: 'Not an AutomateOS export file (expected "automateos": 1)' }),
  name: workflowNameSchema,
  description: workflowDescriptionSchema.default(''),
  definition: workflowDefinitionSchema,
  credentials: z
    .array(
      strictObject({
        name: credentialNameSchema,
        type: z.enum(credentialTypeNames, {
          error: `Credential type must be one of ${credentialTypeNames.join(', ')}`,
        }),
      }),
    )
    .max(MAX_STEPS, `An export names at most ${MAX_STEPS} credentials`)
    .default([]),
});
export type ExportFile = z.output<typeof exportFileSchema>;
export type ExportFileInput = z.input<typeof exportFileSchema>;
