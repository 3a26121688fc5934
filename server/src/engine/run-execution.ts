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
  type TriggerData,
  type WorkflowDefinition,
} from '@automateos/shared';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import { type ErrorInfo, executionSteps, executions } from '../db/schema';
import type { Logger } from '../log';
import type { OutboundHttp } from '../net/http-client';
import { hasSideEffects, resolveStep, runStep } from '../nodes/registry';
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

/** An execution its claim handed to one job: what the run needs, read in the same statement. */
export interface ClaimedExecution {
  definition: WorkflowDefinition;
  trigger: TriggerData;
  /** The claim's attempt number: every later write is conditional on it still being the owner's. */
  attempt: number;
  userId: string;
  workflowId: string;
}

/**
 * Claims the executions a batch of jobs delivers, in one statement, keyed by the job that got each:
 * a queued one, or a running one whose holder was an earlier retry of the same job (a worker that
 * died). A duplicate delivery, in this batch or another, finds it taken and gets nothing.
 */
export async function claimExecutions(
  db: Db,
  requests: readonly Pick<RunRequest, 'executionId' | 'jobId' | 'jobAttempt'>[],
): Promise<Map<string, ClaimedExecution>> {
  const jobs = JSON.stringify(
    requests.map((request) => ({
      execution_id: request.executionId,
      job_id: request.jobId,
      job_attempt: request.jobAttempt,
    })),
  );
  // postgres.js's own template: a prepared statement, planned once per connection.
  const rows = await db.$client<(ClaimedExecution & { jobId: string })[]>`
    update executions e
    set status = 'running', started_at = coalesce(e.started_at, now()), attempt = e.attempt + 1,
      job_id = v.job_id, job_attempt = v.job_attempt
    from json_to_recordset(${jobs}::json) as v(execution_id uuid, job_id text, job_attempt int)
    where e.id = v.execution_id
      and (e.status = 'queued' or (e.status = 'running' and e.job_id = v.job_id and e.job_attempt < v.job_attempt))
    returning e.definition, e.trigger, e.attempt, e.user_id as "userId", e.workflow_id as "workflowId",
      v.job_id as "jobId"`;
  return new Map(rows.map(({ jobId, ...execution }) => [jobId, execution]));
}

/** A step's record as the worker writes it: one JSON text for all the records of one write. */
interface StepRecord {
  step_id: string;
  position: number;
  type: string;
  status: 'succeeded' | 'filtered' | 'failed';
  input: unknown;
  missing: string[];
  output: unknown;
  error: ErrorInfo | null;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  attempt: number;
}

/** The select list that turns a JSON array of StepRecords into execution_steps rows of `owner`. */
const stepRows = (owner: string) => `
  select gen_random_uuid(), ${owner}.id, v.step_id, v.position, v.type, v.status, v.input, v.missing, v.output,
    v.error, v.started_at, v.finished_at, v.duration_ms, v.attempt
  from ${owner} cross join json_to_recordset($3::json) as v(step_id text, position int, type text, status text,
    input json, missing jsonb, output json, error json, started_at timestamptz, finished_at timestamptz,
    duration_ms int, attempt int)`;
const STEP_COLUMNS =
  'id, execution_id, step_id, position, type, status, input, missing, output, error, started_at, finished_at, duration_ms, attempt';

// Recorded only while this attempt owns the execution, in one statement. FOR SHARE makes a
// takeover's claim (an update) wait for this insert to commit, so the new owner reads the steps.
const RECORD_STEPS = `
  with owner as (select id from executions where id = $1 and status = 'running' and attempt = $2 for share)
  insert into execution_steps (${STEP_COLUMNS}) ${stepRows('owner')}
  returning 1`;

// The last records and the outcome together: one round trip and one commit for a fast execution.
// The steps are inserted first (the update waits on their count), so live updates announce them
// before the outcome. Redaction (a secret a step used came in with the trigger data) rewrites the
// stored trigger too.
const FINISH = `
  with owner as (select id from executions where id = $1 and status = 'running' and attempt = $2 for update),
  recorded as (
    insert into execution_steps (${STEP_COLUMNS}) ${stepRows('owner')}
    returning 1
  ), done as (
    update executions e set status = $4, error = $5::json, finished_at = now(),
      trigger = case when $6::boolean then $7::json else e.trigger end,
      received_body = case when $6::boolean then $8::bytea else e.received_body end
    from owner
    where e.id = owner.id and (select count(*) from recorded) >= 0
    returning e.id
  )
  select count(*)::int as finished from done`;

export async function runExecution(deps: RunDeps, request: RunRequest): Promise<RunResult> {
  const claimed = await claimExecutions(deps.db, [request]);
  return runClaimed(deps, claimed.get(request.jobId), request);
}

/** Runs an execution `claimExecutions` gave this request's job; `skipped` when it gave none. */
export async function runClaimed(
  deps: RunDeps,
  execution: ClaimedExecution | undefined,
  request: RunRequest,
): Promise<RunResult> {
  const { db } = deps;
  if (!execution) return 'skipped';
  const sql = db.$client;
  const owner = [request.executionId, execution.attempt] as const;

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

  // Steps run but not yet recorded: written before the next step that reaches out, or with the outcome.
  let unrecorded: StepRecord[] = [];
  /** False when a later attempt owns the execution now. */
  const recordSteps = async (): Promise<boolean> => {
    if (unrecorded.length === 0) return true;
    const saved = await sql.unsafe(RECORD_STEPS, [...owner, JSON.stringify(unrecorded)], { prepare: true });
    unrecorded = [];
    return saved.length > 0;
  };

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
    const redacted = trigger !== execution.trigger;
    const [row] = await sql.unsafe<{ finished: number }[]>(
      FINISH,
      [
        ...owner,
        JSON.stringify(unrecorded),
        status,
        error && JSON.stringify(error),
        redacted,
        redacted ? JSON.stringify(trigger) : null,
        redacted ? await redactedBody() : null,
      ],
      { prepare: true },
    );
    unrecorded = [];
    const finished = (row?.finished ?? 0) > 0;
    if (redacted && finished)
      await redactDeliveries(
        db,
        { workflowId: execution.workflowId, executionId: request.executionId },
        credentials.redactor,
      );
    return finished ? 'finished' : 'superseded';
  };

  /** The worker is stopping: what ran is recorded (so the retry does not repeat it), then the attempt ends. */
  const stopIfAborted = async (caught?: unknown) => {
    if (!request.signal.aborted) return;
    await recordSteps().catch(() => {});
    if (caught !== undefined) throw caught;
    request.signal.throwIfAborted();
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

    await stopIfAborted();
    // A step that reaches out runs only once what ran before it is durable: a retry must not repeat those.
    if (hasSideEffects(step) && !(await recordSteps())) return 'superseded';
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
      await stopIfAborted(caught);
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
    unrecorded.push({
      step_id: step.id,
      position,
      type: step.type,
      status,
      input,
      missing,
      output,
      error,
      started_at: startedAt.toISOString(),
      finished_at: finishedAt.toISOString(),
      duration_ms: finishedAt.getTime() - startedAt.getTime(),
      attempt: attempts,
    });

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
