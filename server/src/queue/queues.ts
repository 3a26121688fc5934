/**
 * Our one thin layer over pg-boss: queue names, their named retry policies, and `enqueueExecution`,
 * which joins the caller's transaction so an execution row never exists without its job (or the
 * other way round).
 */
import { sql } from 'drizzle-orm';
import { fromDrizzle, PgBoss, type Queue } from 'pg-boss';
import type { TransactionSql } from 'postgres';
import type { Tx } from '../db/client';
import type { Logger } from '../log';
import type { ExecutionQueue } from '../services/executions';

export const QUEUES = {
  /** One job per execution; the worker runs it. */
  executions: 'executions',
  /** Executions whose job used up its retries land here, so the worker can mark them failed. */
  executionsDead: 'executions-dead',
  /** Daily pruning of old executions. */
  retention: 'execution-retention',
} as const;

/**
 * Job-level retries are for the worker's own failures (killed process, database gone mid-run), not
 * for failing steps: those follow the step's own retry policy inside one attempt.
 */
export const RETRY_POLICIES = {
  NO_RETRY: { retryLimit: 0 },
  /** Survives a couple of worker crashes or a database restart, then gives up to the dead-letter queue. */
  WORKER_CRASH: { retryLimit: 5, retryDelay: 2, retryBackoff: true, retryDelayMax: 60 },
} as const satisfies Record<string, Partial<Queue>>;

const QUEUE_CONFIG: Queue[] = [
  {
    name: QUEUES.executionsDead,
    ...RETRY_POLICIES.WORKER_CRASH,
    notify: true,
  },
  {
    name: QUEUES.executions,
    ...RETRY_POLICIES.WORKER_CRASH,
    deadLetter: QUEUES.executionsDead,
    notify: true,
    // A worker that dies mid-execution stops heartbeating; its job is retried by another worker.
    heartbeatSeconds: 10,
    // Upper bound for one attempt: 50 steps may each wait on slow HTTP and retries.
    expireInSeconds: 60 * 60,
    deleteAfterSeconds: 60 * 60,
  },
  { name: QUEUES.retention, ...RETRY_POLICIES.NO_RETRY, deleteAfterSeconds: 24 * 60 * 60 },
];

export interface ExecutionJob {
  executionId: string;
}

export interface BossOptions {
  /** Worker processes run pg-boss maintenance (expiry, heartbeat checks); web processes only send. */
  maintenance: boolean;
  /** Seconds between maintenance passes; heartbeat expiry is noticed within this. */
  superviseIntervalSeconds?: number;
  max?: number;
  log?: Pick<Logger, 'error' | 'warn'>;
}

export async function startBoss(databaseUrl: string, options: BossOptions): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    max: options.max ?? 4,
    useListenNotify: options.maintenance, // only workers listen; senders just NOTIFY
    supervise: options.maintenance,
    schedule: options.maintenance,
    superviseIntervalSeconds: options.superviseIntervalSeconds ?? 5,
    monitorIntervalSeconds: options.superviseIntervalSeconds ?? 5,
    application_name: options.maintenance ? 'automateos-worker' : 'automateos-web',
  });
  // pg-boss reports connection trouble here and keeps retrying on its own.
  boss.on('error', (error) =>
    options.log ? options.log.error({ err: error }, 'pg-boss error') : console.error('pg-boss:', error),
  );
  await boss.start();
  for (const { name, ...queueOptions } of QUEUE_CONFIG) {
    if (!(await boss.getQueue(name))) {
      await boss.createQueue(name, queueOptions).catch(async (error: unknown) => {
        // Another process created it at the same moment.
        if (!(await boss.getQueue(name))) throw error;
      });
    }
  }
  return boss;
}

/** Sends the execution's job inside `tx`: both commit together or neither does. */
export async function enqueueExecution(boss: PgBoss, tx: Tx, executionId: string): Promise<void> {
  const job: ExecutionJob = { executionId };
  await boss.send(QUEUES.executions, job, { db: jobDb(tx) });
}

export function executionQueue(boss: PgBoss): ExecutionQueue {
  return {
    enqueue: (tx, executionId) => enqueueExecution(boss, tx, executionId),
    async enqueueMany(tx, executionIds) {
      const jobs = executionIds.map((executionId) => ({ data: { executionId } satisfies ExecutionJob }));
      await boss.insert(QUEUES.executions, jobs, { db: jobDb(tx) });
    },
  };
}

/** pg-boss's `db` for sending jobs in the caller's transaction, Drizzle's or postgres.js's. */
export function jobDb(tx: Tx | TransactionSql) {
  return 'unsafe' in tx ? preparedIn(tx) : fromDrizzle(tx, sql);
}

/**
 * pg-boss's statements in a postgres.js transaction, prepared: its insert is the same text every
 * time (the jobs travel as one JSON parameter), so it is parsed and planned once per connection.
 */
function preparedIn(tx: TransactionSql) {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      return { rows: await tx.unsafe(text, values as (string | number)[], { prepare: true }) };
    },
  };
}
