import type {
  ExecutionMode,
  JsonValue,
  ListExecutionsInput,
  TriggerData,
  WorkflowDefinition,
} from '@automateos/shared';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { executionSteps, executions, workflows } from '../db/schema';
import { rerunData, testRunData } from '../triggers/registry';
import { notFound } from './errors';

/** Puts an execution's job on the queue inside the caller's transaction. */
export interface ExecutionQueue {
  enqueue(tx: Tx, executionId: string): Promise<void>;
  enqueueMany(tx: Tx, executionIds: string[]): Promise<void>;
}

export interface NewExecution {
  workflow: { id: string; userId: string; definition: WorkflowDefinition; version: number };
  mode: ExecutionMode;
  trigger: TriggerData;
}

/**
 * Inserts the execution (queued, with a snapshot of the definition) and its job in one
 * transaction: if either fails, neither exists.
 */
export async function createExecution(
  db: Db,
  queue: ExecutionQueue,
  input: NewExecution,
): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(executions)
      .values({
        workflowId: input.workflow.id,
        userId: input.workflow.userId,
        mode: input.mode,
        trigger: input.trigger,
        definition: input.workflow.definition,
        workflowVersion: input.workflow.version,
      })
      .returning({ id: executions.id });
    if (!row) throw new Error('insert returned nothing');
    await queue.enqueue(tx, row.id);
    return row;
  });
}

// "nulls last" to match the indexes: a plain DESC sorts nulls first, and the planner would then
// read and sort every execution of the workflow instead of walking the index.
const newestFirst = [sql`${executions.createdAt} desc nulls last`, sql`${executions.id} desc nulls last`];

/** What a list shows of an execution: `executions.list` items and live updates alike. */
export const summaryColumns = {
  id: executions.id,
  workflowId: executions.workflowId,
  workflowName: workflows.name,
  status: executions.status,
  mode: executions.mode,
  error: executions.error,
  attempt: executions.attempt,
  createdAt: executions.createdAt,
  startedAt: executions.startedAt,
  finishedAt: executions.finishedAt,
  /** The slot of a scheduled execution; null for other modes. */
  scheduledFor: executions.scheduledFor,
};

/** A row with its duration added, once it has finished. */
export function withDuration<T extends { startedAt: Date | null; finishedAt: Date | null }>(row: T) {
  return {
    ...row,
    durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
  };
}

/** Newest first, keyset-paginated on (created_at, id) so deep pages stay as fast as the first. */
export async function listExecutions(db: Db, userId: string, input: ListExecutionsInput & { limit: number }) {
  const where: SQL[] = [eq(executions.userId, userId)];
  if (input.workflowId) where.push(eq(executions.workflowId, input.workflowId));
  if (input.status) where.push(eq(executions.status, input.status));
  if (input.cursor) {
    where.push(
      sql`(${executions.createdAt}, ${executions.id}) < (select c.created_at, c.id from ${executions} c where c.id = ${input.cursor} and c.user_id = ${userId})`,
    );
  }
  const rows = await db
    .select(summaryColumns)
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(...where))
    .orderBy(...newestFirst)
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(withDuration);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The recorded steps matching `where`, in order. Step names come from the execution's definition
 * snapshot, so the log reads as the workflow did when it ran.
 */
export async function readSteps(db: Pick<Db, 'select'>, where: SQL | undefined) {
  return db
    .select({
      executionId: executionSteps.executionId,
      stepId: executionSteps.stepId,
      name: sql<string>`coalesce((select s ->> 'name' from jsonb_array_elements(${executions.definition} -> 'steps') s where s ->> 'id' = ${executionSteps.stepId}), ${executionSteps.stepId})`,
      position: executionSteps.position,
      type: executionSteps.type,
      status: executionSteps.status,
      input: executionSteps.input,
      missing: executionSteps.missing,
      output: executionSteps.output,
      error: executionSteps.error,
      startedAt: executionSteps.startedAt,
      finishedAt: executionSteps.finishedAt,
      durationMs: executionSteps.durationMs,
      attempt: executionSteps.attempt,
    })
    .from(executionSteps)
    .innerJoin(executions, eq(executions.id, executionSteps.executionId))
    .where(where)
    .orderBy(asc(executionSteps.executionId), asc(executionSteps.position));
}

export async function getExecution(db: Db, userId: string, id: string) {
  const [row] = await db
    .select({
      ...summaryColumns,
      trigger: executions.trigger,
      definition: executions.definition,
      workflowVersion: executions.workflowVersion,
    })
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(eq(executions.id, id), eq(executions.userId, userId)));
  if (!row) throw notFound('Execution');
  const steps = await readSteps(db, eq(executionSteps.executionId, id));
  return { ...withDuration(row), steps };
}

/** A new execution of the same workflow with the same trigger data, using the workflow as it is now. */
export async function rerunExecution(db: Db, queue: ExecutionQueue, userId: string, id: string) {
  const [row] = await db
    .select({ trigger: executions.trigger, definition: executions.definition, workflow: workflows })
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(eq(executions.id, id), eq(executions.userId, userId)));
  if (!row) throw notFound('Execution');
  const created = await createExecution(db, queue, {
    workflow: row.workflow,
    mode: 'rerun',
    // The trigger that delivered this data is the one of the snapshot, whatever the workflow has now.
    trigger: rerunData(row.definition.trigger.type, row.trigger),
  });
  return { executionId: created.id };
}

/** `workflows.testRun`: runs the workflow now with the given body, even while it is switched off. */
export async function testRunWorkflow(
  db: Db,
  queue: ExecutionQueue,
  userId: string,
  workflowId: string,
  payload: JsonValue,
) {
  const [workflow] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.userId, userId)));
  if (!workflow) throw notFound('Workflow');
  const created = await createExecution(db, queue, {
    workflow,
    mode: 'manual',
    trigger: testRunData(workflow.definition.trigger, payload, workflow),
  });
  return { executionId: created.id };
}
