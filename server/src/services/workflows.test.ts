/**
 * The workflow list at scale: 1,000 workflows with many executions each. A page must be read in
 * order from the list's index, and each workflow's latest execution from one index entry, never by
 * scanning or sorting a workflow's executions. 200 executions per workflow keeps the suite quick
 * (LIST_BENCH_EXECUTIONS_PER_WORKFLOW=1000 for 1,000,000). How fast it answers is a benchmark figure
 * (`npm run bench -- --phases=data` times workflows.list on 10,000 workflows and 1 M executions),
 * not something a test on a shared machine can assert.
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
  // The other user's crowd of workflows (without executions): a table the size where the planner
  // picks its indexes as in production, rather than reading a few pages whole.
  await tdb.sql`
    insert into workflows (user_id, name, definition, webhook_id)
    select ${other?.id ?? ''}::uuid, 'Crowd workflow ' || i,
           '{"schemaVersion":1,"trigger":{"type":"webhook","config":{"method":"POST"}},"steps":[]}'::jsonb,
           'crowd-hook-' || i
    from generate_series(1, 9000) as i`;
  await tdb.sql`analyze workflows`;
  await tdb.sql`analyze executions`;
}, 300_000);
afterAll(() => tdb.close());

/** The plan Postgres picks for the query, as text. */
async function planOf(query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql: text, params } = query.toSQL();
  return (await tdb.sql.unsafe(`explain ${text}`, params as string[]))
    .map((row) => String(row['QUERY PLAN']))
    .join('\n');
}

describe('listWorkflows at scale', () => {
  it('reads a page from the index, then each latest execution through the index, scanning nothing', async () => {
    const [middle] = await tdb.sql<{ id: string }[]>`
      select id from workflows where user_id = ${userId} order by updated_at desc, id desc offset 500 limit 1`;
    for (const cursor of [undefined, middle?.id]) {
      const plan = await planOf(listWorkflowsQuery(tdb.db, userId, { cursor, limit: 50 }));
      expect(plan).toMatch(/Index Scan using executions_workflow_created_idx on executions/);
      // The page is read in order from the list's index and cut there; only its rows are sorted
      // again, once joined. The cursor starts the index scan rather than filtering the rows before it.
      expect(plan).toMatch(/Index Only Scan using workflows_user_updated_id_idx on workflows/);
      expect(plan.match(/Sort Key/g)).toHaveLength(1);
      expect(plan).toMatch(/^Sort {2}\(cost=\S+ rows=51 /);
      if (cursor)
        expect(plan).toMatch(/Index Cond: \(\(user_id = .*\) AND \(ROW\(updated_at, id\) < ROW\(\(InitPlan/);
      // Reading every execution of a workflow and sorting them is the slow plan this guards against.
      expect(plan).not.toMatch(/(Seq|Bitmap Heap) Scan on executions/);
    }
  });

  it("searches one user's names through the trigram index, not by reading all of them", async () => {
    const plan = await planOf(listWorkflowsQuery(tdb.db, userId, { search: 'workflow 999', limit: 50 }));
    expect(plan).toMatch(/Bitmap Index Scan on workflows_user_name_search_idx/);
    expect(plan).toMatch(/Index Cond: \(\(user_id = .*\) AND \(name ~~\* '%workflow 999%'::text\)\)/);
  });

  it("pages through every one of the user's workflows with its latest execution", async () => {
    const first = await listWorkflows(tdb.db, userId, 'http://automateos.test', { limit: 50 });
    expect(first.items).toHaveLength(50);
    expect(first.items[0]).toMatchObject({ name: 'Workflow 1', lastExecution: { status: 'succeeded' } });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listWorkflows(tdb.db, userId, 'http://automateos.test', { cursor, limit: 200 });
      expect(page.items.every((item) => item.lastExecution !== null)).toBe(true);
      seen.push(...page.items.map((item) => item.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const mine = Array.from({ length: WORKFLOWS }, (_, i) => i + 1).filter((i) => i % 10 !== 0);
    expect(seen).toEqual(mine.map((i) => `Workflow ${i}`));
  });

  it('searches case-insensitively, taking _ literally', async () => {
    const { items } = await listWorkflows(tdb.db, userId, 'http://automateos.test', {
      search: 'workflow 99',
      limit: 50,
    });
    expect(items.map((item) => item.name).sort()).toEqual(
      // Workflow 990 belongs to the other user.
      ['99', '991', '992', '993', '994', '995', '996', '997', '998', '999'].map((n) => `Workflow ${n}`),
    );
    const underscore = await listWorkflows(tdb.db, userId, 'http://automateos.test', {
      search: 'Workflow_1',
      limit: 50,
    });
    expect(underscore).toEqual({ items: [], nextCursor: null });
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
