import { z } from 'zod';
import { type TriggerType, triggerSpecs } from './workflow/trigger';

export const executionStatuses = ['queued', 'running', 'succeeded', 'filtered', 'failed'] as const;
export type ExecutionStatus = (typeof executionStatuses)[number];
/** An execution a trigger started has that trigger's type as its mode (`webhook`, …). */
export type ExecutionMode = TriggerType | 'manual' | 'rerun';
export const executionModes: readonly ExecutionMode[] = [
  ...triggerSpecs.map((spec) => spec.type),
  'manual',
  'rerun',
];
export const stepStatuses = ['succeeded', 'filtered', 'failed'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** Queued and running executions are still moving; the UI keeps refreshing while any is. */
export const isTerminalStatus = (status: ExecutionStatus) => status !== 'queued' && status !== 'running';

const uuid = z.uuid('Not a valid id');

export const listExecutionsInput = z.strictObject({
  workflowId: uuid.optional(),
  status: z.enum(executionStatuses).optional(),
  /** The id of the last execution of the previous page. */
  cursor: uuid.optional(),
  limit: z.number().int().min(1).max(100).default(20),
});
export type ListExecutionsInput = z.input<typeof listExecutionsInput>;

export const executionIdInput = z.strictObject({ id: uuid });

/** The length of the short ids lists show (the first characters of the UUID). */
export const SHORT_ID_LENGTH = 8;

/** `executions.resolve`: the execution a short id (or any longer start of its UUID) names. */
export const resolveExecutionInput = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}(-?[0-9a-f]){0,24}$/i,
      `Not an execution id: give its first ${SHORT_ID_LENGTH} characters or more`,
    ),
});

/** Steps through queued → running → finished and never back: a later status wins, an earlier one is stale. */
export function isStatusBehind(status: ExecutionStatus, than: ExecutionStatus): boolean {
  const rank = (s: ExecutionStatus) => (s === 'queued' ? 0 : s === 'running' ? 1 : 2);
  return rank(status) < rank(than);
}

/**
 * Where a live subscription resumes: the `tracked()` id of the last event it received, a position in
 * the database's change order. The client sends it back by itself when it reconnects.
 */
const lastEventId = z
  .string()
  .regex(/^\d{1,18}$/, 'Not a position from this API')
  .nullish();

/** `executions.watch`: one execution's status and steps as they are recorded. */
export const watchExecutionInput = z.strictObject({ id: uuid, lastEventId });

/** `executions.watchList`: the account's executions (or one workflow's) as they are created and change. */
export const watchExecutionsInput = z.strictObject({ workflowId: uuid.optional(), lastEventId });
