/**
 * The worker as a real process: SIGKILL mid-step and a new worker finishes the execution without
 * repeating finished steps; SIGTERM lets running executions finish before exiting.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionSteps, executions } from '../src/db/schema';
import { createExecution } from '../src/services/executions';
import { TEST_CREDENTIALS_KEYS } from './caller';
import { createTestDatabase, queueFor, type TestDatabase } from './db';
import { insertUser, insertWorkflow, startTarget, type Target, waitForExecution } from './fixtures';

let tdb: TestDatabase;
let target: Target;
const workers: ChildProcess[] = [];
const serverDir = path.resolve(import.meta.dirname, '..');

function startWorkerProcess(): ChildProcess {
  // node itself (not the tsx CLI, which is a wrapper process), so a signal reaches the worker.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: serverDir,
    env: {
      ...process.env,
      DATABASE_URL: tdb.url,
      SSRF_ALLOWLIST: '127.0.0.1/32',
      WORKER_CONCURRENCY: '4',
      NODE_ENV: 'test',
      CREDENTIALS_KEYS: TEST_CREDENTIALS_KEYS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  workers.push(child);
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
  });

async function until(condition: () => boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const twoStepWorkflow = (slowMs: number) => ({
  schemaVersion: 1 as const,
  trigger: { type: 'webhook' as const, config: { method: 'POST' as const } },
  steps: [
    {
      id: 'first',
      name: 'First',
      type: 'http' as const,
      config: { method: 'POST' as const, url: `${target.url}/first` },
    },
    {
      id: 'slow',
      name: 'Slow',
      type: 'http' as const,
      config: { method: 'POST' as const, url: `${target.url}/slow?ms=${slowMs}`, timeoutMs: 30_000 },
    },
  ],
});

beforeAll(async () => {
  tdb = await createTestDatabase();
  target = await startTarget();
  target.respond = (req) => ({
    body: { path: req.url },
    delayMs: Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0),
  });
});

afterAll(async () => {
  for (const child of workers) child.kill('SIGKILL');
  await target.close();
  await tdb.close();
});

const hits = (prefix: string) => target.requests.filter((r) => r.url.startsWith(prefix)).length;

describe('worker process', () => {
  it('survives kill -9 mid-step: a new worker finishes it, finished steps are not repeated', async () => {
    const user = await insertUser(tdb.db);
    const workflow = await insertWorkflow(tdb.db, user.id, twoStepWorkflow(4_000));
    const { id } = await createExecution(tdb.db, await queueFor(tdb.db), {
      workflow,
      mode: 'manual',
      trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: {} },
    });
    const first = startWorkerProcess();
    await until(() => hits('/slow') === 1, 30_000);
    first.kill('SIGKILL');
    await exited(first);
    const killedAt = Date.now();

    const second = startWorkerProcess();
    const row = await waitForExecution(tdb.db, id, 90_000);
    const recoverySeconds = (Date.now() - killedAt) / 1000;
    const repeated = hits('/slow') - 1;
    console.log(
      `kill -9: recovered in ${recoverySeconds.toFixed(1)} s; HTTP calls repeated for in-flight steps = ${repeated}; stuck = 0`,
    );

    expect(row.status).toBe('succeeded');
    expect(row.attempt).toBe(2);
    expect(hits('/first')).toBe(1); // finished before the kill: not repeated
    const steps = await tdb.db
      .select()
      .from(executionSteps)
      .where(eq(executionSteps.executionId, id))
      .orderBy(asc(executionSteps.position));
    expect(steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded']);
    // The next test must see only its own worker pick executions up.
    second.kill('SIGKILL');
    await exited(second);
  }, 120_000);

  it('on SIGTERM finishes running executions, then exits', async () => {
    const user = await insertUser(tdb.db);
    const workflow = await insertWorkflow(tdb.db, user.id, twoStepWorkflow(1_500));
    const worker = startWorkerProcess();
    const queue = await queueFor(tdb.db);
    const ids: string[] = [];
    const before = hits('/slow');
    for (let i = 0; i < 3; i++) {
      const trigger = { method: 'POST', path: '/', query: {}, headers: {}, body: { i } };
      ids.push((await createExecution(tdb.db, queue, { workflow, mode: 'manual', trigger })).id);
    }
    await until(() => hits('/slow') - before === 3, 30_000);
    worker.kill('SIGTERM');
    expect(await exited(worker)).toBe(0);
    const rows = await Promise.all(
      ids.map((id) => tdb.db.select().from(executions).where(eq(executions.id, id))),
    );
    expect(rows.map(([r]) => r?.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  }, 60_000);
});
