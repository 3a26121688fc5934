/**
 * The public REST API v1, as tRPC procedures with OpenAPI paths: the inputs are the shared zod
 * schemas the tRPC API validates with, the answers are described in ./outputs. It is its own router
 * (not `/trpc`'s) because its paths are a published contract: `/trpc` may change with the editor,
 * v1 may not. Each procedure only calls the service, like the tRPC routers.
 */
import {
  createCredentialInput,
  createWorkflowInput,
  credentialIdInput,
  credentialNameSchema,
  credentialSpecs,
  credentialTypeNames,
  executionIdInput,
  idInput,
  jsonValueSchema,
  listExecutionsInput,
  listWorkflowsInput,
  updateWorkflowInput,
} from '@automateos/shared';
import { z } from 'zod';
import { createCredential, deleteCredential, listCredentials } from '../services/credentials';
import { invalidInput } from '../services/errors';
import { getExecution, listExecutions, rerunExecution, testRunWorkflow } from '../services/executions';
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  setWorkflowActive,
  updateWorkflow,
} from '../services/workflows';
import { type Context, protectedProcedure, router } from '../trpc/trpc';
import {
  credentialOutputs,
  deletedOutput,
  executionListOutput,
  executionOutput,
  startedOutput,
  workflowListOutput,
  workflowOutput,
} from './outputs';

const setActive = (ctx: Context & { user: { id: string } }, id: string, active: boolean) =>
  setWorkflowActive(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, id, active, ctx.deps.clock.now());

/**
 * `POST /credentials` as one object (OpenAPI parameters need one): `data` is any type's fields
 * here, and the resolver checks it against the named `type` with the same schema `/trpc` uses.
 */
const createCredentialBody = z.strictObject({
  name: credentialNameSchema,
  type: z.enum(credentialTypeNames),
  data: z.union(credentialSpecs.map((spec) => spec.dataSchema)).meta({
    description:
      'The fields of the type, secret ones included; secrets are stored encrypted and never returned',
  }),
});

const workflows = ['Workflows'];
const executions = ['Executions'];
const credentials = ['Credentials'];

export const restRouter = router({
  listWorkflows: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/workflows',
        tags: workflows,
        summary: 'List workflows, most recently changed first',
        description:
          'A page at a time: pass `nextCursor` as `cursor` for the next one (null after the last). `search` keeps the names that contain it, case-insensitively.',
      },
    })
    .input(listWorkflowsInput)
    .output(workflowListOutput)
    .query(({ ctx, input }) => listWorkflows(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input)),

  getWorkflow: protectedProcedure
    .meta({ openapi: { method: 'GET', path: '/workflows/{id}', tags: workflows, summary: 'Get a workflow' } })
    .input(idInput)
    .output(workflowOutput)
    .query(({ ctx, input }) => getWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input.id)),

  createWorkflow: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/workflows',
        tags: workflows,
        summary: 'Create a workflow',
        description: 'Created switched off; `definition` is the v1 format the editor’s JSON view shows.',
      },
    })
    .input(createWorkflowInput)
    .output(workflowOutput)
    .mutation(({ ctx, input }) =>
      createWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input, ctx.deps.clock.now()),
    ),

  updateWorkflow: protectedProcedure
    .meta({
      openapi: {
        method: 'PATCH',
        path: '/workflows/{id}',
        tags: workflows,
        summary: 'Update a workflow',
        description: '`version` is the one you last read; if the workflow changed since, the answer is 409.',
      },
    })
    .input(updateWorkflowInput)
    .output(workflowOutput)
    .mutation(({ ctx, input }) =>
      updateWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input, ctx.deps.clock.now()),
    ),

  activateWorkflow: protectedProcedure
    .meta({
      openapi: { method: 'POST', path: '/workflows/{id}/activate', tags: workflows, summary: 'Switch on' },
    })
    .input(idInput)
    .output(workflowOutput)
    .mutation(({ ctx, input }) => setActive(ctx, input.id, true)),

  deactivateWorkflow: protectedProcedure
    .meta({
      openapi: { method: 'POST', path: '/workflows/{id}/deactivate', tags: workflows, summary: 'Switch off' },
    })
    .input(idInput)
    .output(workflowOutput)
    .mutation(({ ctx, input }) => setActive(ctx, input.id, false)),

  deleteWorkflow: protectedProcedure
    .meta({
      openapi: { method: 'DELETE', path: '/workflows/{id}', tags: workflows, summary: 'Delete a workflow' },
    })
    .input(idInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => deleteWorkflow(ctx.deps.db, ctx.user.id, input.id)),

  runWorkflow: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/workflows/{id}/run',
        tags: workflows,
        summary: 'Run a workflow',
        description:
          'Runs it now (even while switched off) with `payload` as the trigger body; follow it with GET /executions/{executionId}.',
      },
    })
    .input(idInput.extend({ payload: jsonValueSchema.optional().meta({ description: 'The trigger body' }) }))
    .output(startedOutput)
    .mutation(({ ctx, input }) =>
      testRunWorkflow(ctx.deps.db, ctx.deps.queue, ctx.user.id, {
        workflowId: input.id,
        payload: input.payload ?? {},
      }),
    ),

  listExecutions: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/executions',
        tags: executions,
        summary: 'List executions, newest first',
      },
    })
    .input(listExecutionsInput)
    .output(executionListOutput)
    .query(({ ctx, input }) => listExecutions(ctx.deps.db, ctx.user.id, input)),

  getExecution: protectedProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/executions/{id}',
        tags: executions,
        summary: 'Get an execution with its steps',
      },
    })
    .input(executionIdInput)
    .output(executionOutput)
    .query(({ ctx, input }) => getExecution(ctx.deps.db, ctx.user.id, input.id)),

  rerunExecution: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/executions/{id}/rerun',
        tags: executions,
        summary: 'Run again with the same trigger data',
      },
    })
    .input(executionIdInput)
    .output(startedOutput)
    .mutation(({ ctx, input }) => rerunExecution(ctx.deps.db, ctx.deps.queue, ctx.user.id, input.id)),

  listCredentials: protectedProcedure
    .meta({
      openapi: { method: 'GET', path: '/credentials', tags: credentials, summary: 'List credentials' },
    })
    .input(z.strictObject({}))
    .output(credentialOutputs.list)
    .query(async ({ ctx }) => ({ items: await listCredentials(ctx.deps.db, ctx.user.id) })),

  createCredential: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/credentials',
        tags: credentials,
        summary: 'Create a credential',
        description: 'Secret values are write-only: no answer ever contains them.',
      },
    })
    .input(createCredentialBody)
    .output(credentialOutputs.one)
    .mutation(({ ctx, input }) => {
      // The body's `data` is checked against the named type here; a bad one is the caller's error.
      const parsed = createCredentialInput.safeParse(input);
      if (!parsed.success) {
        throw invalidInput(
          parsed.error.issues.map((issue) => ({
            path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
            message: issue.message,
          })),
        );
      }
      return createCredential(ctx.deps, ctx.user.id, parsed.data);
    }),

  deleteCredential: protectedProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/credentials/{id}',
        tags: credentials,
        summary: 'Delete a credential',
        description: 'Refused (409) while a workflow uses it.',
      },
    })
    .input(credentialIdInput)
    .output(deletedOutput)
    .mutation(({ ctx, input }) => deleteCredential(ctx.deps.db, ctx.user.id, input.id)),
});

export type RestRouter = typeof restRouter;
