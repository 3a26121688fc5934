/**
 * Stop PostgreSQL under load and start it again on the same port. While it is down the webhook
 * answers 503 (never a 202 for work that is then lost); the web and worker processes reconnect by
 * themselves; every accepted execution reaches a terminal state. A browser's live subscription (SSE)
 * stays open through it and ends up with every execution's final status, including what happened
 * while the web process's LISTEN connection was away. The cluster is this file's own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { follow, followList, httpClient, signIn } from '../live';
import {
  type AppProcess,
  type Cluster,
  cleanup,
  createSql,
  type HitTarget,
  outcome,
  percentile,
  pool,
  postWebhook,
  report,
  runningIds,
  type Sql,
  seconds,
  serveChain,
  sleep,
  startCluster,
  startHitTarget,
  startWorker,
  statusCounts,
  unfinishedCount,
  type WebhookResult,
  type WebProcess,
  waitUntil,
} from './harness';

const OUTAGE_MS = 5_000;

let cluster: Cluster;
let sql: Sql;
let target: HitTarget;
let web: WebProcess;
let worker: AppProcess;
let hookUrl: string;
let email: string;

/** A query that may hit a connection the restart killed: false instead of an error. */
async function holds(check: () => Promise<boolean>): Promise<boolean> {
  try {
    return await check();
  } catch {
    return false;
  }
}

beforeAll(async () => {
  cluster = await startCluster();
  sql = createSql(cluster.url, { max: 2 });
  target = await startHitTarget();
  ({ web, hookUrl, email } = await serveChain(createDb(sql), cluster.url, target, [
    { id: 'first', delayMs: 20 },
    { id: 'slow', delayMs: 300 },
  ]));
  worker = await startWorker(cluster.url, { concurrency: 8 });
}, 180_000);

afterAll(async () => {
  await cleanup(target, { close: () => sql.end({ timeout: 2 }) }, cluster);
}, 60_000);

describe('fault: Postgres restart under load', () => {
  it('answers 503 while the database is down, recovers by itself, and loses no accepted execution', async () => {
    const api = httpClient(web.url, await signIn(web.url, email, 'password-123'));
    const live = followList(api);
    await live.waitFor('the first reset', (received) => received.length === 1);

    const results: WebhookResult[] = [];
    let sending = true;
    // Four paced lanes: a steady stream before, during and after the outage.
    const sender = pool(
      5_000,
      4,
      async (n) => {
        results.push(await postWebhook(hookUrl, n));
        await sleep(40);
      },
      () => !sending,
    );
    const accepted = () => results.filter((r) => r.status === 202);

    await waitUntil(
      'executions running before the outage',
      () =>
        holds(async () => {
          const counts = await statusCounts(sql);
          return accepted().length >= 150 && (counts.running ?? 0) > 0 && target.inFlight() > 0;
        }),
      120_000,
      50,
    );
    const beforeStop = await statusCounts(sql);
    // One execution with a step in flight, followed step by step through the outage.
    const [watchedId = ''] = await runningIds(sql);
    const watched = follow((h) => api.executions.watch.subscribe({ id: watchedId }, h));
    await watched.waitFor('its current state', () => watched.statusesOf(watchedId).length > 0);
    const stopAt = Date.now();
    await cluster.stop();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    const restartAt = Date.now();
    await cluster.start();
    const upAt = Date.now();

    // The web process must come back by itself; if it died instead, stop waiting and report that.
    await waitUntil(
      'a 202 after the restart (or the web process dying)',
      () => !web.alive() || results.some((r) => r.status === 202 && r.startedAt >= upAt),
      60_000,
      50,
    );
    const acceptedAfter = results.filter((r) => r.status === 202 && r.startedAt >= upAt);
    const firstAcceptedAfter = acceptedAfter.length
      ? Math.min(...acceptedAfter.map((r) => r.finishedAt))
      : Number.NaN;
    const acceptedAtRestart = accepted().length;
    await waitUntil(
      '150 more accepted after the restart',
      () => !web.alive() || accepted().length >= acceptedAtRestart + 150,
      60_000,
    );
    sending = false;
    await sender;

    await waitUntil(
      'every execution terminal (or the worker process dying)',
      () => !worker.alive() || holds(async () => (await unfinishedCount(sql)) === 0),
      180_000,
      250,
    );
    const drainedAt = Date.now();

    const acceptedIds = accepted().map((r) => r.executionId ?? '');
    const { done, audit, counts } = await outcome(sql, target, acceptedIds);

    // What the subscriber knows of every execution is what the database says: from live events, and
    // from the list read again after a reset (more queued than the server keeps for one subscriber,
    // as when it catches up after the outage under load).
    const seenFinal = () => done.rows.filter((row) => live.statusOf(row.id) === row.status);
    await waitUntil(
      'the subscriber to see every final status',
      () => seenFinal().length === done.rows.length,
      30_000,
    ).catch(() => {});
    const watchedRow = done.byId.get(watchedId);
    await watched
      .waitFor(
        'the watched execution to finish',
        () => watched.statusesOf(watchedId).at(-1) === watchedRow?.status,
        30_000,
      )
      .catch(() => {});
    const firstHit = target.firstHits();
    // Calls repeated although their first call came after the database was back: not explained by the outage.
    const repeatedAfterRestart = audit.repeated.filter(
      (r) => (firstHit.get(`${r.n}/${r.stepId}`) ?? 0) >= upAt,
    );

    // What explains a repeat is in the worker's log: each call's time and every line about it.
    for (const repeat of repeatedAfterRestart) {
      const calls = target.hits
        .filter((hit) => hit.n === repeat.n && hit.stepId === repeat.stepId)
        .map((hit) => seconds(hit.at - upAt));
      const lines = worker
        .fullOutput()
        .split('\n')
        .filter((line) => line.includes(repeat.executionId));
      console.log(
        `postgres-restart: step ${repeat.stepId} of ${repeat.executionId} called at ${calls.join(', ')} after the restart; its worker log:\n${lines.join('\n')}`,
      );
    }

    // Sent while the database was down (after its shutdown, before the restart began). Each must be
    // answered promptly — a webhook that hangs until the database is back is not an answer — and
    // every one answered before the restart began must be a 503. (One sent just before the restart
    // may be stored once the database is back: a 202 then, and counted as accepted.)
    const duringOutage = results.filter((r) => r.startedAt >= downAt && r.startedAt < restartAt);
    const answeredWhileDown = duringOutage.filter((r) => r.finishedAt <= restartAt);
    const outageLatencies = duringOutage.map((r) => r.finishedAt - r.startedAt);
    const outageStatuses: Record<number, number> = {};
    for (const r of duringOutage) outageStatuses[r.status] = (outageStatuses[r.status] ?? 0) + 1;
    const statuses: Record<number, number> = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const pgBossErrors = worker.count(/pg-boss error/);

    // Stored although the answer was not a 202 (e.g. the commit went through as the connection died):
    // the caller will retry, and the work will run twice. Shown, not failed: only an idempotency key fixes it.
    const acceptedSet = new Set(acceptedIds);
    for (const row of done.rows.filter((r) => !acceptedSet.has(r.id))) {
      const answer = results.find((r) => r.n === row.n);
      console.log(
        `postgres-restart: execution ${row.id} (n=${row.n}) stored, answered ${answer?.status} ` +
          `(sent ${((answer?.startedAt ?? 0) - stopAt) / 1000}s after the stop began, answered ${((answer?.finishedAt ?? 0) - stopAt) / 1000}s)`,
      );
    }
    report('postgres-restart', {
      sent: results.length,
      accepted: acceptedIds.length,
      terminal: done.terminal,
      lost: done.lost,
      'committed-without-202': done.unanswered,
      succeeded: counts.succeeded ?? 0,
      failed: counts.failed ?? 0,
      'running-at-stop': beforeStop.running ?? 0,
      'answers-while-down': JSON.stringify(outageStatuses).replaceAll('"', ''),
      'answer-ms-while-down-p95': percentile(outageLatencies, 95),
      'answer-ms-while-down-max': Math.max(...outageLatencies),
      'answers-all': JSON.stringify(statuses).replaceAll('"', ''),
      'repeated-in-flight': audit.repeated.length,
      'stop-took': seconds(downAt - stopAt),
      'restart-took': seconds(upAt - restartAt),
      'web-recovery': Number.isNaN(firstAcceptedAfter) ? 'never' : seconds(firstAcceptedAfter - upAt),
      'worker-drain': seconds(drainedAt - upAt),
      'worker-pg-boss-errors': pgBossErrors,
      'live-seen-final': `${seenFinal().length}/${done.rows.length}`,
      'live-resets': live.counts().resets,
      'live-rereads': live.counts().rereads,
      'live-listen-reconnects': web.count(/LISTEN connection re-established/),
      'live-watched-steps': watched.stepsOf(watchedId).length,
      web: web.state(),
      worker: worker.state(),
    });

    expect(web.state(), `the web process died during the database outage:\n${web.crashOutput()}`).toBe(
      'running',
    );
    expect(
      worker.state(),
      `the worker process died during the database outage:\n${worker.crashOutput()}`,
    ).toBe('running');
    expect(duringOutage.length).toBeGreaterThanOrEqual(4);
    // Answered while the database was still down, not held until it came back (the answer times are
    // printed above; what is asserted is which side of the restart they fell on).
    expect(
      answeredWhileDown.length,
      'webhooks sent while the database was down waited for it instead of getting a 503',
    ).toBeGreaterThanOrEqual(4);
    expect(answeredWhileDown.filter((r) => r.status !== 503)).toEqual([]);
    expect(duringOutage.filter((r) => r.status !== 503 && r.status !== 202)).toEqual([]);
    // Only 202 and 503 at any time: no 500, and the web process never stopped answering.
    expect(results.filter((r) => r.status !== 202 && r.status !== 503)).toEqual([]);
    expect(done.missing).toBe(0);
    expect(done.lost).toBe(0);
    expect(await unfinishedCount(sql)).toBe(0);
    expect(counts.failed ?? 0).toBe(0);
    expect(audit.uncalled).toBe(0);
    expect(repeatedAfterRestart).toEqual([]);
    expect(live.error).toBeUndefined();
    expect(seenFinal().length).toBe(done.rows.length);
    expect(web.count(/LISTEN connection re-established/)).toBeGreaterThanOrEqual(1);
    expect(watched.statusesOf(watchedId).at(-1)).toBe(watchedRow?.status);
    expect(watched.stepsOf(watchedId)).toEqual(['first', 'slow']);
    live.stop();
    watched.stop();
  }, 300_000);
});
