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
    // Named as the workflow was when it ran: renaming the step since changes nothing here.
    const [notify, onlyPro] = exampleDefinition(target.url).steps;
    if (!notify || !onlyPro) throw new Error("DESIGN.md's example has two steps");
    await api.workflows.update({
      id: workflow.id,
      version: workflow.version,
      definition: { ...workflow.definition, steps: [{ ...notify, name: 'Bill them' }, onlyPro] },
    });
    expect((await api.executions.get({ id: executionId })).steps[0]?.name).toBe('Notify billing');

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

describe('the editor’s test runs and the log’s references', () => {
  it('test-runs the draft as sent, validated like a save, and says so on the execution', async () => {
    const api = session.caller(deps);
    const saved = exampleDefinition(`${target.url}/saved`);
    const workflow = await api.workflows.create({ name: 'Draft', definition: saved });
    target.requests = [];

    const draft = exampleDefinition(`${target.url}/draft`);
    const { executionId } = await api.workflows.testRun({
      id: workflow.id,
      payload: { user: { id: 'u_1', plan: 'pro' } },
      definition: draft,
    });
    expect((await waitForExecution(tdb.db, executionId)).status).toBe('succeeded');
    expect(target.requests.map((request) => request.url)).toEqual(['/draft/events']);
    const detail = await api.executions.get({ id: executionId });
    expect(detail).toMatchObject({ mode: 'manual', draft: true, workflowVersion: workflow.version });
    // The saved workflow is untouched; a run without a definition runs it.
    expect((await api.workflows.get({ id: workflow.id })).version).toBe(workflow.version);
    const plain = await api.workflows.testRun({ id: workflow.id, payload: {} });
    await waitForExecution(tdb.db, plain.executionId);
    expect((await api.executions.get({ id: plain.executionId })).draft).toBe(false);
    expect(target.requests.at(-1)?.url).toBe('/saved/events');

    // An invalid draft is refused with the same field errors a save gets, and runs nothing.
    const broken = exampleDefinition('ftp://example.com');
    await expect(
      api.workflows.testRun({ id: workflow.id, payload: {}, definition: broken }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/http:\/\/ or https:\/\//),
    });
  });

  it('a re-run names the execution it re-ran', async () => {
    const api = session.caller(deps);
    const workflow = await api.workflows.create({ name: 'Again', definition: exampleDefinition(target.url) });
    const { executionId } = await api.workflows.testRun({
      id: workflow.id,
      payload: { user: { plan: 'pro' } },
    });
    await waitForExecution(tdb.db, executionId);
    const { executionId: rerunId } = await api.executions.rerun({ id: executionId });
    await waitForExecution(tdb.db, rerunId);
    expect(await api.executions.get({ id: rerunId })).toMatchObject({ mode: 'rerun', rerunOf: executionId });
    expect((await api.executions.get({ id: executionId })).rerunOf).toBeNull();
  });

  it('resolves the short id a list shows, and a longer start of the id', async () => {
    const api = session.caller(deps);
    const workflow = await api.workflows.create({ name: 'Short', definition: exampleDefinition(target.url) });
    const { executionId } = await api.workflows.testRun({ id: workflow.id, payload: {} });
    expect(await api.executions.resolve({ id: executionId.slice(0, 8) })).toEqual({ id: executionId });
    expect(await api.executions.resolve({ id: executionId.slice(0, 13).toUpperCase() })).toEqual({
      id: executionId,
    });
    expect(await api.executions.resolve({ id: executionId })).toEqual({ id: executionId });
    await expect(api.executions.resolve({ id: '0000000f' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.executions.resolve({ id: '1234' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

    // Two executions whose ids share the first 8 characters: the short id is ambiguous.
    const [row] = await tdb.sql<{ id: string }[]>`
      insert into executions (id, workflow_id, user_id, mode, trigger, definition, workflow_version)
      select (left(id::text, 8) || '-0000-4000-8000-000000000000')::uuid, workflow_id, user_id, mode,
        trigger, definition, workflow_version
      from executions where id = ${executionId} returning id::text`;
    expect(row?.id.slice(0, 8)).toBe(executionId.slice(0, 8));
    await expect(api.executions.resolve({ id: executionId.slice(0, 8) })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/More than one/),
    });
    expect(await api.executions.resolve({ id: executionId.slice(0, 20) })).toEqual({ id: executionId });
  });

  it('offers the last trigger data and each step’s last output as samples for the field picker', async () => {
    const api = session.caller(deps);
    const workflow = await api.workflows.create({
      name: 'Samples',
      definition: exampleDefinition(target.url),
    });
    expect(await api.workflows.sampleData({ id: workflow.id })).toEqual({ trigger: null, steps: [] });

    target.respond = () => ({ body: { id: 'evt_pro', ok: true } });
    const pro = await api.workflows.testRun({
      id: workflow.id,
      payload: { user: { id: 'u_1', plan: 'pro' } },
    });
    await waitForExecution(tdb.db, pro.executionId);
    target.respond = () => ({ body: { id: 'evt_free' } });
    // A later run that stops at the filter: the filter's last *successful* output stays the pro one.
    const free = await api.workflows.testRun({
      id: workflow.id,
      payload: { user: { id: 'u_2', plan: 'free' } },
    });
    await waitForExecution(tdb.db, free.executionId);

    const samples = await api.workflows.sampleData({ id: workflow.id });
    expect(samples.trigger).toMatchObject({
      executionId: free.executionId,
      mode: 'manual',
      fields: { method: 'POST', body: { user: { id: 'u_2', plan: 'free' } }, query: {} },
    });
    const byStep = Object.fromEntries(samples.steps.map((step) => [step.stepId, step]));
    expect(byStep.notify).toMatchObject({
      executionId: free.executionId,
      output: { body: { id: 'evt_free' } },
    });
    expect(byStep['only-pro']).toMatchObject({ executionId: pro.executionId, output: { passed: true } });

    // A step output too large to send as a sample says so instead.
    await tdb.sql`update execution_steps
      set output = json_build_object('big', (select string_agg(md5(random()::text), '') from generate_series(1, 20000)))
      where execution_id = ${free.executionId} and step_id = 'notify'`;
    const large = await api.workflows.sampleData({ id: workflow.id });
    expect(large.steps.find((step) => step.stepId === 'notify')).toMatchObject({ tooLarge: true });
    expect(large.steps.find((step) => step.stepId === 'notify')).not.toHaveProperty('output');
  });
});
