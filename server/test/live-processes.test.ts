/**
 * Live updates across real processes, as they run in production: two web processes and a separate
 * worker process, clients subscribed over real SSE with the tRPC client the browser uses. A webhook
 * sent to one web process reaches a subscriber of the other; another account's subscriber sees none
 * of it. With WORKER_MODE=inline the web process announces what its own worker runs; a web process
 * that stops ends its streams so that clients reconnect. (The database restarting mid-stream is part
 * of faults/postgres-restart.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './db';
import {
  chainDefinition,
  cleanup,
  type HitTarget,
  postWebhook,
  startHitTarget,
  startWeb,
  startWorker,
  type WebProcess,
} from './faults/harness';
import { insertUser, insertWorkflow } from './fixtures';
import { follow, httpClient, signIn } from './live';

let tdb: TestDatabase;
let target: HitTarget;
let ingestWeb: WebProcess;
let liveWeb: WebProcess;
const accounts: Record<'alice' | 'bob', { cookie: string; hookUrl: string }> = {
  alice: { cookie: '', hookUrl: '' },
  bob: { cookie: '', hookUrl: '' },
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  const db = tdb.db;
  target = await startHitTarget();
  [ingestWeb, liveWeb] = await Promise.all([
    startWeb(tdb.url),
    startWeb(tdb.url),
    startWorker(tdb.url, { concurrency: 4 }),
  ]);
  for (const name of ['alice', 'bob'] as const) {
    const user = await insertUser(db, `${name}@example.com`);
    // The first step takes a moment, so a subscriber sees the execution running between its steps.
    const workflow = await insertWorkflow(
      db,
      user.id,
      chainDefinition(target.url, [
        { id: 'first', delayMs: 400 },
        { id: 'second', delayMs: 0 },
      ]),
    );
    accounts[name] = {
      cookie: await signIn(liveWeb.url, user.email, 'password-123'),
      hookUrl: `${ingestWeb.url}/hooks/${workflow.webhookId}`,
    };
  }
}, 180_000);

afterAll(async () => {
  await cleanup(target, tdb);
}, 60_000);

/** A webhook to the ingest web process; its execution id. */
async function webhook(hookUrl: string, n: number): Promise<string> {
  const result = await postWebhook(hookUrl, n);
  expect(result.status).toBe(202);
  return result.executionId ?? '';
}

describe('live updates across processes', () => {
  it('streams a webhook execution queued → running → succeeded with each step, to its owner only', async () => {
    const alice = httpClient(liveWeb.url, accounts.alice.cookie);
    const bob = httpClient(liveWeb.url, accounts.bob.cookie);
    const list = follow((h) => alice.executions.watchList.subscribe({}, h));
    const others = follow((h) => bob.executions.watchList.subscribe({}, h));
    await list.waitFor('the first reset', (r) => r.length === 1);
    await others.waitFor('the first reset', (r) => r.length === 1);

    const executionId = await webhook(accounts.alice.hookUrl, 1);
    const one = follow((h) => alice.executions.watch.subscribe({ id: executionId }, h));
    await one.waitFor('the execution to succeed', () => one.statusesOf(executionId).includes('succeeded'));
    await list.waitFor('the list to see it succeed', () =>
      list.statusesOf(executionId).includes('succeeded'),
    );

    expect(list.statusesOf(executionId)).toEqual(['queued', 'running', 'succeeded']);
    expect(one.stepsOf(executionId)).toEqual(['first', 'second']);
    expect(one.statusesOf(executionId).at(-1)).toBe('succeeded');
    const second = one.received.find((r) => r.event.type === 'step' && r.event.step.stepId === 'second');
    expect(second?.event).toMatchObject({ step: { status: 'succeeded', output: { status: 200 } } });

    // Bob's stream is live (his own execution arrives) and carried nothing of Alice's.
    const bobs = await webhook(accounts.bob.hookUrl, 2);
    await others.waitFor("Bob's own execution", () => others.statusesOf(bobs).includes('succeeded'));
    expect([...others.executionIds()]).toEqual([bobs]);
    expect(list.executionIds().has(bobs)).toBe(false);
    const foreign = follow((h) => bob.executions.watch.subscribe({ id: executionId }, h));
    await expect
      .poll(() => foreign.error)
      .toMatchObject({ data: { code: 'NOT_FOUND' }, message: 'Execution not found' });
    expect(foreign.received).toEqual([]);
    for (const log of [list, others, one]) log.stop();
  });

  it('sends the event stream uncompressed and at once, with keep-alive pings configured', async () => {
    const input = encodeURIComponent(JSON.stringify({ json: {} }));
    const controller = new AbortController();
    const response = await fetch(`${liveWeb.url}/trpc/executions.watchList?input=${input}`, {
      headers: { cookie: accounts.alice.cookie, 'accept-encoding': 'gzip, br' },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('content-encoding')).toBeNull();
    const reader = response.body?.getReader();
    let text = '';
    while (reader && !text.includes('"type":"reset"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    // The first message tells the client to reconnect after 40 s without any message; pings come every 15 s.
    expect(text).toContain('event: connected\ndata: {"reconnectAfterInactivityMs":40000}');
    expect(text).toContain('"type":"reset"');
    controller.abort();
  });
  it('with WORKER_MODE=inline, the web process streams what its own worker runs', async () => {
    const own = await createTestDatabase();
    try {
      const user = await insertUser(own.db, 'inline@example.com');
      const workflow = await insertWorkflow(
        own.db,
        user.id,
        chainDefinition(target.url, [
          { id: 'first', delayMs: 200 },
          { id: 'second', delayMs: 0 },
        ]),
      );
      const web = await startWeb(own.url, { WORKER_MODE: 'inline' });
      const client = httpClient(web.url, await signIn(web.url, user.email, 'password-123'));
      const list = follow((h) => client.executions.watchList.subscribe({ workflowId: workflow.id }, h));
      await list.waitFor('the first reset', (r) => r.length === 1);
      const executionId = await webhook(`${web.url}/hooks/${workflow.webhookId}`, 3);
      const one = follow((h) => client.executions.watch.subscribe({ id: executionId }, h));
      await list.waitFor('the execution to succeed', () =>
        list.statusesOf(executionId).includes('succeeded'),
      );
      await one.waitFor('both steps', () => one.stepsOf(executionId).length === 2);
      expect(list.statusesOf(executionId)).toEqual(['queued', 'running', 'succeeded']);
      list.stop();
      one.stop();
      web.child.kill('SIGTERM');
      await web.exited;
    } finally {
      await own.close();
    }
  });

  it('a web process that stops ends its open streams (clients reconnect) and exits at once', async () => {
    const alice = httpClient(liveWeb.url, accounts.alice.cookie);
    const list = follow((h) => alice.executions.watchList.subscribe({}, h));
    await list.waitFor('the first reset', (r) => r.length === 1);
    const stoppedAt = Date.now();
    liveWeb.child.kill('SIGTERM');
    const { code } = await liveWeb.exited;
    // Well under the 30 s the process would wait for streams that never end on their own.
    console.log(`live: web process with an open stream stopped in ${Date.now() - stoppedAt} ms`);
    expect(code).toBe(0);
    // "Retry" rather than a failure: the client keeps trying (another instance would take it).
    expect(list.error).toBeUndefined();
    list.stop();
  });
});
