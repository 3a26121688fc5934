/**
 * The core loop on a real Postgres and a real pg-boss: webhook → 202 → worker → steps logged.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asc, count, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionSteps, executions, workflows } from '../src/db/schema';
import { claimExecutions, runExecution } from '../src/engine/run-execution';
import { startWorker, type WorkerHandle } from '../src/engine/worker';
import { createApp } from '../src/http/app';
import { createOutboundHttp } from '../src/net/http-client';
import { createAddressPolicy } from '../src/net/ssrf';
import { startBoss } from '../src/queue/queues';
import { newDeliveryRecord } from '../src/services/deliveries';
import { createExecution } from '../src/services/executions';
import { WebhookIngest } from '../src/services/ingest';
import { testDeps, testKeyring } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import {
  exampleDefinition,
  insertUser,
  insertWorkflow,
  publicApis,
  startTarget,
  type Target,
  waitForExecution,
} from './fixtures';

let tdb: TestDatabase;
let target: Target;
let server: Server;
let base: string;
let workerBoss: PgBoss;
let worker: WorkerHandle;
let userId: string;

const env = { SSRF_ALLOWLIST: '127.0.0.1/32' };
// For the tests that run an execution directly, without the worker.
const http = createOutboundHttp({ policy: createAddressPolicy(env.SSRF_ALLOWLIST) });

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startTarget();
  const deps = testDeps(tdb.db, env);
  server = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workerBoss = await startBoss(tdb.url, { maintenance: true, max: 4 });
  worker = await startWorker({ boss: workerBoss, db: tdb.db, config: deps.config, keyring: testKeyring });
  userId = (await insertUser(tdb.db)).id;
});

afterAll(async () => {
  await http.close();
  await worker?.stop();
  await workerBoss?.stop({ graceful: false, timeout: 2_000 });
  server?.close();
  await target?.close();
  await tdb?.close();
});

beforeEach(async () => {
  // Let executions of earlier tests finish, so each test counts only its own target hits.
  for (let i = 0; i < 400; i++) {
    const [row] = await tdb.sql<
      { n: number }[]
    >`select count(*)::int as n from executions where status in ('queued', 'running')`;
    if (row?.n === 0) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  target.requests = [];
  target.respond = (req) => ({
    body: { ok: true, id: 'evt_1', echo: req.body ? JSON.parse(req.body) : null },
  });
});

const post = (webhookId: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/hooks/${webhookId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const stepsOf = (executionId: string) =>
  tdb.db
    .select()
    .from(executionSteps)
    .where(eq(executionSteps.executionId, executionId))
    .orderBy(asc(executionSteps.position));

const rowCounts = async () => {
  const [e] = await tdb.db.select({ n: count() }).from(executions);
  const jobs = await tdb.sql<
    { n: number }[]
  >`select count(*)::int as n from pgboss.job where name = 'executions'`;
  return { executions: e?.n ?? 0, jobs: jobs[0]?.n ?? 0 };
};

describe('webhook → worker', () => {
  it('runs the DESIGN.md example and logs both steps', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const res = await post(
      workflow.webhookId,
      { user: { id: 'u_42', plan: 'pro' }, amount: 19.5 },
      { cookie: 's=1', authorization: 'Bearer x' },
    );
    expect(res.status).toBe(202);
    const { executionId } = (await res.json()) as { executionId: string };

    const execution = await waitForExecution(tdb.db, executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.trigger.headers).not.toHaveProperty('cookie');
    expect(execution.trigger.headers).not.toHaveProperty('authorization');

    expect(target.requests).toHaveLength(1);
    expect(JSON.parse(target.requests[0]?.body ?? '')).toEqual({ user: 'u_42', amount: 19.5 });
    expect(target.requests[0]?.headers['x-source']).toBe('automateos');

    const steps = await stepsOf(executionId);
    expect(steps.map((s) => [s.stepId, s.status])).toEqual([
      ['notify', 'succeeded'],
      ['only-pro', 'succeeded'],
    ]);
    expect(steps[0]?.output).toMatchObject({ status: 200, body: { ok: true } });
    expect((steps[0]?.input as { body: unknown } | undefined)?.body ?? null).toEqual({
      type: 'json',
      value: { user: 'u_42', amount: 19.5 },
    });
    expect(steps[1]?.output).toMatchObject({
      passed: true,
      conditions: [{ left: 'pro', op: 'equals', right: 'pro', result: true }],
    });
  });

  it('ends as filtered when the filter does not pass', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const res = await post(workflow.webhookId, { user: { id: 'u_1', plan: 'free' }, amount: 1 });
    const { executionId } = (await res.json()) as { executionId: string };
    const execution = await waitForExecution(tdb.db, executionId);
    expect(execution.status).toBe('filtered');
    const steps = await stepsOf(executionId);
    expect(steps[1]).toMatchObject({ status: 'filtered', output: { passed: false } });
  });

  it('notes missing expression paths and renders them empty', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const { executionId } = (await (await post(workflow.webhookId, { nothing: true })).json()) as {
      executionId: string;
    };
    await waitForExecution(tdb.db, executionId);
    const [notify] = await stepsOf(executionId);
    expect(notify?.missing).toEqual(expect.arrayContaining(['trigger.body.user.id', 'trigger.body.amount']));
    expect(JSON.parse(target.requests[0]?.body ?? '')).toEqual({ user: '', amount: '' });
  });

  it('retries a 500 per the step policy, then fails with the attempts recorded', async () => {
    target.respond = () => ({ status: 500, body: { error: 'boom' } });
    const definition = exampleDefinition(target.url);
    const http = definition.steps[0] as { config: Record<string, unknown> };
    http.config.retry = { attempts: 2, backoff: 'fixed', delayMs: 10 };
    const workflow = await insertWorkflow(tdb.db, userId, definition);
    const { executionId } = (await (await post(workflow.webhookId, { user: { plan: 'pro' } })).json()) as {
      executionId: string;
    };
    const execution = await waitForExecution(tdb.db, executionId);
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({ code: 'HTTP_STATUS', stepId: 'notify' });
    expect(target.requests).toHaveLength(3);
    const steps = await stepsOf(executionId);
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ status: 'failed', attempt: 3, output: { status: 500 } });
  });

  it('stores nothing for 404, 413, 415 and 400', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const inactive = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url), { active: false });
    const before = await rowCounts();

    const unknown = await post('no-such-hook', {});
    const off = await post(inactive.webhookId, {});
    const wrongMethod = await fetch(`${base}/hooks/${workflow.webhookId}`, { method: 'PUT' });
    expect([unknown.status, off.status, wrongMethod.status]).toEqual([404, 404, 404]);
    const bodies = await Promise.all([unknown.text(), off.text(), wrongMethod.text()]);
    expect(new Set(bodies).size).toBe(1);

    const big = await post(workflow.webhookId, JSON.stringify({ x: 'a'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    const xml = await post(workflow.webhookId, '<a/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    const malformed = await post(workflow.webhookId, '{"a":');
    expect(malformed.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it('takes form and text bodies, and keeps hostile payloads as data', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, {
      ...exampleDefinition(target.url),
      steps: [exampleDefinition(target.url).steps[0] as never],
    });
    const form = await fetch(`${base}/hooks/${workflow.webhookId}?a=1&a=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=ann&plan=pro',
    });
    expect(form.status).toBe(202);
    const { executionId: formId } = (await form.json()) as { executionId: string };
    const formRow = await waitForExecution(tdb.db, formId);
    expect(formRow.trigger.body).toEqual({ user: 'ann', plan: 'pro' });
    expect(formRow.trigger.query).toEqual({ a: ['1', '2'] });

    // Names that are special on a plain object stay data, once or repeated.
    const special = await fetch(
      `${base}/hooks/${workflow.webhookId}?__proto__=1&constructor=c&toString=t&toString=u`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: '__proto__=x&hasOwnProperty=y&valueOf=z',
      },
    );
    expect(special.status).toBe(202);
    const specialRow = await waitForExecution(
      tdb.db,
      ((await special.json()) as { executionId: string }).executionId,
    );
    expect(specialRow.trigger.query).toStrictEqual(
      JSON.parse('{"__proto__":"1","constructor":"c","toString":["t","u"]}'),
    );
    expect(specialRow.trigger.body).toStrictEqual(
      JSON.parse('{"__proto__":"x","hasOwnProperty":"y","valueOf":"z"}'),
    );

    const hostile =
      '{"__proto__": {"polluted": true}, "user": {"id": "{{ trigger }}"}, "amount": "{{constructor.constructor(\'return process\')()}}"}';
    const res = await post(workflow.webhookId, hostile);
    const { executionId } = (await res.json()) as { executionId: string };
    const row = await waitForExecution(tdb.db, executionId);
    expect(row.status).toBe('succeeded');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // The payload's own "{{ … }}" text is passed on literally, never evaluated.
    const sent = JSON.parse(target.requests.at(-1)?.body ?? '');
    expect(sent).toEqual({
      user: '{{ trigger }}',
      amount: "{{constructor.constructor('return process')()}}",
    });
  });
});

describe('ingest under concurrency', () => {
  it('accepts a burst of webhooks in group commits, each with its own execution and job', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const inactive = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url), { active: false });
    const before = await rowCounts();
    const responses = await Promise.all(
      Array.from({ length: 150 }, (_, n) =>
        n % 10 === 9
          ? post(inactive.webhookId, { n })
          : post(workflow.webhookId, { n, user: { plan: 'free' } }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(135);
    expect(statuses.filter((s) => s === 404)).toHaveLength(15);
    const ids = await Promise.all(
      responses
        .filter((r) => r.status === 202)
        .map(async (r) => ((await r.json()) as { executionId: string }).executionId),
    );
    expect(new Set(ids).size).toBe(135);
    const after = await rowCounts();
    expect(after.executions - before.executions).toBe(135);
    expect(after.jobs - before.jobs).toBe(135);
    for (const id of ids.slice(0, 5)) expect((await waitForExecution(tdb.db, id)).status).toBe('filtered');
  });

  it('refuses a body Postgres cannot store (NUL) without failing the webhooks batched with it', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const responses = await Promise.all([
      ...Array.from({ length: 20 }, (_, n) => post(workflow.webhookId, { n })),
      post(workflow.webhookId, '{"bad": "nul \\u0000 here"}'),
      ...Array.from({ length: 20 }, (_, n) => post(workflow.webhookId, { n })),
    ]);
    const statuses = responses.map((r) => r.status);
    expect(statuses[20]).toBe(400);
    expect(statuses.filter((s) => s === 202)).toHaveLength(40);
  });
});

describe('ingest isolation', () => {
  /** A delivery as the webhook route submits it, of `workflow` at `version`, with `body` as its trigger data. */
  const ingestDelivery = (
    workflow: { id: string; version: number },
    body: unknown,
    version = workflow.version,
  ) => ({
    workflowId: workflow.id,
    version,
    record: newDeliveryRecord({
      workflowId: workflow.id,
      userId,
      method: 'POST',
      url: '/',
      headers: {},
      raw: undefined,
      size: 0,
      receivedAt: new Date(),
    }),
    method: 'POST',
    trigger: {
      method: 'POST',
      path: '/',
      query: {},
      headers: {},
      body,
      receivedAt: new Date().toISOString(),
    },
    receivedBody: Buffer.from(JSON.stringify(body)),
  });

  it('refuses a body nested deeper than 400 levels without failing the webhooks sent with it', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const responses = await Promise.all([
      ...Array.from({ length: 15 }, (_, n) => post(workflow.webhookId, { n })),
      post(workflow.webhookId, deep),
      ...Array.from({ length: 15 }, (_, n) => post(workflow.webhookId, { n })),
    ]);
    const statuses = responses.map((r) => r.status);
    expect(statuses[15]).toBe(400);
    expect(await responses[15]?.json()).toEqual({
      error: { code: 'BAD_REQUEST', message: 'The body cannot be accepted: nested deeper than 400 levels.' },
    });
    expect(statuses.filter((s) => s === 202)).toHaveLength(30);
    // Exactly at the limit is fine.
    const atLimit = `${'['.repeat(400)}${']'.repeat(400)}`;
    expect((await post(workflow.webhookId, atLimit)).status).toBe(202);
  });

  it('answers 503 with Retry-After when too much is waiting, and stays available for the next', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const ingest = new WebhookIngest(tdb.db, testDeps(tdb.db, env).queue, { maxQueued: 3, maxInFlight: 1 });
    const delivery = (n: number) => ingestDelivery(workflow, { n });
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => ingest.submit(delivery(n))));
    expect(results.map((r) => r.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'busy',
      'busy',
      'busy',
    ]);
    expect((await ingest.submit(delivery(7))).status).toBe('accepted');

    const byBytes = new WebhookIngest(tdb.db, testDeps(tdb.db, env).queue, { maxQueuedBytes: 1_000 });
    const big = { ...delivery(8), trigger: { ...delivery(8).trigger, body: 'x'.repeat(2_000) } };
    expect((await byBytes.submit(big)).status).toBe('busy');
    expect((await byBytes.submit(delivery(9))).status).toBe('accepted');
  });

  it('claims an idempotency key only together with its execution', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const ingest = new WebhookIngest(tdb.db, testDeps(tdb.db, env).queue);
    const delivery = (key: string, version = workflow.version) => ({
      ...ingestDelivery(workflow, { key }, version),
      idempotency: { key, bodyHash: 'ab', ttlHours: 24 },
    });
    const keys = async () =>
      (
        await tdb.sql<{ key: string; execution_id: string }[]>`
          select key, execution_id from webhook_idempotency_keys where workflow_id = ${workflow.id} order by key`
      ).map((row) => [row.key, row.execution_id]);

    // A delivery checked against an older version is not inserted, and keeps no key.
    const [stale, fresh] = await Promise.all([
      ingest.submit(delivery('k-stale', workflow.version - 1)),
      ingest.submit(delivery('k-fresh')),
    ]);
    expect(stale).toEqual({ status: 'stale' });
    expect(fresh).toMatchObject({ status: 'accepted' });
    const freshId = fresh.status === 'accepted' ? fresh.executionId : '';
    expect(await keys()).toEqual([['k-fresh', freshId]]);
    expect(await ingest.submit(delivery('k-fresh'))).toEqual({ status: 'duplicate', executionId: freshId });

    // Switched off: not inserted, no key; an expired key is not answered with its old execution.
    await tdb.sql`update webhook_idempotency_keys set expires_at = now() - interval '1 second'`;
    await tdb.db.update(workflows).set({ active: false }).where(eq(workflows.id, workflow.id));
    expect(await ingest.submit(delivery('k-off'))).toEqual({ status: 'not-found' });
    expect(await ingest.submit(delivery('k-fresh'))).toEqual({ status: 'not-found' });
    expect(await keys()).toEqual([['k-fresh', freshId]]);
  });
});

describe('step data the database cannot take', () => {
  it('fails a step whose response is nested deeper than 400 levels, with the reason', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    target.respond = () => ({ body: JSON.parse(`${'['.repeat(1_000)}${']'.repeat(1_000)}`) });
    const res = await post(workflow.webhookId, { user: { plan: 'pro' } });
    const execution = await waitForExecution(
      tdb.db,
      ((await res.json()) as { executionId: string }).executionId,
    );
    expect(execution.status).toBe('failed');
    expect(execution.error).toEqual({
      code: 'OUTPUT_TOO_LARGE',
      message: "The step's output cannot be recorded: nested deeper than 400 levels.",
      stepId: 'notify',
    });
    const [step] = await stepsOf(execution.id);
    expect(step).toMatchObject({ status: 'failed', output: null });
  });
});

describe('delivery guarantees', () => {
  it('runs a duplicate delivery of the same job once', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    // Queue the execution without a job, then deliver "the same job" twice at once.
    const { id } = await createExecution(
      tdb.db,
      { enqueue: async () => {}, enqueueMany: async () => {} },
      {
        workflow,
        mode: 'manual',
        trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: { user: { plan: 'pro' } } },
      },
    );
    const deps = { db: tdb.db, http, apis: publicApis, keyring: testKeyring };
    const job = { executionId: id, jobId: 'job-1', jobAttempt: 0, signal: new AbortController().signal };
    const results = await Promise.all([
      runExecution(deps, job),
      runExecution(deps, job),
      runExecution(deps, { ...job, jobId: 'job-2' }),
    ]);
    expect(results.filter((r) => r === 'finished')).toHaveLength(1);
    expect(target.requests).toHaveLength(1);
    expect((await waitForExecution(tdb.db, id)).status).toBe('succeeded');
    // A later retry of the job finds it finished and does nothing.
    expect(await runExecution(deps, { ...job, jobAttempt: 1 })).toBe('skipped');
    expect(target.requests).toHaveLength(1);
  });

  it('resumes after the last recorded step instead of repeating it', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const { id } = await createExecution(
      tdb.db,
      { enqueue: async () => {}, enqueueMany: async () => {} },
      {
        workflow,
        mode: 'manual',
        trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: { user: { plan: 'pro' } } },
      },
    );
    // An earlier attempt of job-9 ran step 1 and died.
    await tdb.db
      .update(executions)
      .set({ status: 'running', attempt: 1, jobId: 'job-9', jobAttempt: 0 })
      .where(eq(executions.id, id));
    const now = new Date();
    await tdb.db.insert(executionSteps).values({
      executionId: id,
      stepId: 'notify',
      position: 0,
      type: 'http',
      status: 'succeeded',
      input: {},
      output: { status: 200, body: { from: 'first attempt' } },
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    });
    const deps = { db: tdb.db, http, apis: publicApis, keyring: testKeyring };
    expect(
      await runExecution(deps, {
        executionId: id,
        jobId: 'job-9',
        jobAttempt: 1,
        signal: new AbortController().signal,
      }),
    ).toBe('finished');
    expect(target.requests).toHaveLength(0);
    const row = await waitForExecution(tdb.db, id);
    expect(row.status).toBe('succeeded');
    expect(row.attempt).toBe(2);
  });

  it('records every earlier step before a step that reaches out runs; a filter waits for the next write', async () => {
    const call = (id: string) => ({
      id,
      name: `Call ${id}`,
      type: 'http' as const,
      config: { method: 'POST' as const, url: `${target.url}/s/${id}`, timeoutMs: 10_000 },
    });
    const workflow = await insertWorkflow(tdb.db, userId, {
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [
        call('first'),
        {
          id: 'check',
          name: 'Only pro',
          type: 'filter',
          config: {
            match: 'all',
            conditions: [{ left: '{{ trigger.body.plan }}', op: 'equals', right: 'pro' }],
          },
        },
        call('second'),
      ],
    });
    const { id } = await createExecution(
      tdb.db,
      { enqueue: async () => {}, enqueueMany: async () => {} },
      {
        workflow,
        mode: 'manual',
        trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: { plan: 'pro' } },
      },
    );
    // What the database holds at the moment each request arrives.
    const seen: Record<string, Promise<string[]>> = {};
    target.respond = (req) => {
      seen[req.url] = stepsOf(id).then((rows) => rows.map((row) => `${row.stepId}:${row.status}`));
      return { body: { ok: true }, hold: seen[req.url] };
    };
    const deps = { db: tdb.db, http, apis: publicApis, keyring: testKeyring };
    const job = { executionId: id, jobId: 'job-order', jobAttempt: 0, signal: new AbortController().signal };
    expect(await runExecution(deps, job)).toBe('finished');
    expect(await seen['/s/first']).toEqual([]);
    expect(await seen['/s/second']).toEqual(['first:succeeded', 'check:succeeded']);
    expect((await stepsOf(id)).map((row) => row.stepId)).toEqual(['first', 'check', 'second']);
    expect((await waitForExecution(tdb.db, id)).status).toBe('succeeded');
  });

  it('claims a batch of jobs in one statement, each execution for one job only', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const queueNothing = { enqueue: async () => {}, enqueueMany: async () => {} };
    const trigger = { method: 'POST', path: '/', query: {}, headers: {}, body: {} };
    const a = await createExecution(tdb.db, queueNothing, { workflow, mode: 'manual', trigger });
    const b = await createExecution(tdb.db, queueNothing, { workflow, mode: 'manual', trigger });
    const claimed = await claimExecutions(tdb.db, [
      { executionId: a.id, jobId: 'job-a', jobAttempt: 0 },
      { executionId: a.id, jobId: 'job-a-again', jobAttempt: 0 },
      { executionId: b.id, jobId: 'job-b', jobAttempt: 0 },
    ]);
    expect(claimed.has('job-b')).toBe(true);
    expect([claimed.has('job-a'), claimed.has('job-a-again')].filter(Boolean)).toHaveLength(1);
    expect(claimed.get('job-b')).toMatchObject({ attempt: 1, userId, workflowId: workflow.id });
    // Claimed already: the same jobs delivered again get nothing.
    expect(
      (await claimExecutions(tdb.db, [{ executionId: b.id, jobId: 'job-b-duplicate', jobAttempt: 0 }])).size,
    ).toBe(0);
  });

  it('stops an attempt a retry took over: it records nothing more and runs no later step', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, {
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: ['slow', 'second', 'third'].map((id) => ({
        id,
        name: `Step ${id}`,
        type: 'http' as const,
        config: {
          method: 'POST' as const,
          url: `${target.url}/s/${id}`,
          body: { type: 'json' as const, value: { step: id } },
          timeoutMs: 10_000,
        },
      })),
    });
    const { id } = await createExecution(
      tdb.db,
      { enqueue: async () => {}, enqueueMany: async () => {} },
      { workflow, mode: 'manual', trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: {} } },
    );
    // The slow step answers only when the test says so, one release per request.
    const releases: (() => void)[] = [];
    target.respond = (req) =>
      req.url === '/s/slow'
        ? { body: { ok: true }, hold: new Promise<void>((resolve) => releases.push(resolve)) }
        : { body: { ok: true } };
    const slowRequests = async (n: number) => {
      for (let i = 0; i < 400 && releases.length < n; i++) await new Promise((r) => setTimeout(r, 25));
      expect(releases).toHaveLength(n);
    };
    const deps = { db: tdb.db, http, apis: publicApis, keyring: testKeyring };
    const job = { executionId: id, jobId: 'job-zombie', signal: new AbortController().signal };

    const first = runExecution(deps, { ...job, jobAttempt: 0 });
    await slowRequests(1);
    // Attempt 1 is presumed dead (its heartbeat was lost) and pg-boss retries the job; it is alive.
    const second = runExecution(deps, { ...job, jobAttempt: 1 });
    await slowRequests(2);
    releases[0]?.();
    expect(await first).toBe('superseded');
    expect(await stepsOf(id)).toEqual([]);
    expect(target.requests.map((r) => r.url)).toEqual(['/s/slow', '/s/slow']);

    releases[1]?.();
    expect(await second).toBe('finished');
    const row = await waitForExecution(tdb.db, id);
    expect(row).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect((await stepsOf(id)).map((s) => [s.stepId, s.status])).toEqual([
      ['slow', 'succeeded'],
      ['second', 'succeeded'],
      ['third', 'succeeded'],
    ]);
    // The step in flight at the takeover ran in both attempts; every later one ran once.
    expect(target.requests.map((r) => r.url)).toEqual(['/s/slow', '/s/slow', '/s/second', '/s/third']);
  });

  it('answers 503 and keeps nothing when the job cannot be queued', async () => {
    const workflow = await insertWorkflow(tdb.db, userId, exampleDefinition(target.url));
    const failing = {
      enqueue: async () => {
        throw new Error('queue down');
      },
      enqueueMany: async () => {
        throw new Error('queue down');
      },
    };
    const deps = { ...testDeps(tdb.db, env), queue: failing };
    const app = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
    await new Promise((r) => app.once('listening', r));
    const before = await rowCounts();
    const res = await fetch(
      `http://127.0.0.1:${(app.address() as AddressInfo).port}/hooks/${workflow.webhookId}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
    );
    app.close();
    expect(res.status).toBe(503);
    expect(await rowCounts()).toEqual(before);
  });

  it('keeps the job and the execution row together (no orphans)', async () => {
    const orphans = await tdb.sql<{ n: number }[]>`
      select count(*)::int as n from executions e
      where not exists (select 1 from pgboss.job j where j.name = 'executions' and j.data->>'executionId' = e.id::text)
        and e.mode = 'webhook'`;
    expect(orphans[0]?.n).toBe(0);
  });
});
