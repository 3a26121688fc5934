/**
 * The webhook front door on a real Postgres, pg-boss and worker: signatures checked on the raw body
 * (401 with the reason, nothing executed), idempotency keys (one execution for 50 concurrent
 * duplicates, 422 for another body, a new execution after the window), `whenFinished` answers, and
 * the delivery inspector (every refusal recorded with its reason, secrets masked, the bound kept).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DELIVERIES_KEPT, type WorkflowDefinitionInput } from '@automateos/shared';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { count, eq } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executions, webhookDeliveries } from '../src/db/schema';
import { startWorker, type WorkerHandle } from '../src/engine/worker';
import { createApp } from '../src/http/app';
import { startBoss } from '../src/queue/queues';
import type { AppDeps } from '../src/trpc/trpc';
import { TestSession, testDeps, testKeyring } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import { startTarget, type Target, waitForExecution } from './fixtures';

let tdb: TestDatabase;
let deps: AppDeps;
let target: Target;
let boss: PgBoss;
let worker: WorkerHandle;
let server: Server;
let base: string;
const session = new TestSession();
const api = () => session.caller(deps);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, { SSRF_ALLOWLIST: '127.0.0.1/32', WEBHOOK_MAX_BODY: String(64 * 1024) });
  target = await startTarget();
  boss = await startBoss(tdb.url, { maintenance: true, max: 3 });
  worker = await startWorker({ boss, db: tdb.db, config: deps.config, keyring: testKeyring });
  server = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await session.caller(deps).auth.register({ email: 'hooks@example.com', password: 'password-123' });
});
afterAll(async () => {
  server?.close();
  await worker?.stop();
  await boss?.stop({ graceful: false, timeout: 2_000 });
  await target?.close();
  await tdb?.close();
});

const definition = (config: Record<string, unknown>): WorkflowDefinitionInput => ({
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST', ...config } },
  steps: [
    {
      id: 'notify',
      name: 'Notify',
      type: 'http',
      config: {
        method: 'POST',
        url: `${target.url}/events`,
        body: { type: 'json', value: { n: '{{ trigger.body.n }}' } },
      },
    },
  ],
});

async function activeWorkflow(config: Record<string, unknown>) {
  const workflow = await api().workflows.create({
    name: `Hook ${Math.random()}`,
    definition: definition(config),
  });
  await api().workflows.setActive({ id: workflow.id, active: true });
  return { ...workflow, webhookId: workflow.webhookUrl?.split('/').at(-1) ?? '' };
}

const secretCredential = async (secret: string) =>
  (
    await api().credentials.create({
      name: `Secret ${Math.random()}`,
      type: 'webhookSecret',
      data: { secret },
    })
  ).id;

const post = (webhookId: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/hooks/${webhookId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

const executionCount = async (workflowId: string) =>
  (await tdb.db.select({ n: count() }).from(executions).where(eq(executions.workflowId, workflowId)))[0]?.n ??
  0;

/** Rejected deliveries are recorded after the answer, in the next batch: wait for them to land. */
async function deliveriesOf(workflowId: string, atLeast: number) {
  for (let i = 0; i < 200; i++) {
    const { items } = await api().webhooks.deliveries({ workflowId, limit: 100 });
    if (items.length >= atLeast) return items;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`fewer than ${atLeast} deliveries recorded`);
}

const now = () => Math.floor(Date.now() / 1000);

describe('signature verification over HTTP', () => {
  it('Standard Webhooks: valid → 202; changed byte, stale, missing header, re-serialised → 401, nothing executed', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const credentialId = await secretCredential(secret);
    const workflow = await activeWorkflow({ signature: { preset: 'standardWebhooks', credentialId } });
    const body = '{"n": 1,  "z":true, "a":[1]}';
    const signed = (payload: string, at = now(), id = 'msg_1') => ({
      'webhook-id': id,
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(secret).sign(id, new Date(at * 1000), payload),
    });

    const ok = await post(workflow.webhookId, body, signed(body));
    expect(ok.status).toBe(202);
    const { executionId } = (await ok.json()) as { executionId: string };
    const execution = await waitForExecution(tdb.db, executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.receivedBody?.toString()).toBe(body);

    const refusals = [
      [body.replace('1', '2'), signed(body), 'mismatch'],
      [body, signed(body, now() - 600), 'stale-timestamp'],
      [body, { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now()) }, 'missing-header'],
      [JSON.stringify(JSON.parse(body)), signed(body), 'mismatch'],
    ] as const;
    for (const [payload, headers, reason] of refusals) {
      const res = await post(workflow.webhookId, payload, headers);
      expect(res.status).toBe(401);
      const answer = (await res.json()) as { error: { code: string; reason: string; message: string } };
      expect(answer.error).toMatchObject({ code: 'INVALID_SIGNATURE', reason });
    }
    expect(await executionCount(workflow.id)).toBe(1);

    const recorded = await deliveriesOf(workflow.id, 5);
    expect(recorded.map((d) => [d.statusCode, d.outcome])).toEqual([
      ...refusals.map(() => [401, 'rejected']),
      [202, 'accepted'],
    ]);
    expect(recorded.at(-1)).toMatchObject({ executionId, bodyPreview: body });
    expect(recorded[0]?.reason).toBe('The signature does not match the body.');
    // The signature header is masked in every record.
    const signatures = recorded.map((delivery) => delivery.headers['webhook-signature']);
    expect(signatures).toEqual(['••••••', undefined, '••••••', '••••••', '••••••']);
  });

  it('Stripe, GitHub and Slack signatures made by their own tooling pass; a rotated secret gives 401', async () => {
    const stripeSecret = 'whsec_stripe_test';
    const stripe = await activeWorkflow({
      signature: { preset: 'stripe', credentialId: await secretCredential(stripeSecret) },
    });
    const event = '{"id":"evt_9","type":"charge.succeeded","n":3}';
    const stripeHeader = (secret: string) => ({
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: event, secret }),
    });
    expect((await post(stripe.webhookId, event, stripeHeader(stripeSecret))).status).toBe(202);
    expect((await post(stripe.webhookId, event, stripeHeader('whsec_rotated_away'))).status).toBe(401);

    const githubSecret = 'gh secret';
    const github = await activeWorkflow({
      signature: { preset: 'github', credentialId: await secretCredential(githubSecret) },
    });
    const push = '{"ref":"refs/heads/main","n":4}';
    expect(
      (await post(github.webhookId, push, { 'x-hub-signature-256': await githubSign(githubSecret, push) }))
        .status,
    ).toBe(202);
    expect(
      (await post(github.webhookId, push, { 'x-hub-signature-256': await githubSign('old', push) })).status,
    ).toBe(401);

    // Slack signs form posts: `v0:<timestamp>:<body>` as its guide shows.
    const slackSecret = '8f742231b10e8888abcd99yyyzzz85a5';
    const slack = await activeWorkflow({
      signature: { preset: 'slack', credentialId: await secretCredential(slackSecret) },
    });
    const form = 'command=%2Fdeploy&text=now';
    const timestamp = String(now());
    const { createHmac } = await import('node:crypto');
    const slackSignature = `v0=${createHmac('sha256', slackSecret).update(`v0:${timestamp}:${form}`).digest('hex')}`;
    const slackPost = (signature: string) =>
      fetch(`${base}/hooks/${slack.webhookId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
        },
        body: form,
      });
    expect((await slackPost(slackSignature)).status).toBe(202);
    expect((await slackPost(`v0=${'0'.repeat(64)}`)).status).toBe(401);
  });

  it('custom HMAC: a header of any name is verified, and masked in the delivery record', async () => {
    const secret = 'custom hmac secret';
    const workflow = await activeWorkflow({
      signature: {
        preset: 'hmac',
        credentialId: await secretCredential(secret),
        header: 'X-Sig',
        prefix: 'sha1=',
        algorithm: 'sha1',
      },
    });
    const body = '{"n":5}';
    const { createHmac } = await import('node:crypto');
    const sign = (key: string) => `sha1=${createHmac('sha1', key).update(body).digest('hex')}`;
    expect((await post(workflow.webhookId, body, { 'x-sig': sign(secret) })).status).toBe(202);
    expect((await post(workflow.webhookId, body, { 'x-sig': sign('guess') })).status).toBe(401);
    const recorded = await deliveriesOf(workflow.id, 2);
    expect(recorded.map((delivery) => delivery.headers['x-sig'])).toEqual(['••••••', '••••••']);
  });

  it("refuses to save a signature that names another user's credential, and lists the trigger as its user", async () => {
    const other = new TestSession('203.0.113.8');
    await other.caller(deps).auth.register({ email: 'other-hooks@example.com', password: 'password-123' });
    const theirs = (
      await other
        .caller(deps)
        .credentials.create({ name: 'Theirs', type: 'webhookSecret', data: { secret: 's' } })
    ).id;
    await expect(
      api().workflows.create({
        name: 'Stolen secret',
        definition: definition({ signature: { preset: 'github', credentialId: theirs } }),
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const mine = await secretCredential('mine');
    const workflow = await api().workflows.create({
      name: 'Uses mine',
      definition: definition({ signature: { preset: 'github', credentialId: mine } }),
    });
    const credential = await api().credentials.get({ id: mine });
    expect(credential.usedBy.map((use) => use.id)).toEqual([workflow.id]);
  });
});

describe('idempotency keys', () => {
  it('50 concurrent identical deliveries → one execution; another body → 422; after the window → a new one', async () => {
    const workflow = await activeWorkflow({ idempotency: { enabled: true } });
    const body = '{"n":7}';
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => post(workflow.webhookId, body, { 'idempotency-key': 'order-7' })),
    );
    const ids = await Promise.all(
      answers.map(async (res) => [res.status, ((await res.json()) as { executionId: string }).executionId]),
    );
    expect(new Set(ids.map(([status]) => status))).toEqual(new Set([202]));
    expect(new Set(ids.map(([, id]) => id)).size).toBe(1);
    expect(await executionCount(workflow.id)).toBe(1);
    const [, original] = ids[0] ?? [];

    // Retried later (say after a 503 whose commit had gone through): the original answer again.
    const retry = await post(workflow.webhookId, body, { 'idempotency-key': 'order-7' });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.json()).toEqual({ executionId: original });

    const other = await post(workflow.webhookId, '{"n":8}', { 'idempotency-key': 'order-7' });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(await executionCount(workflow.id)).toBe(1);

    await tdb.sql`update webhook_idempotency_keys set expires_at = now() - interval '1 second' where key = 'order-7'`;
    const later = await post(workflow.webhookId, body, { 'idempotency-key': 'order-7' });
    expect(later.status).toBe(202);
    expect(((await later.json()) as { executionId: string }).executionId).not.toBe(original);
    expect(await executionCount(workflow.id)).toBe(2);

    // Without a key every delivery is new.
    expect((await post(workflow.webhookId, body)).status).toBe(202);
    expect(await executionCount(workflow.id)).toBe(3);

    const recorded = await deliveriesOf(workflow.id, 54);
    expect(recorded.filter((d) => d.outcome === 'duplicate')).toHaveLength(50);
    expect(recorded.filter((d) => d.statusCode === 422)).toHaveLength(1);
  });

  it("uses the scheme's delivery id as the key when asked to", async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const workflow = await activeWorkflow({
      signature: { preset: 'standardWebhooks', credentialId: await secretCredential(secret) },
      idempotency: { enabled: true, deliveryId: true },
    });
    const body = '{"n":1}';
    const send = () => {
      const at = now();
      return post(workflow.webhookId, body, {
        'webhook-id': 'msg_same',
        'webhook-timestamp': String(at),
        'webhook-signature': new Webhook(secret).sign('msg_same', new Date(at * 1000), body),
      });
    };
    const first = (await (await send()).json()) as { executionId: string };
    const second = (await (await send()).json()) as { executionId: string };
    expect(second.executionId).toBe(first.executionId);
    expect(await executionCount(workflow.id)).toBe(1);
  });
});

describe('whenFinished', () => {
  it("answers with the chosen step's output, status and headers; a slow workflow gets 202 at the timeout", async () => {
    target.respond = () => ({ body: { answered: true } });
    const workflow = await activeWorkflow({
      response: {
        mode: 'whenFinished',
        timeoutMs: 15_000,
        stepId: 'notify',
        statusCode: 201,
        headers: { 'X-Reply': 'yes' },
      },
    });
    const res = await post(workflow.webhookId, '{"n":5}');
    expect(res.status).toBe(201);
    expect(res.headers.get('x-reply')).toBe('yes');
    const output = (await res.json()) as { status: number; body: unknown };
    expect(output).toMatchObject({ status: 200, body: { answered: true } });
    const executionId = res.headers.get('x-execution-id') ?? '';
    expect((await waitForExecution(tdb.db, executionId)).status).toBe('succeeded');

    target.respond = () => ({ body: { late: true }, delayMs: 2_000 });
    const slow = await activeWorkflow({ response: { mode: 'whenFinished', timeoutMs: 300 } });
    const timedOut = await post(slow.webhookId, '{"n":6}');
    expect(timedOut.status).toBe(202);
    const { executionId: slowId } = (await timedOut.json()) as { executionId: string };
    expect((await waitForExecution(tdb.db, slowId)).status).toBe('succeeded');
    target.respond = () => ({ body: { ok: true } });

    const recorded = await deliveriesOf(workflow.id, 1);
    expect(recorded[0]).toMatchObject({ statusCode: 201, response: output });
  });
});

describe('delivery inspector', () => {
  it('records every refusal with its reason, masks secrets, keeps the bound; unknown ids are not recorded', async () => {
    const workflow = await activeWorkflow({ idempotency: { enabled: true } });
    const hook = `${base}/hooks/${workflow.webhookId}`;
    const sent = [
      await fetch(hook, { method: 'GET' }),
      await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: 'x'.repeat(70 * 1024),
      }),
      await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' }),
      await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"broken',
      }),
      await fetch(hook, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sk_live_canary',
          'x-api-key': 'canary-key',
          cookie: 'session=canary',
          'idempotency-key': 'k1',
        },
        body: '{"n":1}',
      }),
      await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
        body: '{"n":2}',
      }),
    ];
    expect(sent.map((res) => res.status)).toEqual([404, 413, 415, 400, 202, 422]);
    const unknown = await fetch(`${base}/hooks/${'A'.repeat(22)}`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);

    const recorded = (await deliveriesOf(workflow.id, 6)).toReversed();
    expect(recorded.map((d) => [d.method, d.statusCode, d.outcome])).toEqual([
      ['GET', 404, 'rejected'],
      ['POST', 413, 'rejected'],
      ['POST', 415, 'rejected'],
      ['POST', 400, 'rejected'],
      ['POST', 202, 'accepted'],
      ['POST', 422, 'rejected'],
    ]);
    expect(recorded.map((d) => d.reason)).toEqual([
      'This webhook accepts POST requests; this was GET.',
      'The body is larger than 65536 bytes.',
      'Unsupported content type "application/xml". Send JSON, form-urlencoded or text.',
      'The body is not valid JSON.',
      null,
      'This idempotency key was used before with a different body.',
    ]);
    const stored = JSON.stringify(await tdb.sql`select * from webhook_deliveries`);
    for (const canary of ['sk_live_canary', 'canary-key', 'session=canary'])
      expect(stored).not.toContain(canary);
    expect(recorded[4]?.headers).toMatchObject({
      authorization: '••••••',
      'x-api-key': '••••••',
      'idempotency-key': 'k1',
    });
    // Nothing else is recorded anywhere for the unknown id.
    const [all] = await tdb.db
      .select({ n: count() })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.workflowId, workflow.id));
    expect(all?.n).toBe(6);

    // The bound: the newest DELIVERIES_KEPT stay, kept shortly after the batches that wrote them.
    for (let sentSoFar = 0; sentSoFar < DELIVERIES_KEPT; sentSoFar += 50) {
      await Promise.all(Array.from({ length: 50 }, () => fetch(hook, { method: 'GET' })));
    }
    const methods = async () =>
      tdb.sql<{ method: string }[]>`select method from webhook_deliveries where workflow_id = ${workflow.id}`;
    // Refused deliveries are recorded after their answers: wait until all 206 have been recorded and pruned.
    for (let i = 0; i < 400; i++) {
      const rows = await methods();
      if (rows.length === DELIVERIES_KEPT && rows.every((row) => row.method === 'GET')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const kept = await methods();
    expect(kept).toHaveLength(DELIVERIES_KEPT);
    // The six first deliveries (all but one POSTs) are the oldest: gone.
    expect(kept.filter((row) => row.method === 'POST')).toHaveLength(0);
  });

  it('replays a delivery as a test run, and pages through the list', async () => {
    const workflow = await activeWorkflow({});
    const res = await post(`${workflow.webhookId}`, '{"n":42}');
    expect(res.status).toBe(202);
    const [delivery] = await deliveriesOf(workflow.id, 1);
    const { executionId } = await api().webhooks.replayDelivery({ id: delivery?.id ?? '' });
    const replay = await waitForExecution(tdb.db, executionId);
    expect(replay).toMatchObject({ status: 'succeeded', mode: 'manual' });
    expect(replay.trigger.body).toEqual({ n: 42 });

    await post(workflow.webhookId, '{"n":43}');
    await deliveriesOf(workflow.id, 2);
    const first = await api().webhooks.deliveries({ workflowId: workflow.id, limit: 1 });
    expect(first.items).toHaveLength(1);
    const second = await api().webhooks.deliveries({
      workflowId: workflow.id,
      limit: 1,
      cursor: first.nextCursor ?? undefined,
    });
    expect(second.items[0]?.bodyPreview).toBe('{"n":42}');
    expect(second.nextCursor).toBeNull();
  });

  it('rate-limits requests to unknown webhook ids per client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      statuses.push(
        (await fetch(`${base}/hooks/${'B'.repeat(22)}${i}`, { method: 'POST', body: '{}' })).status,
      );
    }
    expect(new Set(statuses)).toEqual(new Set([404, 429]));
    expect(statuses.at(-1)).toBe(429);
  });
});
