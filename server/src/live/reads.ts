/** The rows behind live events, read once per batch of notifications (or on (re)subscribe). */
import { and, asc, eq, gte, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { executionSteps, executions, workflows } from '../db/schema';
import { readSteps, summaryColumns, withDuration } from '../services/executions';

type Reader = Pick<Db, 'select' | 'execute'>;

export type ExecutionSummary = Awaited<ReturnType<typeof readSummaries>>[number]['execution'];
export type StepRecord = Awaited<ReturnType<typeof readSteps>>[number];

/** A position every change older than which is visible now: the oldest transaction still running. */
export async function currentPosition(db: Reader): Promise<number> {
  const rows = await db.execute<{ position: string }>(
    sql`select pg_snapshot_xmin(pg_current_snapshot())::text as position`,
  );
  return Number(rows[0]?.position ?? 0);
}

/**
 * Reads that go with a position: the position is taken first, so every read after it sees at least
 * each change older than it (it may see newer ones too; those come again as notifications).
 */
export async function atPosition<T>(db: Reader, read: (position: number) => Promise<T>): Promise<T> {
  return read(await currentPosition(db));
}

export async function readSummaries(db: Reader, where: SQL | undefined, limit?: number) {
  const query = db
    .select({ userId: executions.userId, execution: summaryColumns })
    .from(executions)
    .innerJoin(workflows, eq(workflows.id, executions.workflowId))
    .where(where)
    .orderBy(asc(executions.changeXid));
  const rows = await (limit === undefined ? query : query.limit(limit));
  return rows.map((row) => ({ userId: row.userId, execution: withDuration(row.execution) }));
}

export function summariesOf(db: Reader, executionIds: string[]) {
  return readSummaries(db, inArray(executions.id, executionIds));
}

/** The account's executions (or one workflow's) changed at or after `from`, oldest change first. */
export function changedSince(
  db: Reader,
  filter: { userId: string; workflowId?: string | undefined; from: number },
  limit: number,
) {
  return readSummaries(
    db,
    and(
      eq(executions.userId, filter.userId),
      filter.workflowId ? eq(executions.workflowId, filter.workflowId) : undefined,
      gte(executions.changeXid, filter.from),
    ),
    limit,
  );
}

export function stepsOf(db: Reader, keys: { executionId: string; stepId: string }[]) {
  const pairs = keys.map((key) => sql`(${key.executionId}::uuid, ${key.stepId})`);
  return readSteps(
    db,
    [...new Set(keys.map((key) => key.executionId))],
    sql`(${executionSteps.executionId}, ${executionSteps.stepId}) in (${sql.join(pairs, sql`, `)})`,
  );
}

export function allStepsOf(db: Reader, executionIds: string[]) {
  return readSteps(db, executionIds);
}

export function errorsOf(db: Reader, executionIds: string[]) {
  return db
    .select({ id: executions.id, error: executions.error })
    .from(executions)
    .where(inArray(executions.id, executionIds));
}

export async function ownsWorkflow(db: Reader, userId: string, workflowId: string): Promise<boolean> {
  const rows = await db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.userId, userId)));
  return rows.length > 0;
}

export async function statusOf(db: Reader, executionId: string) {
  const [row] = await db
    .select({ status: executions.status })
    .from(executions)
    .where(eq(executions.id, executionId));
  return row?.status;
}
