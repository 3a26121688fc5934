import type { Logger } from '../log';
import type { Sql } from './client';

/**
 * Waits for the database at start-up, with a bound: a process that cannot reach it for
 * `timeoutMs` exits non-zero so the platform restarts it and the operator sees why.
 */
export async function connectWithRetry(sql: Sql, log: Logger, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await sql`select 1`;
      return;
    } catch (error) {
      if (Date.now() > until) {
        log.fatal({ err: error }, `database unreachable for ${timeoutMs / 1000} s; exiting`);
        process.exit(1);
      }
      log.warn({ attempt, err: (error as Error).message }, 'database unreachable, retrying');
      await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * attempt)));
    }
  }
}
