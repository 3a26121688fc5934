/**
 * Two worker processes, and every execution's job delivered twice (a second job with the same
 * execution id, sent the moment the webhook is accepted): each execution still runs exactly once —
 * one claim, one HTTP call per step. Half the webhooks arrive before the workers start, so the two
 * deliveries sit next to each other in the queue and are fetched and claimed at the same moment;
 * the other half arrive while both workers are busy.
 */
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '../../src/queue/queues';
import { createTestDatabase, type TestDatabase } from '../db';
import {
  type AppProcess,
  cleanup,
  type HitTarget,
  outcome,
  report,
  seconds,
  sendWebhooks,
  serveChain,
  startHitTarget,
  startWorker,
  type WebhookResult,
  waitAllTerminal,
  waitUntil,
} from './harness';

const WEBHOOKS = 400;

let tdb: TestDatabase;
let boss: PgBoss;
let target: HitTarget;
let workers: AppProcess[];
let hookUrl: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  boss = await tdb.boss();
  target = await startHitTarget();
  ({ hookUrl } = await serveChain(tdb.db, tdb.url, target, [
    { id: 'first', delayMs: 0 },
    { id: 'second', delayMs: 50 },
  ]));
}, 120_000);

afterAll(async () => {
  await cleanup(target, { close: () => tdb.close() });
}, 60_000);

describe('fault: two workers, duplicate deliveries', () => {
  it('runs each execution exactly once although its job is delivered twice', async () => {
    const started = Date.now();
    const duplicateJob = new Map<string, string>();
    const deliverTwice = {
      concurrency: 6,
      async onResult(result: WebhookResult) {
        if (!result.executionId) return;
        const id = await boss.send(QUEUES.executions, { executionId: result.executionId });
        if (id) duplicateJob.set(result.executionId, id);
      },
    };
    const queuedFirst = await sendWebhooks(hookUrl, WEBHOOKS / 2, deliverTwice);
    workers = await Promise.all([
      startWorker(tdb.url, { concurrency: 4 }),
      startWorker(tdb.url, { concurrency: 4 }),
    ]);
    const results = [
      ...queuedFirst,
      ...(await sendWebhooks(hookUrl, WEBHOOKS / 2, { ...deliverTwice, from: WEBHOOKS / 2 })),
    ];
    const accepted = results.filter((r) => r.executionId).map((r) => r.executionId ?? '');

    await waitAllTerminal(tdb.sql, 120_000);
    // Both deliveries of every execution are settled (the duplicate as a no-op).
    await waitUntil(
      'every job settled',
      async () => {
        const [row] = await tdb.sql<{ n: number }[]>`
          select count(*)::int as n from pgboss.job where name = ${QUEUES.executions} and state <> 'completed'`;
        return row?.n === 0;
      },
      60_000,
      250,
    );
    const doneAt = Date.now();

    const { done, audit, counts } = await outcome(tdb.sql, target, accepted);
    const claims = await tdb.sql<{ id: string; attempt: number; jobId: string }[]>`
      select id, attempt, job_id as "jobId" from executions`;
    const ranTwice = claims.filter((row) => row.attempt !== 1);
    const claimedByDuplicate = claims.filter((row) => duplicateJob.get(row.id) === row.jobId).length;
    const [jobs] = await tdb.sql<{ n: number }[]>`
      select count(*)::int as n from pgboss.job where name = ${QUEUES.executions} and state = 'completed'`;

    report('duplicate-delivery', {
      workers: workers.length,
      accepted: accepted.length,
      'duplicate-jobs': duplicateJob.size,
      'jobs-completed': jobs?.n ?? 0,
      'claimed-by-duplicate-job': claimedByDuplicate,
      terminal: done.terminal,
      lost: done.lost,
      succeeded: counts.succeeded ?? 0,
      'ran-twice': ranTwice.length,
      'steps-called-twice': audit.repeated.length,
      'target-hits': target.hits.length,
      total: seconds(doneAt - started),
    });

    expect(accepted).toHaveLength(WEBHOOKS);
    expect(duplicateJob.size).toBe(WEBHOOKS);
    expect(jobs?.n).toBe(2 * WEBHOOKS);
    expect(done.lost).toBe(0);
    expect(counts.succeeded).toBe(WEBHOOKS);
    expect(ranTwice).toEqual([]);
    expect(audit.repeated).toEqual([]);
    expect(audit.succeeded).toBe(2 * WEBHOOKS);
    expect(target.hits).toHaveLength(2 * WEBHOOKS);
    expect(workers.every((w) => w.alive())).toBe(true);
  }, 180_000);
});
