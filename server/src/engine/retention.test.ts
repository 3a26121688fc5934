import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { exampleDefinition, insertUser, insertWorkflow } from '../../test/fixtures';
import { executionSteps, executions, webhookIdempotencyKeys } from '../db/schema';
import { pruneExecutions, pruneIdempotencyKeys } from './retention';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.close());

describe('retention', () => {
  it('deletes old terminal executions in batches and keeps running ones', async () => {
    const user = await insertUser(tdb.db);
    const workflow = await insertWorkflow(tdb.db, user.id, exampleDefinition('https://example.com'));
    const trigger = { method: 'POST', path: '/', query: {}, headers: {}, body: null };
    const base = {
      workflowId: workflow.id,
      userId: user.id,
      mode: 'webhook' as const,
      trigger,
      definition: workflow.definition,
      workflowVersion: 1,
    };
    const old = sql`now() - interval '30 days'`;
    const recent = sql`now() - interval '1 day'`;
    const rows = [
      ...(['succeeded', 'filtered', 'failed'] as const).flatMap((status) =>
        Array.from({ length: 5 }, () => ({ ...base, status, createdAt: old, finishedAt: old })),
      ),
      { ...base, status: 'running' as const, createdAt: old, startedAt: old },
      { ...base, status: 'queued' as const, createdAt: old },
      { ...base, status: 'succeeded' as const, createdAt: recent, finishedAt: recent },
    ];
    const inserted = await tdb.db
      .insert(executions)
      .values(rows)
      .returning({ id: executions.id, status: executions.status });
    const first = inserted[0];
    if (!first) throw new Error('nothing inserted');
    const now = new Date();
    await tdb.db.insert(executionSteps).values({
      executionId: first.id,
      stepId: 'notify',
      position: 0,
      type: 'http',
      status: 'succeeded',
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    });

    const deleted = await pruneExecutions(tdb.db, 14, 4); // batch of 4: several rounds
    console.log(`retention: rows deleted = ${deleted}`);
    expect(deleted).toBe(15);
    const left = await tdb.db
      .select({ status: executions.status })
      .from(executions)
      .where(eq(executions.workflowId, workflow.id));
    expect(left.map((r) => r.status).sort()).toEqual(['queued', 'running', 'succeeded']);
    expect(
      await tdb.db.select().from(executionSteps).where(eq(executionSteps.executionId, first.id)),
    ).toHaveLength(0);
  });

  it('deletes expired idempotency keys in batches and keeps live ones', async () => {
    const user = await insertUser(tdb.db);
    const workflow = await insertWorkflow(tdb.db, user.id, exampleDefinition('https://example.com'));
    const key = (name: string, expiresAt: ReturnType<typeof sql>) => ({
      workflowId: workflow.id,
      key: name,
      bodyHash: Buffer.alloc(32),
      executionId: '00000000-0000-4000-8000-000000000000',
      expiresAt,
    });
    await tdb.db
      .insert(webhookIdempotencyKeys)
      .values([
        ...Array.from({ length: 5 }, (_, i) => key(`old-${i}`, sql`now() - interval '1 hour'`)),
        key('live', sql`now() + interval '1 hour'`),
      ]);
    expect(await pruneIdempotencyKeys(tdb.db, 2)).toBe(5);
    const left = await tdb.db.select({ key: webhookIdempotencyKeys.key }).from(webhookIdempotencyKeys);
    expect(left).toEqual([{ key: 'live' }]);
  });
});
