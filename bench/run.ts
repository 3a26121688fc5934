/**
 * `npm run bench [-- --quick]`: measures AutomateOS on this machine and writes
 * bench/results/<date>.json and .md. See bench/README.md for the options and what each figure means.
 *
 * Like `npm start`, but with its own embedded PostgreSQL in a fresh temporary folder: migrations, the
 * server bundle, one web process and N worker processes (`node server/dist/….js`), and a local target
 * server for the HTTP Request step. Load comes from autocannon (and a paced sender) in this process.
 */

import { spawnSync } from 'node:child_process';
import { createHmac, createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { exampleDefinition } from '@automateos/shared';
import autocannon from 'autocannon';
import { sql as dsql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { createDb, createSql, type Db, type Sql, schema } from '../server/src/db/client';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../server/src/db/embedded';
import { runMigrations } from '../server/src/db/migrate';
import { freePort } from '../server/src/net/free-port';
import { executionQueue, jobDb, QUEUES, startBoss } from '../server/src/queue/queues';
import {
  createExecution,
  type ExecutionQueue,
  getExecution,
  listExecutions,
} from '../server/src/services/executions';
import { WebhookIngest } from '../server/src/services/ingest';
import { TrpcClient, TrpcHttpError } from './api';
import { measureLive } from './live';
import {
  type AppEnv,
  type AppProcess,
  buildServer,
  cpuMsPerUnit,
  cpuSecondsOf,
  memoryOf,
  ProcessSampler,
  postgresPids,
  repoRoot,
  round,
  startApp,
  startTarget,
  stopAllChildren,
  stopProcess,
} from './procs';
import { type Row, renderMarkdown } from './report';
import { endToEnd, latencyStats, median, percentile, ts, waitDrained } from './stats';

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];

const quick = flag('quick');
/** Run the TypeScript sources through tsx (as `npm run dev`) instead of the bundle `npm start` builds and runs. */
const built = !flag('tsx');
const verbose = flag('verbose');
const workerConcurrency = Number(option('worker-concurrency') ?? 8); // the product's default
const ALL_PHASES = [
  'ingest',
  'frontdoor',
  'latency',
  'live',
  'completeness',
  'scaleout',
  'dblimit',
  'data',
] as const;
type Phase = (typeof ALL_PHASES)[number];
const phases = new Set<Phase>((option('phases')?.split(',') as Phase[] | undefined) ?? ALL_PHASES);
/** `--env=NAME=value` (repeatable): extra settings for the web and worker processes, for experiments. */
const extraEnv = Object.fromEntries(
  argv
    .filter((a) => a.startsWith('--env='))
    .map((a) => {
      const [name, ...value] = a.slice('--env='.length).split('=');
      return [name ?? '', value.join('=')];
    }),
);
/** Record pg_stat_statements around the backlog ingest and drain (restarts the cluster once to preload it). */
const pgStats = flag('pg-stats');
const workerCounts = option('workers')?.split(',').map(Number);
const profileDir = flag('profile') ? mkdtempSync(path.join(os.tmpdir(), 'aos-bench-profiles-')) : undefined;

const plan = quick
  ? {
      ingestSeconds: 3,
      concurrencies: [10, 50, 200],
      latencySeconds: 5,
      latencyRate: 50,
      liveSeconds: 5,
      liveTabs: 100,
      completenessN: 1_000,
      scaleoutN: 1_000,
      scaleoutWorkers: [1, 2, 4],
      backlogSeconds: 3,
      dbLimitSeconds: 3,
      workflows: 1_000,
      executions: 100_000,
      apiSamples: 50,
    }
  : {
      ingestSeconds: 10,
      concurrencies: [10, 50, 200],
      latencySeconds: 20,
      latencyRate: 50,
      liveSeconds: 20,
      liveTabs: 100,
      completenessN: 10_000,
      scaleoutN: 5_000,
      scaleoutWorkers: [1, 2, 4],
      backlogSeconds: 10,
      dbLimitSeconds: 10,
      workflows: 10_000,
      executions: 1_000_000,
      apiSamples: 200,
    };

const log = (line: string) => console.log(`[bench] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load1 = () => round(os.loadavg()[0] ?? 0, 2);

// ---------------------------------------------------------------------------------------------
// Processes and clean-up
// ---------------------------------------------------------------------------------------------

let tmpDir: string | undefined;
let pg: EmbeddedPostgres | undefined;
let cleaning: Promise<never> | undefined;

/** Stops every child and the database, removes the temporary cluster, exits. Safe to call twice. */
function cleanup(code: number): Promise<never> {
  cleaning ??= (async () => {
    await stopAllChildren().catch(() => {});
    await pg?.stop().catch(() => {});
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    process.exit(code);
  })();
  return cleaning;
}
process.on('SIGINT', () => {
  log('interrupted; stopping everything…');
  void cleanup(130);
});
process.on('SIGTERM', () => void cleanup(143));

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  log(
    `${quick ? 'quick' : 'full'} run; phases: ${[...phases].join(', ')}; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );

  tmpDir = mkdtempSync(path.join(os.tmpdir(), 'aos-bench-'));
  chmodSync(tmpDir, 0o755); // Postgres runs as the `postgres` OS user when we are root
  pg = await startEmbeddedPostgres({ dir: tmpDir, log: (line) => log(line) });
  await runMigrations(pg.url);
  if (pgStats) {
    // pg_stat_statements must be preloaded: set it, restart the cluster, create the extension.
    const admin = createSql(pg.url, { max: 1 });
    await admin`alter system set shared_preload_libraries = 'pg_stat_statements'`;
    await admin.end({ timeout: 5 });
    await pg.stop();
    pg = await startEmbeddedPostgres({ dir: tmpDir, log: (line) => log(line) });
    const again = createSql(pg.url, { max: 1 });
    await again`create extension if not exists pg_stat_statements`;
    await again.end({ timeout: 5 });
  }
  const postmasterPid = Number(
    readFileSync(path.join(tmpDir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const sql = createSql(pg.url, { max: 4 });
  const db = createDb(sql);
  log(`embedded PostgreSQL on port ${pg.port} (${tmpDir})`);

  const target = await startTarget();
  const targetUrl = `http://127.0.0.1:${target.port}`;
  const targetStats = async () =>
    (await (await fetch(`${targetUrl}/__stats`)).json()) as {
      hits: number;
      unique: number;
      duplicates: number;
    };
  const resetTarget = async () => void (await fetch(`${targetUrl}/__reset`, { method: 'POST' }));
  const deliveries = async () => (await targetStats()).hits;

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: AppEnv = {
    DATABASE_URL: pg.url,
    PORT: String(port),
    JWT_SECRET: randomBytes(48).toString('base64url'),
    CREDENTIALS_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    SSRF_ALLOWLIST: '127.0.0.1/32',
    WORKER_CONCURRENCY: String(workerConcurrency),
    // The live phase keeps one execution page open per execution in flight, all of one account.
    LIVE_MAX_SUBSCRIPTIONS_PER_USER: '1000',
    ...extraEnv,
  };

  if (built) log('building the server bundle as npm start does (turbo run build)…');
  const builtDir = built ? buildServer() : undefined;
  const web = startApp('web', 'main', env, { builtDir, cpuProfileDir: profileDir, verbose });
  for (let i = 0; ; i++) {
    if (web.child.exitCode !== null) throw new Error(`the web process exited:\n${web.tail()}`);
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error(`the web process never became ready:\n${web.tail()}`);
    await sleep(100);
  }

  let workers: AppProcess[] = [];
  let workerSeq = 0;
  /** Replaces the running workers with `n` fresh ones and waits until each takes executions. */
  async function setWorkers(n: number): Promise<void> {
    await Promise.all(workers.map((w) => stopProcess(w.child)));
    workers = Array.from({ length: n }, () =>
      startApp(`worker-${++workerSeq}`, 'worker', env, {
        builtDir,
        cpuProfileDir: profileDir,
        readyLine: /taking executions/,
        verbose,
      }),
    );
    // Ready when it says so ("taking executions", at the default log level) or, when a quieter
    // LOG_LEVEL hides that line, once pg-boss has registered its instance and a moment has passed.
    const registered = async (pid: number) => {
      for (;;) {
        const rows = await sql`select 1 from pgboss.instance where pid = ${pid} and stopped_on is null`.catch(
          () => [],
        );
        if (rows.length > 0) return sleep(1000);
        await sleep(100);
      }
    };
    await Promise.all(workers.map((w) => Promise.race([w.ready, registered(w.pid)])));
  }

  const sampler = () =>
    new ProcessSampler({
      memory: () => ({
        web: [web.pid],
        ...Object.fromEntries(workers.map((w, i) => [`worker ${i + 1}`, [w.pid]])),
      }),
      cpu: () => ({
        web: { pids: [web.pid] },
        workers: { pids: workers.map((w) => w.pid) },
        postgres: { pids: postgresPids(postmasterPid), reaped: [postmasterPid] },
        target: { pids: target.child.pid ? [target.child.pid] : [] },
      }),
    });

  await setWorkers(1);

  // The user and the workflow, through the real API.
  const api = new TrpcClient(baseUrl);
  const registered = await api.mutation<{ user: { id: string } }>('auth.register', {
    email: `bench-${Date.now()}@example.com`,
    password: randomBytes(12).toString('base64url'),
    name: 'Benchmark',
  });
  const userId = registered.user.id;
  const definition = exampleDefinition(`${targetUrl}/events`);
  let workflow: { id: string; webhookUrl: string };
  let workflowVia = 'tRPC workflows.create + workflows.setActive';
  try {
    const created = await api.mutation<{ id: string; webhookUrl: string }>('workflows.create', {
      name: 'Bench: notify billing',
      definition,
    });
    workflow = await api.mutation<{ id: string; webhookUrl: string }>('workflows.setActive', {
      id: created.id,
      active: true,
    });
  } catch (error) {
    if (!(error instanceof TrpcHttpError && error.status === 404)) throw error;
    // workflows.* not mounted in this build: the same row, written directly.
    workflowVia = 'direct insert (workflows.* not mounted)';
    const webhookId = randomBytes(16).toString('base64url');
    const [row] = await db
      .insert(schema.workflows)
      .values({
        userId,
        name: 'Bench: notify billing',
        active: true,
        definition: definition as typeof schema.workflows.$inferInsert.definition,
        webhookId,
      })
      .returning({ id: schema.workflows.id });
    if (!row) throw new Error('could not insert the workflow');
    workflow = { id: row.id, webhookUrl: `${baseUrl}/hooks/${webhookId}` };
  }
  const hookUrl = `${baseUrl}${new URL(workflow.webhookUrl).pathname}`;
  log(`workflow ${workflow.id} (${workflowVia}); webhook ${hookUrl}`);

  // Warm-up: JIT, connection pools, tsx caches.
  const warmup = await fire({ connections: 10, duration: 2, tag: 'warmup' });
  await waitDrained(sql, { userId, since: warmup.started, maxMs: 60_000 });

  /** Sends webhooks with autocannon; each body has a unique user id (`<tag>-<n>`), half of them "pro". */
  async function fire(opts: {
    connections: number;
    duration?: number;
    amount?: number;
    overallRate?: number;
    tag: string;
    /** Another workflow's webhook than the bench workflow's. */
    url?: string;
    /** Headers for each request (a signature, an idempotency key), from its body and number. */
    sign?: (body: string, i: number) => Record<string, string>;
  }) {
    let n = 0;
    // The execution ids the product acknowledged (202 bodies): what must not be lost.
    const acknowledged: string[] = [];
    const started = new Date();
    const result = await autocannon({
      url: opts.url ?? hookUrl,
      method: 'POST',
      connections: opts.connections,
      ...(opts.amount ? { amount: opts.amount } : { duration: opts.duration ?? 10 }),
      ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (request) => {
            const i = n++;
            const body = JSON.stringify({
              user: { id: `${opts.tag}-${i}`, plan: i % 2 ? 'free' : 'pro' },
              amount: 10,
            });
            return {
              ...request,
              body,
              ...(opts.sign ? { headers: { ...request.headers, ...opts.sign(body, i) } } : {}),
            };
          },
          onResponse: (status, body) => {
            if (status !== 202) return;
            const id = (JSON.parse(body) as { executionId?: string }).executionId;
            if (id) acknowledged.push(id);
          },
        },
      ],
    });
    const finished = new Date();
    const seconds = (finished.getTime() - started.getTime()) / 1000;
    return {
      started,
      finished,
      seconds: round(seconds, 2),
      sent: result.requests.sent,
      accepted: result['2xx'],
      acceptedPerSec: round(result['2xx'] / seconds, 0),
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      latencyMs: {
        p50: result.latency.p50,
        p90: result.latency.p90,
        p99: result.latency.p99,
        max: result.latency.max,
      },
      statusCodes: result.statusCodeStats,
      acknowledged,
    };
  }
  type Fired = Awaited<ReturnType<typeof fire>>;

  const results: Record<string, unknown> = {};
  const rows: Row[] = [];
  const drainMaxMs = quick ? 120_000 : 300_000;

  // ---------------------------------------------------------------- ingest + end-to-end + memory
  const ingest: Record<string, unknown>[] = [];
  let ingestC50: (Fired & { e2e: Awaited<ReturnType<typeof endToEnd>> }) | undefined;
  let memoryC50: ReturnType<ProcessSampler['stop']> | undefined;
  let hwmC50: Record<string, number | undefined> = {};
  let loadIngest = 0;
  if (phases.has('ingest')) {
    for (const c of plan.concurrencies) {
      log(`ingest: c=${c} for ${plan.ingestSeconds} s with 1 worker…`);
      await resetTarget();
      const s = sampler();
      s.start();
      const fired = await fire({ connections: c, duration: plan.ingestSeconds, tag: `ingest-c${c}` });
      const processes = s.stop();
      const loadavg = load1();
      const drain = await waitDrained(sql, { userId, since: fired.started, maxMs: drainMaxMs, deliveries });
      const { e2e, ...check } = await checkComplete(fired);
      // VmHWM: the kernel's own peak, since each process started (the sampler can miss a spike).
      const peakSinceStartMb = {
        web: memoryOf(web.pid)?.hwmMb,
        'worker 1': workers[0] ? memoryOf(workers[0].pid)?.hwmMb : undefined,
      };
      // CPU per accepted webhook; the workers' share is per execution finished in the window.
      const perWebhook = cpuMsPerUnit(processes, fired.accepted);
      const perExecution = cpuMsPerUnit(processes, Math.round(e2e.finishedDuringLoadPerSec * fired.seconds));
      const cpuMs = {
        'web per webhook': perWebhook.web ?? 0,
        'bench per webhook': perWebhook['bench (load generator)'] ?? 0,
        'workers per execution': perExecution.workers ?? 0,
      };
      const entry = {
        concurrency: c,
        ...fired,
        acknowledged: undefined,
        cpuMsPerUnit: cpuMs,
        e2e,
        check,
        drain,
        processes,
        peakSinceStartMb,
        loadavg1: loadavg,
      };
      ingest.push(entry);
      log(
        `  ${fired.acceptedPerSec}/s accepted, p50 ${fired.latencyMs.p50} ms, p99 ${fired.latencyMs.p99} ms, non-2xx ${fired.non2xx}, errors ${fired.errors}; ` +
          `finished ${e2e.finishedDuringLoadPerSec}/s during load, drain ${e2e.drainSeconds} s; lost ${check.lost}, duplicated ${check.duplicated}, ` +
          `unacknowledged ${check.unacknowledged}, empty-body ${check.emptyBody}; cpu ${JSON.stringify(processes.cpuCores)}; load ${loadavg}`,
      );
      if (c === 50) {
        ingestC50 = { ...fired, e2e };
        memoryC50 = processes;
        hwmC50 = peakSinceStartMb;
        loadIngest = loadavg;
      }
      rows.push({
        figure: `webhook ingest, c=${c}`,
        measured: `${fired.acceptedPerSec}/s accepted; 202 p50 ${fired.latencyMs.p50} ms, p99 ${fired.latencyMs.p99} ms; non-2xx ${fired.non2xx}, errors ${fired.errors}`,
        target: c === 50 ? '≥ 2,500/s, p99 < 100 ms, 0 errors' : 'shown',
        met:
          c === 50
            ? fired.acceptedPerSec >= 2500 && fired.latencyMs.p99 < 100 && fired.non2xx + fired.errors === 0
            : undefined,
        loadavg1: loadavg,
      });
    }
    results.ingest = ingest;
    if (ingestC50 && memoryC50) {
      const e2e = ingestC50.e2e;
      rows.push({
        figure: 'end-to-end throughput, 1 worker (during c=50 load)',
        measured: `${e2e.finishedDuringLoadPerSec}/s finished during load (median second ${e2e.sustainedPerSecMedian}/s); backlog drained ${e2e.drainSeconds} s after load end; ${e2e.created} executions overall at ${e2e.overallPerSec}/s`,
        target: '≥ 1,000/s sustained',
        met: e2e.sustainedPerSecMedian >= 1000,
        loadavg1: loadIngest,
      });
      const webMb = memoryC50.peakRssMb.web ?? 0;
      const workerMb = memoryC50.peakRssMb['worker 1'] ?? 0;
      rows.push({
        figure: 'memory (peak RSS during the c=50 run)',
        measured: `web ${webMb} MB, worker ${workerMb} MB (sampled every 100 ms; kernel VmHWM since start: web ${round(hwmC50.web ?? 0, 1)} MB, worker ${round(hwmC50['worker 1'] ?? 0, 1)} MB)`,
        target: '≤ 200 MB each',
        met: webMb <= 200 && workerMb <= 200,
        loadavg1: loadIngest,
      });
    }
  }

  // ---------------------------------------------------------------- the front door's cost
  // The same c=50 ingest against workflows alike but for the trigger: plain; verifying a Standard
  // Webhooks signature (secret from a credential); deduplicating by Idempotency-Key (every key new,
  // so each is claimed); and both. With no worker running, so only the front door shares the cores,
  // and alternated, so drift in the machine's load hits every variant; the backlog is drained after
  // each round. CPU milliseconds per webhook, per process, say where the difference goes.
  if (phases.has('frontdoor')) {
    const secretBytes = randomBytes(24);
    // Made once: a raw key is imported again by every createHmac, and the load generator shares the cores.
    const secretKey = createSecretKey(secretBytes);
    const credential = await api.mutation<{ id: string }>('credentials.create', {
      name: 'Bench signing secret',
      type: 'webhookSecret',
      data: { secret: `whsec_${secretBytes.toString('base64')}` },
    });
    const signature = { preset: 'standardWebhooks', credentialId: credential.id };
    const idempotency = { enabled: true };
    const guardedUrl = async (name: string, config: Record<string, unknown>) => {
      const created = await api.mutation<{ id: string; webhookUrl: string }>('workflows.create', {
        name,
        definition: { ...definition, trigger: { type: 'webhook', config: { method: 'POST', ...config } } },
      });
      await api.mutation('workflows.setActive', { id: created.id, active: true });
      return `${baseUrl}${new URL(created.webhookUrl).pathname}`;
    };
    const urls = {
      signature: await guardedUrl('Bench: signed', { signature }),
      idempotency: await guardedUrl('Bench: deduplicated', { idempotency }),
      on: await guardedUrl('Bench: signed and deduplicated', { signature, idempotency }),
    };
    const signer =
      (tag: string, { signed, keyed }: { signed: boolean; keyed: boolean }) =>
      (body: string, i: number) => {
        const id = `${tag}-${i}`;
        const headers: Record<string, string> = keyed ? { 'idempotency-key': id } : {};
        if (signed) {
          const timestamp = String(Math.floor(Date.now() / 1000));
          const digest = createHmac('sha256', secretKey)
            .update(`${id}.${timestamp}.${body}`)
            .digest('base64');
          Object.assign(headers, {
            'webhook-id': id,
            'webhook-timestamp': timestamp,
            'webhook-signature': `v1,${digest}`,
          });
        }
        return headers;
      };
    const variants = ['off', 'signature', 'idempotency', 'on'] as const;
    type Variant = (typeof variants)[number];
    const rounds = quick ? 1 : 2;
    const runs: {
      variant: Variant;
      acceptedPerSec: number;
      p99: number;
      non2xx: number;
      errors: number;
      statusCodes: Fired['statusCodes'];
      cpuMsPerWebhook: Record<string, number>;
      statements: Awaited<ReturnType<typeof topStatements>> | undefined;
    }[] = [];
    for (let r = 0; r < rounds; r++) {
      await setWorkers(0);
      const roundStarted = new Date();
      for (const variant of variants) {
        const tag = `frontdoor-${variant}-${r}`;
        log(`front door: c=50 for ${plan.ingestSeconds} s, no worker running; ${variant}…`);
        if (pgStats) await sql`select pg_stat_statements_reset()`;
        const s = sampler();
        s.start();
        const fired = await fire({
          connections: 50,
          duration: plan.ingestSeconds,
          tag,
          ...(variant === 'off'
            ? {}
            : {
                url: urls[variant],
                sign: signer(tag, { signed: variant !== 'idempotency', keyed: variant !== 'signature' }),
              }),
        });
        const processes = s.stop();
        const statements = pgStats ? await topStatements(sql, fired.accepted) : undefined;
        // No worker runs and the target is not called: the web, PostgreSQL and the load generator.
        const all = cpuMsPerUnit(processes, fired.accepted);
        const cpuMsPerWebhook = {
          web: all.web ?? 0,
          postgres: all.postgres ?? 0,
          'bench (load generator)': all['bench (load generator)'] ?? 0,
        };
        runs.push({
          variant,
          acceptedPerSec: fired.acceptedPerSec,
          p99: fired.latencyMs.p99,
          non2xx: fired.non2xx,
          errors: fired.errors,
          statusCodes: fired.statusCodes,
          cpuMsPerWebhook,
          statements,
        });
        for (const st of statements?.slice(0, 8) ?? [])
          log(`    ${st.msPerUnit} ms/webhook ${st.perUnit}×  ${st.query.slice(0, 110)}`);
        log(
          `  ${fired.acceptedPerSec}/s accepted, p99 ${fired.latencyMs.p99} ms, non-2xx ${fired.non2xx} ${JSON.stringify(fired.statusCodes)}; CPU ms per webhook ${JSON.stringify(cpuMsPerWebhook)}; load ${load1()}`,
        );
      }
      log('  draining the backlog…');
      await setWorkers(1);
      await waitDrained(sql, { userId, since: roundStarted, maxMs: drainMaxMs, deliveries });
    }
    const mean = (variant: Variant, of: (run: (typeof runs)[number]) => number) => {
      const these = runs.filter((run) => run.variant === variant);
      return these.reduce((sum, run) => sum + of(run), 0) / these.length;
    };
    const summary = Object.fromEntries(
      variants.map((variant) => [
        variant,
        {
          acceptedPerSec: round(
            mean(variant, (run) => run.acceptedPerSec),
            0,
          ),
          cpuMsPerWebhook: Object.fromEntries(
            Object.keys(runs[0]?.cpuMsPerWebhook ?? {}).map((name) => [
              name,
              round(
                mean(variant, (run) => run.cpuMsPerWebhook[name] ?? 0),
                2,
              ),
            ]),
          ),
        },
      ]),
    ) as Record<Variant, { acceptedPerSec: number; cpuMsPerWebhook: Record<string, number> }>;
    const off = summary.off.acceptedPerSec;
    const on = summary.on.acceptedPerSec;
    const ratio = off ? round((on / off) * 100, 1) : 0;
    const failures = runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
    const productMs = (variant: Variant) =>
      round(
        (summary[variant].cpuMsPerWebhook.web ?? 0) + (summary[variant].cpuMsPerWebhook.postgres ?? 0),
        2,
      );
    results.frontdoor = { runs, summary, off, on, ratio };
    rows.push({
      figure:
        'webhook ingest alone, c=50: signature (Standard Webhooks) + Idempotency-Key on vs off (and each alone)',
      measured:
        `${on}/s on vs ${off}/s off (${ratio} %); signature alone ${summary.signature.acceptedPerSec}/s, ` +
        `Idempotency-Key alone ${summary.idempotency.acceptedPerSec}/s; CPU ms per webhook (web + PostgreSQL) ` +
        `off ${productMs('off')}, signature ${productMs('signature')}, key ${productMs('idempotency')}, on ${productMs('on')}; ` +
        `non-2xx + errors ${failures}`,
      target: 'on within 10 % of off',
      met: ratio >= 90 && failures === 0,
      loadavg1: load1(),
    });
  }

  // ---------------------------------------------------------------- latency at a steady rate
  if (phases.has('latency')) {
    // Evenly spaced: one webhook every 1/rate s. autocannon's overallRate is checked per second and
    // per connection, so it sends each second's quota as a burst at the start of the second; that run
    // is kept as a second row because it shows what a bursty sender sees.
    const runs = [
      { label: 'evenly spaced', send: () => paced(plan.latencyRate, plan.latencySeconds, 'latency') },
      {
        label: 'autocannon overallRate (bursts at each second)',
        send: () =>
          fire({
            connections: 10,
            overallRate: plan.latencyRate,
            duration: plan.latencySeconds,
            tag: 'latency-ac',
          }),
      },
    ];
    const latencyResults = [];
    for (const run of runs) {
      log(
        `latency: ${plan.latencyRate} webhooks/s for ${plan.latencySeconds} s with 1 worker, ${run.label}…`,
      );
      const fired = await run.send();
      const loadavg = load1();
      await waitDrained(sql, { userId, since: fired.started, maxMs: drainMaxMs, deliveries });
      const latency = await latencyStats(sql, fired.started);
      latencyResults.push({
        sender: run.label,
        ...fired,
        acknowledged: undefined,
        latency,
        loadavg1: loadavg,
      });
      log(
        `  202→finished p50 ${latency.endToEnd.p50} ms, p99 ${latency.endToEnd.p99} ms (queue wait p50 ${latency.queueWait.p50} ms, run p50 ${latency.run.p50} ms); load ${loadavg}`,
      );
      rows.push({
        figure: `latency (webhook → finished at ${plan.latencyRate}/s for ${plan.latencySeconds} s, ${run.label})`,
        measured: `p50 ${latency.endToEnd.p50} ms, p99 ${latency.endToEnd.p99} ms (n=${latency.count}; queue wait p50 ${latency.queueWait.p50} / p99 ${latency.queueWait.p99} ms, run p50 ${latency.run.p50} / p99 ${latency.run.p99} ms; 202 p50 ${fired.latencyMs.p50} / p99 ${fired.latencyMs.p99} ms)`,
        target: 'p50 ≤ 20 ms, p99 ≤ 100 ms',
        met: latency.endToEnd.p50 <= 20 && latency.endToEnd.p99 <= 100,
        loadavg1: loadavg,
      });
    }
    results.latency = latencyResults;
  }

  // ---------------------------------------------------------------- live updates
  if (phases.has('live')) {
    log(
      `live: ${plan.latencyRate} webhooks/s for ${plan.liveSeconds} s, each followed by a subscribed client…`,
    );
    const live = await measureLive({
      baseUrl,
      sql,
      api,
      targetUrl,
      webPid: web.pid,
      rate: plan.latencyRate,
      seconds: plan.liveSeconds,
      tabs: plan.liveTabs,
      sampler,
    });
    const loadavg = load1();
    results.live = { ...live, loadavg1: loadavg };
    const { steady, everyOne, tabs } = live;
    log(
      `  open pages: step finished → client p50 ${steady.stepToClientMs.p50} ms, p99 ${steady.stepToClientMs.p99} ms; ` +
        `finished → history p50 ${steady.finishToListMs.p50} ms; a page per execution: step p50 ${everyOne.stepToClientMs.p50} ms, ` +
        `p99 ${everyOne.stepToClientMs.p99} ms; cpu ${JSON.stringify(everyOne.processes.cpuCores)}; ` +
        `${tabs.tabs} tabs: ${tabs.with.connections.total} database connections (${tabs.before.connections.total} without); load ${loadavg}`,
    );
    for (const run of [steady, everyOne]) {
      const step = run.stepToClientMs;
      const finish = run.finishToListMs;
      rows.push({
        figure:
          `live: step finished in the worker → event at a subscribed client (${plan.latencyRate} executions/s for ${plan.liveSeconds} s, ` +
          (run.followEvery === 1
            ? 'an execution page opened for every execution)'
            : `a history page open, an execution page opened for 1 execution in ${run.followEvery})`),
        measured:
          `p50 ${step.p50} ms, p99 ${step.p99} ms, max ${step.max} ms (n=${step.n} steps, ${run.stepsMissed} missed); ` +
          `execution finished → history page p50 ${finish.p50} ms, p99 ${finish.p99} ms (n=${finish.n}, ${run.finishesMissed} missed); ` +
          `${run.executions} executions, ${run.refused} webhooks refused, ${run.executionPagesOpened} execution pages ` +
          `(opened → first event p50 ${run.openToFirstEventMs.p50} ms, p99 ${run.openToFirstEventMs.p99} ms; ` +
          `${Object.values(run.pageErrors).reduce((a, b) => a + b, 0)} did not follow to the end${
            Object.keys(run.pageErrors).length ? `: ${JSON.stringify(run.pageErrors)}` : ''
          }); ` +
          `CPU (cores) ${Object.entries(run.processes.cpuCores)
            .map(([name, cores]) => `${name} ${cores}`)
            .join(
              ', ',
            )}; the clients' own event-loop delay p50 ${run.clientLoopDelayMs.p50} / p99 ${run.clientLoopDelayMs.p99} ms`,
        target: 'p50 ≤ 50 ms',
        met:
          step.n > 0 &&
          run.stepsMissed === 0 &&
          run.finishesMissed === 0 &&
          Object.keys(run.pageErrors).length === 0 &&
          step.p50 <= 50,
        loadavg1: loadavg,
      });
    }
    rows.push({
      figure: `live: what ${tabs.tabs} open tabs cost one web process`,
      measured:
        `${tabs.with.connections.total} database connections with them (${tabs.with.connections.listen} LISTEN + ` +
        `${tabs.with.connections.poolAndPgBoss} pool and pg-boss), ${tabs.before.connections.total} without; ` +
        `RSS ${tabs.before.rssMb} → ${tabs.with.rssMb} MB; one execution per account reached all its tabs: ` +
        `finished → every tab p50 ${tabs.fanOutMs.p50} ms, p99 ${tabs.fanOutMs.p99} ms (${tabs.missed} missed)`,
      target:
        'one LISTEN connection, none per tab: within the web budget of 15 (pool 10 + pg-boss 4 + LISTEN 1)',
      met: tabs.with.connections.listen === 1 && tabs.with.connections.total <= 15,
      loadavg1: loadavg,
    });
  }

  /**
   * Sends `rate` webhooks per second, evenly spaced, for `seconds`, over keep-alive connections, and
   * returns what `fire` returns.
   */
  async function paced(rate: number, seconds: number, tag: string): Promise<Fired> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const url = new URL(hookUrl);
    const latencies: number[] = [];
    const acknowledged: string[] = [];
    const statusCodes: Record<string, { count: number }> = {};
    let errors = 0;
    const send = (i: number) =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify({
          user: { id: `${tag}-${i}`, plan: i % 2 ? 'free' : 'pro' },
          amount: 10,
        });
        const t = performance.now();
        const req = http.request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              latencies.push(performance.now() - t);
              const code = String(res.statusCode ?? 0);
              statusCodes[code] = { count: (statusCodes[code]?.count ?? 0) + 1 };
              if (res.statusCode === 202) {
                const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { executionId?: string })
                  .executionId;
                if (id) acknowledged.push(id);
              }
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end(body);
      });
    const total = Math.round(rate * seconds);
    const started = new Date();
    const t0 = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      inFlight.push(send(i));
    }
    await Promise.all(inFlight);
    agent.destroy();
    const finished = new Date();
    const elapsed = (finished.getTime() - started.getTime()) / 1000;
    const accepted = statusCodes['202']?.count ?? 0;
    return {
      started,
      finished,
      seconds: round(elapsed, 2),
      sent: total,
      accepted,
      acceptedPerSec: round(accepted / elapsed, 0),
      non2xx:
        latencies.length -
        Object.entries(statusCodes)
          .filter(([c]) => c.startsWith('2'))
          .reduce((a, [, v]) => a + v.count, 0),
      errors,
      timeouts: 0,
      latencyMs: {
        p50: round(median(latencies), 1),
        p90: round(percentile(latencies, 90), 1),
        p99: round(percentile(latencies, 99), 1),
        max: round(Math.max(0, ...latencies), 1),
      },
      statusCodes: statusCodes as Fired['statusCodes'],
      acknowledged,
    };
  }

  /**
   * After the backlog drained: every acknowledged execution terminal (else lost), one execution per
   * webhook body and one target delivery per execution (else duplicated). Executions whose body is
   * empty although every request we send has one are counted apart: the product stored a request
   * whose client had already gone (see bench/README.md).
   */
  async function checkComplete(fired: Fired) {
    const since = ts(fired.started);
    const [row] = await sql<
      {
        executions: number;
        acked_terminal: number;
        acked_found: number;
        empty_body: number;
        repeated_bodies: number;
        http_steps: number;
        step_rows: number;
      }[]
    >`
      with acked as (select distinct unnest(string_to_array(${fired.acknowledged.join(',')}, ',')::uuid[]) as id),
      mine as (select * from executions where created_at >= ${since})
      select
        (select count(*) from mine)::int as executions,
        (select count(*) from acked a join executions e on e.id = a.id)::int as acked_found,
        (select count(*) from acked a join executions e on e.id = a.id
          where e.status in ('succeeded', 'filtered', 'failed'))::int as acked_terminal,
        (select count(*) from mine where json_typeof(trigger -> 'body' -> 'user') is distinct from 'object')::int as empty_body,
        (select count(*) - count(distinct trigger -> 'body' -> 'user' ->> 'id') from mine
          where json_typeof(trigger -> 'body' -> 'user') = 'object')::int as repeated_bodies,
        (select count(*) from execution_steps s join mine m on m.id = s.execution_id where s.type = 'http')::int as http_steps,
        (select count(*) from execution_steps s join mine m on m.id = s.execution_id)::int as step_rows`;
    const statuses = await sql<{ status: string; n: number }[]>`
      select status, count(*)::int as n from executions where created_at >= ${since} group by status`;
    const hits = await targetStats();
    const executions = row?.executions ?? 0;
    const acked = new Set(fired.acknowledged).size;
    const lost = acked - (row?.acked_terminal ?? 0);
    const duplicated =
      (row?.repeated_bodies ?? 0) +
      hits.duplicates +
      Math.max(0, hits.hits - executions) +
      (acked < fired.acknowledged.length ? fired.acknowledged.length - acked : 0);
    return {
      sent: fired.sent,
      accepted: fired.accepted,
      acknowledgedIds: acked,
      executions,
      byStatus: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
      terminal: statuses
        .filter((s) => s.status !== 'queued' && s.status !== 'running')
        .reduce((a, s) => a + s.n, 0),
      /** Created, with a body, but the client stopped before its 202 arrived (end of a timed run). */
      unacknowledged: Math.max(0, executions - (row?.empty_body ?? 0) - (row?.acked_found ?? 0)),
      emptyBody: row?.empty_body ?? 0,
      httpSteps: row?.http_steps ?? 0,
      stepRows: row?.step_rows ?? 0,
      targetHits: hits.hits,
      targetUnique: hits.unique,
      targetDuplicates: hits.duplicates,
      lost,
      duplicated,
      e2e: await endToEnd(sql, fired.started, fired.finished),
    };
  }

  // ---------------------------------------------------------------- completeness
  if (phases.has('completeness')) {
    const n = plan.completenessN;
    log(`completeness: exactly ${n} webhooks at c=50…`);
    await resetTarget();
    const fired = await fire({ connections: 50, amount: n, tag: 'complete' });
    const drain = await waitDrained(sql, { userId, since: fired.started, maxMs: drainMaxMs, deliveries });
    const loadavg = load1();
    const check = await checkComplete(fired);
    results.completeness = { n, ...fired, acknowledged: undefined, check, drain, loadavg1: loadavg };
    log(`  ${JSON.stringify({ ...check, e2e: undefined })}`);
    rows.push({
      figure: `completeness (N = ${n})`,
      measured:
        `${check.sent} sent, ${check.accepted} acknowledged (202), ${check.executions} executions, ${check.terminal} terminal ` +
        `(${Object.entries(check.byStatus)
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}), ${check.stepRows} step rows, ${check.targetHits} target hits (${check.targetUnique} distinct); ` +
        `lost ${check.lost}, duplicated ${check.duplicated}, empty-body executions ${check.emptyBody}`,
      target: '0 lost, 0 duplicated',
      met:
        check.lost === 0 &&
        check.duplicated === 0 &&
        check.emptyBody === 0 &&
        check.accepted === n &&
        check.executions === n &&
        check.targetUnique === n,
      loadavg1: loadavg,
    });
  }

  // ---------------------------------------------------------------- scale-out
  if (phases.has('scaleout')) {
    const scaleout: Record<string, unknown>[] = [];
    for (const k of workerCounts ?? plan.scaleoutWorkers) {
      log(`scale-out: ${k} worker(s), exactly ${plan.scaleoutN} webhooks at c=50…`);
      await setWorkers(k);
      await resetTarget();
      const s = sampler();
      s.start();
      const fired = await fire({ connections: 50, amount: plan.scaleoutN, tag: `scale-${k}` });
      const processes = s.stop();
      const loadavg = load1();
      const drain = await waitDrained(sql, { userId, since: fired.started, maxMs: drainMaxMs, deliveries });
      const check = await checkComplete(fired);

      // The workers' own capacity: a backlog built with no worker running, then drained by k workers.
      log(`  backlog: c=50 for ${plan.backlogSeconds} s with no worker, then ${k} worker(s) drain it…`);
      await setWorkers(0);
      if (pgStats) await sql`select pg_stat_statements_reset()`;
      const s3 = sampler();
      s3.start();
      const backlogFired = await fire({
        connections: 50,
        duration: plan.backlogSeconds,
        tag: `backlog-${k}`,
      });
      const ingestProcesses = s3.stop();
      const ingestStatements = pgStats ? await topStatements(sql, backlogFired.accepted) : undefined;
      await setWorkers(k);
      const allReady = new Date();
      if (pgStats) await sql`select pg_stat_statements_reset()`;
      const s2 = sampler();
      s2.start();
      const backlogDrain = await waitDrained(sql, {
        userId,
        since: backlogFired.started,
        maxMs: drainMaxMs,
        deliveries,
      });
      const drainProcesses = s2.stop();
      const drainStatements = pgStats ? await topStatements(sql, -1) : undefined;
      const [b] = await sql<{ n: number; after: number; last_ms: number | null }[]>`
        select count(*)::int as n, count(*) filter (where finished_at >= ${ts(allReady)})::int as after,
          (extract(epoch from max(finished_at)) * 1000)::float8 as last_ms
        from executions where created_at >= ${ts(backlogFired.started)}`;
      const lastMs = Number(b?.last_ms ?? 0);
      const drainRate =
        lastMs > allReady.getTime() ? round((b?.after ?? 0) / ((lastMs - allReady.getTime()) / 1000), 0) : 0;
      const cpuMsPerWebhook = cpuMsPerUnit(ingestProcesses, backlogFired.accepted);
      const cpuMsPerExecution = cpuMsPerUnit(drainProcesses, b?.after ?? 0);
      const entry = {
        workers: k,
        ...fired,
        acknowledged: undefined,
        check,
        drain,
        processes,
        loadavg1: loadavg,
        backlog: {
          ingest: { ...backlogFired, acknowledged: undefined, processes: ingestProcesses },
          cpuMsPerWebhook,
          cpuMsPerExecution,
          ingestStatements,
          drainStatements: drainStatements?.map((st) => ({
            ...st,
            perUnit: b?.after ? round(st.calls / b.after, 2) : 0,
            msPerUnit: b?.after ? round(st.totalMs / b.after, 3) : 0,
          })),
          executions: b?.n ?? 0,
          drainPerSec: drainRate,
          drain: backlogDrain,
          processes: drainProcesses,
          loadavg1: load1(),
        },
      };
      scaleout.push(entry);
      log(
        `  ${fired.acceptedPerSec}/s accepted; finished ${check.e2e.finishedDuringLoadPerSec}/s during load, drain ${check.e2e.drainSeconds} s; lost ${check.lost}, duplicated ${check.duplicated}; ` +
          `backlog of ${b?.n} (ingested alone at ${backlogFired.acceptedPerSec}/s) drained at ${drainRate}/s; cpu ${JSON.stringify(drainProcesses.cpuCores)}; ` +
          `CPU ms per webhook ${JSON.stringify(cpuMsPerWebhook)}, per execution ${JSON.stringify(cpuMsPerExecution)}`,
      );
    }
    await setWorkers(1);
    results.scaleout = scaleout;
    const get = (e: Record<string, unknown>) =>
      e as unknown as {
        workers: number;
        check: {
          lost: number;
          duplicated: number;
          e2e: { finishedDuringLoadPerSec: number; drainSeconds: number };
        };
        backlog: { drainPerSec: number; ingest: { acceptedPerSec: number } };
        loadavg1: number;
      };
    rows.push({
      figure: 'scale-out: finished/s during c=50 load | backlog drain rate, by worker count',
      measured: scaleout
        .map((e) => {
          const x = get(e);
          return `${x.workers} w: ${x.check.e2e.finishedDuringLoadPerSec}/s | ${x.backlog.drainPerSec}/s (lost ${x.check.lost}, dup ${x.check.duplicated})`;
        })
        .join('; '),
      target: 'shown; no loss at any count',
      met: scaleout.every((e) => get(e).check.lost === 0 && get(e).check.duplicated === 0),
      loadavg1: load1(),
    });
    const first = scaleout[0] ? get(scaleout[0]) : undefined;
    if (first) {
      rows.push({
        figure: 'worker capacity, 1 worker (backlog drain, no concurrent ingest)',
        measured: `${first.backlog.drainPerSec}/s`,
        target: '≥ 1,000/s (end-to-end target, for reference)',
        met: first.backlog.drainPerSec >= 1000,
        loadavg1: first.loadavg1,
      });
      rows.push({
        figure: 'webhook ingest, c=50, no worker running',
        measured: `${first.backlog.ingest.acceptedPerSec}/s accepted`,
        target: 'shown (what ingest does without competing for CPU with a worker)',
        met: undefined,
        loadavg1: first.loadavg1,
      });
    }
  }

  // ---------------------------------------------------------------- the database's own limit
  if (phases.has('dblimit')) {
    await setWorkers(0);
    const dbLimit = await measureDbLimit(pg.url, db, workflow.id, postmasterPid);
    results.dbLimit = dbLimit;
    const shipped = dbLimit.runs.filter((r) => r.notify);
    const best = shipped.reduce((m, r) => (r.txPerSec > (m?.txPerSec ?? -1) ? r : m), shipped[0]);
    const ingestRate =
      ingestC50?.acceptedPerSec ??
      (results.ingest as { acceptedPerSec: number }[] | undefined)?.reduce(
        (m, r) => Math.max(m, r.acceptedPerSec),
        0,
      ) ??
      0;
    const ratio = best?.txPerSec ? round((ingestRate / best.txPerSec) * 100, 0) : 0;
    results.dbLimitRatio = {
      ingestPerSec: ingestRate,
      bestPerSec: best?.txPerSec,
      best: best?.label,
      percent: ratio,
    };
    rows.push({
      figure: 'the database’s own limit (the ingest transaction in a tight loop, no HTTP)',
      measured:
        `best as shipped: ${best?.txPerSec} executions/s (${best?.label}); webhook ingest at c=50 (${ingestRate}/s) = ${ratio} % of it. ` +
        `All variants: ${dbLimit.runs.map((r) => `${r.label}: ${r.txPerSec}/s`).join('; ')}`,
      target: 'shown as a ratio',
      met: undefined,
      loadavg1: dbLimit.loadavg1,
    });
    await setWorkers(1);
  }

  // ---------------------------------------------------------------- data at scale
  let tableActivity: Awaited<ReturnType<typeof readTableActivity>> | undefined;
  if (phases.has('data')) {
    tableActivity = await readTableActivity(sql);
    await setWorkers(0);
    const data = await measureDataAtScale({
      sql,
      db,
      api,
      userId,
      workflowId: workflow.id,
      definition,
      webPid: web.pid,
      postmasterPid,
    });
    results.dataAtScale = data;
    for (const q of data.queries) {
      rows.push({
        figure: `data at scale: ${q.label}`,
        measured: `p50 ${q.p50} ms, p99 ${q.p99} ms (${q.items} items, ${q.bytes} bytes; CPU per request: web ${q.webCpuMs} ms, PostgreSQL ${q.postgresCpuMs} ms)`,
        target: q.target !== undefined ? `p50 ≤ ${q.target} ms` : 'shown',
        met: q.target !== undefined ? q.p50 <= q.target : undefined,
        loadavg1: q.loadavg1,
      });
    }
  }

  // ---------------------------------------------------------------- report
  // How the tables were written over the whole run: HOT updates avoid index writes, dead tuples are
  // vacuum's work. Counted before the data-at-scale phase's bulk insert if that ran.
  results.tableActivity = tableActivity ?? (await readTableActivity(sql));
  const [version] = await sql<{ v: string }[]>`select version() as v`;
  const settings = await sql<{ name: string; setting: string }[]>`
    select name, setting from pg_settings
    where name in ('shared_buffers', 'max_connections', 'fsync', 'synchronous_commit', 'wal_sync_method', 'max_wal_size', 'work_mem')`;
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: version?.v ?? '',
    postgresSettings: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
    loadavgAtStart: startLoad,
    loadavgAtEnd: os.loadavg().map((l) => round(l, 2)),
    sharedWithOtherJobs:
      'yes: other engineers run test suites on this machine at the same time; see each figure’s load average',
  };
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    mode: quick ? 'quick' : 'full',
    commit: codeAtStart.commit,
    uncommitted: codeAtStart.uncommitted,
    machine,
    config: {
      workerConcurrency,
      webPoolMax: 10,
      plan,
      workflowCreatedVia: workflowVia,
      processes: built
        ? 'the bundle, as npm start runs it (node server/dist/main.js, server/dist/worker.js)'
        : 'node --import tsx server/src/… (as npm run dev)',
      extraEnv,
      profiles: profileDir,
    },
    figures: rows,
    ...results,
  };
  const outDir = path.join(repoRoot, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const base = path.join(outDir, `${stamp}${quick ? '-quick' : ''}`);
  writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  // Keep the committed results in the repository's own format so `biome ci` stays quiet.
  spawnSync(path.join(repoRoot, 'node_modules/.bin/biome'), ['format', '--write', `${base}.json`], {
    cwd: repoRoot,
  });
  const markdown = renderMarkdown(report, rows);
  writeFileSync(`${base}.md`, markdown);
  console.log(`\n${markdown}`);
  log(`wrote ${path.relative(repoRoot, base)}.json and .md`);
  if (profileDir) log(`CPU profiles (written when the processes exit): ${profileDir}`);

  await sql.end({ timeout: 5 });
}

const startLoad = os.loadavg().map((l) => round(l, 2));
/** The code the processes run: HEAD plus whatever is uncommitted in server/ and shared/ right now. */
const git = (...args: string[]) =>
  spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout.trimEnd();
const codeAtStart = {
  commit: git('rev-parse', '--short', 'HEAD'),
  uncommitted: git('status', '--porcelain', '--', 'server/src', 'shared/src')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3)),
};

async function readTableActivity(sql: Sql) {
  await sql`select pg_stat_force_next_flush()`.catch(() => {});
  const tables = await sql<
    {
      table: string;
      inserts: number;
      updates: number;
      hot_updates: number;
      deletes: number;
      dead: number;
      autovacuums: number;
      autoanalyzes: number;
    }[]
  >`
    select schemaname || '.' || relname as table, n_tup_ins::int8::float8 as inserts, n_tup_upd::float8 as updates,
      n_tup_hot_upd::float8 as hot_updates, n_tup_del::float8 as deletes, n_dead_tup::float8 as dead,
      autovacuum_count::float8 as autovacuums, autoanalyze_count::float8 as autoanalyzes
    from pg_stat_user_tables
    where relname in ('executions', 'execution_steps', 'job_common', 'job')
    order by n_tup_ins desc`;
  const [wal] = await sql<{ wal_bytes: number; wal_records: number }[]>`
    select wal_bytes::float8 as wal_bytes, wal_records::float8 as wal_records from pg_stat_wal`;
  return { tables, wal };
}

/** The statements that took the database's time since the last reset, per unit of work when `units` > 0. */
async function topStatements(sql: Sql, units: number) {
  const rows = await sql<{ query: string; calls: number; total_ms: number; mean_ms: number; rows: number }[]>`
    select regexp_replace(query, '[[:space:]]+', ' ', 'g') as query, calls::int, total_exec_time::float8 as total_ms,
      mean_exec_time::float8 as mean_ms, rows::int
    from pg_stat_statements
    where query not ilike '%pg_stat_statements%'
    order by total_exec_time desc limit 15`;
  return rows.map((r) => ({
    query: r.query.slice(0, 300),
    calls: r.calls,
    totalMs: round(Number(r.total_ms), 1),
    meanMs: round(Number(r.mean_ms), 3),
    rows: r.rows,
    ...(units > 0
      ? { perUnit: round(r.calls / units, 2), msPerUnit: round(Number(r.total_ms) / units, 3) }
      : {}),
  }));
}

// ---------------------------------------------------------------------------------------------
// The database's own limit
// ---------------------------------------------------------------------------------------------

/**
 * Drives the web process's transaction (insert the execution, send the pg-boss job, commit) straight
 * at Postgres from this process, with the product's own `createExecution` and queue, no HTTP. Also
 * once with a copy of the queue that has NOTIFY switched off, because a transaction that NOTIFYs
 * takes a database-wide lock at commit and so commits one at a time.
 */
async function measureDbLimit(url: string, db: Db, workflowId: string, postmasterPid: number) {
  const [workflow] = await db
    .select()
    .from(schema.workflows)
    .where(dsql`${schema.workflows.id} = ${workflowId}`);
  if (!workflow?.webhookId) throw new Error('webhook workflow missing');
  const { webhookId } = workflow;
  const trigger = {
    method: 'POST',
    path: `/hooks/${webhookId}`,
    query: {},
    headers: { 'content-type': 'application/json', host: '127.0.0.1', 'content-length': '52' },
    body: { user: { id: 'db-limit', plan: 'pro' }, amount: 10 },
    receivedAt: new Date().toISOString(),
  };
  // What the web process keeps beside the parsed trigger data: the body as it arrived.
  const receivedBody = Buffer.from(JSON.stringify(trigger.body));
  const boss = await startBoss(url, { maintenance: false, max: 2 });
  const silentQueue = 'bench-no-notify';
  await boss.createQueue(silentQueue, { notify: false, retryLimit: 5 });
  const silent: ExecutionQueue = {
    enqueue: async (tx, executionId) => {
      await boss.send(silentQueue, { executionId }, { db: jobDb(tx) });
    },
    enqueueMany: async (tx, executionIds) => {
      const jobs = executionIds.map((executionId) => ({ data: { executionId } }));
      await boss.insert(silentQueue, jobs, { db: jobDb(tx) });
    },
  };
  type Op = (db: Db) => () => Promise<unknown>;
  const single =
    (queue: ExecutionQueue): Op =>
    (db) =>
    () =>
      createExecution(db, queue, { workflow, mode: 'webhook', trigger, receivedBody });
  const variants: { label: string; op: Op; notify: boolean; connections: number; callers?: number }[] = [
    {
      label: 'one webhook per transaction, NOTIFY (as shipped), 10 connections',
      op: single(executionQueue(boss)),
      notify: true,
      connections: 10,
    },
    {
      label: 'one webhook per transaction, NOTIFY (as shipped), 50 connections',
      op: single(executionQueue(boss)),
      notify: true,
      connections: 50,
    },
    {
      label: 'one webhook per transaction, no NOTIFY, 10 connections',
      op: single(silent),
      notify: false,
      connections: 10,
    },
    {
      label: 'one webhook per transaction, no NOTIFY, 50 connections',
      op: single(silent),
      notify: false,
      connections: 50,
    },
  ];
  // The web process's group-commit ingest (server/src/services/ingest.ts), as a webhook request
  // hands it a delivery.
  const batched: Op = (db) => {
    const ingest = new WebhookIngest(db, executionQueue(boss));
    return async () => {
      const result = await ingest.submit({
        workflowId: workflow.id,
        version: workflow.version,
        method: 'POST',
        trigger,
        receivedBody,
        record: {
          id: randomUUID(),
          receivedAt: new Date().toISOString(),
          workflowId: workflow.id,
          userId: workflow.userId,
          method: 'POST',
          url: `/hooks/${webhookId}`,
          size: receivedBody.length,
          headers: trigger.headers,
          bodyPreview: receivedBody.toString('utf8'),
          bodyTruncated: false,
        },
      });
      if (result.status !== 'accepted') throw new Error(result.status);
    };
  };
  variants.push({
    label: 'group commit (the web process’s WebhookIngest), NOTIFY, 10 connections, 200 callers',
    op: batched,
    notify: true,
    connections: 10,
    callers: 200,
  });
  const since = new Date();
  const runs = [];
  for (const variant of variants) {
    log(`db limit: ${variant.label} for ${plan.dbLimitSeconds} s…`);
    const loopSql = createSql(url, { max: variant.connections });
    const loopDb = createDb(loopSql);
    const once = variant.op(loopDb);
    await loopSql`select 1`;
    const s = new ProcessSampler({
      memory: () => ({}),
      cpu: () => ({ postgres: { pids: postgresPids(postmasterPid), reaped: [postmasterPid] } }),
    });
    let done = 0;
    let failed = 0;
    const latencies: number[] = [];
    const until = performance.now() + plan.dbLimitSeconds * 1000;
    s.start();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: variant.callers ?? variant.connections }, async () => {
        while (performance.now() < until) {
          const t = performance.now();
          try {
            await once();
            done++;
            latencies.push(performance.now() - t);
          } catch {
            failed++;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const processes = s.stop();
    await loopSql.end({ timeout: 5 });
    const run = {
      ...variant,
      op: undefined,
      seconds: round(seconds, 2),
      transactions: done,
      failed,
      txPerSec: round(done / seconds, 0),
      p50Ms: round(median(latencies), 2),
      p99Ms: round(percentile(latencies, 99), 2),
      cpuCores: processes.cpuCores,
      loadavg1: load1(),
    };
    runs.push(run);
    log(
      `  ${run.txPerSec} tx/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms; cpu ${JSON.stringify(run.cpuCores)}`,
    );
    await sleep(1000);
  }
  // Leave nothing behind for the workers.
  await boss.deleteAllJobs(QUEUES.executions);
  await boss.deleteQueue(silentQueue);
  await boss.stop({ graceful: false, timeout: 2_000 });
  await db
    .delete(schema.executions)
    .where(dsql`${schema.executions.createdAt} >= ${since.toISOString()}::timestamptz`);
  return { runs, loadavg1: load1() };
}

// ---------------------------------------------------------------------------------------------
// Data at scale
// ---------------------------------------------------------------------------------------------

async function measureDataAtScale(ctx: {
  sql: Sql;
  db: Db;
  api: TrpcClient;
  userId: string;
  workflowId: string;
  definition: unknown;
  webPid: number;
  postmasterPid: number;
}) {
  const { sql, api, userId, workflowId } = ctx;
  /** CPU seconds of the web process and of PostgreSQL (every backend, and those that exited). */
  const cpu = () => ({
    web: cpuSecondsOf(ctx.webPid),
    postgres: postgresPids(ctx.postmasterPid).reduce(
      (sum, pid) => sum + cpuSecondsOf(pid, pid === ctx.postmasterPid),
      0,
    ),
  });
  const wantWorkflows = plan.workflows;
  const wantExecutions = plan.executions;
  log(`data at scale: inserting ${wantWorkflows - 1} more workflows and ${wantExecutions} executions…`);
  const t0 = performance.now();
  const def = JSON.stringify(ctx.definition);
  await sql`
    insert into workflows (user_id, name, description, active, definition, version, webhook_id, created_at, updated_at)
    select ${userId}, 'Bench workflow ' || g, '', g % 2 = 0, ${def}::jsonb, 1, md5(random()::text || g),
      now() - g * interval '1 minute', now() - g * interval '1 minute'
    from generate_series(1, ${wantWorkflows - 1}) g`;
  const batch = 100_000;
  const trigger = {
    method: 'POST',
    path: '/hooks/x',
    query: {},
    headers: { 'content-type': 'application/json', host: '127.0.0.1', 'user-agent': 'bench' },
    receivedAt: new Date().toISOString(),
  };
  for (let from = 1; from <= wantExecutions; from += batch) {
    const to = Math.min(wantExecutions, from + batch - 1);
    await sql`
      with w as (
        select id, (row_number() over (order by id) - 1)::int as rn from workflows where user_id = ${userId}
      )
      insert into executions (workflow_id, user_id, status, mode, trigger, definition, workflow_version,
                              created_at, started_at, finished_at, attempt)
      select w.id, ${userId},
        case when g % 50 = 0 then 'failed' when g % 2 = 0 then 'filtered' else 'succeeded' end,
        'webhook',
        ${JSON.stringify(trigger)}::jsonb || jsonb_build_object('body',
          jsonb_build_object('user', jsonb_build_object('id', 'scale-' || g, 'plan', 'pro'), 'amount', 10)),
        ${def}::jsonb, 1, ts, ts + interval '4 ms', ts + interval '15 ms', 1
      from generate_series(${from}::int, ${to}::int) g
      join w on w.rn = g % ${wantWorkflows}
      cross join lateral (select now() - interval '14 days' + (g::float8 / ${wantExecutions}) * interval '13 days' as ts) t`;
    log(`  ${to} / ${wantExecutions} executions (${round((performance.now() - t0) / 1000, 0)} s)`);
  }
  await sql`vacuum (analyze) workflows`;
  await sql`vacuum (analyze) executions`;
  const [counts] = await sql<{ executions: number; workflows: number; size: string }[]>`
    select (select count(*)::int from executions) as executions,
           (select count(*)::int from workflows where user_id = ${userId}) as workflows,
           pg_size_pretty(pg_total_relation_size('executions')) as size`;
  log(
    `  ${counts?.executions} executions (${counts?.size}), ${counts?.workflows} workflows, in ${round((performance.now() - t0) / 1000, 0)} s`,
  );

  const longExecutionId = await insertLongExecution(sql, userId, workflowId);
  // Every inserted execution was announced to the web process's live listener (a NOTIFY each):
  // time nothing until it has worked through them and idles.
  const waited = await untilIdle(ctx.webPid);
  log(`  the web process idle after ${round(waited / 1000, 1)} s (live notifications of the insert)`);

  /** `target`: the p50 in ms the figure must meet; undefined for figures that are only shown. */
  const queries: {
    label: string;
    path: string;
    input: Record<string, unknown>;
    target: number | undefined;
  }[] = [
    // The floor: any signed-in request costs this much before it does anything of its own.
    { label: 'auth.me (the session check alone)', path: 'auth.me', input: {}, target: undefined },
    { label: 'executions.list first page (all workflows)', path: 'executions.list', input: {}, target: 15 },
    {
      label: 'executions.list first page (busiest workflow)',
      path: 'executions.list',
      input: { workflowId },
      target: 15,
    },
    {
      label: `workflows.list first page (${wantWorkflows} workflows)`,
      path: 'workflows.list',
      input: {},
      target: 15,
    },
    {
      // Matches 'Bench workflow 12', '… 120'–'… 129', '… 1200'–'… 1299', …: about one in ninety.
      label: `workflows.list search "workflow 12" (${wantWorkflows} workflows)`,
      path: 'workflows.list',
      input: { search: 'workflow 12' },
      target: 15,
    },
    {
      label: 'executions.list, status filter that matches nothing (status=running), all workflows',
      path: 'executions.list',
      input: { status: 'running' },
      target: undefined,
    },
    {
      label: 'executions.list, status filter that matches nothing (status=running), busiest workflow',
      path: 'executions.list',
      input: { workflowId, status: 'running' },
      target: undefined,
    },
    {
      label: `executions.get, ${LONG_EXECUTION_STEPS} steps`,
      path: 'executions.get',
      input: { id: longExecutionId },
      target: 20,
    },
  ];
  // Second pages: the cursor is the last id of the first page.
  const secondPage = async (path: string, label: string, at: number) => {
    const first = await api.query<{ nextCursor?: string | null }>(path, {});
    if (first.nextCursor)
      queries.splice(at, 0, { label, path, input: { cursor: first.nextCursor }, target: undefined });
  };
  await secondPage('workflows.list', 'workflows.list second page (cursor)', 5);
  await secondPage('executions.list', 'executions.list second page (cursor)', 3);

  const results = [];
  for (const q of queries) {
    const times: number[] = [];
    let bytes = 0;
    let items = 0;
    for (let i = 0; i < 5; i++) await (await api.rawQuery(q.path, q.input)).arrayBuffer(); // warm
    // Figures without a target (the slow status-filter case) get fewer samples to keep the run short.
    const samples = q.target !== undefined ? plan.apiSamples : Math.min(plan.apiSamples, 30);
    const cpuBefore = cpu();
    for (let i = 0; i < samples; i++) {
      const t = performance.now();
      const response = await api.rawQuery(q.path, q.input);
      const body = await response.arrayBuffer();
      times.push(performance.now() - t);
      if (!response.ok)
        throw new Error(`${q.path} answered ${response.status}: ${Buffer.from(body).toString()}`);
      bytes = body.byteLength;
      if (i === 0) {
        const parsed = JSON.parse(Buffer.from(body).toString()) as {
          result: { data: { json: { items?: unknown[]; steps?: unknown[] } } };
        };
        const answer = parsed.result.data.json;
        items = (answer.items ?? answer.steps ?? []).length;
      }
    }
    const cpuAfter = cpu();
    // Rates move with whatever else the shared machine runs; the CPU a request costs hardly does.
    const perRequestMs = (seconds: number) => round((seconds * 1000) / samples, 2);
    const entry = {
      ...q,
      samples: times.length,
      items,
      bytes,
      webCpuMs: perRequestMs(cpuAfter.web - cpuBefore.web),
      postgresCpuMs: perRequestMs(cpuAfter.postgres - cpuBefore.postgres),
      p50: round(median(times), 2),
      p99: round(percentile(times, 99), 2),
      mean: round(times.reduce((a, b) => a + b, 0) / times.length, 2),
      loadavg1: load1(),
    };
    results.push(entry);
    log(
      `  ${q.label}: p50 ${entry.p50} ms, p99 ${entry.p99} ms (${items} items, ${bytes} bytes; CPU per request: web ${entry.webCpuMs} ms, PostgreSQL ${entry.postgresCpuMs} ms)`,
    );
  }

  const plans = await explainListQueries(sql, userId, workflowId, longExecutionId);
  return { rows: counts, insertSeconds: round((performance.now() - t0) / 1000, 0), queries: results, plans };
}

/** Waits until the process uses under 5 % of a core over half a second; the milliseconds waited. */
async function untilIdle(pid: number): Promise<number> {
  const start = performance.now();
  for (;;) {
    const before = cpuSecondsOf(pid);
    await sleep(500);
    if (cpuSecondsOf(pid) - before < 0.025) return performance.now() - start;
    if (performance.now() - start > 600_000) throw new Error(`process ${pid} never became idle`);
  }
}

const LONG_EXECUTION_STEPS = 50;

/**
 * One execution of `LONG_EXECUTION_STEPS` HTTP steps, as the worker records it: the definition
 * snapshot names each step, and each step row holds the request it sent and the answer it got.
 */
async function insertLongExecution(sql: Sql, userId: string, workflowId: string): Promise<string> {
  const positions = Array.from({ length: LONG_EXECUTION_STEPS }, (_, i) => i);
  const config = (i: number) => ({
    method: 'POST',
    url: `https://api.example.com/orders/${i}/events`,
    headers: { 'X-Source': 'automateos', 'Content-Type': 'application/json' },
    query: {},
    body: { type: 'json', value: { order: `ord_${i}`, amount: i * 10, currency: 'EUR' } },
    timeoutMs: 10000,
  });
  const definition = {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: positions.map((i) => ({
      id: `step-${i + 1}`,
      name: `Post order event ${i + 1}`,
      type: 'http',
      config: config(i),
    })),
  };
  const [execution] = await sql<{ id: string }[]>`
    insert into executions (workflow_id, user_id, status, mode, trigger, definition, workflow_version,
                            created_at, started_at, finished_at)
    values (${workflowId}, ${userId}, 'succeeded', 'webhook',
      ${JSON.stringify({ method: 'POST', path: '/hooks/x', query: {}, headers: {}, body: { orders: 50 } })}::jsonb,
      ${JSON.stringify(definition)}::json, 1, now() - interval '20 days', now() - interval '20 days',
      now() - interval '20 days' + interval '2 s')
    returning id`;
  if (!execution) throw new Error('insert returned nothing');
  const output = (i: number) => ({
    status: 200,
    headers: {
      'content-type': 'application/json',
      date: 'Thu, 26 Nov 2026 04:12:59 GMT',
      'x-request-id': `req_${i}`,
    },
    body: { ok: true, id: `evt_${i}`, order: `ord_${i}`, received: { amount: i * 10, currency: 'EUR' } },
  });
  for (const i of positions) {
    await sql`
      insert into execution_steps (execution_id, step_id, position, type, status, input, output,
                                   started_at, finished_at, duration_ms)
      values (${execution.id}, ${`step-${i + 1}`}, ${i}, 'http', 'succeeded',
        ${JSON.stringify(config(i))}::json, ${JSON.stringify(output(i))}::json,
        now() - interval '20 days', now() - interval '20 days' + interval '40 ms', 40)`;
  }
  return execution.id;
}

/**
 * The SQL behind the API calls, captured from the product's own service functions through a Drizzle
 * logger, then run under EXPLAIN ANALYZE.
 */
async function explainListQueries(sql: Sql, userId: string, workflowId: string, longExecutionId: string) {
  const captured: { query: string; params: unknown[] }[] = [];
  const loggingDb = drizzle(sql, {
    schema,
    casing: 'snake_case',
    logger: { logQuery: (query, params) => void captured.push({ query, params }) },
  });
  const { listWorkflows } = await import('../server/src/services/workflows');
  const listPage = (input: { search?: string; cursor?: string }) =>
    listWorkflows(loggingDb, userId, 'http://x', { ...input, limit: 50 });
  const { nextCursor } = await listPage({});
  const cases: [string, () => Promise<unknown>][] = [
    ['executions.list (all)', () => listExecutions(loggingDb, userId, { limit: 20 })],
    ['executions.list (workflow)', () => listExecutions(loggingDb, userId, { workflowId, limit: 20 })],
    [
      'executions.list (status=running)',
      () => listExecutions(loggingDb, userId, { status: 'running', limit: 20 }),
    ],
    [
      'executions.list (workflow, status=running)',
      () => listExecutions(loggingDb, userId, { workflowId, status: 'running', limit: 20 }),
    ],
    ['workflows.list (first page)', () => listPage({})],
    ['workflows.list (search "workflow 12")', () => listPage({ search: 'workflow 12' })],
    ['workflows.list (second page)', () => listPage({ cursor: nextCursor ?? undefined })],
    [
      `executions.get (${LONG_EXECUTION_STEPS} steps)`,
      () => getExecution(loggingDb, userId, longExecutionId),
    ],
  ];
  const plans: Record<string, { sql: string; plan: string[] }> = {};
  for (const [label, run] of cases) {
    captured.length = 0;
    await run();
    // Every statement the call makes (executions.get makes two), each under its own label.
    for (const [i, q] of captured.entries()) {
      const rows = await sql.unsafe(`explain (analyze, buffers) ${q.query}`, q.params as never[]);
      plans[captured.length > 1 ? `${label}, statement ${i + 1}` : label] = {
        sql: q.query,
        plan: rows.map((r) => String((r as Record<string, unknown>)['QUERY PLAN'])),
      };
    }
  }
  return plans;
}

main().then(
  () => cleanup(0),
  (error: unknown) => {
    console.error('[bench] failed:', error);
    void cleanup(1);
  },
);
