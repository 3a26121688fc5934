/**
 * Fault-injection harness: real web and worker processes (spawned like production starts them), a
 * PostgreSQL of the test's own when the fault is the database itself, a recording HTTP target whose
 * hits name the execution and step that caused them, and the figures each case prints and asserts.
 *
 * Every child process, cluster and temp folder a test file starts is registered here and removed by
 * `cleanup()` (call it in afterAll) — and, as a last resort, killed when the test process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { createSql, type Db, type Sql } from '../../src/db/client';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { runMigrations } from '../../src/db/migrate';
import { freePort } from '../../src/net/free-port';
import { TEST_CREDENTIALS_KEYS } from '../caller';
import { insertUser, insertWorkflow, startTarget, type Target } from '../fixtures';

export const serverDir = path.resolve(import.meta.dirname, '../..');
const JWT_SECRET = 'fault-injection-secret-that-is-long-enough-0123456789';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; the error names what was awaited. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** One `FAULT <case>: key=value …` line per case, easy to grep from the test output. */
export function report(name: string, figures: Record<string, string | number | boolean>): string {
  const line = `FAULT ${name}: ${Object.entries(figures)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ')}`;
  console.log(line);
  return line;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

// ---------------------------------------------------------------------------------------------
// Processes

export interface AppProcess {
  kind: 'web' | 'worker';
  child: ChildProcess;
  pid: number;
  /** Resolves when the process has exited, with its code (null when killed by a signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** The last lines it wrote (stdout and stderr together). */
  output(): string;
  /** Everything it wrote (its first 16 MiB), for a test that must read every line. */
  fullOutput(): string;
  /** The last lines that are not JSON log records: a crash's stack trace, a console.error. */
  crashOutput(): string;
  /** `exit 1`, `signal SIGKILL`, or `running`. */
  state(): string;
  /** How many output lines so far match `pattern`. */
  count(pattern: RegExp): number;
}

export interface WebProcess extends AppProcess {
  url: string;
}

const children = new Set<ChildProcess>();
const clusterDirs = new Set<string>();

// Last resort when a test process dies before afterAll: no orphans holding CPU or ports.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of clusterDirs) {
    try {
      const pid = Number(readFileSync(path.join(dir, 'cluster', 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {}
  }
});

export function spawnApp(kind: 'web' | 'worker', env: Record<string, string>): AppProcess {
  const entry = kind === 'web' ? 'src/main.ts' : 'src/worker.ts';
  // node itself, not the tsx CLI (a wrapper process), so signals reach the application.
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: serverDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SSRF_ALLOWLIST: '127.0.0.1/32',
      LOG_LEVEL: 'info',
      CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (!child.pid) throw new Error(`could not spawn the ${kind} process`);
  children.add(child);
  const lines: string[] = [];
  const counted: string[] = [];
  // Per stream, so a line cut across two chunks is whole again when they are joined.
  const everything: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };
  let kept = 0;
  const keep = (stream: keyof typeof everything) => (chunk: Buffer) => {
    if (kept >= 16 * 1024 * 1024) return;
    everything[stream].push(chunk);
    kept += chunk.length;
  };
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line) continue;
      lines.push(line);
      counted.push(line.slice(0, 300));
      if (lines.length > 200) lines.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.stdout?.on('data', keep('stdout'));
  child.stderr?.on('data', keep('stderr'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    kind,
    child,
    pid: child.pid,
    exited,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => lines.join('\n'),
    fullOutput: () => `${Buffer.concat(everything.stdout)}\n${Buffer.concat(everything.stderr)}`,
    crashOutput: () =>
      lines
        .filter((line) => !line.startsWith('{'))
        .slice(-15)
        .join('\n'),
    state: () =>
      child.exitCode !== null
        ? `exit ${child.exitCode}`
        : child.signalCode
          ? `signal ${child.signalCode}`
          : 'running',
    count: (pattern) => counted.filter((line) => pattern.test(line)).length,
  };
}

async function readyOrExit(app: AppProcess, what: string, ready: () => Promise<boolean>, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (!app.alive()) throw new Error(`the ${app.kind} process exited before ${what}:\n${app.output()}`);
    if (Date.now() > end)
      throw new Error(`the ${app.kind} process: no ${what} in ${timeoutMs} ms:\n${app.output()}`);
    await sleep(100);
  }
}

/** The web process (src/main.ts) on a free port, resolved once `GET /readyz` answers 200. */
export async function startWeb(databaseUrl: string, env: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const app = spawnApp('web', {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET,
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  await readyOrExit(
    app,
    'ready answer',
    async () => {
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    60_000,
  );
  return { ...app, url };
}

/** A worker process (src/worker.ts), resolved once it says it is taking executions. */
export async function startWorker(
  databaseUrl: string,
  options: { concurrency?: number; env?: Record<string, string> } = {},
): Promise<AppProcess> {
  const app = spawnApp('worker', {
    DATABASE_URL: databaseUrl,
    WORKER_CONCURRENCY: String(options.concurrency ?? 8),
    ...options.env,
  });
  await readyOrExit(app, '"taking executions"', async () => app.count(/taking executions/) > 0, 60_000);
  return app;
}

/** Resident set size of a process in MiB (Linux /proc), or NaN when it is gone. */
export function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// A PostgreSQL of the test's own (for restarting it), migrated

export interface Cluster {
  url: string;
  port: number;
  /** Fast shutdown (SIGINT): sessions are aborted, like a crash from the clients' point of view. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
  remove(): Promise<void>;
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'automateos-faults-'));
  chmodSync(dir, 0o755); // the postgres OS user runs the server when we are root
  clusterDirs.add(dir);
  const options = { dir, database: 'automateos', log: () => {} };
  let pg = await startEmbeddedPostgres(options);
  await runMigrations(pg.url);
  let running = true;
  const cluster: Cluster = {
    url: pg.url,
    port: pg.port,
    async stop() {
      running = false;
      await pg.stop();
    },
    async start() {
      pg = await startEmbeddedPostgres({ ...options, port: cluster.port });
      running = true;
      if (pg.port !== cluster.port)
        throw new Error(`Postgres came back on port ${pg.port}, not ${cluster.port}`);
    },
    async remove() {
      if (running) await pg.stop();
      running = false;
      clusterDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

// ---------------------------------------------------------------------------------------------
// The target the HTTP steps call: every hit names its execution (trigger.body.n) and step

export interface Hit {
  stepId: string;
  n: number;
  at: number;
}

export interface HitTarget {
  url: string;
  hits: Hit[];
  /** Hits that have arrived but not been answered yet (in flight at the target). */
  inFlight(): number;
  /** Hits per `${n}/${stepId}`. */
  counts(): Map<string, number>;
  /** When the first hit of each `${n}/${stepId}` arrived. */
  firstHits(): Map<string, number>;
  close(): Promise<void>;
}

/** A recording target; a request's `ms` query parameter delays its answer. */
export async function startHitTarget(): Promise<HitTarget> {
  const target: Target = await startTarget();
  const hits: Hit[] = [];
  let open = 0;
  target.respond = (req) => {
    const url = new URL(req.url, 'http://x');
    const stepId = url.pathname.split('/')[2] ?? '?';
    const hit = { stepId, n: Number(url.searchParams.get('n')), at: Date.now() };
    hits.push(hit);
    target.requests.length = 0; // the hits are our record; do not keep every body twice
    const delayMs = Number(url.searchParams.get('ms') ?? 0);
    open++;
    setTimeout(() => open--, delayMs);
    return { body: { ok: true, step: stepId, n: hit.n }, delayMs };
  };
  return {
    url: target.url,
    hits,
    inFlight: () => open,
    counts() {
      const map = new Map<string, number>();
      for (const hit of hits) map.set(`${hit.n}/${hit.stepId}`, (map.get(`${hit.n}/${hit.stepId}`) ?? 0) + 1);
      return map;
    },
    firstHits() {
      const map = new Map<string, number>();
      for (const hit of hits) {
        const key = `${hit.n}/${hit.stepId}`;
        if (!map.has(key)) map.set(key, hit.at);
      }
      return map;
    },
    close: () => target.close(),
  };
}

/**
 * A chain of HTTP steps calling `target` as `POST /s/<stepId>?n={{ trigger.body.n }}&ms=<delay>`,
 * so every hit at the target is attributable to one execution and one step.
 */
export function chainDefinition(
  targetUrl: string,
  steps: { id: string; delayMs: number }[],
  method: 'POST' | 'ANY' = 'POST',
): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method } },
    steps: steps.map(({ id, delayMs }) => ({
      id,
      name: `Step ${id}`,
      type: 'http' as const,
      config: {
        method: 'POST' as const,
        url: `${targetUrl}/s/${id}`,
        query: { n: '{{ trigger.body.n }}', ms: String(delayMs) },
        body: { type: 'json' as const, value: { n: '{{ trigger.body.n }}' } },
        timeoutMs: 30_000,
      },
    })),
  };
}

/**
 * A new user (password `password-123`) with a `chainDefinition` workflow calling `target`, and a web
 * process on `databaseUrl` serving its webhook at `hookUrl`.
 */
export async function serveChain(
  db: Db,
  databaseUrl: string,
  target: HitTarget,
  steps: { id: string; delayMs: number }[],
): Promise<{ web: WebProcess; hookUrl: string; email: string }> {
  const user = await insertUser(db);
  const workflow = await insertWorkflow(db, user.id, chainDefinition(target.url, steps));
  const web = await startWeb(databaseUrl);
  return { web, hookUrl: `${web.url}/hooks/${workflow.webhookId}`, email: user.email };
}

// ---------------------------------------------------------------------------------------------
// Load

export interface WebhookResult {
  n: number;
  status: number; // 0: no HTTP answer (connection refused or reset)
  executionId?: string;
  startedAt: number;
  finishedAt: number;
}

/** Runs `work` for 0…count-1 with at most `concurrency` at a time; stops early when `stop()` says so. */
export async function pool(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && !stop()) await work(next++);
    }),
  );
}

/** One webhook with body `{ n }`; never throws: network failures come back as status 0. */
export async function postWebhook(hookUrl: string, n: number): Promise<WebhookResult> {
  const startedAt = Date.now();
  try {
    const res = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json().catch(() => ({}))) as { executionId?: string };
    return {
      n,
      status: res.status,
      ...(body.executionId ? { executionId: body.executionId } : {}),
      startedAt,
      finishedAt: Date.now(),
    };
  } catch {
    return { n, status: 0, startedAt, finishedAt: Date.now() };
  }
}

/** Sends webhooks n = from…from+count-1 with bounded concurrency. */
export async function sendWebhooks(
  hookUrl: string,
  count: number,
  options: { concurrency: number; from?: number; onResult?: (result: WebhookResult) => void | Promise<void> },
): Promise<WebhookResult[]> {
  const results: WebhookResult[] = [];
  await pool(count, options.concurrency, async (i) => {
    const result = await postWebhook(hookUrl, (options.from ?? 0) + i);
    results.push(result);
    await options.onResult?.(result);
  });
  return results;
}

// ---------------------------------------------------------------------------------------------
// Figures from the database

export type StatusCounts = Record<string, number>;

export async function statusCounts(sql: Sql): Promise<StatusCounts> {
  const rows = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from executions group by status`;
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

export async function unfinishedCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from executions where status in ('queued', 'running')`;
  return row?.n ?? 0;
}

export async function runningIds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from executions where status = 'running'`;
  return rows.map((row) => row.id);
}

export function waitAllTerminal(sql: Sql, timeoutMs: number): Promise<void> {
  return waitUntil(
    'every execution terminal',
    async () => (await unfinishedCount(sql)) === 0,
    timeoutMs,
    250,
  );
}

export interface ExecutionRow {
  id: string;
  status: string;
  attempt: number;
  n: number | null;
}

export async function executionRows(sql: Sql): Promise<ExecutionRow[]> {
  return sql<ExecutionRow[]>`
    select id, status, attempt, (trigger->'body'->>'n')::int as n from executions`;
}

export interface StepRow {
  executionId: string;
  stepId: string;
  status: string;
}

export async function stepRows(sql: Sql): Promise<StepRow[]> {
  return sql<StepRow[]>`
    select execution_id as "executionId", step_id as "stepId", status from execution_steps`;
}

/**
 * Every accepted execution must exist and be terminal: `lost` counts those that are missing or
 * still queued/running.
 */
export async function completeness(sql: Sql, acceptedIds: string[]) {
  const rows = await executionRows(sql);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const terminal = acceptedIds.filter((id) => {
    const status = byId.get(id)?.status;
    return status !== undefined && status !== 'queued' && status !== 'running';
  }).length;
  const missing = acceptedIds.filter((id) => !byId.has(id)).length;
  const accepted = new Set(acceptedIds);
  return {
    rows,
    byId,
    terminal,
    missing,
    lost: acceptedIds.length - terminal,
    /** Rows no 202 answered for (the commit landed but the answer did not): allowed, reported. */
    unanswered: rows.filter((row) => !accepted.has(row.id)).length,
  };
}

/**
 * For each succeeded step, its HTTP calls at the target. `repeated` are the succeeded steps that
 * were called more than once; `uncalled` those the target never saw (should be impossible).
 */
export async function stepCallAudit(sql: Sql, target: HitTarget) {
  const [steps, rows] = await Promise.all([stepRows(sql), executionRows(sql)]);
  const nOf = new Map(rows.map((row) => [row.id, row.n]));
  const counts = target.counts();
  const repeated: { executionId: string; n: number; stepId: string; calls: number }[] = [];
  let succeeded = 0;
  let uncalled = 0;
  for (const step of steps) {
    if (step.status !== 'succeeded') continue;
    succeeded++;
    const n = nOf.get(step.executionId) ?? -1;
    const calls = counts.get(`${n}/${step.stepId}`) ?? 0;
    if (calls === 0) uncalled++;
    if (calls > 1) repeated.push({ executionId: step.executionId, n, stepId: step.stepId, calls });
  }
  return { succeeded, uncalled, repeated };
}

/** What a case reports once every execution is terminal: completeness, step calls, statuses. */
export async function outcome(sql: Sql, target: HitTarget, acceptedIds: string[]) {
  const done = await completeness(sql, acceptedIds);
  const audit = await stepCallAudit(sql, target);
  const counts = await statusCounts(sql);
  return { done, audit, counts };
}

/** Killed children and stopped clusters; call from afterAll (safe to call twice). */
export async function cleanup(...extra: { remove?: () => Promise<void>; close?: () => Promise<void> }[]) {
  const exits = [...children].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(exits);
  for (const thing of extra) {
    await thing.close?.().catch(() => {});
    await thing.remove?.().catch(() => {});
  }
}

export { createSql, type Sql };
