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
