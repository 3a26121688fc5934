/**
 * kill -9 the worker while 1,000 webhooks' executions are running; a new worker takes over. Every
 * accepted execution reaches a terminal state, and a step recorded as finished before the kill is
 * never called again. Steps in flight at the kill may be called twice (at-least-once): counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import {
  type AppProcess,
  cleanup,
  type HitTarget,
  outcome,
  report,
  runningIds,
  seconds,
  sendWebhooks,
  serveChain,
  startHitTarget,
  startWorker,
  statusCounts,
  stepRows,
  unfinishedCount,
  waitUntil,
} from './harness';

const WEBHOOKS = 1_000;

let tdb: TestDatabase;
let target: HitTarget;
let hookUrl: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startHitTarget();
  ({ hookUrl } = await serveChain(tdb.db, tdb.url, target, [
    { id: 'first', delayMs: 0 },
    { id: 'slow', delayMs: 150 },
    { id: 'last', delayMs: 0 },
  ]));
}, 120_000);

afterAll(async () => {
  await cleanup(target, { close: () => tdb.close() });
}, 60_000);

describe('fault: worker SIGKILL under load', () => {
  it('loses nothing and repeats no finished step when the worker is killed mid-run', async () => {
    const first: AppProcess = await startWorker(tdb.url, { concurrency: 8 });
    const started = Date.now();
    const sending = sendWebhooks(hookUrl, WEBHOOKS, { concurrency: 6 });

    // Kill while the queue is busy: some executions done, several mid-step.
    await waitUntil(
      'executions succeeded and others running',
      async () => {
        const counts = await statusCounts(tdb.sql);
        return (counts.succeeded ?? 0) >= 150 && (counts.running ?? 0) >= 4 && target.inFlight() > 0;
      },
      120_000,
      50,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();

    // What the dead worker had recorded: those steps must never be called again.
    const finishedBeforeKill = new Set(
      (await stepRows(tdb.sql)).map((step) => `${step.executionId}/${step.stepId}`),
    );
    const runningAtKill = await runningIds(tdb.sql);

    const second = await startWorker(tdb.url, { concurrency: 8 });
    const results = await sending;
    const accepted = results.filter((r) => r.status === 202 && r.executionId).map((r) => r.executionId ?? '');

    let recoveredAt = 0;
    await waitUntil(
      'every accepted execution terminal',
      async () => {
        if (!recoveredAt) {
          const [row] = await tdb.sql<{ n: number }[]>`
            select count(*)::int as n from executions
            where id in ${tdb.sql(runningAtKill)} and status in ('queued', 'running')`;
          if (row?.n === 0) recoveredAt = Date.now();
        }
        return (await unfinishedCount(tdb.sql)) === 0;
      },
      180_000,
      250,
    );
    const doneAt = Date.now();

    const { done, audit, counts } = await outcome(tdb.sql, target, accepted);
    // A repeat is allowed only for a step that had no recorded result when the worker died and
    // whose first call happened before the kill (it was in flight).
    const firstHit = target.firstHits();
    const duplicated = audit.repeated.filter(
      (r) =>
        finishedBeforeKill.has(`${r.executionId}/${r.stepId}`) ||
        (firstHit.get(`${r.n}/${r.stepId}`) ?? Number.POSITIVE_INFINITY) > killedAt,
    );
    const repeatedInFlight = audit.repeated.length - duplicated.length;
    const retried = done.rows.filter((row) => row.attempt > 1).length;

    report('worker-sigkill', {
      sent: WEBHOOKS,
      accepted: accepted.length,
      terminal: done.terminal,
      lost: done.lost,
      succeeded: counts.succeeded ?? 0,
      failed: counts.failed ?? 0,
      'running-at-kill': runningAtKill.length,
      'retried-executions': retried,
      duplicated: duplicated.length,
      'repeated-in-flight': repeatedInFlight,
      'target-hits': target.hits.length,
      recovery: seconds((recoveredAt || doneAt) - killedAt),
      total: seconds(doneAt - started),
    });

    expect(results.filter((r) => r.status !== 202)).toEqual([]); // the web never saw the fault
    expect(accepted).toHaveLength(WEBHOOKS);
    expect(done.lost).toBe(0);
    expect(done.unanswered).toBe(0);
    expect(await unfinishedCount(tdb.sql)).toBe(0);
    expect(counts.succeeded).toBe(WEBHOOKS); // the target always answers 200: nothing may fail
    expect(audit.uncalled).toBe(0);
    expect(audit.succeeded).toBe(3 * WEBHOOKS);
    expect(duplicated).toEqual([]);
    // Only the steps mid-call at the kill can have been repeated; the worker runs at most 8.
    expect(repeatedInFlight).toBeLessThanOrEqual(runningAtKill.length);
    expect(runningAtKill.length).toBeGreaterThan(0);
    expect(second.alive()).toBe(true);
  }, 240_000);
});
