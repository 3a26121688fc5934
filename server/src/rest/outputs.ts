/**
 * What the REST API answers, as zod schemas: the OpenAPI document's response bodies, and (through
 * tRPC's output parser) a check that every answer has this shape. The compiler checks each against
 * the service that produces it, so they cannot drift apart.
 */
import {
  credentialTypeNames,
  executionModes,
  executionStatuses,
  stepStatuses,
  triggerSpecs,
  workflowDefinitionSchema,
} from '@automateos/shared';
import { z } from 'zod';

const instant = z.date().meta({ format: 'date-time', description: 'ISO 8601 instant' });

export const workflowOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    active: z.boolean(),
    definition: workflowDefinitionSchema,
    version: z.int().meta({ description: 'Send it back with an update: a stale one answers 409' }),
    webhookUrl: z.string().nullable(),
    schedule: z
      .object({
        nextRunAt: instant,
        lastScheduledFor: instant.nullable(),
        lastMissed: z.unknown().nullable(),
      })
      .nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Workflow' });

export const workflowListOutput = z.object({
  items: z.array(
    z
      .object({
        id: z.uuid(),
        name: z.string(),
        active: z.boolean(),
        triggerType: z.enum(triggerSpecs.map((spec) => spec.type)),
        stepCount: z.int(),
        webhookUrl: z.string().nullable(),
        nextRunAt: instant.nullable(),
        updatedAt: instant,
        lastExecution: z
          .object({ id: z.uuid(), status: z.enum(executionStatuses), createdAt: instant })
          .nullable(),
      })
      .meta({ id: 'WorkflowListItem' }),
  ),
  nextCursor: z.uuid().nullable().meta({ description: 'Pass as `cursor` for the next page' }),
});

export const deletedOutput = z.object({ id: z.uuid() });
export const startedOutput = z.object({ executionId: z.uuid() });

const executionSummary = z.object({
  id: z.uuid(),
  workflowId: z.uuid(),
  workflowName: z.string(),
  status: z.enum(executionStatuses),
  mode: z.enum(executionModes),
  error: z.unknown().nullable().meta({ description: 'Why it failed: { message, … }' }),
  attempt: z.int(),
  createdAt: instant,
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  scheduledFor: instant.nullable(),
  durationMs: z.int().nullable(),
});

export const executionListOutput = z.object({
  items: z.array(executionSummary.meta({ id: 'ExecutionSummary' })),
  nextCursor: z.uuid().nullable().meta({ description: 'Pass as `cursor` for the next page' }),
});

export const executionOutput = executionSummary
  .extend({
    trigger: z.unknown().meta({ description: 'What the trigger delivered (method, query, headers, body…)' }),
    workflowVersion: z.int(),
    steps: z.array(
      z
        .object({
          stepId: z.string(),
          name: z.string(),
          position: z.int(),
          type: z.string(),
          status: z.enum(stepStatuses),
          input: z.unknown().meta({ description: 'The config after expressions were resolved' }),
          missing: z.unknown().nullable(),
          output: z.unknown().nullable(),
          error: z.unknown().nullable(),
          startedAt: instant,
          finishedAt: instant,
          durationMs: z.int(),
          attempt: z.int(),
        })
        .meta({ id: 'ExecutionStep' }),
    ),
  })
  .meta({ id: 'Execution' });

const credentialOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    type: z.enum(credentialTypeNames),
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: 'Public fields only: secrets are never returned' }),
    storedSecrets: z.array(z.string()).meta({ description: 'The secret fields that hold a value' }),
    createdAt: instant,
    updatedAt: instant,
    lastUsedAt: instant.nullable(),
    usedBy: z.array(z.object({ id: z.uuid(), name: z.string() })),
  })
  .meta({ id: 'Credential' });

export const credentialOutputs = {
  one: credentialOutput,
  list: z.object({ items: z.array(credentialOutput) }),
};
