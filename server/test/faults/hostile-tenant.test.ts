/**
 * One hostile tenant against the real web and worker processes: each cheap request below once
 * stopped the service for every other user. Now each is refused or contained, and the other
 * tenants keep being served; the figures are printed (never asserted: the machine is shared).
 *
 *  - Filter patterns built for catastrophic backtracking on 64 KiB of text, while another user's
 *    webhooks keep arriving: the worker keeps finishing them.
 *  - A superjson frame whose `meta` makes the input contain itself, or fan out into 2^40 nodes:
 *    BAD_REQUEST at once, and /healthz answers right after.
 *  - A body of 6,000 nested arrays sent together with 30 normal webhooks: 400 for it, 202 for the 30.
 *  - 40 sign-in guesses in one batched request, then as four batches of ten: at most 10 judged,
 *    then TOO_MANY_REQUESTS, even for the right password.
 */
import {
  compileRegex,
  type JsonValue,
  MAX_REGEX_TEXT,
  type WorkflowDefinitionInput,
} from '@automateos/shared';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import { insertUser, insertWorkflow } from '../fixtures';
import {
  type AppProcess,
  chainDefinition,
  cleanup,
  type HitTarget,
  percentile,
  report,
  sleep,
  startHitTarget,
  startWeb,
  startWorker,
  type WebProcess,
  waitUntil,
} from './harness';

let tdb: TestDatabase;
let target: HitTarget;
let web: WebProcess;
let worker: AppProcess;

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startHitTarget();
  web = await startWeb(tdb.url);
  worker = await startWorker(tdb.url, { concurrency: 8 });
}, 120_000);

afterAll(async () => {
  await cleanup(target, { close: () => tdb.close() });
}, 60_000);

const ms = (value: number) => `${Math.round(value)}ms`;

const NO_STEPS: WorkflowDefinitionInput = {
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [],
};

async function post(url: string, body: string, contentType = 'application/json') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  const answer = (await res.json().catch(() => ({}))) as {
    executionId?: string;
    error?: { message?: string };
  };
  return { status: res.status, ...answer };
}

/** webhook → finished, from the execution row, for each id; waits until all are terminal. */
async function latencies(
  ids: string[],
  timeoutMs: number,
): Promise<{ statuses: Record<string, number>; ms: number[] }> {
  await waitUntil(
    'executions terminal',
    async () => {
      const [row] = await tdb.sql<{ n: number }[]>`
        select count(*)::int as n from executions where id in ${tdb.sql(ids)} and status in ('queued', 'running')`;
      return row?.n === 0;
    },
    timeoutMs,
    100,
  );
  const rows = await tdb.sql<{ status: string; ms: number }[]>`
    select status, extract(epoch from finished_at - created_at) * 1000 as ms
    from executions where id in ${tdb.sql(ids)}`;
  const statuses: Record<string, number> = {};
  for (const row of rows) statuses[row.status] = (statuses[row.status] ?? 0) + 1;
  return { statuses, ms: rows.map((row) => Number(row.ms)) };
}

// Our own variants of the families that froze the worker: overlapping alternatives, bounded outer
// repeats, runs of adjacent greedy classes, and patterns near the size limit.
const HOSTILE_PATTERNS = [
  '^(x|xy?)*z$',
  '^(?:xy|x|y)+(?:yx|y)*$0',
  '^(x+x){1,50}$',
  '(?:[a-z]+y?){1,20}!$',
  '[0-9x]+[0-9x]+[0-9x]+[0-9x]+[0-9x]+#',
  '\\w+\\w+\\w+\\w+\\w+\\w+\\s$',
  '(?s)^.{0,300}x.{0,300}y.{0,300}$',
  '(?i)^(?:(?:x|X)(?:y|Y)?){2,}q',
];
const HOSTILE_TEXT = 'xyxxy0123x'.repeat(Math.ceil(MAX_REGEX_TEXT / 10)).slice(0, MAX_REGEX_TEXT - 1);

describe('fault: one hostile tenant', () => {
  it('keeps finishing another user’s executions while hostile regex executions run', async () => {
    // The engine itself, in this process: the slowest evaluation of these patterns on 64 KiB.
    let worstEvaluation = 0;
    for (const pattern of HOSTILE_PATTERNS) {
      const compiled = compileRegex(pattern);
      if (!compiled.ok) throw new Error(`${pattern}: ${compiled.problem}`);
      const started = performance.now();
      compiled.regex.test(`${HOSTILE_TEXT}!`);
      worstEvaluation = Math.max(worstEvaluation, performance.now() - started);
    }

    const hostile = await insertUser(tdb.db);
    const victim = await insertUser(tdb.db);
    const conditions = Array.from({ length: 48 }, (_, i) => ({
      left: '{{ trigger.body.text }}',
      op: 'matchesRegex' as const,
      right: HOSTILE_PATTERNS[i % HOSTILE_PATTERNS.length] ?? '',
    }));
    const hostileFlow = await insertWorkflow(tdb.db, hostile.id, {
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [{ id: 'trap', name: 'Trap', type: 'filter', config: { match: 'any', conditions } }],
    });
    const victimFlow = await insertWorkflow(
      tdb.db,
      victim.id,
      chainDefinition(target.url, [{ id: 'notify', delayMs: 0 }]),
    );
    const victimHook = `${web.url}/hooks/${victimFlow.webhookId}`;
    const hostileHook = `${web.url}/hooks/${hostileFlow.webhookId}`;

    const sendVictim = async (count: number, from: number) => {
      const ids: string[] = [];
      for (let n = from; n < from + count; n++) {
        const answer = await post(victimHook, JSON.stringify({ n }));
        expect(answer.status).toBe(202);
        if (answer.executionId) ids.push(answer.executionId);
        await sleep(50);
      }
      return ids;
    };

    const baseline = await latencies(await sendVictim(20, 0), 30_000);

    const hostileIds: string[] = [];
    const flood = (async () => {
      for (let i = 0; i < 16; i++) {
        const answer = await post(hostileHook, JSON.stringify({ text: HOSTILE_TEXT }));
        expect(answer.status).toBe(202);
        if (answer.executionId) hostileIds.push(answer.executionId);
      }
    })();
    await sleep(200);
    const during = await latencies(await sendVictim(40, 100), 60_000);
    await flood;
    const trapped = await latencies(hostileIds, 120_000);
    const [trapStep] = await tdb.sql<{ worst: number }[]>`
      select max(duration_ms)::int as worst from execution_steps where execution_id in ${tdb.sql(hostileIds)}`;

    report('hostile-regex', {
      patterns: HOSTILE_PATTERNS.length,
      'text-chars': MAX_REGEX_TEXT,
      'worst-evaluation': ms(worstEvaluation),
      'hostile-executions': `${hostileIds.length}x${conditions.length}-conditions`,
      'hostile-statuses': JSON.stringify(trapped.statuses).replaceAll('"', ''),
      'hostile-filter-step-max': ms(trapStep?.worst ?? Number.NaN),
      'victim-p50-baseline': ms(percentile(baseline.ms, 50)),
      'victim-p50-during': ms(percentile(during.ms, 50)),
      'victim-p99-during': ms(percentile(during.ms, 99)),
      'victim-finished': `${during.statuses.succeeded ?? 0}/40`,
      'worker-alive': worker.alive(),
    });
    expect(baseline.statuses).toEqual({ succeeded: 20 });
    expect(during.statuses).toEqual({ succeeded: 40 });
    expect(Object.keys(trapped.statuses).sort()).not.toContain('failed');
    expect(worker.alive()).toBe(true);
  }, 240_000);

  it('answers a self-referencing superjson frame with BAD_REQUEST, and /healthz right after', async () => {
    const register = await fetch(`${web.url}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'frames@example.com', password: 'password-123' } }),
    });
    const cookie = register.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const [user] = await tdb.sql<{ id: string }[]>`select id from users where email = 'frames@example.com'`;
    const workflow = await insertWorkflow(tdb.db, user?.id ?? '', NO_STEPS);

    // Small frames whose referential equalities make the input contain itself, or make 40 nested
    // pairs share their halves: 2^40 nodes for whoever walks the result.
    const cycle = {
      json: { id: workflow.id, payload: { a: 1, self: null } },
      meta: { referentialEqualities: { payload: ['payload.self'] } },
    };
    let pairs: JsonValue = 'leaf';
    const equalities: Record<string, string[]> = {};
    for (let level = 40; level > 0; level--) {
      pairs = [pairs, null];
      const path = ['payload', ...Array<string>(level - 1).fill('0')].join('.');
      equalities[`${path}.0`] = [`${path}.1`];
    }
    const dag = { json: { id: workflow.id, payload: pairs }, meta: { referentialEqualities: equalities } };
    // What superjson makes of them: the hostile shapes.
    const selfish = superjson.deserialize<{ payload: { self: unknown } }>(cycle);
    expect(selfish.payload.self).toBe(selfish.payload);
    const shared = superjson.deserialize<{ payload: unknown[] }>(dag);
    expect(shared.payload[0]).toBe(shared.payload[1]);

    const figures: Record<string, string> = {};
    for (const [name, frame] of Object.entries({ cycle, dag })) {
      const started = performance.now();
      const res = await fetch(`${web.url}/trpc/workflows.testRun`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(frame),
        signal: AbortSignal.timeout(10_000),
      });
      figures[`${name}-answer`] = `${res.status}-in-${ms(performance.now() - started)}`;
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { json: { message: string } } };
      expect(body.error.json.message).toMatch(/superjson "meta" is not accepted/);
      const health = performance.now();
      expect((await fetch(`${web.url}/healthz`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
      figures[`${name}-healthz-after`] = ms(performance.now() - health);
    }
    const [runs] = await tdb.sql<{ n: number }[]>`
      select count(*)::int as n from executions where workflow_id = ${workflow.id}`;
    report('hostile-frames', { ...figures, 'executions-created': runs?.n ?? -1 });
    expect(runs?.n).toBe(0);
  }, 60_000);

  it('refuses one deeply nested body and accepts the 30 webhooks sent with it', async () => {
    const user = await insertUser(tdb.db);
    const flow = await insertWorkflow(tdb.db, user.id, NO_STEPS);
    const hook = `${web.url}/hooks/${flow.webhookId}`;
    const deep = `${'['.repeat(6_000)}${']'.repeat(6_000)}`;
    const started = performance.now();
    const answers = await Promise.all([
      ...Array.from({ length: 15 }, (_, n) => post(hook, JSON.stringify({ n }))),
      post(hook, deep),
      ...Array.from({ length: 15 }, (_, n) => post(hook, JSON.stringify({ n: n + 15 }))),
    ]);
    const wall = performance.now() - started;
    const deepAnswer = answers[15];
    const normal = answers.filter((_, i) => i !== 15);
    const accepted = normal.filter((a) => a.status === 202).length;
    // And the next webhooks are still welcome: ingest was not marked unavailable.
    const after = await post(hook, JSON.stringify({ n: 99 }));
    report('hostile-deep-body', {
      'deep-status': deepAnswer?.status ?? 0,
      accepted: `${accepted}/${normal.length}`,
      'next-webhook': after.status,
      wall: ms(wall),
    });
    expect(deepAnswer).toMatchObject({
      status: 400,
      error: { message: expect.stringMatching(/nested deeper than 400/) },
    });
    expect(accepted).toBe(30);
    expect(after.status).toBe(202);
  }, 60_000);

  it('judges at most 10 of 40 batched sign-in guesses, then refuses even the right password', async () => {
    const victim = await insertUser(tdb.db, 'batched@example.com'); // password-123
    const batch = (passwords: string[]) =>
      fetch(`${web.url}/trpc/${passwords.map(() => 'auth.login').join(',')}?batch=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          Object.fromEntries(
            passwords.map((password, i) => [i, { json: { email: victim.email, password } }]),
          ),
        ),
      });
    const codesOf = async (res: Response) => {
      const body = (await res.json()) as { error?: { json: { data: { code: string } } } }[];
      return body.map((item) => item.error?.json.data.code ?? 'OK');
    };
    const guesses = Array.from({ length: 40 }, (_, i) => `guess-${i}`);

    const whole = await batch(guesses);
    const wholeStatus = whole.status;
    await whole.arrayBuffer();
    const [rowsAfterWhole] = await tdb.sql<{ n: number }[]>`select count(*)::int as n from login_throttle`;

    const started = performance.now();
    const answers = await Promise.all([0, 1, 2, 3].map((i) => batch(guesses.slice(i * 10, i * 10 + 10))));
    const codes = (await Promise.all(answers.map(codesOf))).flat();
    const wall = performance.now() - started;
    const judged = codes.filter((code) => code === 'UNAUTHORIZED').length;
    const right = await codesOf(await batch(['password-123']));

    report('hostile-batched-guesses', {
      'one-batch-of-40': wholeStatus,
      judged: `${judged}/40`,
      'too-many-requests': codes.filter((code) => code === 'TOO_MANY_REQUESTS').length,
      'right-password-after': right[0] ?? '?',
      wall: ms(wall),
    });
    // The batch of 40 is refused whole: nothing was judged, nothing even counted.
    expect(wholeStatus).toBe(400);
    expect(rowsAfterWhole?.n).toBe(0);
    expect(judged).toBeLessThanOrEqual(10);
    expect(codes.filter((code) => code !== 'UNAUTHORIZED' && code !== 'TOO_MANY_REQUESTS')).toEqual([]);
    expect(right).toEqual(['TOO_MANY_REQUESTS']);
    expect(web.alive()).toBe(true);
  }, 60_000);
});
