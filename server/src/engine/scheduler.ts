/**
 * The scheduler loop: repairs drift between workflows and their schedules once at start-up, then
 * fires the schedules that come due. Every worker process runs one (and the web process with
 * WORKER_MODE=inline); they need no leader, since a slot can only ever get one execution (see
 * services/schedules.ts).
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../clock';
import type { Db } from '../db/client';
import type { Logger } from '../log';
import type { ExecutionQueue } from '../services/executions';
import { fireDueSchedules, reconcileSchedules } from '../services/schedules';

/**
 * Longest sleep between two looks at the schedules: how soon a schedule armed or changed in another
 * process is noticed. A slot that is already known is fired on time, not on this beat.
 */
const POLL_MS = 1_000;
/** After a failed pass (database away), the next try. */
const RETRY_MS = 5_000;

export interface SchedulerOptions {
  db: Db;
  queue: ExecutionQueue;
  clock: Clock;
  log?: Logger;
}

export interface SchedulerHandle {
  stop(): Promise<void>;
}

export async function startScheduler(options: SchedulerOptions): Promise<SchedulerHandle> {
  const { db, queue, clock, log } = options;
  const repairs = await reconcileSchedules(db, clock.now());
  for (const repair of repairs) log?.warn(repair, 'schedule drift repaired');
  log?.info({ repaired: repairs.length }, 'scheduler started');

  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      let wait = POLL_MS;
      try {
        const { fired, nextDueAt } = await fireDueSchedules(db, queue, clock.now(), log);
        for (const run of fired) {
          log?.info(
            { ...run, delayMs: clock.now().getTime() - run.scheduledFor.getTime() },
            run.catchUp ? 'schedule caught up' : 'schedule fired',
          );
        }
        if (nextDueAt) wait = Math.max(0, Math.min(POLL_MS, nextDueAt.getTime() - clock.now().getTime()));
      } catch (error) {
        log?.error({ err: error }, 'scheduler pass failed; trying again');
        wait = RETRY_MS;
      }
      await delay(wait, undefined, { signal: stopping.signal }).catch(() => {});
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
