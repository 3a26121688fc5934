/**
 * Workflows of one user. Every query is scoped by user_id, and another user's workflow is simply
 * "not found": the API never reveals that an id exists for someone else. Saving a definition also
 * checks and records the credentials its steps name (services/credentials.ts).
 */
import { randomBytes } from 'node:crypto';
import type { ExecutionStatus, Trigger, TriggerType, WorkflowDefinition } from '@automateos/shared';
import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { executions, workflowSchedules, workflows } from '../db/schema';
import { hasWebhook } from '../triggers/registry';
import { saveWorkflowCredentials } from './credentials';
import { notFound, ServiceError } from './errors';
import { type ScheduleState, scheduleState, syncSchedule } from './schedules';

type WorkflowRow = typeof workflows.$inferSelect;

/** What `workflows.get`, `create`, `update`… answer: the row without its owner, with a usable URL. */
export interface Workflow {
  id: string;
  name: string;
  description: string;
  active: boolean;
  definition: WorkflowDefinition;
  version: number;
  /** Only workflows with a webhook trigger have one. */
  webhookUrl: string | null;
  /** The armed schedule of an active workflow with a schedule trigger; null otherwise. */
  schedule: ScheduleState | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkflowListItem {
  id: string;
  name: string;
  active: boolean;
  triggerType: TriggerType;
  /** The trigger with its config, for the dashboard's summary of it ("Webhook · POST"). */
  trigger: Trigger;
  stepCount: number;
  webhookUrl: string | null;
  /** When an active schedule runs next; null for other triggers and while switched off. */
  nextRunAt: Date | null;
  updatedAt: Date;
  lastExecution: { id: string; status: ExecutionStatus; createdAt: Date } | null;
}

export interface NewWorkflow {
  name: string;
  description?: string | undefined;
  /** Already validated: the output of the shared definition schema, defaults applied. */
  definition: WorkflowDefinition;
}

export interface WorkflowChanges {
  id: string;
  /** The version the client last read. */
  version: number;
  name?: string | undefined;
  description?: string | undefined;
  definition?: WorkflowDefinition | undefined;
}

/** 16 random bytes: the 128 bits that make the URL unguessable, as 22 URL-safe characters. */
export function newWebhookId(): string {
  return randomBytes(16).toString('base64url');
}

/** What newWebhookId makes (22 characters today; room for longer ids later). */
export const isWebhookIdShape = (id: string) => /^[A-Za-z0-9_-]{22,64}$/.test(id);

export function webhookUrl(publicUrl: string, webhookId: string | null): string | null {
  return webhookId === null ? null : `${publicUrl.replace(/\/+$/, '')}/hooks/${webhookId}`;
}

/**
 * The webhook id a workflow saved with this definition has: its current one (or a new one) when the
 * trigger is a webhook, none otherwise. Switching the trigger away and back gives a new URL.
 */
function webhookIdFor(definition: WorkflowDefinition) {
  return hasWebhook(definition.trigger) ? sql`coalesce(${workflows.webhookId}, ${newWebhookId()})` : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The API's input schemas already reject malformed ids; this keeps other callers (worker, scripts)
 * from turning one into a Postgres cast error, and answers what a wrong id deserves: not found.
 */
function assertWorkflowId(id: string): void {
  if (!UUID.test(id)) throw notFound('Workflow');
}

function toWorkflow(row: WorkflowRow, publicUrl: string, schedule: ScheduleState | null): Workflow {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    active: row.active,
    definition: row.definition,
    version: row.version,
    webhookUrl: webhookUrl(publicUrl, row.webhookId),
    schedule,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const ownWorkflow = (userId: string, id: string) => and(eq(workflows.id, id), eq(workflows.userId, userId));

/** `%` and `_` typed in the search box are letters to look for, not wildcards. */
function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export interface ListWorkflowsOptions {
  search?: string | undefined;
  /** The id of the last workflow of the previous page. */
  cursor?: string | undefined;
  limit: number;
}

/**
 * A page of the user's workflows, most recently changed first (then by id, so equal times keep one
 * order), each with its latest execution. Keyset paging on the (user_id, updated_at, id) index: a
 * page reads only its own rows however deep it is, and the cursor is placed by its own row, looked
 * up among the user's workflows only. The lateral subquery reads one row of the (workflow_id,
 * created_at desc, id desc) index per workflow listed, whatever the number of executions; a search
 * that few names match reads them from the (user_id, name) trigram index instead of testing every
 * name. Exported on its own so a test can check the query plan.
 */
export function listWorkflowsQuery(db: Db, userId: string, options: ListWorkflowsOptions) {
  const lastExecution = db
    .select({ id: executions.id, status: executions.status, createdAt: executions.createdAt })
    .from(executions)
    .where(eq(executions.workflowId, workflows.id))
    // "nulls last" as in the index: plain `desc` means nulls first in Postgres, which the planner
    // cannot read from this index (NOT NULL columns or not), so it would sort every execution.
    .orderBy(sql`${executions.createdAt} desc nulls last`, sql`${executions.id} desc nulls last`)
    .limit(1)
    .as('last_execution');

  const term = options.search?.trim();
  // Compared in SQL: updated_at has microseconds, which a JavaScript Date would round away.
  const after = options.cursor
    ? sql`(${workflows.updatedAt}, ${workflows.id}) < (select c.updated_at, c.id from ${workflows} c where c.id = ${options.cursor} and c.user_id = ${userId})`
    : undefined;
  // "nulls last" as in the index, for the same reason as above.
  const newestChangeFirst = [
    sql`${workflows.updatedAt} desc nulls last`,
    sql`${workflows.id} desc nulls last`,
  ] as const;
  // The page's ids first, then everything else for those alone: a search's matches come from the
  // trigram index in no useful order, and would otherwise each be joined to their schedule and
  // latest execution before the sort keeps the first page of them.
  const page = db
    .select({ id: workflows.id })
    .from(workflows)
    .where(
      and(
        eq(workflows.userId, userId),
        term ? sql`${workflows.name} ilike ${containsPattern(term)} escape '\\'` : undefined,
        after,
      ),
    )
    .orderBy(...newestChangeFirst)
    // One more than the page: whether there is a next page, without counting.
    .limit(options.limit + 1)
    .as('page');
  return db
    .select({
      id: workflows.id,
      name: workflows.name,
      active: workflows.active,
      webhookId: workflows.webhookId,
      updatedAt: workflows.updatedAt,
      // Columns PostgreSQL keeps from the definition, so listing never reads (or ships) a definition.
      trigger: workflows.trigger,
      stepCount: workflows.stepCount,
      nextRunAt: workflowSchedules.nextRunAt,
      lastId: lastExecution.id,
      lastStatus: lastExecution.status,
      lastCreatedAt: lastExecution.createdAt,
    })
    .from(page)
    .innerJoin(workflows, eq(workflows.id, page.id))
    .leftJoin(workflowSchedules, eq(workflowSchedules.workflowId, workflows.id))
    .leftJoinLateral(lastExecution, sql`true`)
    .orderBy(...newestChangeFirst);
}

export async function listWorkflows(
  db: Db,
  userId: string,
  publicUrl: string,
  options: ListWorkflowsOptions,
): Promise<{ items: WorkflowListItem[]; nextCursor: string | null }> {
  const cursorNotFound = () =>
    new ServiceError(
      'NOT_FOUND',
      'The workflow this page starts after was not found (deleted since?): list again from the first page.',
    );
  if (options.cursor && !UUID.test(options.cursor)) throw cursorNotFound();
  const rows = await listWorkflowsQuery(db, userId, options);
  // No row after the cursor: the end of the list, or a cursor that places nothing (someone else's
  // id, or a workflow deleted since), which must not pass for the end.
  if (options.cursor && rows.length === 0) {
    const [cursor] = await db
      .select({ id: workflows.id })
      .from(workflows)
      .where(ownWorkflow(userId, options.cursor));
    if (!cursor) throw cursorNotFound();
  }
  const items = rows.slice(0, options.limit).map((row) => ({
    id: row.id,
    name: row.name,
    active: row.active,
    triggerType: row.trigger.type,
    trigger: row.trigger,
    stepCount: row.stepCount,
    webhookUrl: webhookUrl(publicUrl, row.webhookId),
    nextRunAt: row.nextRunAt,
    updatedAt: row.updatedAt,
    lastExecution:
      row.lastId !== null && row.lastStatus !== null && row.lastCreatedAt !== null
        ? { id: row.lastId, status: row.lastStatus, createdAt: row.lastCreatedAt }
        : null,
  }));
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.id ?? null) : null };
}

export async function getWorkflow(db: Db, userId: string, publicUrl: string, id: string): Promise<Workflow> {
  assertWorkflowId(id);
  const [row] = await db
    .select({ workflow: workflows, schedule: workflowSchedules })
    .from(workflows)
    .leftJoin(workflowSchedules, eq(workflowSchedules.workflowId, workflows.id))
    .where(ownWorkflow(userId, id));
  if (!row) throw notFound('Workflow');
  return toWorkflow(row.workflow, publicUrl, row.schedule && scheduleState(row.schedule));
}

export async function createWorkflow(
  db: Db,
  userId: string,
  publicUrl: string,
  input: NewWorkflow,
  now: Date,
): Promise<Workflow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(workflows)
      .values({
        userId,
        name: input.name,
        description: input.description ?? '',
        definition: input.definition,
        version: 1,
        webhookId: hasWebhook(input.definition.trigger) ? newWebhookId() : null,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await saveWorkflowCredentials(tx, userId, row.id, input.definition);
    return toWorkflow(row, publicUrl, await syncSchedule(tx, row, now));
  });
}

/**
 * Saves an edit made on `changes.version`. The version check and the write are one statement, so
 * of two editors saving the same version exactly one wins and the other gets CONFLICT.
 */
export async function updateWorkflow(
  db: Db,
  userId: string,
  publicUrl: string,
  changes: WorkflowChanges,
  now: Date,
): Promise<Workflow> {
  assertWorkflowId(changes.id);
  const updated = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(workflows)
      .set({
        ...(changes.name !== undefined && { name: changes.name }),
        ...(changes.description !== undefined && { description: changes.description }),
        ...(changes.definition !== undefined && {
          definition: changes.definition,
          webhookId: webhookIdFor(changes.definition),
        }),
        version: sql`${workflows.version} + 1`,
      })
      .where(and(ownWorkflow(userId, changes.id), eq(workflows.version, changes.version)))
      .returning();
    if (!row) return row;
    // After the ownership check above: another user's workflow is "not found" whatever it names.
    if (changes.definition !== undefined) {
      await saveWorkflowCredentials(tx, userId, row.id, changes.definition);
    }
    return toWorkflow(row, publicUrl, await syncSchedule(tx, row, now));
  });
  if (updated) return updated;

  const [current] = await db
    .select({ version: workflows.version })
    .from(workflows)
    .where(ownWorkflow(userId, changes.id));
  if (!current) throw notFound('Workflow');
  throw new ServiceError(
    'CONFLICT',
    `This workflow was changed elsewhere (now version ${current.version}). Reload to get the latest version.`,
    { currentVersion: current.version },
  );
}

/**
 * Switches the workflow on or off, and its schedule with it. No version check: it is a toggle, not an
 * edit of what the editor holds. Setting the state it already has writes nothing, so it does not make
 * open editors stale.
 */
export async function setWorkflowActive(
  db: Db,
  userId: string,
  publicUrl: string,
  id: string,
  active: boolean,
  now: Date,
): Promise<Workflow> {
  assertWorkflowId(id);
  const switched = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(workflows)
      .set({ active, version: sql`${workflows.version} + 1` })
      .where(and(ownWorkflow(userId, id), ne(workflows.active, active)))
      .returning();
    return row && toWorkflow(row, publicUrl, await syncSchedule(tx, row, now));
  });
  return switched ?? getWorkflow(db, userId, publicUrl, id);
}

/** Deletes the workflow; its schedule, executions and their step logs go with it (foreign key cascade). */
export async function deleteWorkflow(db: Db, userId: string, id: string): Promise<{ id: string }> {
  assertWorkflowId(id);
  const [row] = await db.delete(workflows).where(ownWorkflow(userId, id)).returning({ id: workflows.id });
  if (!row) throw notFound('Workflow');
  return row;
}

/**
 * Gives the workflow a new webhook URL, e.g. after the old one leaked. Ingest looks workflows up
 * by webhook_id, so the old URL answers 404 from the moment this commits.
 */
export async function regenerateWebhook(
  db: Db,
  userId: string,
  publicUrl: string,
  id: string,
): Promise<Workflow> {
  assertWorkflowId(id);
  const [row] = await db
    .update(workflows)
    .set({ webhookId: newWebhookId(), version: sql`${workflows.version} + 1` })
    .where(and(ownWorkflow(userId, id), isNotNull(workflows.webhookId)))
    .returning();
  // Only webhook workflows get here, and they have no schedule.
  if (row) return toWorkflow(row, publicUrl, null);
  await getWorkflow(db, userId, publicUrl, id);
  throw new ServiceError(
    'BAD_REQUEST',
    "This workflow's trigger has no webhook URL: only webhook triggers have one.",
  );
}
