/**
 * The schedule trigger on a real Postgres, with the clock injected: a day (or a daylight-saving
 * change) of slots takes milliseconds. `scheduler(until)` moves the clock the way the scheduler loop
 * does (to each next due time, and on a beat in between) and runs one pass at each stop.
 */
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDb, createSql } from '../src/db/client';
import { executions, workflowSchedules, workflows } from '../src/db/schema';
import { fireDueSchedules, MISSED_AFTER_MS, reconcileSchedules } from '../src/services/schedules';
import type { AppDeps } from '../src/trpc/trpc';
import { TestClock, TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

let tdb: TestDatabase;
let deps: AppDeps;
const clock = new TestClock(new Date('2026-01-05T08:00:00Z'));
const session = new TestSession();
const api = () => session.caller(deps);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, {}, clock);
  await api().auth.register({ email: 'planner@example.com', password: 'planner-password' });
});

afterAll(async () => {
  await tdb?.close();
});

// Each test's schedules end with it, so a later test's clock does not fire them.
afterEach(async () => {
  await tdb.db.delete(workflows);
});

function scheduleDefinition(
  cron: string,
  timezone: string,
  missed: 'skip' | 'runOnce' = 'runOnce',
  steps: WorkflowDefinitionInput['steps'] = [],
): WorkflowDefinitionInput {
  return { schemaVersion: 1, trigger: { type: 'schedule', config: { cron, timezone, missed } }, steps };
}

/** A schedule workflow, switched on at the clock's time. */
async function scheduledWorkflow(cron: string, timezone: string, missed: 'skip' | 'runOnce' = 'runOnce') {
  const created = await api().workflows.create({
    name: `${cron} ${timezone}`,
    definition: scheduleDefinition(cron, timezone, missed),
  });
  return api().workflows.setActive({ id: created.id, active: true });
}

const pass = () => fireDueSchedules(tdb.db, deps.queue, clock.now());

/** The scheduler loop on the test clock until `until`: a pass at each due time and every `beatMs`. */
async function scheduler(until: string, beatMs = 20 * 60_000) {
  const end = new Date(until).getTime();
  for (;;) {
    const { nextDueAt } = await pass();
    const now = clock.now().getTime();
    // Woken a little after the slot, as the real loop is.
    const wake = Math.min(nextDueAt ? Math.max(now, nextDueAt.getTime()) + 137 : now + beatMs, now + beatMs);
    if (wake > end) break;
    clock.set(new Date(wake));
  }
  clock.set(new Date(end));
  await pass();
}

async function slotsOf(workflowId: string) {
  const rows = await tdb.db
    .select({ scheduledFor: executions.scheduledFor, mode: executions.mode, trigger: executions.trigger })
    .from(executions)
    .where(eq(executions.workflowId, workflowId))
    .orderBy(asc(executions.scheduledFor));
  return rows.map((row) => row.scheduledFor?.toISOString());
}

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

/** A BAD_REQUEST's field issues as [path, message], paths written as `definition.trigger.config.cron`. */
function issuesOf(error: TRPCError): [string, string][] {
  expect(error.code).toBe('BAD_REQUEST');
  const cause = error.cause;
  if (!(cause instanceof z.ZodError)) return [];
  return cause.issues.map((issue) => [issue.path.map(String).join('.'), issue.message]);
}

describe('arming, on the same code path as the workflow', () => {
  it('arms on activate, follows a cron change, disarms on deactivate and delete', async () => {
    clock.set('2026-01-05T08:00:00Z'); // a Monday
    const workflow = await scheduledWorkflow('0 9 * * 1-5', 'Europe/Berlin');
    expect(workflow.schedule).toEqual({
      nextRunAt: expect.any(Date),
      lastScheduledFor: null,
      lastMissed: null,
    });
    // 09:00 in Berlin is 08:00 UTC in winter: the slot at this very instant is not due again.
    expect(workflow.schedule?.nextRunAt.toISOString()).toBe('2026-01-06T08:00:00.000Z');
    expect((await api().workflows.get({ id: workflow.id })).schedule).toEqual(workflow.schedule);
    const listed = (await api().workflows.list()).items.find((item) => item.id === workflow.id);
    expect(listed?.nextRunAt?.toISOString()).toBe('2026-01-06T08:00:00.000Z');

    // Saving the same schedule keeps the next run; a new cron re-arms from now.
    const renamed = await api().workflows.update({
      id: workflow.id,
      version: workflow.version,
      name: 'Renamed',
    });
    expect(renamed.schedule?.nextRunAt.toISOString()).toBe('2026-01-06T08:00:00.000Z');
    const changed = await api().workflows.update({
      id: workflow.id,
      version: renamed.version,
      definition: scheduleDefinition('30 7 * * *', 'America/New_York'),
    });
    expect(changed.schedule?.nextRunAt.toISOString()).toBe('2026-01-05T12:30:00.000Z');

    const off = await api().workflows.setActive({ id: workflow.id, active: false });
    expect(off.schedule).toBeNull();
    expect(await tdb.db.select().from(workflowSchedules)).toEqual([]);
    const on = await api().workflows.setActive({ id: workflow.id, active: true });
    expect(on.schedule?.nextRunAt.toISOString()).toBe('2026-01-05T12:30:00.000Z');
    // Switching the trigger to a webhook disarms it too.
    await api().workflows.update({
      id: workflow.id,
      version: on.version,
      definition: { schemaVersion: 1, trigger: { type: 'webhook', config: {} }, steps: [] },
    });
    expect(await tdb.db.select().from(workflowSchedules)).toEqual([]);

    const again = await scheduledWorkflow('*/5 * * * *', 'UTC');
    expect(await tdb.db.select().from(workflowSchedules)).toHaveLength(1);
    await api().workflows.delete({ id: again.id });
    expect(await tdb.db.select().from(workflowSchedules)).toEqual([]);
  });

  it('fires nothing more once the workflow is switched off', async () => {
    clock.set('2026-02-02T10:00:30Z');
    const workflow = await scheduledWorkflow('*/10 * * * *', 'UTC');
    await scheduler('2026-02-02T10:35:00Z');
    expect(await slotsOf(workflow.id)).toEqual([
      '2026-02-02T10:10:00.000Z',
      '2026-02-02T10:20:00.000Z',
      '2026-02-02T10:30:00.000Z',
    ]);
    await api().workflows.setActive({ id: workflow.id, active: false });
    await scheduler('2026-02-02T12:00:00Z');
    expect(await slotsOf(workflow.id)).toHaveLength(3);
  });

  it('stops the old slots and fires the new ones when the cron changes', async () => {
    clock.set('2026-02-03T09:59:00Z');
    const workflow = await scheduledWorkflow('0 * * * *', 'UTC');
    await scheduler('2026-02-03T10:10:00Z');
    await api().workflows.update({
      id: workflow.id,
      version: workflow.version,
      definition: scheduleDefinition('30 * * * *', 'UTC'),
    });
    await scheduler('2026-02-03T12:15:00Z');
    expect(await slotsOf(workflow.id)).toEqual([
      '2026-02-03T10:00:00.000Z',
      '2026-02-03T10:30:00.000Z',
      '2026-02-03T11:30:00.000Z',
    ]);
  });

  it('runs the workflow as it is when the slot fires, and records the slot as trigger data', async () => {
    clock.set('2026-02-04T07:58:00Z');
    const workflow = await scheduledWorkflow('0 8 * * *', 'Europe/London');
    const edited = await api().workflows.update({
      id: workflow.id,
      version: workflow.version,
      definition: scheduleDefinition('0 8 * * *', 'Europe/London', 'runOnce', [
        {
          id: 'report',
          name: 'Report',
          type: 'http',
          config: {
            method: 'GET',
            url: 'https://example.com/report',
            query: { slot: '{{ trigger.scheduledFor }}' },
          },
        },
      ]),
    });
    clock.set('2026-02-04T08:00:00.250Z');
    const { fired } = await pass();
    expect(fired).toHaveLength(1);
    const [row] = await tdb.db.select().from(executions).where(eq(executions.workflowId, workflow.id));
    expect(row).toMatchObject({
      mode: 'schedule',
      status: 'queued',
      scheduledFor: new Date('2026-02-04T08:00:00Z'),
      workflowVersion: edited.version,
      trigger: {
        scheduledFor: '2026-02-04T08:00:00.000Z',
        firedAt: '2026-02-04T08:00:00.250Z',
        timezone: 'Europe/London',
        cron: '0 8 * * *',
      },
    });
    expect(row?.definition.steps.map((step) => step.id)).toEqual(['report']);

    const { items } = await api().executions.list({ workflowId: workflow.id });
    expect(items.map((item) => [item.mode, item.scheduledFor?.toISOString()])).toEqual([
      ['schedule', '2026-02-04T08:00:00.000Z'],
    ]);

    // "Run now": a manual execution with a slot of this moment, outside the scheduled slots.
    const { executionId } = await api().workflows.testRun({ id: workflow.id, payload: null });
    const manual = await api().executions.get({ id: executionId });
    expect(manual).toMatchObject({
      mode: 'manual',
      scheduledFor: null,
      trigger: { timezone: 'Europe/London' },
    });
    const rerun = await api().executions.rerun({ id: row?.id ?? '' });
    expect(await api().executions.get({ id: rerun.executionId })).toMatchObject({
      mode: 'rerun',
      scheduledFor: null,
      trigger: { scheduledFor: '2026-02-04T08:00:00.000Z' },
    });
  });
});

describe('daylight saving', () => {
  // Europe/Berlin: 2026-03-29 02:00 → 03:00 and 2026-10-25 03:00 → 02:00.
  // America/New_York: 2026-03-08 02:00 → 03:00 and 2026-11-01 02:00 → 01:00.
  it.each([
    {
      name: 'Berlin, daily 02:30 across the spring gap: one run that day, at 03:00',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      from: '2026-03-27T12:00:00Z',
      until: '2026-03-31T12:00:00Z',
      slots: [
        '2026-03-28T01:30:00.000Z',
        '2026-03-29T01:00:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-31T00:30:00.000Z',
      ],
    },
    {
      name: 'New York, daily 02:30 across the spring gap: one run that day, at 03:00',
      cron: '30 2 * * *',
      timezone: 'America/New_York',
      from: '2026-03-06T12:00:00Z',
      until: '2026-03-10T12:00:00Z',
      slots: [
        '2026-03-07T07:30:00.000Z',
        '2026-03-08T07:00:00.000Z',
        '2026-03-09T06:30:00.000Z',
        '2026-03-10T06:30:00.000Z',
      ],
    },
    {
      name: 'Berlin, daily 01:30 across the autumn overlap: exactly one run (02:00–03:00 repeats, 01:30 does not)',
      cron: '30 1 * * *',
      timezone: 'Europe/Berlin',
      from: '2026-10-23T12:00:00Z',
      until: '2026-10-27T12:00:00Z',
      slots: [
        '2026-10-23T23:30:00.000Z',
        '2026-10-24T23:30:00.000Z',
        '2026-10-26T00:30:00.000Z',
        '2026-10-27T00:30:00.000Z',
      ],
    },
    {
      name: 'Berlin, daily 02:30 across the autumn overlap: exactly one run, at the first 02:30',
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      from: '2026-10-23T12:00:00Z',
      until: '2026-10-27T12:00:00Z',
      slots: [
        '2026-10-24T00:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
        '2026-10-27T01:30:00.000Z',
      ],
    },
    {
      name: 'New York, daily 01:30 across the autumn overlap: exactly one run, at the first 01:30',
      cron: '30 1 * * *',
      timezone: 'America/New_York',
      from: '2026-10-30T12:00:00Z',
      until: '2026-11-03T12:00:00Z',
      slots: [
        '2026-10-31T05:30:00.000Z',
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
        '2026-11-03T06:30:00.000Z',
      ],
    },
  ])('$name', async ({ cron, timezone, from, until, slots }) => {
    clock.set(from);
    const workflow = await scheduledWorkflow(cron, timezone);
    // A pass every 10 minutes besides the ones at due times: extra passes fire nothing twice.
    await scheduler(until, 10 * 60_000);
    expect(await slotsOf(workflow.id)).toEqual(slots);
  });
});

describe('several schedulers at once', () => {
  it('gives each slot exactly one execution, however many passes race for it', async () => {
    clock.set('2026-05-04T09:59:30Z');
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => scheduledWorkflow(`${i % 2 === 0 ? '*' : '*/2'} * * * *`, 'UTC')),
    );
    // Three "processes", each with its own connections, all passing at the same instants.
    const others = [1, 2].map(() => createSql(tdb.url, { max: 4 }));
    try {
      const schedulers = [tdb.db, ...others.map((sql) => createDb(sql))];
      for (const minute of [0, 1, 2, 3]) {
        clock.set(new Date(Date.UTC(2026, 4, 4, 10, minute, 0, 40)));
        const now = clock.now();
        await Promise.all(
          schedulers.flatMap((db) => [1, 2, 3].map(() => fireDueSchedules(db, deps.queue, now))),
        );
      }
    } finally {
      await Promise.all(others.map((sql) => sql.end()));
    }
    const rows = await tdb.db
      .select({ workflowId: executions.workflowId, scheduledFor: executions.scheduledFor })
      .from(executions)
      .where(isNotNull(executions.scheduledFor));
    const perSlot = new Map<string, number>();
    for (const row of rows) {
      const key = `${row.workflowId} ${row.scheduledFor?.toISOString()}`;
      perSlot.set(key, (perSlot.get(key) ?? 0) + 1);
    }
    // Every minute for 6 workflows (4 slots), every other minute for 6 (2 slots).
    expect(rows).toHaveLength(6 * 4 + 6 * 2);
    expect([...perSlot.values()].every((n) => n === 1)).toBe(true);
  });

  it('inserts nothing for a slot that already has its execution, even when the lock is bypassed', async () => {
    clock.set('2026-05-05T11:59:50Z');
    const workflow = await scheduledWorkflow('0 12 * * *', 'UTC');
    clock.set('2026-05-05T12:00:01Z');
    await pass();
    // An older scheduler during a rolling deploy, or a retry whose commit answer was lost, still
    // sees the slot as due: the unique key on (workflow, slot) turns its insert into nothing.
    await tdb.db
      .update(workflowSchedules)
      .set({ nextRunAt: new Date('2026-05-05T12:00:00Z'), lastScheduledFor: null })
      .where(eq(workflowSchedules.workflowId, workflow.id));
    clock.set('2026-05-05T12:00:20Z');
    const { fired } = await pass();
    expect(fired).toEqual([]);
    expect(await slotsOf(workflow.id)).toEqual(['2026-05-05T12:00:00.000Z']);
    const [schedule] = await tdb.db.select().from(workflowSchedules);
    expect(schedule?.nextRunAt.toISOString()).toBe('2026-05-06T12:00:00.000Z');
  });
});

describe('missed slots after downtime', () => {
  it('runOnce gives one catch-up execution for three missed slots, skip none; both are recorded', async () => {
    clock.set('2026-06-01T09:55:00Z');
    const once = await scheduledWorkflow('*/10 * * * *', 'UTC', 'runOnce');
    const skip = await scheduledWorkflow('*/10 * * * *', 'UTC', 'skip');
    await scheduler('2026-06-01T10:01:00Z');
    // Worker and web down from 10:01 to 10:35: the slots 10:10, 10:20 and 10:30 pass unseen. The
    // restart reconciles, then passes.
    clock.set('2026-06-01T10:35:00Z');
    expect(await reconcileSchedules(tdb.db, clock.now())).toEqual([]);
    await scheduler('2026-06-01T10:45:00Z');

    expect(await slotsOf(once.id)).toEqual([
      '2026-06-01T10:00:00.000Z',
      '2026-06-01T10:30:00.000Z',
      '2026-06-01T10:40:00.000Z',
    ]);
    expect(await slotsOf(skip.id)).toEqual(['2026-06-01T10:00:00.000Z', '2026-06-01T10:40:00.000Z']);

    const [catchUp] = await tdb.db
      .select()
      .from(executions)
      .where(
        and(
          eq(executions.workflowId, once.id),
          eq(executions.scheduledFor, new Date('2026-06-01T10:30:00Z')),
        ),
      );
    expect(catchUp?.trigger).toMatchObject({
      scheduledFor: '2026-06-01T10:30:00.000Z',
      firedAt: '2026-06-01T10:35:00.000Z',
      catchUp: { missedSlots: 3, firstMissed: '2026-06-01T10:10:00.000Z', more: false },
    });
    const missed = (await api().workflows.get({ id: skip.id })).schedule?.lastMissed;
    expect(missed).toEqual({
      count: 3,
      more: false,
      first: '2026-06-01T10:10:00.000Z',
      last: '2026-06-01T10:30:00.000Z',
      policy: 'skip',
      executionId: null,
      detectedAt: '2026-06-01T10:35:00.000Z',
    });
    expect((await api().workflows.get({ id: once.id })).schedule?.lastMissed).toMatchObject({
      count: 3,
      policy: 'runOnce',
      executionId: catchUp?.id,
    });
  });

  it('treats a slot fired within a minute as on time, and a long outage as one catch-up', async () => {
    clock.set('2026-06-02T09:59:00Z');
    const workflow = await scheduledWorkflow('* * * * *', 'UTC', 'skip');
    // A deploy that takes 50 s: the 10:00 slot is late, not missed.
    clock.set(new Date(Date.parse('2026-06-02T10:00:00Z') + MISSED_AFTER_MS - 10_000));
    await pass();
    expect(await slotsOf(workflow.id)).toEqual(['2026-06-02T10:00:00.000Z']);

    const daily = await scheduledWorkflow('* * * * *', 'UTC', 'runOnce');
    // A week without any scheduler: more slots than are counted one by one, still one execution.
    clock.set('2026-06-09T10:00:30Z');
    await pass();
    const slots = await slotsOf(daily.id);
    expect(slots).toEqual(['2026-06-09T09:59:00.000Z', '2026-06-09T10:00:00.000Z']);
    const [catchUp] = await tdb.db
      .select({ trigger: executions.trigger })
      .from(executions)
      .where(
        and(
          eq(executions.workflowId, daily.id),
          eq(executions.scheduledFor, new Date('2026-06-09T09:59:00Z')),
        ),
      );
    expect(catchUp?.trigger).toMatchObject({ catchUp: { missedSlots: 200, more: true } });
  });
});

describe('the reconciler', () => {
  it('repairs every kind of drift and says what it fixed', async () => {
    clock.set('2026-07-01T12:00:00Z');
    const missing = await scheduledWorkflow('0 * * * *', 'UTC');
    const orphan = await scheduledWorkflow('15 * * * *', 'UTC');
    const stale = await scheduledWorkflow('30 * * * *', 'UTC');
    const shifted = await scheduledWorkflow('45 * * * *', 'UTC');
    const fine = await scheduledWorkflow('50 * * * *', 'UTC');
    // Drift written behind the services' back, as a bug, a manual edit or a lost write would.
    await tdb.db.delete(workflowSchedules).where(eq(workflowSchedules.workflowId, missing.id));
    await tdb.db.update(workflows).set({ active: false }).where(eq(workflows.id, orphan.id));
    await tdb.db
      .update(workflowSchedules)
      .set({ cron: '0 0 * * *' })
      .where(eq(workflowSchedules.workflowId, stale.id));
    await tdb.db
      .update(workflowSchedules)
      .set({ nextRunAt: new Date('2026-07-01T13:40:00Z') })
      .where(eq(workflowSchedules.workflowId, shifted.id));

    const repairs = await reconcileSchedules(tdb.db, clock.now());
    expect(repairs.map(({ workflowId, fix }) => [workflowId, fix]).sort()).toEqual(
      [
        [missing.id, 'created'],
        [orphan.id, 'removed'],
        [stale.id, 'updated'],
        [shifted.id, 'rescheduled'],
      ].sort(),
    );
    expect(repairs.find((r) => r.workflowId === shifted.id)?.detail).toBe(
      'next run was 2026-07-01T13:40:00.000Z; the schedule gives 2026-07-01T12:45:00.000Z',
    );
    const rows = await tdb.db.select().from(workflowSchedules).orderBy(asc(workflowSchedules.nextRunAt));
    expect(rows.map((row) => [row.workflowId, row.cron, row.nextRunAt.toISOString()])).toEqual([
      [stale.id, '30 * * * *', '2026-07-01T12:30:00.000Z'],
      [shifted.id, '45 * * * *', '2026-07-01T12:45:00.000Z'],
      [fine.id, '50 * * * *', '2026-07-01T12:50:00.000Z'],
      [missing.id, '0 * * * *', '2026-07-01T13:00:00.000Z'],
    ]);
    expect(await reconcileSchedules(tdb.db, clock.now())).toEqual([]);
  });
});

describe('checks', () => {
  it('refuses an invalid cron, a seconds field and an unknown zone with field errors', async () => {
    const error = await rejection(
      api().workflows.create({
        name: 'Broken',
        definition: {
          schemaVersion: 1,
          trigger: { type: 'schedule', config: { cron: '0 0 9 * * 1', timezone: 'Europe/Berlln' } },
          steps: [],
        },
      }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(issuesOf(error)).toEqual([
      ['definition.trigger.config.cron', expect.stringContaining('the seconds field is not supported')],
      ['definition.trigger.config.timezone', expect.stringContaining('Unknown time zone "Europe/Berlln"')],
    ]);
    const invalid = await rejection(api().workflows.previewSchedule({ cron: '0 24 * * *', timezone: 'UTC' }));
    expect(issuesOf(invalid)).toEqual([['cron', 'Invalid cron: invalid value for hour: 24']]);
    const body = await rejection(
      api().workflows.create({
        name: 'Reads a body',
        definition: scheduleDefinition('0 9 * * *', 'UTC', 'skip', [
          {
            id: 'gate',
            name: 'Gate',
            type: 'filter',
            config: { match: 'all', conditions: [{ left: '{{ trigger.body.plan }}', op: 'exists' }] },
          },
        ]),
      }),
    );
    expect(issuesOf(body)).toEqual([
      [
        'definition.steps.0.config.conditions.0.left',
        'trigger.body does not exist: use trigger.scheduledFor, trigger.firedAt, trigger.timezone',
      ],
    ]);
  });

  it('previews the next runs the scheduler will fire, from now or from a given instant', async () => {
    clock.set('2026-03-27T12:00:00Z');
    const preview = await api().workflows.previewSchedule({
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      count: 3,
    });
    expect(preview.description).toBe('every day at 02:30');
    expect(preview.runs).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    expect(preview.warnings[0]).toBe(
      'On 2026-03-29, 02:30 does not exist in Europe/Berlin (clocks jump from 02:00 to 03:00): it runs once, at 03:00, instead.',
    );
    const later = await api().workflows.previewSchedule({
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Berlin',
      from: '2026-12-04T12:00:00+01:00',
    });
    expect(later.description).toBe('every weekday at 09:00');
    expect(later.runs).toHaveLength(5);
    expect(later.runs[0]).toBe('2026-12-07T08:00:00.000Z');

    // The very runs the scheduler fires.
    const workflow = await scheduledWorkflow('30 2 * * *', 'Europe/Berlin');
    await scheduler('2026-03-30T01:00:00Z');
    expect(await slotsOf(workflow.id)).toEqual(preview.runs);
  });
});
