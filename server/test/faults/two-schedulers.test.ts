/**
 * Two worker processes, each with its own scheduler, on the real clock across one real minute
 * boundary: every workflow gets exactly one execution for the slot, one that drifted (on, but its
 * schedule row lost) is repaired at start-up and fires too, and the test prints the delay from slot
 * time to execution start. The one test of the suite that waits for real time (under a minute).
 */
import { workflowDefinitionSchema } from '@automateos/shared';
import { eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executions, workflowSchedules } from '../../src/db/schema';
import { createWorkflow, setWorkflowActive } from '../../src/services/workflows';
import { createTestDatabase, type TestDatabase } from '../db';
import { insertUser } from '../fixtures';
import { type AppProcess, cleanup, percentile, report, sleep, startWorker, waitUntil } from './harness';

const WORKFLOWS = 40;
let tdb: TestDatabase;
const workers: AppProcess[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
});

afterAll(async () => {
  await cleanup();
  await tdb?.close();
});

describe('two schedulers on the real clock', () => {
  it('fire each slot once, repair drift at start-up, and measure slot → start', {
    timeout: 150_000,
  }, async () => {
    // Start well before a minute boundary, so the workers are up when it comes.
    const msToBoundary = 60_000 - (Date.now() % 60_000);
    if (msToBoundary < 20_000) await sleep(msToBoundary + 100);
    const user = await insertUser(tdb.db);
    const ids: string[] = [];
    for (let i = 0; i < WORKFLOWS; i++) {
      const workflow = await createWorkflow(
        tdb.db,
        user.id,
        'http://automateos.test',
        {
          name: `Every minute ${i}`,
          definition: workflowDefinitionSchema.parse({
            schemaVersion: 1,
            trigger: {
              type: 'schedule',
              config: { cron: '* * * * *', timezone: 'Europe/Berlin', missed: 'skip' },
            },
            steps: [
              {
                id: 'gate',
                name: 'Gate',
                type: 'filter',
                config: {
                  match: 'all',
                  conditions: [{ left: '{{ trigger.timezone }}', op: 'equals', right: 'Europe/Berlin' }],
                },
              },
            ],
          }),
        },
        new Date(),
      );
      await setWorkflowActive(tdb.db, user.id, 'http://automateos.test', workflow.id, true, new Date());
      ids.push(workflow.id);
    }
    // Drift: the last workflow is on, but its schedule row is gone.
    const drifted = ids.at(-1) ?? '';
    await tdb.db.delete(workflowSchedules).where(eq(workflowSchedules.workflowId, drifted));

    workers.push(...(await Promise.all([startWorker(tdb.url), startWorker(tdb.url)])));
    const slot = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    expect(slot.getTime() - Date.now()).toBeGreaterThan(2_000);
    await waitUntil(
      `${WORKFLOWS} executions of the ${slot.toISOString()} slot started`,
      async () => {
        const rows = await tdb.db
          .select({ startedAt: executions.startedAt })
          .from(executions)
          .where(eq(executions.scheduledFor, slot));
        return rows.length >= WORKFLOWS && rows.every((row) => row.startedAt !== null);
      },
      90_000,
    );
    // Both schedulers keep passing for a few more seconds: nothing more may appear for the slot.
    await sleep(3_000);

    const rows = await tdb.db
      .select({
        workflowId: executions.workflowId,
        scheduledFor: executions.scheduledFor,
        createdAt: executions.createdAt,
        startedAt: executions.startedAt,
      })
      .from(executions)
      .where(isNotNull(executions.scheduledFor));
    const ofSlot = rows.filter((row) => row.scheduledFor?.getTime() === slot.getTime());
    expect(ofSlot.map((row) => row.workflowId).sort()).toEqual([...ids].sort());
    expect(rows.every((row) => (row.scheduledFor?.getTime() ?? 0) >= slot.getTime())).toBe(true);

    const repaired = workers.reduce((n, worker) => n + worker.count(/schedule drift repaired/), 0);
    expect(repaired).toBe(1);
    const firedBy = workers.map((worker) => worker.count(/"msg":"schedule fired"/));
    const conflicts = workers.reduce(
      (n, worker) => n + worker.count(/already had its execution|could not be fired/),
      0,
    );
    expect(conflicts).toBe(0);

    const delays = ofSlot.map((row) => (row.startedAt?.getTime() ?? Number.NaN) - slot.getTime());
    // Created: the scheduler's transaction began; the rest is the queue handing it to a worker.
    const created = ofSlot.map((row) => row.createdAt.getTime() - slot.getTime());
    report('two schedulers', {
      workflows: WORKFLOWS,
      executions_for_slot: ofSlot.length,
      fired_by_each: firedBy.join('/'),
      drift_repaired: repaired,
      slot_to_start_p50_ms: percentile(delays, 50),
      slot_to_start_p99_ms: percentile(delays, 99),
      slot_to_start_min_ms: Math.min(...delays),
      slot_to_start_max_ms: Math.max(...delays),
      slot_to_created_p50_ms: percentile(created, 50),
      slot_to_created_max_ms: Math.max(...created),
    });
  });
});
