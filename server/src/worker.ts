/** The worker process: runs executions from the queue. It never serves HTTP. Scale out by starting more. */

import type { PgBoss } from 'pg-boss';
import type { Keyring } from './credentials/keys';
import { assertCredentialKeys } from './credentials/keys-in-use';
import { createDb, createSql } from './db/client';
import { connectWithRetry } from './db/wait';
import { startWorker, type WorkerHandle } from './engine/worker';
import { createLogger } from './log';
import { startBoss } from './queue/queues';
import { exitWithConfigError, loadConfigOrExit, requireDatabaseUrl, resolveCredentialKeys } from './runtime';

const config = loadConfigOrExit();
const log = createLogger(config, 'worker');
let databaseUrl: string;
let keyring: Keyring;
try {
  databaseUrl = requireDatabaseUrl(config);
  keyring = resolveCredentialKeys(config, (line) => log.warn(line));
} catch (error) {
  exitWithConfigError(error);
}
// Step results and status changes are committed without waiting for the disk flush. WAL is written
// in order, and the job is completed in pg-boss (a synchronous commit) only after the execution
// finished, so once the queue says "done", every write before it is durable too. A Postgres crash
// before that point leaves the job unfinished: it is retried and resumes from the steps that survived,
// exactly as after a worker crash.
const sql = createSql(databaseUrl, {
  max: config.WORKER_CONCURRENCY + 2,
  asyncCommit: true,
  applicationName: 'automateos-worker',
});
const db = createDb(sql);

// Registered before the first job can start, so a SIGTERM during start-up also drains.
let stopping = false;
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

let boss: PgBoss | undefined;
let worker: WorkerHandle | undefined;
await connectWithRetry(sql, log);
try {
  await assertCredentialKeys(db, keyring);
} catch (error) {
  exitWithConfigError(error);
}
boss = await startBoss(databaseUrl, { maintenance: true, max: 4, log });
if (!stopping) worker = await startWorker({ boss, db, config, keyring, log });

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received, finishing running executions`);
  // Bounded: what is still running after this is retried by another worker.
  const timer = setTimeout(() => {
    log.error('executions still running after 25 s; exiting, they will be retried');
    process.exit(1);
  }, 25_000);
  await worker?.stop();
  await boss?.stop({ graceful: true, timeout: 5_000 });
  await sql.end({ timeout: 5 });
  clearTimeout(timer);
  log.info('stopped');
  process.exit(0);
}
