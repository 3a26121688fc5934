/**
 * The benchmark's live phase: how fast a change reaches a subscribed client, and what subscriptions
 * cost one web process. Clients are the browser's own tRPC client over SSE (server/test/live.ts).
 *
 * * Latency at a steady rate: webhooks at `rate`/s to a two-step workflow whose first step waits
 *   100 ms at the target; for each 202 the benchmark subscribes to that execution (`executions.watch`,
 *   as an open execution page does) and notes when each step event arrives. Latency = arrival minus
 *   the step's `finished_at` as the worker recorded it (same machine, same clock), for steps that
 *   finished after the subscription had caught up (so the event came live, not in the catch-up).
 *   A `watchList` subscription (an open history page) gives execution finished → status event.
 * * 100 open tabs: 10 accounts × 10 `watchList` subscriptions (a dashboard each); database connections
 *   of the web process (pg_stat_activity by application name) and its RSS before and with them; then
 *   one execution per account and the time until all ten of its tabs have the final status.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { exampleDefinition } from '@automateos/shared';
import type { Sql } from '../server/src/db/client';
import type { LiveLog } from '../server/test/live';
import { follow, httpClient } from '../server/test/live';
import { TrpcClient } from './api';
import { memoryOf, type ProcessSampler, round } from './procs';
import { median, percentile } from './stats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LiveOptions {
  baseUrl: string;
  sql: Sql;
  api: TrpcClient;
  targetUrl: string;
  webPid: number;
  rate: number;
  seconds: number;
  tabs: number;
  /** CPU and memory of the processes while the webhooks are sent. */
  sampler: () => ProcessSampler;
}

const stats = (values: number[]) => ({
  n: values.length,
  p50: round(median(values), 1),
  p99: round(percentile(values, 99), 1),
  max: round(Math.max(0, ...values), 1),
});

async function activeWorkflow(api: TrpcClient, name: string, definition: unknown) {
  const created = await api.mutation<{ id: string; webhookUrl: string }>('workflows.create', {
    name,
    definition,
  });
  return api.mutation<{ id: string; webhookUrl: string }>('workflows.setActive', {
    id: created.id,
    active: true,
  });
}

async function postWebhook(url: string, body: unknown): Promise<string | undefined> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as { executionId?: string };
  return response.status === 202 ? answer.executionId : undefined;
}

/** Database connections by application name (the web process's pool, its pg-boss, its LISTEN). */
async function connections(sql: Sql) {
  const rows = await sql<{ name: string; n: number }[]>`
    select application_name as name, count(*)::int as n from pg_stat_activity
    where application_name in ('automateos-web', 'automateos-live') group by 1`;
  const by = Object.fromEntries(rows.map((row) => [row.name, row.n]));
  const web = by['automateos-web'] ?? 0;
  const live = by['automateos-live'] ?? 0;
  return { total: web + live, poolAndPgBoss: web, listen: live };
}

const hook = (baseUrl: string, webhookUrl: string) => `${baseUrl}${new URL(webhookUrl).pathname}`;

/**
 * Webhooks at the rate for the duration, an execution page opened for every `followEvery`-th of them
 * as soon as its 202 arrives, and one history page open throughout.
 */
async function atRate(
  options: LiveOptions,
  workflow: { id: string; webhookUrl: string },
  followEvery: number,
) {
  const { baseUrl, sql, rate, seconds } = options;
  const client = httpClient(baseUrl, options.api.cookie);
  const history = follow((h) => client.executions.watchList.subscribe({ workflowId: workflow.id }, h));
  await history.waitFor('the history stream', (received) => received.length > 0, 30_000);

  const accepted: string[] = [];
  const pages = new Map<string, { log: LiveLog & { stop(): void }; syncedAt: number }>();
  const sampler = options.sampler();
  sampler.start();
  // The clients live in this process, beside the load: its own delays are part of what they measure.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = Date.now();
  const total = Math.round(rate * seconds);
  const sends: Promise<void>[] = [];
  let refused = 0;
  const openMs: number[] = [];
  const pageErrors = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    sends.push(
      (async () => {
        const id = await postWebhook(hook(baseUrl, workflow.webhookUrl), {
          user: { id: `live-${i}`, plan: 'pro' },
        });
        if (!id) return void refused++;
        accepted.push(id);
        if (i % followEvery !== 0) return;
        const openedAt = Date.now();
        const log = follow((h) => client.executions.watch.subscribe({ id }, h));
        const page = { log, syncedAt: Number.POSITIVE_INFINITY };
        pages.set(id, page);
        try {
          await log.waitFor('the execution page', (received) => received.length > 0, 30_000);
          page.syncedAt = log.received[0]?.at ?? Number.POSITIVE_INFINITY;
          openMs.push(page.syncedAt - openedAt);
          const finished = () =>
            ['succeeded', 'filtered', 'failed'].includes(log.statusesOf(id).at(-1) ?? '');
          await log.waitFor('the finish', finished, 60_000);
        } catch (error) {
          pageErrors.set(String(error), (pageErrors.get(String(error)) ?? 0) + 1);
        } finally {
          log.stop();
        }
      })(),
    );
  }
  await Promise.all(sends);
  const processes = sampler.stop();
  loop.disable();
  const clientLoopDelayMs = {
    p50: round(loop.percentile(50) / 1e6, 1),
    p99: round(loop.percentile(99) / 1e6, 1),
  };
  await history
    .waitFor(
      'every finish in the history',
      () => accepted.every((id) => history.statusesOf(id).includes('succeeded')),
      60_000,
    )
    .catch(() => {});
  history.stop();

  // Epoch milliseconds, computed in SQL: the same numbers the worker and the database wrote.
  const steps = await sql<{ executionId: string; stepId: string; finishedMs: number }[]>`
    select execution_id as "executionId", step_id as "stepId",
      (extract(epoch from finished_at) * 1000)::float8 as "finishedMs"
    from execution_steps where execution_id = any(string_to_array(${[...pages.keys()].join(',')}, ',')::uuid[])`;
  const finishes = await sql<{ id: string; finishedMs: number | null }[]>`
    select id, (extract(epoch from finished_at) * 1000)::float8 as "finishedMs"
    from executions where id = any(string_to_array(${accepted.join(',')}, ',')::uuid[])`;
  const stepMs: number[] = [];
  let stepsLive = 0;
  let stepsMissed = 0;
  for (const step of steps) {
    const page = pages.get(step.executionId);
    if (!page || step.finishedMs <= page.syncedAt) continue; // in the catch-up, not live
    stepsLive++;
    const arrived = page.log.received.find(
      (r) => r.event.type === 'step' && r.event.step.stepId === step.stepId,
    )?.at;
    if (arrived === undefined) stepsMissed++;
    else stepMs.push(arrived - step.finishedMs);
  }
  const finishMs: number[] = [];
  let finishesMissed = 0;
  for (const row of finishes) {
    const arrived = history.received.find(
      (r) =>
        r.event.type === 'execution' &&
        r.event.execution.id === row.id &&
        r.event.execution.status === 'succeeded',
    )?.at;
    if (arrived === undefined || row.finishedMs === null) finishesMissed++;
    else finishMs.push(arrived - row.finishedMs);
  }
  return {
    followEvery,
    executions: accepted.length,
    executionPagesOpened: pages.size,
    refused,
    /** Pages that did not follow their execution to the end, by reason. */
    pageErrors: Object.fromEntries(pageErrors),
    openToFirstEventMs: stats(openMs),
    stepToClientMs: stats(stepMs),
    stepsLive,
    stepsMissed,
    finishToListMs: stats(finishMs),
    finishesMissed,
    processes,
    clientLoopDelayMs,
  };
}

export async function measureLive(options: LiveOptions) {
  const { baseUrl, sql, rate, seconds } = options;

  // ------------------------------------------------------------ latency at a steady rate
  const [notify] = exampleDefinition(`${options.targetUrl}/events`).steps;
  const definition = {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: [
      {
        id: 'wait',
        name: 'Slow call',
        type: 'http',
        config: { method: 'POST', url: `${options.targetUrl}/events?ms=100` },
      },
      { ...notify, id: 'notify' },
    ],
  };
  const workflow = await activeWorkflow(options.api, 'Bench: live', definition);
  // Open pages (a history page, an execution page for one execution in ten), then an execution page
  // opened for every single execution: what subscribing costs, 50 times a second.
  const steady = await atRate(options, workflow, 10);
  const everyOne = await atRate(options, workflow, 1);

  // ------------------------------------------------------------ 100 open tabs
  // Accounts first (signing up hashes a password with 19 MiB of memory), then the figures, then the tabs.
  const accountCount = Math.max(1, Math.round(options.tabs / 10));
  const accounts: { cookie: string; hookUrl: string }[] = [];
  for (let a = 0; a < accountCount; a++) {
    const user = new TrpcClient(baseUrl);
    await user.mutation('auth.register', {
      email: `bench-tab-${a}-${Date.now()}@example.com`,
      password: 'bench-password-123',
    });
    const own = await activeWorkflow(
      user,
      `Bench: dashboard ${a}`,
      exampleDefinition(`${options.targetUrl}/events`),
    );
    accounts.push({ cookie: user.cookie, hookUrl: hook(baseUrl, own.webhookUrl) });
  }
  await sleep(1_000);
  const before = {
    connections: await connections(sql),
    rssMb: round(memoryOf(options.webPid)?.rssMb ?? 0, 1),
  };
  const tabsOf = accounts.map((account) => {
    const tabClient = httpClient(baseUrl, account.cookie);
    const logs = Array.from({ length: options.tabs / accountCount }, () =>
      follow((h) => tabClient.executions.watchList.subscribe({}, h)),
    );
    return { hookUrl: account.hookUrl, logs };
  });
  const allTabs = tabsOf.flatMap((account) => account.logs);
  await Promise.all(allTabs.map((log) => log.waitFor('the tab to connect', (r) => r.length > 0, 60_000)));
  await sleep(1_000);
  const withTabs = {
    connections: await connections(sql),
    rssMb: round(memoryOf(options.webPid)?.rssMb ?? 0, 1),
  };

  const fanOutMs: number[] = [];
  let tabsMissed = 0;
  for (const account of tabsOf) {
    const id = await postWebhook(account.hookUrl, { user: { id: 'tab', plan: 'pro' } });
    if (!id) continue;
    for (const log of account.logs) {
      await log
        .waitFor('the execution on every tab', () => log.statusesOf(id).includes('succeeded'), 30_000)
        .catch(() => {});
    }
    const [row] = await sql<{ finishedMs: number | null }[]>`
      select (extract(epoch from finished_at) * 1000)::float8 as "finishedMs" from executions where id = ${id}`;
    for (const log of account.logs) {
      const arrived = log.received.find(
        (r) =>
          r.event.type === 'execution' &&
          r.event.execution.id === id &&
          r.event.execution.status === 'succeeded',
      )?.at;
      if (arrived === undefined || typeof row?.finishedMs !== 'number') tabsMissed++;
      else fanOutMs.push(arrived - row.finishedMs);
    }
  }
  for (const log of allTabs) log.stop();

  return {
    rate,
    seconds,
    steady,
    everyOne,
    tabs: {
      tabs: allTabs.length,
      accounts: accountCount,
      before,
      with: withTabs,
      fanOutMs: stats(fanOutMs),
      missed: tabsMissed,
    },
  };
}
