/**
 * Schedules of workflows with a schedule trigger. A workflow has a `workflow_schedules` row exactly
 * while it is active with a schedule trigger: `syncSchedule` writes it in the transaction that changes
 * the workflow (create, update, activate, deactivate; delete cascades), `reconcileSchedules` repairs
 * any drift at start-up, and `fireDueSchedules` turns each slot that came due into one execution.
 *
 * One execution per slot, whatever runs at once: a scheduler claims a due row with
 * `FOR UPDATE SKIP LOCKED` (another scheduler skips it), and the execution is inserted against the
 * unique key (workflow_id, scheduled_for), so a second scheduler, a retry after a lost commit or an
 * older version during a rolling deploy inserts nothing for a slot that already has its execution.
 */
import {
  type CronSchedule,
  lastRunAtOrBefore,
  type MissedPolicy,
  nextRunAfter,
  type PreviewScheduleRequest,
  previewSchedule,
  runsBetween,
  type SchedulePreview,
  type ScheduleTriggerData,
} from '@automateos/shared';
import { asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { executions, type MissedSlots, workflowSchedules, workflows } from '../db/schema';
import type { Logger } from '../log';
import type { ExecutionQueue } from './executions';

/**
 * A slot fired more than this long after its time was missed: no scheduler was running when it came
 * (downtime, a deploy longer than this). Its workflow's `missed` policy decides what happens.
 */
export const MISSED_AFTER_MS = 60_000;
/**
 * Missed slots counted one by one for the record; beyond this the count says "more". Each step is
 * about 0.1 ms of CPU, so a week-long outage of a per-minute schedule costs 20 ms, not a second.
 */
const MAX_COUNTED_MISSES = 200;
/** Due schedules claimed by one transaction. */
const BATCH = 20;

type ScheduleRow = typeof workflowSchedules.$inferSelect;
type WorkflowState = Pick<typeof workflows.$inferSelect, 'id' | 'active' | 'definition'>;

/** What the editor and the dashboard show of an armed schedule. */
export interface ScheduleState {
  nextRunAt: Date;
  lastScheduledFor: Date | null;
  lastMissed: MissedSlots | null;
}

export const scheduleState = (row: ScheduleRow): ScheduleState => ({
  nextRunAt: row.nextRunAt,
  lastScheduledFor: row.lastScheduledFor,
  lastMissed: row.lastMissed,
});

/** The schedule a workflow in this state should have, or null for none. */
function wantedSchedule(workflow: WorkflowState) {
  const { trigger } = workflow.definition;
  if (!workflow.active || trigger.type !== 'schedule') return null;
  return trigger.config;
}

const sameSlots = (a: CronSchedule, b: CronSchedule) => a.cron === b.cron && a.timezone === b.timezone;

function firstRunAfter(schedule: CronSchedule, after: Date): Date {
  const next = nextRunAfter(schedule, after);
  // The definition schema refuses a cron that never matches, so this is a schedule from elsewhere.
  if (!next) throw new Error(`The cron "${schedule.cron}" has no next run`);
  return next;
}

/**
 * Makes the workflow's schedule row match the workflow, inside the transaction that changed it.
 * Saving an unchanged cron and zone keeps the next run; a new cron or zone counts slots from `now`.
 */
export async function syncSchedule(
  tx: Db | Tx,
  workflow: WorkflowState,
  now: Date,
): Promise<ScheduleState | null> {
  const wanted = wantedSchedule(workflow);
  if (!wanted) {
    await tx.delete(workflowSchedules).where(eq(workflowSchedules.workflowId, workflow.id));
    return null;
  }
  const [current] = await tx
    .select()
    .from(workflowSchedules)
    .where(eq(workflowSchedules.workflowId, workflow.id))
    .for('update');
  if (current && sameSlots(current, wanted)) {
    if (current.missed === wanted.missed) return scheduleState(current);
    const [row] = await tx
      .update(workflowSchedules)
      .set({ missed: wanted.missed })
      .where(eq(workflowSchedules.workflowId, workflow.id))
      .returning();
    return row ? scheduleState(row) : null;
  }
  const armed = {
    cron: wanted.cron,
    timezone: wanted.timezone,
    missed: wanted.missed,
    armedAt: now,
    nextRunAt: firstRunAfter(wanted, now),
    lastScheduledFor: null,
    lastMissed: null,
  };
  const [row] = await tx
    .insert(workflowSchedules)
    .values({ workflowId: workflow.id, ...armed })
    .onConflictDoUpdate({ target: workflowSchedules.workflowId, set: armed })
    .returning();
  return row ? scheduleState(row) : null;
}

/** `workflows.previewSchedule`: the runs after `from` (default now), as the scheduler will fire them. */
export function previewScheduleRuns(input: PreviewScheduleRequest, now: Date): SchedulePreview {
  return previewSchedule({ ...input, from: input.from ? new Date(input.from) : now });
}

// ---------------------------------------------------------------------------------------------
// Firing

interface PlannedRun {
  scheduledFor: Date;
  catchUp?: ScheduleTriggerData['catchUp'];
}

interface FirePlan {
  /** The executions to create, oldest slot first. */
  runs: PlannedRun[];
  /** Slots that came and went while no scheduler ran; null when there were none. */
  missed: Omit<MissedSlots, 'executionId' | 'detectedAt'> | null;
  /** The latest slot this plan accounts for (fired or skipped). */
  lastSlot: Date | null;
  nextRunAt: Date;
}

/**
 * What a scheduler running at `now` owes a schedule: every slot since the last one it accounted for
 * (or since it was armed). Slots within MISSED_AFTER_MS of now are on time and each get an execution;
 * older ones were missed: `runOnce` gives them one catch-up execution, for the latest of them, and
 * `skip` none. Either way they are recorded, so no miss is silent.
 */
function planFire(
  schedule: CronSchedule & {
    missed: MissedPolicy;
    armedAt: Date;
    lastScheduledFor: Date | null;
  },
  now: Date,
): FirePlan {
  const after = schedule.lastScheduledFor ?? schedule.armedAt;
  const cutoff = new Date(now.getTime() - MISSED_AFTER_MS);
  const missedSlots = runsBetween(schedule, after, cutoff, MAX_COUNTED_MISSES);
  const firstMissed = missedSlots.runs[0];
  const lastMissed = missedSlots.more ? lastRunAtOrBefore(schedule, cutoff) : missedSlots.runs.at(-1);
  // Slots after the cutoff are on time; at most a minute's worth, so a cap of a few is plenty.
  const onTime = runsBetween(schedule, after > cutoff ? after : cutoff, now, 5).runs;

  const runs: PlannedRun[] = [];
  let missed: FirePlan['missed'] = null;
  if (firstMissed && lastMissed) {
    missed = {
      count: missedSlots.runs.length,
      more: missedSlots.more,
      first: firstMissed.toISOString(),
      last: lastMissed.toISOString(),
      policy: schedule.missed,
    };
    if (schedule.missed === 'runOnce') {
      runs.push({
        scheduledFor: lastMissed,
        catchUp: { missedSlots: missed.count, firstMissed: missed.first, more: missed.more },
      });
    }
  }
  runs.push(...onTime.map((scheduledFor) => ({ scheduledFor })));
  const lastSlot = onTime.at(-1) ?? lastMissed ?? null;
  return { runs, missed, lastSlot, nextRunAt: firstRunAfter(schedule, now) };
}

export interface FiredRun {
  workflowId: string;
  executionId: string;
  scheduledFor: Date;
  catchUp: boolean;
}

export interface FireResult {
  fired: FiredRun[];
  /** The earliest next run of any schedule, for the scheduler to sleep until; null: none. */
  nextDueAt: Date | null;
}

/**
 * Fires every schedule whose next run is at or before `now`, in batches, and answers when the next
 * one comes due. Safe to run in any number of processes at once.
 */
export async function fireDueSchedules(
  db: Db,
  queue: ExecutionQueue,
  now: Date,
  log?: Pick<Logger, 'info' | 'warn' | 'error'>,
): Promise<FireResult> {
  const fired: FiredRun[] = [];
  // Bounded: a pass fires at most this many batches, and the next pass (at once) goes on.
  for (let round = 0; round < 50; round++) {
    let claimed: number;
    try {
      const batch = await db.transaction((tx) => fireBatch(tx, queue, now, BATCH, log));
      fired.push(...batch.fired);
      claimed = batch.claimed;
    } catch (error) {
      // One schedule that cannot be fired must not hold up the others: go one at a time, and put
      // the one that fails alone aside for a minute.
      log?.warn({ err: error }, 'a batch of schedules failed; firing them one by one');
      for (let single = 0; single < BATCH; single++) {
        const one = await fireAlone(db, queue, now, log);
        if (one === undefined) break;
        fired.push(...one);
      }
      claimed = BATCH;
    }
    if (claimed < BATCH) break;
  }
  const [next] = await db
    .select({ at: sql<Date | null>`min(${workflowSchedules.nextRunAt})`.mapWith((value) => new Date(value)) })
    .from(workflowSchedules);
  return { fired, nextDueAt: next?.at ?? null };
}

/** Fires the most overdue schedule on its own; undefined when none is due. */
async function fireAlone(
  db: Db,
  queue: ExecutionQueue,
  now: Date,
  log?: Pick<Logger, 'info' | 'warn' | 'error'>,
): Promise<FiredRun[] | undefined> {
  try {
    const batch = await db.transaction((tx) => fireBatch(tx, queue, now, 1, log));
    return batch.claimed === 0 ? undefined : batch.fired;
  } catch (error) {
    const [due] = await db
      .select({ workflowId: workflowSchedules.workflowId })
      .from(workflowSchedules)
      .where(lte(workflowSchedules.nextRunAt, now))
      .orderBy(asc(workflowSchedules.nextRunAt))
      .limit(1);
    if (!due) return undefined;
    log?.error(
      { err: error, workflowId: due.workflowId },
      'schedule could not be fired; trying again in a minute',
    );
    await db
      .update(workflowSchedules)
      .set({ nextRunAt: new Date(now.getTime() + 60_000) })
      .where(eq(workflowSchedules.workflowId, due.workflowId));
    return [];
  }
}

/**
 * Claims up to `limit` due schedules and fires them together: a handful of statements whatever the
 * batch size, so the slot's executions are committed within milliseconds of it.
 */
async function fireBatch(
  tx: Tx,
  queue: ExecutionQueue,
  now: Date,
  limit: number,
  log?: Pick<Logger, 'info' | 'warn'>,
): Promise<{ claimed: number; fired: FiredRun[] }> {
  const due = await tx
    .select()
    .from(workflowSchedules)
    .where(lte(workflowSchedules.nextRunAt, now))
    .orderBy(asc(workflowSchedules.nextRunAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  if (due.length === 0) return { claimed: 0, fired: [] };
  // The workflows as they are now, so each slot runs what was last saved. KEY SHARE keeps them from
  // being deleted under us; SKIP LOCKED: one being deleted right now is left to its delete (which
  // removes its schedule too) instead of waiting for it while we hold the row its cascade needs.
  const current = await tx
    .select()
    .from(workflows)
    .where(
      inArray(
        workflows.id,
        due.map((schedule) => schedule.workflowId),
      ),
    )
    .for('key share', { skipLocked: true });
  const byId = new Map(current.map((workflow) => [workflow.id, workflow]));

  const firedAt = now.toISOString();
  const rows: (typeof executions.$inferInsert)[] = [];
  const plans = new Map<string, FirePlan>();
  for (const schedule of due) {
    const workflow = byId.get(schedule.workflowId);
    if (!workflow) continue;
    const wanted = wantedSchedule(workflow);
    if (!wanted || !sameSlots(schedule, wanted) || schedule.missed !== wanted.missed) {
      // Every change goes through syncSchedule, so this is a row written some other way.
      log?.warn(
        { workflowId: workflow.id, schedule: { cron: schedule.cron, timezone: schedule.timezone } },
        'schedule did not match its workflow; repaired instead of fired',
      );
      await syncSchedule(tx, workflow, now);
      continue;
    }
    const plan = planFire(schedule, now);
    plans.set(workflow.id, plan);
    for (const run of plan.runs) {
      const trigger: ScheduleTriggerData = {
        scheduledFor: run.scheduledFor.toISOString(),
        firedAt,
        timezone: schedule.timezone,
        cron: schedule.cron,
        ...(run.catchUp && { catchUp: run.catchUp }),
      };
      rows.push({
        workflowId: workflow.id,
        userId: workflow.userId,
        mode: 'schedule',
        scheduledFor: run.scheduledFor,
        trigger,
        definition: workflow.definition,
        workflowVersion: workflow.version,
      });
    }
  }

  const inserted =
    rows.length === 0
      ? []
      : await tx
          .insert(executions)
          .values(rows)
          .onConflictDoNothing({
            target: [executions.workflowId, executions.scheduledFor],
            where: sql`${executions.scheduledFor} is not null`,
          })
          .returning({
            id: executions.id,
            workflowId: executions.workflowId,
            scheduledFor: executions.scheduledFor,
          });
  if (inserted.length > 0)
    await queue.enqueueMany(
      tx,
      inserted.map((row) => row.id),
    );
  if (inserted.length < rows.length) {
    log?.info(
      { slots: rows.length, created: inserted.length },
      'a slot already had its execution; not created again',
    );
  }

  const fired = inserted.map((row) => {
    const scheduledFor = row.scheduledFor ?? now;
    const catchUp = plans
      .get(row.workflowId)
      ?.runs.some((run) => run.catchUp && run.scheduledFor.getTime() === scheduledFor.getTime());
    return { workflowId: row.workflowId, executionId: row.id, scheduledFor, catchUp: catchUp ?? false };
  });
  const updates = [...plans].map(([workflowId, plan]) => {
    const lastMissed: MissedSlots | null = plan.missed && {
      ...plan.missed,
      executionId: fired.find((run) => run.workflowId === workflowId && run.catchUp)?.executionId ?? null,
      detectedAt: firedAt,
    };
    if (lastMissed)
      log?.warn({ workflowId, missed: lastMissed }, 'schedule missed slots while no scheduler ran');
    return {
      workflow_id: workflowId,
      next_run_at: plan.nextRunAt.toISOString(),
      last_scheduled_for: plan.lastSlot?.toISOString() ?? null,
      last_missed: lastMissed,
    };
  });
  if (updates.length > 0) {
    await tx.execute(sql`
      update ${workflowSchedules} set
        next_run_at = v.next_run_at,
        last_scheduled_for = coalesce(v.last_scheduled_for, ${workflowSchedules.lastScheduledFor}),
        last_missed = coalesce(v.last_missed, ${workflowSchedules.lastMissed}),
        updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb)
        as v(workflow_id uuid, next_run_at timestamptz, last_scheduled_for timestamptz, last_missed jsonb)
      where ${workflowSchedules.workflowId} = v.workflow_id`);
  }
  return { claimed: due.length, fired };
}

// ---------------------------------------------------------------------------------------------
// Reconciling

export interface ScheduleRepair {
  workflowId: string;
  fix: 'created' | 'removed' | 'updated' | 'rescheduled';
  detail: string;
}

/**
 * Repairs any drift between workflows and their schedule rows, and answers what it fixed: an active
 * schedule workflow without a row (or with another cron, zone or policy), a row of a workflow that is
 * off or has another trigger, and a next run the schedule does not give (the time zone rules changed
 * since it was computed). Runs under an advisory lock, so schedulers starting together take turns.
 */
export async function reconcileSchedules(db: Db, now: Date): Promise<ScheduleRepair[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('automateos.reconcile_schedules'))`);
    const repairs: ScheduleRepair[] = [];
    const rows = await tx
      .select({ workflow: workflows, schedule: workflowSchedules })
      .from(workflows)
      .leftJoin(workflowSchedules, eq(workflowSchedules.workflowId, workflows.id))
      .where(
        sql`(${workflows.active} and ${workflows.definition} -> 'trigger' ->> 'type' = 'schedule') or ${workflowSchedules.workflowId} is not null`,
      );
    for (const { workflow, schedule } of rows) {
      const wanted = wantedSchedule(workflow);
      if (!schedule || !wanted || !sameSlots(schedule, wanted) || schedule.missed !== wanted.missed) {
        await syncSchedule(tx, workflow, now);
        repairs.push({
          workflowId: workflow.id,
          fix: !schedule ? 'created' : !wanted ? 'removed' : 'updated',
          detail: !schedule
            ? 'the workflow is on with a schedule trigger but had no schedule'
            : !wanted
              ? 'the workflow is off or has another trigger but still had a schedule'
              : `the schedule was ${schedule.cron} (${schedule.timezone}, ${schedule.missed}); the workflow has ${wanted.cron} (${wanted.timezone}, ${wanted.missed})`,
        });
        continue;
      }
      const expected = firstRunAfter(schedule, schedule.lastScheduledFor ?? schedule.armedAt);
      if (expected.getTime() !== schedule.nextRunAt.getTime()) {
        await tx
          .update(workflowSchedules)
          .set({ nextRunAt: expected })
          .where(eq(workflowSchedules.workflowId, workflow.id));
        repairs.push({
          workflowId: workflow.id,
          fix: 'rescheduled',
          detail: `next run was ${schedule.nextRunAt.toISOString()}; the schedule gives ${expected.toISOString()}`,
        });
      }
    }
    return repairs;
  });
}
