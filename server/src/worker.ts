/** The worker process: runs executions from the queue. It never serves HTTP. Scale out by starting more. */
import { createDb, createSql } from './db/client';
import { startWorker } from './engine/worker';
import { startBoss } from './queue/queues';
import { exitWithConfigError, loadConfigOrExit, requireDatabaseUrl } from './runtime';

const config = loadConfigOrExit();
let databaseUrl: string;
try {
  databaseUrl = requireDatabaseUrl(config);
} catch (error) {
  exitWithConfigError(error);
}
const sql = createSql(databaseUrl, { max: config.WORKER_CONCURRENCY + 2 });
const db = createDb(sql);
const boss = await startBoss(databaseUrl, { maintenance: true, max: 4 });
const worker = await startWorker({ boss, db, config });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`worker: ${signal} received, finishing running executions`);
  // Bounded: what is still running after this is retried by another worker.
  const timer = setTimeout(() => {
    console.error('worker: executions still running after 25 s; exiting, they will be retried');
    process.exit(1);
  }, 25_000);
  await worker.stop();
  await boss.stop({ graceful: true, timeout: 5_000 });
  await sql.end({ timeout: 5 });
  clearTimeout(timer);
  console.log('worker: stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
