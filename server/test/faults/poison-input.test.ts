/**
 * Poison input against the real processes: 1,000 random webhook requests (methods, content types,
 * bodies, query strings, ids) and 1,000 random workflow definitions through `workflows.create`.
 * Only 2xx and 4xx come back, never a 5xx; the web process stays up; and the worker runs every
 * execution those random bodies created to a terminal state (expressions over hostile bodies).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import { insertUser, insertWorkflow } from '../fixtures';
import {
  type AppProcess,
  cleanup,
  type HitTarget,
  report,
  seconds,
  startHitTarget,
  startWeb,
  startWorker,
  statusCounts,
  unfinishedCount,
  type WebProcess,
  waitUntil,
} from './harness';

const RUNS = 1_000;

let tdb: TestDatabase;
let target: HitTarget;
let web: WebProcess;
let worker: AppProcess;
let webhookId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startHitTarget();
  const user = await insertUser(tdb.db);
  // Accepts every method, and feeds hostile trigger data through expressions, an HTTP body and
  // every kind of filter condition.
  const workflow = await insertWorkflow(tdb.db, user.id, {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'ANY' } },
    steps: [
      {
        id: 'echo',
        name: 'Echo',
        type: 'http',
        config: {
          method: 'POST',
          url: `${target.url}/s/echo`,
          headers: { 'X-Echo': '{{ trigger.headers.x-random }}' },
          query: { q: '{{ trigger.query.q }}', a: '{{ trigger.body.a }}' },
          body: {
            type: 'json',
            value: {
              body: '{{ trigger.body }}',
              text: 'got {{ trigger.body.a[0].b }}',
              m: '{{ trigger.method }}',
            },
          },
          timeoutMs: 10_000,
        },
      },
      {
        id: 'check',
        name: 'Check',
        type: 'filter',
        config: {
          match: 'any',
          conditions: [
            { left: '{{ trigger.body.a }}', op: 'gt', right: '10' },
            { left: '{{ trigger.body }}', op: 'contains', right: 'x' },
            { left: '{{ trigger.body.a }}', op: 'matchesRegex', right: '^[a-z]+\\d*$' },
            { left: '{{ steps.echo.body.ok }}', op: 'isTrue' },
          ],
        },
      },
    ],
  });
  webhookId = workflow.webhookId;
  web = await startWeb(tdb.url, { WEBHOOK_MAX_BODY: '64kb' });
  worker = await startWorker(tdb.url, { concurrency: 4 });
}, 120_000);

afterAll(async () => {
  await cleanup(target, { close: () => tdb.close() });
}, 60_000);

// ---------------------------------------------------------------------------------------------
// Random webhook requests

const nasty = fc.constantFrom(
  '{{',
  '}}',
  '{{ trigger.body }}',
  '{{ steps.x[ }}',
  '__proto__',
  'constructor',
  'prototype',
  '\u0000',
  '\ud800',
  '%',
  '%zz',
  '../../etc/passwd',
  '(a+)+$',
  'x'.repeat(5_000),
);

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .dictionary(fc.oneof(fc.string(), nasty), fc.oneof(fc.jsonValue({ maxDepth: 2 }), nasty))
    .map((value) => JSON.stringify({ a: value, ...value })),
  // Deep nesting and big numbers.
  fc.integer({ min: 1, max: 3_000 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`),
  fc.constantFrom(
    '{"__proto__":{"polluted":1},"a":1}',
    '{"a":1e400}',
    '{"a":-0}',
    '{"constructor":{"prototype":1}}',
    // Valid JSON that PostgreSQL's jsonb refuses: NUL characters and lone surrogates.
    '{"a":"x\\u0000y"}',
    '{"a\\u0000":1}',
    '{"a":"\\ud800"}',
    '["\\udfff","\\ud83d\\ude00"]',
  ),
);

const webhookRequest = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'),
  id: fc.oneof(
    { weight: 8, arbitrary: fc.constant('valid') },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/) },
    { weight: 1, arbitrary: fc.constantFrom('%00', '..%2F..', '%', 'a'.repeat(2_000)) },
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    '',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/json; charset=latin1',
    'text/plain; charset=utf-16',
    ';;;',
    'application/',
  ),
  body: fc.oneof(
    jsonText,
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.uint8Array({ maxLength: 300 }),
    fc.dictionary(fc.string(), fc.string()).map((value) => new URLSearchParams(value).toString()),
    nasty,
    fc.constant(''),
    fc.integer({ min: 60_000, max: 80_000 }).map((size) => 'y'.repeat(size)), // near/above the 64 kb limit
  ),
  query: fc.oneof(
    fc.constant(''),
    fc
      .dictionary(fc.oneof(fc.string(), nasty), fc.oneof(fc.string(), nasty), { maxKeys: 4 })
      .map((value) => `?${new URLSearchParams(value).toString()}`),
    fc.constantFrom('?q=%', '?q[]=1&q[]=2', '?__proto__[x]=1', '?&&&=', '?q=%E0%A4%A'),
  ),
  header: fc.oneof(fc.constant(undefined), fc.stringMatching(/^[\x20-\x7e]{0,100}$/)),
});

// ---------------------------------------------------------------------------------------------
// Random workflow definitions

const validDefinition = () => ({
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [
    {
      id: 'notify',
      name: 'Notify',
      type: 'http',
      config: {
        method: 'POST',
        url: 'https://api.example.com/events',
        headers: { 'X-Source': 'automateos' },
        query: {},
        body: { type: 'json', value: { user: '{{ trigger.body.user.id }}' } },
        timeoutMs: 10_000,
        retry: { attempts: 2, backoff: 'exponential', delayMs: 500 },
      },
    },
    {
      id: 'only-pro',
      name: 'Only pro',
      type: 'filter',
      config: {
        match: 'all',
        conditions: [{ left: '{{ steps.notify.body.plan }}', op: 'equals', right: 'pro' }],
      },
    },
  ],
});

const MUTATION_PATHS = [
  [],
  ['schemaVersion'],
  ['trigger'],
  ['trigger', 'type'],
  ['trigger', 'config'],
  ['trigger', 'config', 'method'],
  ['steps'],
  ['steps', 0],
  ['steps', 0, 'id'],
  ['steps', 0, 'type'],
  ['steps', 0, 'name'],
  ['steps', 0, 'config'],
  ['steps', 0, 'config', 'method'],
  ['steps', 0, 'config', 'url'],
  ['steps', 0, 'config', 'headers'],
  ['steps', 0, 'config', 'query'],
  ['steps', 0, 'config', 'body'],
  ['steps', 0, 'config', 'body', 'type'],
  ['steps', 0, 'config', 'body', 'value'],
  ['steps', 0, 'config', 'timeoutMs'],
  ['steps', 0, 'config', 'retry'],
  ['steps', 0, 'config', 'retry', 'attempts'],
  ['steps', 0, 'config', 'retry', 'delayMs'],
  ['steps', 1, 'id'],
  ['steps', 1, 'config', 'match'],
  ['steps', 1, 'config', 'conditions'],
  ['steps', 1, 'config', 'conditions', 0],
  ['steps', 1, 'config', 'conditions', 0, 'left'],
  ['steps', 1, 'config', 'conditions', 0, 'op'],
  ['steps', 1, 'config', 'conditions', 0, 'right'],
  ['steps', 1, 'config', 'conditions', 0, 'caseSensitive'],
  ['steps', 2],
] as const;

const mutationValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) }, // delete
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 2, arbitrary: nasty },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'matchesRegex',
      '/(a+)+/',
      '/[/',
      '{{ steps.only-pro.passed }}',
      '{{ steps.notify }}',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://169.254.169.254/',
      'http://{{ trigger.body.host }}/x',
      'GET',
      'ANY',
      -1,
      0,
      1e308,
      Number.MAX_SAFE_INTEGER + 2,
      0.5,
      Array.from({ length: 60 }, (_, i) => ({ id: `s${i}`, name: 'x', type: 'filter', config: {} })),
    ),
  },
);

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  if (typeof root !== 'object' || root === null) return root;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container = root as Record<string | number, unknown>;
  if (rest.length === 0) {
    if (value === undefined) delete container[head];
    else container[head] = value;
  } else {
    container[head] = setAt(container[head], rest, value);
  }
  return root;
}

const mutatedDefinition = fc
  .array(fc.tuple(fc.constantFrom(...MUTATION_PATHS), mutationValue), { minLength: 1, maxLength: 3 })
  .map((mutations) =>
    mutations.reduce<unknown>((def, [path, value]) => setAt(def, path, value), validDefinition()),
  );

const randomSteps = fc.record({
  schemaVersion: fc.constant(1),
  trigger: fc.constant({ type: 'webhook', config: {} }),
  steps: fc.array(
    fc.oneof(
      fc.record({
        id: fc.oneof(fc.stringMatching(/^[a-z0-9-]{1,64}$/), fc.string()),
        name: fc.string(),
        type: fc.constant('http'),
        config: fc.record({
          url: fc.oneof(fc.webUrl(), fc.string(), nasty),
          method: fc.constantFrom('GET', 'POST', 'HEAD', 'TRACE'),
          body: fc.oneof(
            fc.constant({ type: 'none' }),
            fc.record({
              type: fc.constantFrom('json', 'text', 'form'),
              value: fc.jsonValue({ maxDepth: 2 }),
            }),
          ),
        }),
      }),
      fc.record({
        id: fc.stringMatching(/^[a-z0-9-]{1,64}$/),
        name: fc.string(),
        type: fc.constant('filter'),
        config: fc.record({
          match: fc.constantFrom('all', 'any', 'none'),
          conditions: fc.array(
            fc.record({
              left: fc.oneof(fc.string(), nasty, fc.jsonValue({ maxDepth: 1 })),
              op: fc.constantFrom('equals', 'matchesRegex', 'gt', 'isTrue', 'exists', 'between'),
              right: fc.oneof(fc.string(), nasty, fc.jsonValue({ maxDepth: 1 })),
            }),
            { maxLength: 3 },
          ),
        }),
      }),
    ),
    { maxLength: 5 },
  ),
});

const createInput = fc.record({
  name: fc.oneof(fc.constant('Poison'), fc.string({ maxLength: 120 }), nasty),
  definition: fc.oneof(
    { weight: 4, arbitrary: mutatedDefinition },
    { weight: 3, arbitrary: randomSteps },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.constant(validDefinition()) },
  ),
  extra: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 })),
});

/** The raw request text; a few are not a superjson envelope at all. */
const createBody = fc.oneof(
  {
    weight: 20,
    arbitrary: createInput.map(({ name, definition, extra }) =>
      JSON.stringify({ json: { ...extra, name, definition } }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom('{"json":', '{"json":null,"meta":{"values":{"x":["undefined"]}}}'),
    ),
  },
);

async function register(): Promise<string> {
  const res = await fetch(`${web.url}/trpc/auth.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email: 'poison@example.com', password: 'poison-password-1' } }),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  expect(cookie).toMatch(/=/);
  return cookie;
}

describe('fault: poison input', () => {
  it('answers 1,000 random webhook requests with 2xx/4xx only, and runs what it accepted', async () => {
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    const started = Date.now();
    const details = await fc.check(
      fc.asyncProperty(webhookRequest, async (req) => {
        const withBody = req.method !== 'GET' && req.method !== 'HEAD';
        const res = await fetch(
          `${web.url}/hooks/${req.id === 'valid' ? webhookId : encodeURIComponent(req.id)}${req.query}`,
          {
            method: req.method,
            headers: {
              ...(req.contentType ? { 'content-type': req.contentType } : {}),
              ...(req.header !== undefined ? { 'x-random': req.header } : {}),
            },
            ...(withBody ? { body: req.body } : {}),
            signal: AbortSignal.timeout(30_000),
          },
        );
        const text = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${res.status} ${text.slice(0, 300)}`);
        return res.status >= 200 && res.status < 500;
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 150_000 },
    );
    const sentFor = Date.now() - started;
    await waitUntil(
      'every execution terminal',
      async () => (await unfinishedCount(tdb.sql)) === 0,
      120_000,
      250,
    );
    const counts = await statusCounts(tdb.sql);
    const [steps] = await tdb.sql<{ n: number }[]>`
      select count(*)::int as n from execution_steps where error->>'code' = 'STEP_ERROR'`;

    report('poison-webhooks', {
      requests: Object.values(statuses).reduce((a, b) => a + b, 0),
      statuses: JSON.stringify(statuses).replaceAll('"', ''),
      '5xx': failures.length,
      executions: JSON.stringify(counts).replaceAll('"', ''),
      'unexpected-step-errors': steps?.n ?? 0,
      'web-alive': web.alive(),
      'worker-alive': worker.alive(),
      'runs-passed': details.numRuns,
      sent: seconds(sentFor),
    });
    if (failures.length) console.log('poison-webhooks 5xx answers:', failures.slice(0, 5));
    expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
    expect(web.alive(), web.crashOutput()).toBe(true);
    expect(statuses[202] ?? 0).toBeGreaterThan(100);
    expect(await unfinishedCount(tdb.sql)).toBe(0);
    expect(worker.alive(), worker.crashOutput()).toBe(true);
  }, 240_000);

  it('answers 1,000 random workflow definitions through workflows.create with 2xx/4xx only', async () => {
    const cookie = await register();
    const statuses: Record<number, number> = {};
    const failures: string[] = [];
    const started = Date.now();
    const details = await fc.check(
      fc.asyncProperty(createBody, async (body) => {
        const res = await fetch(`${web.url}/trpc/workflows.create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 500) failures.push(`${res.status} ${text.slice(0, 300)}`);
        return res.status >= 200 && res.status < 500;
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 150_000 },
    );
    const [created] = await tdb.sql<{ n: number }[]>`
      select count(*)::int as n from workflows w join users u on u.id = w.user_id where u.email = 'poison@example.com'`;

    report('poison-definitions', {
      requests: Object.values(statuses).reduce((a, b) => a + b, 0),
      'runs-passed': details.numRuns,
      statuses: JSON.stringify(statuses).replaceAll('"', ''),
      '5xx': failures.length,
      'workflows-created': created?.n ?? 0,
      'web-alive': web.alive(),
      sent: seconds(Date.now() - started),
    });
    if (failures.length) console.log('poison-definitions 5xx answers:', failures.slice(0, 5));
    expect(details.failed, fc.defaultReportMessage(details) ?? '').toBe(false);
    expect(statuses[200] ?? 0).toBeGreaterThan(0); // some random definitions are valid
    expect(statuses[400] ?? 0).toBeGreaterThan(0);
    expect(created?.n).toBe(statuses[200]);
    expect(web.alive(), web.crashOutput()).toBe(true);
    expect((await fetch(`${web.url}/readyz`)).status).toBe(200);
  }, 240_000);
});
