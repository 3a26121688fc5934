/** The worker process: runs executions from the queue. It never serves HTTP. */
import { createDb, createSql } from './db/client';
import { exitWithConfigError, loadConfigOrExit, requireDatabaseUrl } from './runtime';

const config = loadConfigOrExit();
let databaseUrl: string;
try {
  databaseUrl = requireDatabaseUrl(config);
} catch (error) {
  exitWithConfigError(error);
}
const sql = createSql(databaseUrl, { max: config.WORKER_CONCURRENCY + 2 });
createDb(sql);
await sql`select 1`;
console.log(`worker: connected, concurrency ${config.WORKER_CONCURRENCY}`);
const idle = setInterval(() => {}, 60_000);

function shutdown(signal: string) {
  console.log(`worker: ${signal} received, stopping`);
  clearInterval(idle);
  void sql.end({ timeout: 5 }).then(() => process.exit(0));
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
