import {
  type ExecutionMode,
  isTriggerType,
  type JsonValue,
  type ListExecutionsInput,
  type TriggerData,
  type TriggerType,
  type WorkflowDefinition,
} from '@automateos/shared';
import { and, asc, between, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { TransactionSql } from 'postgres';
import type { Db, Tx } from '../db/client';
import { executionSteps, executions, workflows } from '../db/schema';
import { rerunData, testRunData, triggerScope } from '../triggers/registry';
import { notFound, ServiceError } from './errors';

/** Puts an execution's job on the queue inside the caller's transaction. */
export interface ExecutionQueue {
  enqueue(tx: Tx, executionId: string): Promise<void>;
  /** In Drizzle's transaction, or in postgres.js's own (ingest's, whose statements are prepared). */
  enqueueMany(tx: Tx | TransactionSql, executionIds: string[]): Promise<void>;
}

export interface NewExecution {
  workflow: { id: string; userId: string; definition: WorkflowDefinition; version: number };
  mode: ExecutionMode;
  trigger: TriggerData;
  receivedBody?: Buffer | null;
  /** A test run of the editor's draft: `workflow.definition` is the draft, not the saved version. */
  draft?: boolean;
  rerunOf?: string;
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
        receivedBody: input.receivedBody ?? null,
        definition: input.workflow.definition,
        workflowVersion: input.workflow.version,
        draft: input.draft ?? false,
        rerunOf: input.rerunOf ?? null,
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

/** What a log shows of a recorded step, but its name (which the definition snapshot has). */
const stepColumns = {
  executionId: executionSteps.executionId,
  stepId: executionSteps.stepId,
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
};

function readStepRows(db: Pick<Db, 'select'>, where: SQL | undefined) {
  return db
    .select(stepColumns)
    .from(executionSteps)
    .where(where)
    .orderBy(asc(executionSteps.executionId), asc(executionSteps.position));
}

/**
 * The steps with the names their execution's definition snapshot gives them, so the log reads as
 * the workflow did when it ran. Matched in JavaScript, from each snapshot read once: finding each
 * step's name in SQL parsed the whole definition again for every step.
 */
function withStepNames(
  rows: Awaited<ReturnType<typeof readStepRows>>,
  namesOf: (executionId: string) => Map<string, string> | undefined,
) {
  return rows.map((row) => ({ ...row, name: namesOf(row.executionId)?.get(row.stepId) ?? row.stepId }));
}

const namesIn = (definition: Pick<WorkflowDefinition, 'steps'>) =>
  new Map(definition.steps.map((step) => [step.id, step.name]));

/**
 * The recorded steps of these executions (those matching `where` among them), in order, named from
 * the executions' definition snapshots. The ids are known up front, so both are read at once.
 */
export async function readSteps(
  db: Pick<Db, 'select'>,
  executionIds: string[],
  where: SQL | undefined = inArray(executionSteps.executionId, executionIds),
) {
  const [rows, snapshots] = await Promise.all([
    readStepRows(db, where),
    db
      .select({
        id: executions.id,
        steps: sql<WorkflowDefinition['steps']>`${executions.definition} -> 'steps'`,
      })
      .from(executions)
      .where(inArray(executions.id, executionIds)),
  ]);
  const names = new Map(snapshots.map((snapshot) => [snapshot.id, namesIn(snapshot)]));
  return withStepNames(rows, (executionId) => names.get(executionId));
}

export async function getExecution(db: Db, userId: string, id: string) {
  const [row] = await db
    .select({
      ...summaryColumns,
      trigger: executions.trigger,
      receivedBody: executions.receivedBody,
      definition: executions.definition,
      workflowVersion: executions.workflowVersion,
      draft: executions.draft,
      rerunOf: executions.rerunOf,
    })
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(eq(executions.id, id), eq(executions.userId, userId)));
  if (!row) throw notFound('Execution');
  const names = namesIn(row.definition);
  const steps = withStepNames(await readStepRows(db, eq(executionSteps.executionId, id)), () => names);
  const { receivedBody, ...execution } = row;
  return {
    ...withDuration(execution),
    // As text for the page (bytes that are not UTF-8 show as U+FFFD), and how many bytes arrived.
    receivedBody: receivedBody && { text: receivedBody.toString('utf8'), bytes: receivedBody.length },
    steps,
  };
}

/** A new execution of the same workflow with the same trigger data, using the workflow as it is now. */
export async function rerunExecution(db: Db, queue: ExecutionQueue, userId: string, id: string) {
  const [row] = await db
    .select({
      trigger: executions.trigger,
      receivedBody: executions.receivedBody,
      definition: executions.definition,
      workflow: workflows,
    })
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(and(eq(executions.id, id), eq(executions.userId, userId)));
  if (!row) throw notFound('Execution');
  const created = await createExecution(db, queue, {
    workflow: row.workflow,
    mode: 'rerun',
    // The trigger that delivered this data is the one of the snapshot, whatever the workflow has now.
    trigger: rerunData(row.definition.trigger.type, row.trigger),
    receivedBody: row.receivedBody,
    rerunOf: id,
  });
  return { executionId: created.id };
}

/**
 * `workflows.testRun`: runs the workflow now with the given body, even while it is switched off.
 * With `draft`, the editor's unsaved definition (already validated like a save) runs instead of the
 * saved one; the execution records the version it was based on.
 */
export async function testRunWorkflow(
  db: Db,
  queue: ExecutionQueue,
  userId: string,
  input: { workflowId: string; payload: JsonValue; draft?: WorkflowDefinition | undefined },
) {
  const [workflow] = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, input.workflowId), eq(workflows.userId, userId)));
  if (!workflow) throw notFound('Workflow');
  const definition = input.draft ?? workflow.definition;
  const created = await createExecution(db, queue, {
    workflow: { ...workflow, definition },
    mode: 'manual',
    trigger: testRunData(definition.trigger, input.payload, workflow),
    draft: input.draft !== undefined,
  });
  return { executionId: created.id };
}

/** `executions.resolve`: the full id of the caller's execution whose UUID starts with `prefix`. */
export async function resolveExecutionId(db: Db, userId: string, prefix: string): Promise<{ id: string }> {
  const hex = prefix.replaceAll('-', '').toLowerCase();
  const uuidOf = (digits: string) =>
    `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
  // A range of the primary key: every UUID that starts with these digits.
  const rows = await db
    .select({ id: executions.id })
    .from(executions)
    .where(
      and(
        eq(executions.userId, userId),
        between(executions.id, uuidOf(hex.padEnd(32, '0')), uuidOf(hex.padEnd(32, 'f'))),
      ),
    )
    .limit(2);
  const [first] = rows;
  if (!first) throw notFound('Execution');
  if (rows.length > 1) {
    throw new ServiceError(
      'BAD_REQUEST',
      `More than one of your executions has an id starting with "${prefix}": give more of the id.`,
    );
  }
  return first;
}

/** Recent executions the field picker looks through for each step's last output. */
const SAMPLE_EXECUTIONS = 50;
/** A step output stored larger than this is not sent to the editor as a sample. */
const MAX_SAMPLE_BYTES = 256 * 1024;

/**
 * `workflows.sampleData`: what the expression picker offers as real data. The trigger fields of the
 * workflow's last execution, and for each step id the output of its last successful run among the
 * recent executions (outputs too large to send say so instead).
 */
export async function workflowSampleData(db: Db, userId: string, workflowId: string) {
  const [workflow] = await db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.userId, userId)));
  if (!workflow) throw notFound('Workflow');

  const recent = db
    .select({ id: executions.id, createdAt: executions.createdAt })
    .from(executions)
    .where(eq(executions.workflowId, workflowId))
    .orderBy(...newestFirst)
    .limit(SAMPLE_EXECUTIONS)
    .as('recent');
  const [[last], latest] = await Promise.all([
    db
      .select({
        id: executions.id,
        mode: executions.mode,
        createdAt: executions.createdAt,
        trigger: executions.trigger,
        triggerType: sql<TriggerType>`${executions.definition} -> 'trigger' ->> 'type'`,
      })
      .from(executions)
      .where(eq(executions.workflowId, workflowId))
      .orderBy(...newestFirst)
      .limit(1),
    db
      .selectDistinctOn([executionSteps.stepId], {
        stepId: executionSteps.stepId,
        executionId: executionSteps.executionId,
        createdAt: recent.createdAt,
      })
      .from(recent)
      .innerJoin(executionSteps, eq(executionSteps.executionId, recent.id))
      .where(eq(executionSteps.status, 'succeeded'))
      .orderBy(executionSteps.stepId, sql`${recent.createdAt} desc`, sql`${recent.id} desc`),
  ]);
  // Outputs are read only for the runs chosen, and sent only when they are small enough: the stored
  // (compressed) size is checked first, so a large output is not even decompressed.
  const chosen = latest.map((row) => sql`(${row.executionId}::uuid, ${row.stepId})`);
  const outputs =
    chosen.length === 0
      ? []
      : await db.execute<{ step_id: string; fits: boolean; output: unknown }>(sql`
          select step_id, fits, case when fits then output end as output
          from (
            select step_id, output,
              pg_column_size(output) <= ${MAX_SAMPLE_BYTES} and octet_length(output::text) <= ${MAX_SAMPLE_BYTES} as fits
            from ${executionSteps}
            where (execution_id, step_id) in (${sql.join(chosen, sql`, `)})
          ) sized`);
  const outputOf = new Map(outputs.map((row) => [row.step_id, row]));

  return {
    trigger: last
      ? {
          executionId: last.id,
          mode: last.mode,
          createdAt: last.createdAt,
          // What expressions read as `trigger.<field>`, from the type of the snapshot that ran.
          fields: isTriggerType(last.triggerType) ? triggerScope(last.triggerType, last.trigger) : {},
        }
      : null,
    steps: latest.map((row) => {
      const stored = outputOf.get(row.stepId);
      return {
        stepId: row.stepId,
        executionId: row.executionId,
        createdAt: row.createdAt,
        ...(stored?.fits === false ? { tooLarge: true as const } : { output: stored?.output ?? null }),
      };
    }),
  };
}
