/** executions.* and workflows.testRun through the router, with a real worker running the jobs. */
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type WorkerHandle } from '../src/engine/worker';
import { startBoss } from '../src/queue/queues';
import type { AppDeps } from '../src/trpc/trpc';
import { TestSession, testDeps, testKeyring } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import { exampleDefinition, startTarget, type Target, waitForExecution } from './fixtures';

let tdb: TestDatabase;
let deps: AppDeps;
let target: Target;
let boss: PgBoss;
let worker: WorkerHandle;
const session = new TestSession();

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, { SSRF_ALLOWLIST: '127.0.0.1/32' });
  target = await startTarget();
  boss = await startBoss(tdb.url, { maintenance: true, max: 3 });
  worker = await startWorker({ boss, db: tdb.db, config: deps.config, keyring: testKeyring });
  await session.caller(deps).auth.register({ email: 'runner@example.com', password: 'password-123' });
});
afterAll(async () => {
  await worker.stop();
  await boss.stop({ graceful: false, timeout: 2_000 });
  await target.close();
  await tdb.close();
});

describe('executions API', () => {
  it('test-runs an inactive workflow, lists and shows the execution, and re-runs it', async () => {
    const api = session.caller(deps);
    const workflow = await api.workflows.create({
      name: 'Billing',
      definition: exampleDefinition(target.url),
    });
    expect(workflow.active).toBe(false);

    const payload = { user: { id: 'u_7', plan: 'pro' }, amount: 3 };
    const { executionId } = await api.workflows.testRun({ id: workflow.id, payload });
    expect((await waitForExecution(tdb.db, executionId)).status).toBe('succeeded');

    const detail = await api.executions.get({ id: executionId });
    expect(detail).toMatchObject({ status: 'succeeded', mode: 'manual', workflowId: workflow.id });
    expect(detail.trigger.body).toEqual(payload);
    expect(detail.steps.map((s) => [s.stepId, s.name, s.status])).toEqual([
      ['notify', 'Notify billing', 'succeeded'],
      ['only-pro', 'Only pro users', 'succeeded'],
    ]);
    expect(detail.durationMs).toBeGreaterThanOrEqual(0);

    const { executionId: rerunId } = await api.executions.rerun({ id: executionId });
    const rerun = await waitForExecution(tdb.db, rerunId);
    expect(rerun).toMatchObject({ status: 'succeeded', mode: 'rerun' });
    expect(rerun.trigger.body).toEqual(payload);
    expect(target.requests).toHaveLength(2);

    const list = await api.executions.list({ workflowId: workflow.id });
    expect(list.items.map((e) => e.id)).toEqual([rerunId, executionId]);
    expect((await api.workflows.list({})).items[0]?.lastExecution?.status).toBe('succeeded');
  });

  it('paginates newest first with a cursor and filters by status', async () => {
    const api = session.caller(deps);
    const workflow = await api.workflows.create({ name: 'Paged', definition: exampleDefinition(target.url) });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const plan = i % 2 === 0 ? 'pro' : 'free';
      const { executionId } = await api.workflows.testRun({ id: workflow.id, payload: { user: { plan } } });
      ids.push(executionId);
      await waitForExecution(tdb.db, executionId);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const result = await api.executions.list({
        workflowId: workflow.id,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...result.items.map((e) => e.id));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const filtered = await api.executions.list({ workflowId: workflow.id, status: 'filtered' });
    expect(filtered.items).toHaveLength(2);
  });

  it('rejects bad ids and limits with BAD_REQUEST', async () => {
    const api = session.caller(deps);
    await expect(api.executions.get({ id: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.executions.list({ limit: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.executions.get({ id: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
