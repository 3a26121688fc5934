/**
 * The workflow list at scale: 1,000 workflows with many executions each. The list must read one
 * index entry per workflow for its latest execution, never scan or sort a workflow's executions.
 * 200 executions per workflow keeps the suite quick; the plan is the same at the 1,000 of the
 * benchmark (LIST_BENCH_EXECUTIONS_PER_WORKFLOW=1000: 1,000,000 executions). How fast it answers is
 * a benchmark figure (`npm run bench -- --phases=data` times workflows.list on 1,000 workflows and
 * 1.1 M executions), not something a test on a shared machine can assert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { users } from '../db/schema';
import { listWorkflows, listWorkflowsQuery } from './workflows';

const WORKFLOWS = 1_000;
const EXECUTIONS_PER_WORKFLOW = Number(process.env.LIST_BENCH_EXECUTIONS_PER_WORKFLOW ?? 200);

let tdb: TestDatabase;
let userId: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const [user] = await tdb.db
    .insert(users)
    .values({ email: 'busy@example.com', passwordHash: 'not-a-real-hash' })
    .returning();
  userId = user?.id ?? '';
  // Another user's rows too, so the user filter has something to filter.
  const [other] = await tdb.db
    .insert(users)
    .values({ email: 'other@example.com', passwordHash: 'not-a-real-hash' })
    .returning();

  await tdb.sql`
    insert into workflows (user_id, name, definition, webhook_id, updated_at)
    select case when i % 10 = 0 then ${other?.id ?? ''}::uuid else ${userId}::uuid end,
           'Workflow ' || i,
           '{"schemaVersion":1,"trigger":{"type":"webhook","config":{"method":"POST"}},"steps":[]}'::jsonb,
           'hook-' || i,
           now() - make_interval(mins => i)
    from generate_series(1, ${WORKFLOWS}) as i`;
  await tdb.sql`
    insert into executions (workflow_id, user_id, status, mode, trigger, definition, workflow_version, created_at)
    select w.id, w.user_id, case when n % 3 = 0 then 'failed' else 'succeeded' end, 'webhook',
           '{}'::jsonb, '{}'::jsonb, 1, now() - make_interval(secs => n)
    from workflows w, generate_series(1, ${EXECUTIONS_PER_WORKFLOW}) as n`;
  await tdb.sql`analyze workflows`;
  await tdb.sql`analyze executions`;
}, 300_000);
afterAll(() => tdb.close());

describe('listWorkflows at scale', () => {
  it('finds each latest execution through the index, without scanning executions', async () => {
    const { sql: text, params } = listWorkflowsQuery(tdb.db, userId).toSQL();
    const plan = (await tdb.sql.unsafe(`explain ${text}`, params as string[]))
      .map((row) => String(row['QUERY PLAN']))
      .join('\n');
    expect(plan).toMatch(/Index Scan using executions_workflow_created_idx on executions/);
    // Reading every execution of a workflow and sorting them is the slow plan this guards against.
    expect(plan).not.toMatch(/(Seq|Bitmap Heap) Scan on executions/);
    expect(plan).not.toMatch(/Sort Key: executions\./);
  });

  it("lists every one of the user's workflows with its latest execution", async () => {
    const items = await listWorkflows(tdb.db, userId, 'http://automateos.test');
    expect(items).toHaveLength(WORKFLOWS - WORKFLOWS / 10);
    expect(items[0]).toMatchObject({ name: 'Workflow 1', lastExecution: { status: 'succeeded' } });
    expect(items.every((item) => item.lastExecution !== null)).toBe(true);
  });

  it('searches case-insensitively, taking _ literally', async () => {
    const items = await listWorkflows(tdb.db, userId, 'http://automateos.test', { search: 'workflow 99' });
    expect(items.map((item) => item.name).sort()).toEqual(
      // Workflow 990 belongs to the other user.
      ['99', '991', '992', '993', '994', '995', '996', '997', '998', '999'].map((n) => `Workflow ${n}`),
    );
    const underscore = await listWorkflows(tdb.db, userId, 'http://automateos.test', {
      search: 'Workflow_1',
    });
    expect(underscore).toEqual([]);
  });
});

describe('the webhook id column', () => {
  it('belongs to webhook triggers: a webhook workflow has one, a workflow with another trigger none', async () => {
    const insert = (trigger: object, webhookId: string | null) =>
      tdb.sql`
        insert into workflows (user_id, name, definition, webhook_id)
        values (${userId}, 'Check', ${JSON.stringify({ schemaVersion: 1, trigger, steps: [] })}::jsonb, ${webhookId})`;
    const violation = { code: '23514', constraint_name: 'workflows_webhook_id_for_webhook_trigger' };
    await expect(insert({ type: 'webhook', config: { method: 'POST' } }, null)).rejects.toMatchObject(
      violation,
    );
    await expect(insert({ type: 'schedule', config: {} }, 'hook-x')).rejects.toMatchObject(violation);
    await expect(insert({ type: 'schedule', config: {} }, null)).resolves.toBeDefined();
    await expect(insert({ type: 'webhook', config: { method: 'POST' } }, 'hook-y')).resolves.toBeDefined();
  });
});
