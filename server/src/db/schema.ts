import type {
  CredentialType,
  ExecutionMode,
  ExecutionStatus,
  MissedPolicy,
  StepStatus,
  TokenScope,
  Trigger,
  TriggerData,
  WorkflowDefinition,
} from '@automateos/shared';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Raw bytes; postgres.js reads and writes them as Buffers. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

// Column names are camelCase here and snake_case in SQL (drizzle `casing: 'snake_case'`).
const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
};

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text(),
    passwordHash: text().notNull(),
    // Bumped on logout-everywhere and password change: tokens carry it, so old ones stop working.
    sessionVersion: integer().notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex('users_email_unique').on(sql`lower(${t.email})`)],
);

export const workflows = pgTable(
  'workflows',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text().notNull().default(''),
    active: boolean().notNull().default(false),
    // `json`, not `jsonb`: stored as the text that was written, so keys keep the order they were typed in.
    definition: json().$type<WorkflowDefinition>().notNull(),
    // What the workflow list shows of the definition, kept by PostgreSQL: read from the json
    // definition, each would parse the whole of it again, for every workflow of every page listed.
    trigger: json().$type<Trigger>().notNull().generatedAlwaysAs(sql`"definition" -> 'trigger'`),
    stepCount: integer().notNull().generatedAlwaysAs(sql`json_array_length("definition" -> 'steps')`),
    version: integer().notNull().default(1),
    // Belongs to the webhook trigger: a workflow with another trigger has no webhook URL.
    webhookId: text(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('workflows_webhook_id_unique').on(t.webhookId),
    check(
      'workflows_webhook_id_for_webhook_trigger',
      sql`(${t.definition} -> 'trigger' ->> 'type' = 'webhook') = (${t.webhookId} is not null)`,
    ),
    // The workflow list's order, id last so equal times page in one order (services/workflows.ts).
    index('workflows_user_updated_id_idx').on(t.userId, t.updatedAt.desc(), t.id.desc()),
    // Its search (name ilike '%…%'), one user's names only: pg_trgm's trigrams, btree_gin's user_id.
    index('workflows_user_name_search_idx').using('gin', t.userId, t.name.op('gin_trgm_ops')),
  ],
);

/**
 * A user's stored secret. The secret fields of `data` are encrypted (credentials/crypto.ts): the
 * value names its key id, kept beside it so start-up and rotation find every key in use without
 * decrypting anything. The public fields are plain JSON, for the lists that show them.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    type: text().$type<CredentialType>().notNull(),
    publicData: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    // Which secret fields hold a value, so an edit form can say "saved" without decrypting anything.
    storedSecrets: text().array().notNull().default([]),
    encryptedData: text().notNull(),
    keyId: text().notNull(),
    ...timestamps,
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // Names are how an export file refers to a credential, so one user's are unique.
    uniqueIndex('credentials_user_name_unique').on(t.userId, sql`lower(${t.name})`),
    index('credentials_key_id_idx').on(t.keyId),
  ],
);

/**
 * Which credentials each workflow's current definition names, written with every save. The
 * Credentials page reads "used by" from it, and the foreign key keeps a credential in use from
 * being deleted (checked at the end of the statement, so deleting a user still cascades).
 */
export const workflowCredentials = pgTable(
  'workflow_credentials',
  {
    workflowId: uuid()
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    credentialId: uuid()
      .notNull()
      .references(() => credentials.id),
  },
  (t) => [
    primaryKey({ columns: [t.workflowId, t.credentialId] }),
    index('workflow_credentials_credential_idx').on(t.credentialId),
  ],
);

export interface ErrorInfo {
  message: string;
  code?: string;
  stepId?: string;
  details?: unknown;
}

export const executions = pgTable(
  'executions',
  {
    id: uuid().primaryKey().defaultRandom(),
    workflowId: uuid()
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text().$type<ExecutionStatus>().notNull().default('queued'),
    mode: text().$type<ExecutionMode>().notNull(),
    // What the trigger delivered, shaped by the trigger type of the definition snapshot. `json` like
    // every column of user data: keys keep the order they arrived or were typed in.
    trigger: json().$type<TriggerData>().notNull(),
    /** The request body exactly as received (bytes, bounded by WEBHOOK_MAX_BODY); null without one. */
    receivedBody: bytea(),
    definition: json().$type<WorkflowDefinition>().notNull(),
    workflowVersion: integer().notNull(),
    /** A test run of the editor's unsaved draft rather than of the saved version. */
    draft: boolean().notNull().default(false),
    /**
     * The execution this one re-ran (`mode = 'rerun'`). No foreign key: retention deletes the original
     * on its own schedule, and a key would make every delete look for re-runs that point at it.
     */
    rerunOf: uuid(),
    error: json().$type<ErrorInfo>(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
    attempt: integer().notNull().default(0),
    // The queue job (and its retry number) that holds the execution: a later retry of the same job may
    // take over from a dead worker, while a duplicate delivery finds it taken and does nothing.
    jobId: text(),
    jobAttempt: integer(),
    // The slot a scheduled execution is for; null for every other mode.
    scheduledFor: timestamp({ withTimezone: true }),
    // Set by a trigger on every insert and update: the id of the transaction that made the change.
    // Live updates resume from a position by reading the rows changed since (see server/src/live/).
    changeXid: bigint({ mode: 'number' }).notNull().default(0),
  },
  (t) => [
    index('executions_workflow_created_idx').on(t.workflowId, t.createdAt.desc(), t.id.desc()),
    index('executions_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    // The history's status filter ("failed only") must not scan every execution of the workflow.
    index('executions_workflow_status_created_idx').on(
      t.workflowId,
      t.status,
      t.createdAt.desc(),
      t.id.desc(),
    ),
    // A live subscriber that reconnects reads its account's executions changed since its position.
    index('executions_user_change_idx').on(t.userId, t.changeXid),
    // Retention scans terminal executions by age.
    index('executions_finished_idx').on(t.finishedAt).where(sql`${t.finishedAt} is not null`),
    // One execution per slot of a workflow: a second scheduler, a retry or a rolling deploy that
    // fires the same slot again inserts nothing.
    uniqueIndex('executions_workflow_slot_unique')
      .on(t.workflowId, t.scheduledFor)
      .where(sql`${t.scheduledFor} is not null`),
  ],
);

/** What a recorded delivery came to; `duplicate`: answered with an earlier execution (idempotency). */
export type DeliveryOutcome = 'accepted' | 'duplicate' | 'rejected';

/**
 * Every request to a workflow's webhook URL, accepted or not (requests to unknown ids have no
 * workflow and are not recorded): what came, with secrets masked and the body cut to a preview, and
 * what was answered. Kept per workflow within a bound (services/deliveries.ts).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid().primaryKey(),
    workflowId: uuid()
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    method: text().notNull(),
    /** Path and query string. */
    url: text().notNull(),
    /** Bytes of body received (as many as were read, for a body refused as too large). */
    size: integer().notNull(),
    headers: json().$type<Record<string, string>>().notNull(),
    bodyPreview: text().notNull(),
    bodyTruncated: boolean().notNull(),
    outcome: text().$type<DeliveryOutcome>().notNull(),
    statusCode: integer().notNull(),
    /** Why it was refused (or answered as a duplicate); null when accepted. */
    reason: text(),
    /** The answer's body as sent. */
    response: json().$type<unknown>(),
    /** The execution it started or was answered with. No foreign key: retention deletes executions on its own. */
    executionId: uuid(),
  },
  (t) => [
    index('webhook_deliveries_workflow_received_idx').on(t.workflowId, t.receivedAt.desc(), t.id.desc()),
  ],
);

/**
 * Idempotency keys of webhook deliveries: written in the transaction that inserts the execution and
 * its job, so a key names an execution exactly when that execution exists. A key whose time is up
 * may be taken again by a new delivery.
 */
export const webhookIdempotencyKeys = pgTable(
  'webhook_idempotency_keys',
  {
    workflowId: uuid()
      .notNull()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    /** SHA-256 of the body as received: the same key with another body is refused (422). */
    bodyHash: bytea().notNull(),
    executionId: uuid().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workflowId, t.key] }),
    index('webhook_idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);

/** Slots missed while no scheduler ran, and what the missed-run policy did about them. */
export interface MissedSlots {
  count: number;
  /** More slots were missed than were counted. */
  more: boolean;
  first: string;
  last: string;
  policy: MissedPolicy;
  /** The catch-up execution `runOnce` started, if any. */
  executionId: string | null;
  detectedAt: string;
}

/**
 * The schedule of an active workflow with a schedule trigger: exactly those workflows have a row,
 * written in the same transaction as the workflow (create, update, activate, deactivate; delete
 * cascades), and the scheduler fires the rows whose next run has come.
 */
export const workflowSchedules = pgTable(
  'workflow_schedules',
  {
    workflowId: uuid()
      .primaryKey()
      .references(() => workflows.id, { onDelete: 'cascade' }),
    cron: text().notNull(),
    timezone: text().notNull(),
    missed: text().$type<MissedPolicy>().notNull(),
    // Slots count from here: when the workflow was switched on or its schedule last changed.
    armedAt: timestamp({ withTimezone: true }).notNull(),
    nextRunAt: timestamp({ withTimezone: true }).notNull(),
    lastScheduledFor: timestamp({ withTimezone: true }),
    lastMissed: jsonb().$type<MissedSlots>(),
    ...timestamps,
  },
  (t) => [index('workflow_schedules_next_run_idx').on(t.nextRunAt)],
);

export const executionSteps = pgTable(
  'execution_steps',
  {
    id: uuid().primaryKey().defaultRandom(),
    executionId: uuid()
      .notNull()
      .references(() => executions.id, { onDelete: 'cascade' }),
    stepId: text().notNull(),
    position: integer().notNull(),
    type: text().notNull(),
    status: text().$type<StepStatus>().notNull(),
    input: json(),
    // Expression paths that found no value and were rendered empty: the log says so.
    missing: jsonb().$type<string[]>().notNull().default([]),
    output: json(),
    error: json().$type<ErrorInfo>(),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    finishedAt: timestamp({ withTimezone: true }).notNull(),
    durationMs: integer().notNull(),
    attempt: integer().notNull().default(1),
  },
  (t) => [uniqueIndex('execution_steps_execution_step_unique').on(t.executionId, t.stepId)],
);

/** Failed sign-ins per email + IP, kept in Postgres so throttling holds across web instances. */
export const loginThrottle = pgTable('login_throttle', {
  key: text().primaryKey(),
  failures: integer().notNull().default(0),
  windowStartedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/**
 * Personal access tokens for scripts and the CLI. Only a SHA-256 of the token is kept (it has 256
 * random bits, so a slow hash would add nothing but latency); `prefix` is its first characters, for
 * the owner to tell tokens apart. Revoked tokens stay listed, marked, until the user deletes them.
 */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    tokenHash: text().notNull(),
    prefix: text().notNull(),
    scope: text().$type<TokenScope>().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('api_tokens_token_hash_unique').on(t.tokenHash),
    index('api_tokens_user_created_idx').on(t.userId, t.createdAt.desc()),
  ],
);
