/**
 * The live hub on a real Postgres: the triggers' notifications, one LISTEN connection, the fan-out to
 * subscriptions through the real router, resuming from a position, catching up after the LISTEN
 * connection was lost, the limits, and the server-side wait for an execution to finish.
 */
import type { JsonValue } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps, testKeyring } from '../../test/caller';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { exampleDefinition, publicApis, startTarget, type Target } from '../../test/fixtures';
import { readStream, unwrap } from '../../test/live';
import { runExecution } from '../engine/run-execution';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import type { AppDeps } from '../trpc/trpc';
import { LiveHub, type LiveHubOptions } from './hub';

let tdb: TestDatabase;
let deps: AppDeps;
let target: Target;
const alice = new TestSession();
const bob = new TestSession();
let workflowId: string;
const hubs: LiveHub[] = [];
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, { SSRF_ALLOWLIST: '127.0.0.1/32' });
  target = await startTarget();
  // `?ms=` delays the answer: the first step of the example workflow takes a moment.
  target.respond = (req) => ({
    body: { ok: true },
    delayMs: Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0),
  });
  await alice.caller(deps).auth.register({ email: 'alice@example.com', password: 'password-123' });
  await bob.caller(deps).auth.register({ email: 'bob@example.com', password: 'password-123' });
  workflowId = (
    await alice.caller(deps).workflows.create({
      name: 'Billing',
      definition: exampleDefinition(`${target.url}/slow?ms=300`),
    })
  ).id;
});

afterAll(async () => {
  for (const hub of hubs) await hub.close();
  await http.close();
  await target.close();
  await tdb.close();
});

/** A hub of the test's own (its own LISTEN connection), for options the shared one does not have. */
function ownHub(options: Partial<LiveHubOptions> = {}): AppDeps {
  const hub = new LiveHub({
    db: tdb.db,
    databaseUrl: tdb.url,
    limits: { perProcess: 100, perUser: 20 },
    ...options,
  });
  hubs.push(hub);
  return { ...deps, live: hub };
}

/** Creates an execution of Alice's workflow (queued) and returns its id. */
async function queued(payload: JsonValue = { user: { id: 'u_1', plan: 'pro' }, amount: 1 }) {
  return (await alice.caller(deps).workflows.testRun({ id: workflowId, payload })).executionId;
}

/** Runs it as the worker does. */
async function run(executionId: string) {
  const result = await runExecution(
    { db: tdb.db, http, apis: publicApis, keyring: testKeyring },
    { executionId, jobId: `job-${executionId}`, jobAttempt: 0, signal: new AbortController().signal },
  );
  expect(result).toBe('finished');
}

describe('live updates', () => {
  it('streams an execution queued → running → succeeded with each step, to its owner only', async () => {
    const stop = new AbortController();
    const all = readStream(await alice.caller(deps, stop).executions.watchList({}));
    const mine = readStream(await alice.caller(deps, stop).executions.watchList({ workflowId }));
    const others = readStream(await bob.caller(deps, stop).executions.watchList({}));
    // A fresh subscription starts with "read your lists": what happened before it is in those.
    for (const log of [all, mine, others]) await log.waitFor('the first reset', (r) => r.length === 1);
    expect(all.received[0]?.event.type).toBe('reset');

    const executionId = await queued();
    const one = readStream(await alice.caller(deps, stop).executions.watch({ id: executionId }));
    await run(executionId);

    await one.waitFor('the execution to succeed', () => one.statusesOf(executionId).includes('succeeded'));
    expect(one.statusesOf(executionId)).toEqual(['queued', 'running', 'succeeded']);
    expect(one.stepsOf(executionId)).toEqual(['notify', 'only-pro']);
    const notify = one.received.find((r) => r.event.type === 'step' && r.event.step.stepId === 'notify');
    expect(notify?.event).toMatchObject({
      type: 'step',
      step: { name: 'Notify billing', status: 'succeeded', output: { status: 200, body: { ok: true } } },
    });

    for (const log of [all, mine]) {
      await log.waitFor('the list to see it succeed', () =>
        log.statusesOf(executionId).includes('succeeded'),
      );
      expect(log.statusesOf(executionId)).toEqual(['queued', 'running', 'succeeded']);
      // Lists get status changes, not step data.
      expect(log.has('step')).toBe(false);
    }
    const last = all.received.at(-1)?.event;
    expect(last?.type === 'execution' && last.execution).toMatchObject({
      workflowName: 'Billing',
      mode: 'manual',
      attempt: 1,
    });

    // Bob's stream is live (his own execution arrives) and never carried anything of Alice's.
    const bobsWorkflow = await bob.caller(deps).workflows.create({
      name: 'Bob',
      definition: exampleDefinition(target.url),
    });
    const bobs = (await bob.caller(deps).workflows.testRun({ id: bobsWorkflow.id, payload: {} })).executionId;
    await others.waitFor("Bob's own execution", () => others.executionIds().has(bobs));
    expect([...others.executionIds()]).toEqual([bobs]);
    await expect(bob.caller(deps).executions.watch({ id: executionId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(mine.executionIds().has(bobs)).toBe(false);
    expect(all.executionIds().has(bobs)).toBe(false);
    stop.abort();
  });

  it('resumes from the last position without a gap: what changed meanwhile comes first', async () => {
    const first = new AbortController();
    const before = readStream(await alice.caller(deps, first).executions.watchList({ workflowId }));
    await before.waitFor('the first reset', (r) => r.length === 1);
    const done = await queued();
    await run(done);
    await before.waitFor('the first run', () => before.statusesOf(done).includes('succeeded'));
    const lastEventId = before.received.at(-1)?.id ?? '';
    first.abort(); // the connection drops

    const meanwhile = await queued();
    await run(meanwhile);
    const stillQueued = await queued();

    const after = readStream(
      await alice.caller(deps, new AbortController()).executions.watchList({ workflowId, lastEventId }),
    );
    await after.waitFor('what happened meanwhile', () => after.executionIds().has(stillQueued));
    expect(after.has('reset')).toBe(false);
    expect(after.statusesOf(meanwhile)).toEqual(['succeeded']);
    expect(after.statusesOf(stillQueued)).toEqual(['queued']);
    // Repeats of what the first stream had are allowed (a position is a lower bound); skips are not.
    const repeated = [...after.executionIds()].filter((id) => id !== meanwhile && id !== stillQueued);
    expect(repeated.filter((id) => !before.executionIds().has(id))).toEqual([]);
    await run(stillQueued);
    await after.waitFor('live again', () => after.statusesOf(stillQueued).includes('succeeded'));
  });

  it('catches up after the LISTEN connection was lost: the changes made meanwhile arrive', async () => {
    // Reconnects only after 5 s, so the run below happens while nobody is listening.
    const own = ownHub({ reconnectDelayMs: 5_000 });
    const executionId = await queued();
    const stop = new AbortController();
    const list = readStream(await alice.caller(own, stop).executions.watchList({ workflowId }));
    const one = readStream(await alice.caller(own, stop).executions.watch({ id: executionId }));
    await list.waitFor('the first reset', (r) => r.length === 1);
    await one.waitFor('the current state', () => one.statusesOf(executionId).length === 1);

    const killed = await tdb.db.execute<{ pid: number }>(sql`
      select pg_terminate_backend(pid), pid from pg_stat_activity
      where application_name = 'automateos-live' and datname = current_database()`);
    expect(killed.length).toBeGreaterThan(0);
    await expect.poll(() => own.live.listening).toBe(false);
    await run(executionId);
    expect(own.live.listening).toBe(false);

    await one.waitFor('the steps recorded meanwhile', () => one.stepsOf(executionId).length === 2);
    await one.waitFor('the finish', () => one.statusesOf(executionId).includes('succeeded'));
    await list.waitFor('the finish in the list', () => list.statusesOf(executionId).includes('succeeded'));
    expect(own.live.stats.resyncs).toBeGreaterThanOrEqual(1);
    expect(own.live.stats.backfilledEvents).toBeGreaterThanOrEqual(1);

    const next = await queued();
    await run(next);
    await list.waitFor('live again after the reconnect', () => list.statusesOf(next).includes('succeeded'));
    stop.abort();
  });

  it('listens only while someone watches, and catches what changes from the first subscription on', async () => {
    const own = ownHub({ idleMs: 200 });
    // Nobody watches: no LISTEN, so the changes of a run are not even read.
    await run(await queued());
    expect(own.live.listening).toBe(false);
    expect(own.live.stats.notifications).toBe(0);

    // A history page opened: LISTEN is up once the subscription is, and a run arrives live; closed:
    // LISTEN goes once the hub has been idle for idleMs.
    const watchOneRun = async () => {
      const stop = new AbortController();
      const list = readStream(await alice.caller(own, stop).executions.watchList({ workflowId }));
      expect(own.live.listening).toBe(true);
      await list.waitFor('the first reset', (r) => r.length === 1);
      const seen = await queued();
      await run(seen);
      await list.waitFor('the run', () => list.statusesOf(seen).includes('succeeded'));
      stop.abort();
      await expect.poll(() => own.live.listening).toBe(false);
    };
    await watchOneRun();
    const heard = own.live.stats.notifications;
    await run(await queued());
    expect(own.live.stats.notifications).toBe(heard);

    // Back for the next subscription, and for a server-side wait.
    await watchOneRun();
    const waited = await queued();
    const finished = own.live.waitForFinish(waited);
    await run(waited);
    expect(await finished).toBe('succeeded');
    expect(own.live.stats.listens).toBe(3);
  });

  it('bounds subscriptions per account and per process, with a clear error', async () => {
    const own = ownHub({ limits: { perProcess: 3, perUser: 2 } });
    const tabs = [new AbortController(), new AbortController()];
    for (const tab of tabs) await alice.caller(own, tab).executions.watchList({});
    const third = await alice
      .caller(own, new AbortController())
      .executions.watchList({})
      .catch((error: unknown) => error);
    expect(third).toBeInstanceOf(TRPCError);
    expect(third).toMatchObject({ code: 'TOO_MANY_REQUESTS', message: expect.stringMatching(/at most 2/) });

    await bob.caller(own, new AbortController()).executions.watchList({});
    await expect(bob.caller(own, new AbortController()).executions.watchList({})).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/limit of 3/),
    });
    // A closed tab frees its place at once.
    tabs[0]?.abort();
    expect(own.live.subscriptionCount).toBe(2);
    await alice.caller(own, new AbortController()).executions.watchList({});
    expect(own.live.subscriptionCount).toBe(3);
  });

  it('sends a reset instead of an unbounded backlog to a client that does not read', async () => {
    const stream = await alice.caller(deps, new AbortController()).executions.watchList({});
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(!first.done && unwrap(first.value)[1]).toEqual({ type: 'reset' });
    const before = deps.live.stats.notifications;
    // 600 executions in one statement: 600 notifications for this subscriber, none read yet.
    await tdb.db.execute(sql`
      insert into executions (workflow_id, user_id, mode, trigger, definition, workflow_version)
      select w.id, w.user_id, 'manual', '{}'::jsonb, w.definition, w.version
      from workflows w, generate_series(1, 600) where w.id = ${workflowId}`);
    await expect
      .poll(() => deps.live.stats.notifications - before, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(600);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the last batch be delivered
    const next = await iterator.next();
    expect(!next.done && unwrap(next.value)[1]).toEqual({ type: 'reset' });
    await iterator.return?.();
  });

  it('ends a stream whose session was signed out', async () => {
    const own = ownHub({ sessionCheckMs: 100 });
    const carol = new TestSession();
    await carol.caller(deps).auth.register({ email: 'carol@example.com', password: 'password-123' });
    const log = readStream(await carol.caller(own, new AbortController()).executions.watchList({}));
    await log.waitFor('the first reset', (r) => r.length === 1);
    await carol.caller(deps).auth.logout();
    await expect.poll(() => log.error).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('lets server-side code wait for an execution to finish without polling', async () => {
    const executionId = await queued();
    const finished = deps.live.waitForFinish(executionId);
    await run(executionId);
    expect(await finished).toBe('succeeded');
    expect(await deps.live.waitForFinish(executionId)).toBe('succeeded');

    const aborted = new AbortController();
    const waiting = deps.live.waitForFinish(await queued(), aborted.signal);
    aborted.abort();
    expect(await waiting).toBeNull();
    await expect(deps.live.waitForFinish('7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
