/**
 * Runs one execution: claims it, runs the steps of its definition snapshot in order, records each
 * step as it finishes, and finishes the execution. Written to run twice safely (the queue delivers
 * at least once): a duplicate delivery finds the execution taken and does nothing, and a retry after
 * a crash resumes after the last recorded step instead of repeating it.
 */
import {
  type CredentialValue,
  type ExecutionStatus,
  ExpressionLimitError,
  type ExpressionScope,
  jsonValueProblem,
  MAX_JSON_DEPTH,
  type Step,
} from '@automateos/shared';
import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import { type ErrorInfo, executionSteps, executions } from '../db/schema';
import type { Logger } from '../log';
import type { OutboundHttp } from '../net/http-client';
import { resolveStep, runStep } from '../nodes/registry';
import { type ApiBaseUrls, type StepContext, StepFailure, type StepLogger } from '../nodes/types';
import { redactDeliveries } from '../services/deliveries';
import { triggerScope } from '../triggers/registry';
import { ExecutionCredentials } from './execution-credentials';

export interface RunDeps {
  db: Db;
  /** The worker's outbound HTTP layer, handed to every step. */
  http: OutboundHttp;
  /** The base URLs of the Notion and Slack APIs (NOTION_API_URL, SLACK_API_URL). */
  apis: ApiBaseUrls;
  /** Decrypts the credentials steps name. */
  keyring: Keyring;
  log?: Pick<Logger, 'child'>;
}

export interface RunRequest {
  executionId: string;
  /** The queue job delivering it, and which retry of that job this is. */
  jobId: string;
  jobAttempt: number;
  signal: AbortSignal;
}

/**
 * `skipped`: another delivery has the execution. `superseded`: this attempt lost it while running
 * (its worker was presumed dead and the job retried); it recorded nothing more and stopped.
 */
export type RunResult = 'finished' | 'skipped' | 'superseded';

const quiet: StepLogger = { info: () => {}, warn: () => {} };

/**
 * What one step may record as its input or output: Postgres' JSON parser is recursive, and the text
 * bound (which also bounds the values: each costs a character or more) keeps one step's record
 * well inside a JSON value and the worker's memory.
 */
const STEP_DATA_LIMITS = {
  maxDepth: MAX_JSON_DEPTH,
  maxNodes: 32 * 1024 * 1024,
  maxTextLength: 32 * 1024 * 1024,
  measureOnly: true,
};

/** Why `value` cannot be recorded as a step's `what`, as a failure; undefined when it can. */
function unstorable(value: unknown, what: 'input' | 'output'): StepFailure | undefined {
  const problem = jsonValueProblem(value, STEP_DATA_LIMITS);
  if (problem === undefined) return undefined;
  const reason = problem.charAt(0).toLowerCase() + problem.slice(1);
  // Text PostgreSQL cannot hold (a NUL character) is not a matter of size.
  const kind = problem.endsWith('cannot be stored') ? 'UNSTORABLE' : 'TOO_LARGE';
  return new StepFailure(
    `The step's ${what} cannot be recorded: ${reason}.`,
    `${what === 'input' ? 'INPUT' : 'OUTPUT'}_${kind}`,
  );
}

function toErrorInfo(error: unknown, stepId: string): ErrorInfo {
  if (error instanceof StepFailure) return { message: error.message, code: error.code, stepId };
  if (error instanceof ExpressionLimitError)
    return { message: error.message, code: 'EXPRESSION_LIMIT', stepId };
  if (error instanceof Error && error.name === 'AbortError') throw error; // the worker is stopping: retry later
  return { message: error instanceof Error ? error.message : String(error), code: 'STEP_ERROR', stepId };
}

/**
 * `value` as an insert binds it into `column`, for an insert … select: cast to the column's type,
 * which a select list does not take from the insert's target.
 */
function bound<Column extends PgColumn>(column: Column, value: Column['_']['data'] | null) {
  return sql`cast(${sql.param(value, column)} as ${sql.raw(column.getSQLType())})`.as(column.name);
}

export async function runExecution(deps: RunDeps, request: RunRequest): Promise<RunResult> {
  const { db } = deps;
  const claimed = await db
    .update(executions)
    .set({
      status: 'running',
      startedAt: sql`coalesce(${executions.startedAt}, now())`,
      attempt: sql`${executions.attempt} + 1`,
      jobId: request.jobId,
      jobAttempt: request.jobAttempt,
    })
    .where(
      and(
        eq(executions.id, request.executionId),
        or(
          eq(executions.status, 'queued'),
          // A later retry of the same job takes over from a worker that died; nothing else may.
          and(
            eq(executions.status, 'running'),
            eq(executions.jobId, request.jobId),
            sql`${executions.jobAttempt} < ${request.jobAttempt}`,
          ),
        ),
      ),
    )
    .returning({
      definition: executions.definition,
      trigger: executions.trigger,
      attempt: executions.attempt,
      userId: executions.userId,
    });
  const execution = claimed[0];
  if (!execution) return 'skipped';
  // Each claim counts an attempt, so the attempt number says who owns the execution now. Every
  // write below is conditional on it: a retry may take over while this attempt is still alive.
  const owned = and(
    eq(executions.id, request.executionId),
    eq(executions.status, 'running'),
    eq(executions.attempt, execution.attempt),
  );

  // Only a later attempt can find steps recorded before it.
  const done =
    execution.attempt > 1
      ? await db
          .select()
          .from(executionSteps)
          .where(eq(executionSteps.executionId, request.executionId))
          .orderBy(asc(executionSteps.position))
      : [];
  const recorded = new Map(done.map((row) => [row.stepId, row]));
  const scope: ExpressionScope & { steps: Record<string, unknown> } = {
    trigger: triggerScope(execution.definition.trigger.type, execution.trigger),
    steps: {},
  };

  const credentials = new ExecutionCredentials({ db, keyring: deps.keyring }, execution.userId);

  // The bytes as received carry the same secret as the parsed trigger data: cleaned as text likewise.
  const redactedBody = async () => {
    const [row] = await db
      .select({ body: executions.receivedBody })
      .from(executions)
      .where(eq(executions.id, request.executionId));
    return row?.body ? Buffer.from(credentials.redactor.text(row.body.toString('utf8'))) : null;
  };

  const finish = async (status: ExecutionStatus, error: ErrorInfo | null = null): Promise<RunResult> => {
    // A secret a step used may have come in with the trigger data too (a caller posting the token).
    const trigger = credentials.redactor.value(execution.trigger);
    const redacted = trigger !== execution.trigger && { trigger, receivedBody: await redactedBody() };
    const finished = await db
      .update(executions)
      .set({ status, error, finishedAt: sql`now()`, ...redacted })
      .where(owned)
      .returning({ id: executions.id });
    if (redacted && finished.length > 0)
      await redactDeliveries(db, request.executionId, credentials.redactor);
    return finished.length > 0 ? 'finished' : 'superseded';
  };

  const steps: Step[] = execution.definition.steps;
  for (const [position, step] of steps.entries()) {
    const previous = recorded.get(step.id);
    if (previous) {
      await credentials.noteRecorded(step);
      // Recorded by an earlier attempt: reuse its result instead of running it again.
      if (previous.status === 'succeeded') {
        scope.steps[step.id] = previous.output;
        continue;
      }
      if (previous.status === 'filtered') return finish('filtered');
      return finish('failed', previous.error ?? { message: 'Step failed', stepId: step.id });
    }

    request.signal.throwIfAborted();
    const startedAt = new Date();
    let input: unknown = null;
    let missing: string[] = [];
    let status: 'succeeded' | 'filtered' | 'failed';
    let output: unknown = null;
    let error: ErrorInfo | null = null;
    let attempts = 1;
    let credential: CredentialValue | undefined;
    try {
      ({ input, missing } = resolveStep(step, scope));
      const inputProblem = unstorable(input, 'input');
      if (inputProblem) {
        input = null;
        throw inputProblem;
      }
      credentials.noteInput(step, input);
      credential = await credentials.forStep(step);
      const ctx: StepContext = {
        signal: request.signal,
        http: deps.http,
        apis: deps.apis,
        log: credentials.logger(
          deps.log?.child({ executionId: request.executionId, stepId: step.id }) ?? quiet,
        ),
        credential,
      };
      const outcome = await runStep(step, input, ctx);
      output = outcome.output;
      const outputProblem = unstorable(output, 'output');
      if (outputProblem) {
        output = null;
        throw outputProblem;
      }
      status = outcome.kind === 'stop' ? 'filtered' : 'succeeded';
      if (outcome.kind === 'continue') attempts = outcome.attempts;
    } catch (caught) {
      if (request.signal.aborted) throw caught;
      status = 'failed';
      error = toErrorInfo(caught, step.id);
      if (caught instanceof StepFailure) {
        attempts = caught.attempts;
        // A failed step's output (e.g. the response that made it fail) is kept only if it fits.
        if (caught.output !== undefined && !unstorable(caught.output, 'output')) output = caught.output;
      }
    }
    const finishedAt = new Date();
    // Secrets out of what is recorded (and of what later steps read): credentials, echoes, hand-typed keys.
    ({ input, output, error } = credentials.recorded(step, { input, output, error }, credential));
    // Recorded only while this attempt owns the execution, in one statement. FOR SHARE makes a
    // takeover's claim (an update) wait for this insert to commit, so the new owner reads the step.
    const saved = await db
      .insert(executionSteps)
      .select(
        db
          .select({
            id: sql`gen_random_uuid()`.as('id'),
            executionId: executions.id,
            stepId: bound(executionSteps.stepId, step.id),
            position: bound(executionSteps.position, position),
            type: bound(executionSteps.type, step.type),
            status: bound(executionSteps.status, status),
            input: bound(executionSteps.input, input),
            missing: bound(executionSteps.missing, missing),
            output: bound(executionSteps.output, output),
            error: bound(executionSteps.error, error),
            startedAt: bound(executionSteps.startedAt, startedAt),
            finishedAt: bound(executionSteps.finishedAt, finishedAt),
            durationMs: bound(executionSteps.durationMs, finishedAt.getTime() - startedAt.getTime()),
            attempt: bound(executionSteps.attempt, attempts),
          })
          .from(executions)
          .where(owned)
          .for('share'),
      )
      .returning({ id: executionSteps.id });
    // A later attempt owns the execution (and runs this step itself): no further step from here.
    if (saved.length === 0) return 'superseded';

    if (status === 'failed') return finish('failed', error);
    if (status === 'filtered') return finish('filtered');
    scope.steps[step.id] = output;
  }
  return finish('succeeded');
}

/** Marks executions whose job ran out of retries (dead-lettered) as failed, with the reason. */
export async function failAbandoned(db: Db, executionIds: string[], reason: string): Promise<void> {
  if (executionIds.length === 0) return;
  await db
    .update(executions)
    .set({ status: 'failed', finishedAt: sql`now()`, error: { message: reason, code: 'WORKER_GAVE_UP' } })
    .where(and(inArray(executions.id, executionIds), inArray(executions.status, ['queued', 'running'])));
}
