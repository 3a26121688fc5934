/**
 * SIGTERM a worker whose every slot is mid-step (a slow HTTP call followed by another step): the
 * running executions finish — all their steps — the process exits 0, and nothing is left `running`.
 * What it had not started stays queued for the next worker, which runs it without repeating a step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import {
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
  waitAllTerminal,
  waitUntil,
} from './harness';

const WEBHOOKS = 40;
const CONCURRENCY = 8;
const SLOW_MS = 2_000;

let tdb: TestDatabase;
let target: HitTarget;
let hookUrl: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startHitTarget();
  ({ hookUrl } = await serveChain(tdb.db, tdb.url, target, [
    { id: 'slow', delayMs: SLOW_MS },
    { id: 'after', delayMs: 0 },
  ]));
}, 120_000);

afterAll(async () => {
  await cleanup(target, { close: () => tdb.close() });
}, 60_000);

describe('fault: SIGTERM with executions running', () => {
  it('lets running executions finish, exits 0, and leaves nothing running', async () => {
    const worker = await startWorker(tdb.url, { concurrency: CONCURRENCY });
    const results = await sendWebhooks(hookUrl, WEBHOOKS, { concurrency: 8 });
    const accepted = results.filter((r) => r.executionId).map((r) => r.executionId ?? '');

    await waitUntil(
      'every worker slot mid-step',
      async () => (await statusCounts(tdb.sql)).running === CONCURRENCY && target.inFlight() === CONCURRENCY,
      60_000,
      50,
    );
    const runningAtTerm = await runningIds(tdb.sql);
    const termAt = Date.now();
    worker.child.kill('SIGTERM');
    const { code, signal } = await worker.exited;
    const exitAt = Date.now();

    const leftRunning = (await statusCounts(tdb.sql)).running ?? 0;
    const atTerm = await tdb.sql<{ status: string; attempt: number }[]>`
      select status, attempt from executions where id in ${tdb.sql(runningAtTerm)}`;
    const finishedByDrain = atTerm.filter((row) => row.status === 'succeeded' && row.attempt === 1).length;
    const queuedAfterExit = (await statusCounts(tdb.sql)).queued ?? 0;

    // The rest is still queued: a new worker runs it.
    const next = await startWorker(tdb.url, { concurrency: CONCURRENCY });
    await waitAllTerminal(tdb.sql, 120_000);
    const { done, audit, counts } = await outcome(tdb.sql, target, accepted);

    report('worker-sigterm', {
      accepted: accepted.length,
      'running-at-sigterm': runningAtTerm.length,
      'finished-by-drain': finishedByDrain,
      'left-running': leftRunning,
      'queued-after-exit': queuedAfterExit,
      'exit-code': code ?? `signal ${signal}`,
      'exit-after': seconds(exitAt - termAt),
      terminal: done.terminal,
      lost: done.lost,
      succeeded: counts.succeeded ?? 0,
      'steps-called-twice': audit.repeated.length,
    });

    expect(runningAtTerm).toHaveLength(CONCURRENCY);
    expect(code, worker.output()).toBe(0);
    expect(leftRunning).toBe(0);
    expect(finishedByDrain).toBe(CONCURRENCY);
    expect(queuedAfterExit).toBeGreaterThan(0); // it stopped fetching
    expect(done.lost).toBe(0);
    expect(counts.succeeded).toBe(WEBHOOKS);
    expect(audit.repeated).toEqual([]);
    expect(audit.succeeded).toBe(2 * WEBHOOKS);
    expect(next.alive()).toBe(true);
  }, 180_000);
});
