import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';

/**
 * Deletes terminal executions older than `days`, in batches so a big backlog never holds long
 * locks; queued and running executions are kept whatever their age. Steps go with them (cascade).
 */
export async function pruneExecutions(db: Db, days: number, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute<{ n: number }>(sql`
      with doomed as (
        select id from executions
        where finished_at is not null
          and finished_at < now() - make_interval(days => ${days})
          and status in ('succeeded', 'filtered', 'failed')
        limit ${batchSize}
      ), deleted as (
        delete from executions where id in (select id from doomed) returning 1
      )
      select count(*)::int as n from deleted`);
    const n = result[0]?.n ?? 0;
    total += n;
    if (n < batchSize) return total;
  }
}

/** Deletes idempotency keys whose window is over, in batches (a new delivery may take one over anyway). */
export async function pruneIdempotencyKeys(db: Db, batchSize = 5_000): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await db.execute<{ n: number }>(sql`
      with doomed as (
        select workflow_id, key from webhook_idempotency_keys where expires_at < now() limit ${batchSize}
      ), deleted as (
        delete from webhook_idempotency_keys k using doomed d
        where k.workflow_id = d.workflow_id and k.key = d.key and k.expires_at < now()
        returning 1
      )
      select count(*)::int as n from deleted`);
    const n = result[0]?.n ?? 0;
    total += n;
    if (n < batchSize) return total;
  }
}
