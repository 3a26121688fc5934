/**
 * Keys keep the order they were typed or received in, end to end: the definition as saved, the
 * request the HTTP step actually sends, the trigger data, each step's input and output, and the
 * body exactly as it arrived (bytes, whitespace and all).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowDefinitionInput } from '@automateos/shared';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from '../src/engine/worker';
import { createApp } from '../src/http/app';
import { startBoss } from '../src/queue/queues';
import type { AppDeps } from '../src/trpc/trpc';
import { TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import { startTarget, type Target, waitForExecution } from './fixtures';

let tdb: TestDatabase;
let deps: AppDeps;
let target: Target;
let server: Server;
let base: string;
let boss: PgBoss;
let worker: WorkerHandle;
const session = new TestSession();
const api = () => session.caller(deps);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, { SSRF_ALLOWLIST: '127.0.0.1/32' });
  target = await startTarget();
  server = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  boss = await startBoss(tdb.url, { maintenance: true, max: 3 });
  worker = await startWorker({ boss, db: tdb.db, config: deps.config, keyring: deps.keyring });
  await api().auth.register({ email: 'order@example.com', password: 'password-123' });
});
afterAll(async () => {
  await worker.stop();
  await boss.stop({ graceful: false, timeout: 2_000 });
  server.close();
  await target.close();
  await tdb.close();
});

const keysOf = (value: unknown) => Object.keys(value as object);

/** An HTTP step whose headers, query and JSON body are typed in an order no sorting would give. */
function orderedDefinition(): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: [
      {
        id: 'send',
        name: 'Send',
        type: 'http',
        config: {
          method: 'POST',
          url: `${target.url}/events`,
          headers: { 'X-Zulu': 'z', 'X-Alpha': 'a', 'X-Mike': 'm' },
          query: { zz: '1', aa: '2' },
          body: {
            type: 'json',
            value: {
              user: '{{ trigger.body.user }}',
              plan: '{{ trigger.body.plan }}',
              note: { zebra: 1, apple: 2 },
              whole: '{{ trigger.body }}',
            },
          },
        },
      },
    ],
  };
}

describe('key order', () => {
  it('keeps a definition as typed, and sends, records and shows data in the order it came', async () => {
    const workflow = await api().workflows.create({ name: 'Order', definition: orderedDefinition() });
    const saved = await api().workflows.get({ id: workflow.id });
    const [step] = saved.definition.steps;
    if (step?.type !== 'http' || step.config.body.type !== 'json') throw new Error('no JSON body');
    expect(keysOf(step.config.body.value)).toEqual(['user', 'plan', 'note', 'whole']);
    expect(keysOf(step.config.headers)).toEqual(['X-Zulu', 'X-Alpha', 'X-Mike']);
    expect(keysOf(step.config.query)).toEqual(['zz', 'aa']);
    await api().workflows.setActive({ id: workflow.id, active: true });

    // Whitespace and key order as a sender would write them; the parsed data keeps the order.
    const sent = '{ "user": "u_1",\n  "plan": "pro", "zeta": {"y": 1, "b": 2}, "alpha": true }\n';
    const response = await fetch(`${base}/hooks/${webhookIdOf(saved.webhookUrl)}?zq=1&aq=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sent,
    });
    expect(response.status).toBe(202);
    const { executionId } = (await response.json()) as { executionId: string };
    expect((await waitForExecution(tdb.db, executionId)).status).toBe('succeeded');

    // The request actually sent: body, headers and query in the typed order.
    const [request] = target.requests;
    expect(request?.body).toBe(
      '{"user":"u_1","plan":"pro","note":{"zebra":1,"apple":2},"whole":{"user":"u_1","plan":"pro","zeta":{"y":1,"b":2},"alpha":true}}',
    );
    expect(keysOf(request?.headers).filter((name) => name.startsWith('x-'))).toEqual([
      'x-zulu',
      'x-alpha',
      'x-mike',
    ]);
    expect(request?.url).toBe('/events?zz=1&aa=2');

    const detail = await api().executions.get({ id: executionId });
    if (!('body' in detail.trigger)) throw new Error('no body');
    expect(keysOf(detail.trigger.body)).toEqual(['user', 'plan', 'zeta', 'alpha']);
    expect(keysOf((detail.trigger.body as { zeta: object }).zeta)).toEqual(['y', 'b']);
    expect(keysOf(detail.trigger.query)).toEqual(['zq', 'aq']);
    // The body exactly as it arrived.
    expect(detail.receivedBody).toEqual({ text: sent, bytes: Buffer.byteLength(sent) });
    const [log] = detail.steps;
    const input = log?.input as { headers: object; body: { value: object } };
    expect(keysOf(input.headers)).toEqual(['X-Zulu', 'X-Alpha', 'X-Mike']);
    expect(keysOf(input.body.value)).toEqual(['user', 'plan', 'note', 'whole']);
    // The target's answer, parsed in the order it was sent.
    const output = log?.output as { body: { echo: object } };
    expect(keysOf(output.body.echo)).toEqual(['user', 'plan', 'note', 'whole']);

    // A re-run sends the same data, and keeps the body as it first arrived.
    const { executionId: rerunId } = await api().executions.rerun({ id: executionId });
    await waitForExecution(tdb.db, rerunId);
    const rerun = await api().executions.get({ id: rerunId });
    expect(rerun.receivedBody?.text).toBe(sent);
    expect(target.requests[1]?.body).toBe(request?.body);
  });

  it('keeps the bytes of a body that is not UTF-8, and of form and text bodies', async () => {
    const workflow = await api().workflows.create({ name: 'Bytes', definition: orderedDefinition() });
    await api().workflows.setActive({ id: workflow.id, active: true });
    const url = `${base}/hooks/${webhookIdOf(workflow.webhookUrl)}`;
    const bodies: { type: string; body: Buffer }[] = [
      { type: 'application/x-www-form-urlencoded', body: Buffer.from('z=1&a=2&z=3') },
      // Latin-1 "café": the é is not UTF-8; the text shows U+FFFD, the byte count is the truth.
      { type: 'text/plain', body: Buffer.from([0x63, 0x61, 0x66, 0xe9]) },
    ];
    for (const { type, body } of bodies) {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
      expect(response.status).toBe(202);
      const { executionId } = (await response.json()) as { executionId: string };
      const detail = await api().executions.get({ id: executionId });
      expect(detail.receivedBody).toEqual({ text: body.toString('utf8'), bytes: body.length });
      if (type.startsWith('application/x-www-form-urlencoded') && 'body' in detail.trigger) {
        expect(detail.trigger.body).toEqual({ z: ['1', '3'], a: '2' });
        expect(keysOf(detail.trigger.body)).toEqual(['z', 'a']);
      }
    }
    // No body, no received body.
    const empty = await fetch(url, { method: 'POST' });
    const { executionId } = (await empty.json()) as { executionId: string };
    expect((await api().executions.get({ id: executionId })).receivedBody).toBeNull();
  });

  it('puts whole-number keys first once data is parsed, as JavaScript does; the received body keeps them', async () => {
    const workflow = await api().workflows.create({ name: 'Numbers', definition: orderedDefinition() });
    await api().workflows.setActive({ id: workflow.id, active: true });
    const sent = '{"b":1,"10":2,"a":3,"2":4}';
    const response = await fetch(`${base}/hooks/${webhookIdOf(workflow.webhookUrl)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: sent,
    });
    const { executionId } = (await response.json()) as { executionId: string };
    const detail = await api().executions.get({ id: executionId });
    if (!('body' in detail.trigger)) throw new Error('no body');
    expect(keysOf(detail.trigger.body)).toEqual(['2', '10', 'b', 'a']);
    expect(detail.receivedBody?.text).toBe(sent);
  });

  it('refuses text PostgreSQL cannot work with, in a definition, a test payload and a webhook', async () => {
    const definition = orderedDefinition();
    const nul = { ...definition, steps: [{ ...definition.steps[0], name: 'a\u0000b' }] };
    await expect(
      api().workflows.create({ name: 'NUL', definition: nul as WorkflowDefinitionInput }),
    ).rejects.toThrow(/NUL character/);
    const workflow = await api().workflows.create({ name: 'Clean', definition });
    await expect(
      api().workflows.testRun({ id: workflow.id, payload: { text: 'half \ud800 a pair' } }),
    ).rejects.toThrow(/unpaired surrogate/);
    await api().workflows.setActive({ id: workflow.id, active: true });
    const url = `${base}/hooks/${webhookIdOf(workflow.webhookUrl)}`;
    const inQuery = await fetch(`${url}?q=a%00b`, { method: 'POST' });
    expect(inQuery.status).toBe(400);
    expect(await inQuery.json()).toEqual({
      error: {
        code: 'BAD_REQUEST',
        message:
          'The query string cannot be accepted: contains a NUL character (\\u0000), which cannot be stored.',
      },
    });
    const inText = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'a\0b',
    });
    expect(inText.status).toBe(400);
  });
});

function webhookIdOf(url: string | null): string {
  const id = url?.split('/hooks/')[1];
  if (!id) throw new Error(`not a webhook URL: ${url}`);
  return id;
}
