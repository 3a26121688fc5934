/**
 * The worker loop: takes execution jobs from pg-boss and runs them. Used by the worker process
 * (worker.ts) and, with WORKER_MODE=inline, inside the web process.
 */
import type { Job, PgBoss } from 'pg-boss';
import { pruneSignInThrottle } from '../auth/throttle';
import { type Clock, systemClock } from '../clock';
import type { Config } from '../config';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import type { Logger } from '../log';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { type ExecutionJob, executionQueue, QUEUES } from '../queue/queues';
import { pruneExecutions, pruneIdempotencyKeys } from './retention';
import { claimExecutions, failAbandoned, runClaimed } from './run-execution';
import { startScheduler } from './scheduler';

export interface WorkerHandle {
  /** Stops taking jobs, lets running executions finish (bounded), then resolves. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  boss: PgBoss;
  db: Db;
  config: Pick<
    Config,
    'WORKER_CONCURRENCY' | 'SSRF_ALLOWLIST' | 'EXECUTION_RETENTION_DAYS' | 'NOTION_API_URL' | 'SLACK_API_URL'
  >;
  /** Decrypts the credentials steps use (the active key and any older ones still in use). */
  keyring: Keyring;
  log?: Logger;
  /** The scheduler's time; the system clock unless a test moves its own. */
  clock?: Clock;
}

export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const { boss, db, config, keyring } = options;
  const log = options.log;
  // One pool of guarded connections for every step this worker runs.
  const http = createOutboundHttp({ policy: createAddressPolicy(config.SSRF_ALLOWLIST), log });

  // Several small batches rather than one big one: a slow step holds only its own batch, and a full
  // batch makes pg-boss fetch again at once instead of waiting for the next poll.
  const batchSize = Math.min(4, config.WORKER_CONCURRENCY);
  const localConcurrency = Math.max(1, Math.ceil(config.WORKER_CONCURRENCY / batchSize));

  await boss.work<ExecutionJob>(
    QUEUES.executions,
    {
      batchSize,
      localConcurrency,
      burstWhenBatchFull: true,
      perJobResults: true,
      pollingIntervalSeconds: 2,
      // NOTIFY wakes us for new jobs, but not for retries that come due: poll often enough for those.
      notifyPollingIntervalSeconds: 2,
    },
    async (jobs: Job<ExecutionJob>[]) => {
      const requests = jobs.map((job) => ({
        executionId: job.data.executionId,
        jobId: job.id,
        jobAttempt: job.retryCount,
        signal: job.signal,
      }));
      // Infrastructure trouble (database gone, worker stopping): the job is retried and resumes.
      const interrupted = (request: (typeof requests)[number], error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        log?.warn(
          { executionId: request.executionId, jobAttempt: request.jobAttempt, err: message },
          'execution interrupted; will retry',
        );
        return { id: request.jobId, status: 'failed' as const, output: { message } };
      };
      // The whole batch claimed in one statement; each job then runs its own execution.
      let claimed: Awaited<ReturnType<typeof claimExecutions>>;
      try {
        claimed = await claimExecutions(db, requests);
      } catch (error) {
        return requests.map((request) => interrupted(request, error));
      }
      return Promise.all(
        requests.map(async (request) => {
          const started = Date.now();
          try {
            const result = await runClaimed(
              { db, http, apis: config, keyring, log },
              claimed.get(request.jobId),
              request,
            );
            const details = {
              executionId: request.executionId,
              jobAttempt: request.jobAttempt,
              result,
              ms: Date.now() - started,
            };
            if (result === 'superseded')
              log?.warn(details, 'execution superseded: a later attempt took it over; this one stopped');
            else
              log?.info(
                details,
                result === 'finished' ? 'execution finished' : 'execution already taken; skipped',
              );
            return { id: request.jobId, status: 'completed' as const };
          } catch (error) {
            return interrupted(request, error);
          }
        }),
      );
    },
  );

  await boss.work<ExecutionJob>(QUEUES.executionsDead, { batchSize: 20 }, async (jobs) => {
    await failAbandoned(
      db,
      jobs.map((job) => job.data.executionId),
      'The worker could not finish this execution after several attempts (crashes or database outages).',
    );
  });

  // Hourly: cheap when there is nothing to prune, and keeps any one run's deletes small.
  await boss.schedule(QUEUES.retention, '17 * * * *');
  await boss.work(QUEUES.retention, async () => {
    const deleted = await pruneExecutions(db, config.EXECUTION_RETENTION_DAYS);
    if (deleted > 0)
      log?.info({ deleted, days: config.EXECUTION_RETENTION_DAYS }, 'retention: deleted old executions');
    const keys = await pruneIdempotencyKeys(db);
    if (keys > 0) log?.info({ deleted: keys }, 'retention: deleted expired webhook idempotency keys');
    const throttleRows = await pruneSignInThrottle(db);
    if (throttleRows > 0) log?.info({ deleted: throttleRows }, 'retention: deleted old sign-in counters');
  });

  const scheduler = await startScheduler({
    db,
    queue: executionQueue(boss),
    clock: options.clock ?? systemClock,
    log: log?.child({ role: 'scheduler' }),
  });

  log?.info({ concurrency: config.WORKER_CONCURRENCY }, 'taking executions');
  return {
    async stop() {
      await scheduler.stop();
      await boss.offWork(QUEUES.executions, { wait: true });
      await boss.offWork(QUEUES.executionsDead, { wait: true });
      await boss.offWork(QUEUES.retention, { wait: true });
      await http.close();
    },
  };
}
