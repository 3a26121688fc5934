/**
 * The IDOR matrix: user B calls every procedure of the API with user A's ids. Each call must answer
 * NOT_FOUND, exactly as for an id that does not exist (never FORBIDDEN, never A's data), and leave
 * A's data as it was. The list of procedures comes from the router itself, so a procedure added
 * without an entry here fails this file instead of shipping unchecked.
 */
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokens, credentials, executions, webhookDeliveries, workflows } from '../src/db/schema';
import { InvalidInputError } from '../src/services/errors';
import { appRouter } from '../src/trpc/root';
import type { AppDeps } from '../src/trpc/trpc';
import { TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

type Caller = ReturnType<TestSession['caller']>;

/** The ids a probe puts into its call: A's real ones, or ones that exist for nobody. */
interface Ids {
  workflowId: string;
  workflowVersion: number;
  executionId: string;
  credentialId: string;
  tokenId: string;
  deliveryId: string;
}

interface Probe {
  /** How B calls the procedure, with the given ids wherever it takes one. */
  call: (c: Caller, ids: Ids) => Promise<unknown>;
  /**
   * 'NOT_FOUND' for a procedure that takes A's ids; otherwise a check that the answer holds none
   * of A's data (for procedures that only ever act on the caller's own data).
   */
  answer: 'NOT_FOUND' | ((result: unknown) => void | Promise<void>);
  /** A list filtered by a foreign id may also answer NOT_FOUND instead of an empty list. */
  mayBeNotFound?: boolean;
}

/** Anyone may call these; they take no ids. */
const publicProcedures = new Set(['auth.register', 'auth.login', 'auth.me']);

/** Calls a procedure by its path (the subscriptions, which the caller types as async iterables). */
function callPath(c: Caller, path: string, input: unknown): Promise<unknown> {
  let procedure: unknown = c;
  for (const key of path.split('.')) procedure = (procedure as Record<string, unknown>)[key];
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

let tdb: TestDatabase;
let deps: AppDeps;
const sessionA = new TestSession();
const a = {
  userId: '',
  workflowId: '',
  workflowVersion: 0,
  executionId: '',
  credentialId: '',
  tokenId: '',
  deliveryId: '',
};
/** A's token: no answer to B may hold it. */
const A_TOKEN = 'ntn_alice-integration-token-0123456789';
const B_LOGIN = { email: 'bob@example.com', password: 'bob-password' };

const noSteps: WorkflowDefinitionInput = {
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [],
};

const itemIds = (result: unknown) => (result as { items: { id: string }[] }).items.map((item) => item.id);

const probes: Record<string, Probe> = {
  'auth.logout': {
    call: (c) => c.auth.logout(),
    // B signing out must not sign A out.
    answer: async () => expect((await sessionA.caller(deps).auth.me())?.user.id).toBe(a.userId),
  },
  'workflows.list': {
    call: (c) => c.workflows.list(),
    answer: (result) => expect(itemIds(result)).not.toContain(a.workflowId),
  },
  'workflows.create': {
    call: (c) => c.workflows.create({ name: "B's workflow", definition: noSteps }),
    answer: (result) => expect((result as { id: string }).id).not.toBe(a.workflowId),
  },
  'workflows.get': {
    call: (c, ids) => c.workflows.get({ id: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
  'workflows.update': {
    // A's current version, so only ownership stands in the way.
    call: (c, ids) =>
      c.workflows.update({
        id: ids.workflowId,
        version: ids.workflowVersion,
        name: 'Taken over',
        definition: noSteps,
      }),
    answer: 'NOT_FOUND',
  },
  'workflows.setActive': {
    call: (c, ids) => c.workflows.setActive({ id: ids.workflowId, active: true }),
    answer: 'NOT_FOUND',
  },
  'workflows.previewSchedule': {
    // Takes no ids: it computes from its input alone, and answers only that.
    call: (c) => c.workflows.previewSchedule({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' }),
    answer: (result) =>
      expect(Object.keys(result as object).sort()).toEqual(['description', 'runs', 'warnings']),
  },
  'workflows.regenerateWebhook': {
    call: (c, ids) => c.workflows.regenerateWebhook({ id: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
  // Procedures planned alongside this file: reported as "not in the router yet" until they are
  // mounted, and checked from then on.
  'workflows.testRun': {
    // With a draft definition too: running one's own definition on A's workflow is still A's workflow.
    call: (c, ids) =>
      callPath(c, 'workflows.testRun', { id: ids.workflowId, payload: {}, definition: noSteps }),
    answer: 'NOT_FOUND',
  },
  'workflows.sampleData': {
    call: (c, ids) => c.workflows.sampleData({ id: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
  'executions.list': {
    call: (c, ids) => callPath(c, 'executions.list', { workflowId: ids.workflowId }),
    answer: (result) => expect(itemIds(result)).toEqual([]),
    mayBeNotFound: true,
  },
  'executions.get': {
    call: (c, ids) => callPath(c, 'executions.get', { id: ids.executionId }),
    answer: 'NOT_FOUND',
  },
  'executions.resolve': {
    // The short id a list shows, of A's execution.
    call: (c, ids) => c.executions.resolve({ id: ids.executionId.slice(0, 8) }),
    answer: 'NOT_FOUND',
  },
  'executions.rerun': {
    call: (c, ids) => callPath(c, 'executions.rerun', { id: ids.executionId }),
    answer: 'NOT_FOUND',
  },
  // The Notion picker never uses another user's credential: NOT_FOUND before any request to Notion.
  'notion.dataSources': {
    call: (c, ids) => c.notion.dataSources({ credentialId: ids.credentialId }),
    answer: 'NOT_FOUND',
  },
  'notion.dataSource': {
    call: (c, ids) =>
      c.notion.dataSource({ credentialId: ids.credentialId, id: '1c8f6a2b3d4e4f5a8b9c0d1e2f3a4b5c' }),
    answer: 'NOT_FOUND',
  },
  // Live subscriptions check ownership when they start: another user's execution or workflow is
  // NOT_FOUND before anything is streamed.
  'executions.watch': {
    call: (c, ids) => callPath(c, 'executions.watch', { id: ids.executionId }),
    answer: 'NOT_FOUND',
  },
  'executions.watchList': {
    call: (c, ids) => callPath(c, 'executions.watchList', { workflowId: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
  'credentials.list': {
    call: (c) => c.credentials.list(),
    answer: (result) => expect(itemIds(result)).not.toContain(a.credentialId),
  },
  'credentials.create': {
    call: (c) => c.credentials.create({ name: "Alice's Notion", type: 'notion', data: { token: 'ntn_bob' } }),
    answer: (result) => expect((result as { id: string }).id).not.toBe(a.credentialId),
  },
  'credentials.get': {
    call: (c, ids) => c.credentials.get({ id: ids.credentialId }),
    answer: 'NOT_FOUND',
  },
  'credentials.update': {
    call: (c, ids) =>
      c.credentials.update({ id: ids.credentialId, name: 'Taken', data: { token: 'ntn_bob' } }),
    answer: 'NOT_FOUND',
  },
  'credentials.test': {
    call: (c, ids) => c.credentials.test({ id: ids.credentialId }),
    answer: 'NOT_FOUND',
  },
  'credentials.delete': {
    call: (c, ids) => c.credentials.delete({ id: ids.credentialId }),
    answer: 'NOT_FOUND',
  },
  'tokens.list': {
    call: (c) => c.tokens.list(),
    answer: (result) => expect(itemIds(result)).not.toContain(a.tokenId),
  },
  'tokens.create': {
    call: (c) => c.tokens.create({ name: "Alice's token", scope: 'read' }),
    answer: (result) => expect((result as { id: string }).id).not.toBe(a.tokenId),
  },
  'tokens.revoke': {
    call: (c, ids) => c.tokens.revoke({ id: ids.tokenId }),
    answer: 'NOT_FOUND',
  },
  'webhooks.deliveries': {
    call: (c, ids) => callPath(c, 'webhooks.deliveries', { workflowId: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
  'webhooks.replayDelivery': {
    call: (c, ids) => callPath(c, 'webhooks.replayDelivery', { id: ids.deliveryId }),
    answer: 'NOT_FOUND',
  },
  // Last: if it leaked, A's workflow would be gone and the rows after it would fail for that.
  'workflows.delete': {
    call: (c, ids) => c.workflows.delete({ id: ids.workflowId }),
    answer: 'NOT_FOUND',
  },
};

/** Ids of the right shape that belong to nobody: the answer for A's ids must look the same. */
const ghostIds: Ids = {
  workflowId: '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  workflowVersion: 1,
  executionId: '7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f',
  credentialId: '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b',
  tokenId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  deliveryId: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
};

const routerPaths = Object.keys(appRouter._def.procedures).sort();
// In table order rather than alphabetical, so the destructive probes run last.
const probedPaths = Object.keys(probes).filter((path) => routerPaths.includes(path));
const protectedPaths = routerPaths.filter((path) => !publicProcedures.has(path));
const passed = new Set<string>();
const leaks: string[] = [];

/** Everything of A's that a leaking procedure could change. */
async function snapshotOfA() {
  const [workflow] = await tdb.db.select().from(workflows).where(eq(workflows.id, a.workflowId));
  const [execution] = await tdb.db.select().from(executions).where(eq(executions.id, a.executionId));
  const [runs] = await tdb.db
    .select({ n: count() })
    .from(executions)
    .where(eq(executions.workflowId, a.workflowId));
  const [credential] = await tdb.db.select().from(credentials).where(eq(credentials.id, a.credentialId));
  const [token] = await tdb.db.select().from(apiTokens).where(eq(apiTokens.id, a.tokenId));
  return { workflow, execution, executionCount: runs?.n, credential, token };
}

async function rejection(promise: Promise<unknown>): Promise<TRPCError | undefined> {
  return promise.then(
    () => undefined,
    (error: unknown) => {
      expect(error).toBeInstanceOf(TRPCError);
      return error as TRPCError;
    },
  );
}

/** A fresh sign-in for each probe, so one probe (logout) cannot affect the next. */
async function signedInAsB(): Promise<Caller> {
  const session = new TestSession();
  await session.caller(deps).auth.login(B_LOGIN);
  return session.caller(deps);
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db);

  const { user } = await sessionA
    .caller(deps)
    .auth.register({ email: 'alice@example.com', password: 'alice-password' });
  const workflow = await sessionA
    .caller(deps)
    .workflows.create({ name: "Alice's workflow", definition: noSteps });
  const [execution] = await tdb.db
    .insert(executions)
    .values({
      workflowId: workflow.id,
      userId: user.id,
      status: 'succeeded',
      mode: 'manual',
      trigger: { method: 'POST', path: '/hooks/alice', query: {}, headers: {}, body: { secret: 'alice' } },
      definition: workflow.definition,
      workflowVersion: workflow.version,
    })
    .returning();
  if (!execution) throw new Error('no execution');
  const credential = await sessionA
    .caller(deps)
    .credentials.create({ name: "Alice's Notion", type: 'notion', data: { token: A_TOKEN } });
  const token = await sessionA.caller(deps).tokens.create({ name: "Alice's CLI", scope: 'read-write' });
  Object.assign(a, {
    tokenId: token.id,
    userId: user.id,
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    executionId: execution.id,
    credentialId: credential.id,
  });
  const [delivery] = await tdb.db
    .insert(webhookDeliveries)
    .values({
      id: '9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d',
      workflowId: workflow.id,
      userId: user.id,
      method: 'POST',
      url: '/hooks/alice',
      size: 2,
      headers: {},
      bodyPreview: '{}',
      bodyTruncated: false,
      outcome: 'accepted',
      statusCode: 202,
      executionId: execution.id,
    })
    .returning();
  a.deliveryId = delivery?.id ?? '';

  await new TestSession().caller(deps).auth.register(B_LOGIN);
});

afterAll(async () => {
  const covered = routerPaths.filter((path) => publicProcedures.has(path) || passed.has(path)).length;
  console.log(`tenancy: ${covered}/${routerPaths.length} procedures covered, leaks = ${leaks.length}`);
  await tdb.close();
});

describe('the tenancy table', () => {
  it('probes only procedures the router has (a renamed one would otherwise be skipped unseen)', () => {
    expect(Object.keys(probes).filter((path) => !routerPaths.includes(path))).toEqual([]);
  });

  it('has an entry for every procedure of the router', () => {
    const missing = routerPaths.filter((path) => !publicProcedures.has(path) && !(path in probes));
    expect(missing, 'add these procedures to the probes of server/test/tenancy.test.ts').toEqual([]);
    // Lazily loaded routers would not show up in _def.procedures until first called.
    expect(Object.keys(appRouter._def.lazy)).toEqual([]);
  });
});

describe("user B with user A's ids", () => {
  it.each(probedPaths)('%s', async (path) => {
    const probe = probes[path];
    if (!probe) throw new Error(`no probe for ${path}`);
    const original = await snapshotOfA();
    try {
      const b = await signedInAsB();
      if (probe.answer === 'NOT_FOUND') {
        const foreign = await rejection(probe.call(b, a));
        expect(foreign?.code).toBe('NOT_FOUND');
        // Indistinguishable from an id that exists for nobody: existence is not leaked either.
        const ghost = await rejection(probe.call(b, ghostIds));
        expect(foreign?.message).toBe(ghost?.message);
      } else {
        const result = await probe.call(b, a).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        );
        if ('value' in result) expect(JSON.stringify(result.value)).not.toContain(A_TOKEN);
        if ('error' in result) {
          expect(probe.mayBeNotFound, `${path} failed: ${String(result.error)}`).toBe(true);
          expect((result.error as TRPCError).code).toBe('NOT_FOUND');
        } else {
          await probe.answer(result.value);
        }
      }
      const after = await snapshotOfA();
      expect(after.workflow?.id, "A's workflow must still exist").toBe(a.workflowId);
      expect(after).toEqual(original);
      passed.add(path);
    } catch (error) {
      leaks.push(path);
      throw error;
    }
  });
});

describe("user A's workflow as the cursor of B's workflow list", () => {
  it('places no page: NOT_FOUND, exactly like an id that exists for nobody', async () => {
    const b = await signedInAsB();
    const foreign = await rejection(b.workflows.list({ cursor: a.workflowId }));
    const ghost = await rejection(b.workflows.list({ cursor: ghostIds.workflowId }));
    expect(foreign?.code).toBe('NOT_FOUND');
    expect(foreign?.message).toBe(ghost?.message);
  });
});

describe("a step naming user A's credential", () => {
  const naming = (credentialId: string): WorkflowDefinitionInput => ({
    ...noSteps,
    steps: [
      {
        id: 'call',
        name: 'Call',
        type: 'http',
        config: { url: 'https://api.example.com', auth: { type: 'credential', credentialId } },
      },
    ],
  });
  const issuesOf = (error: TRPCError | undefined) =>
    error?.cause instanceof InvalidInputError
      ? error.cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
      : [];

  it('is refused at the field, exactly like an id that exists for nobody, on create and on update', async () => {
    const original = await snapshotOfA();
    const b = await signedInAsB();
    const own = await b.workflows.create({ name: "B's workflow", definition: noSteps });
    const attempts = [
      (id: string) => b.workflows.create({ name: 'Uses a credential', definition: naming(id) }),
      (id: string) => b.workflows.update({ id: own.id, version: own.version, definition: naming(id) }),
    ];
    for (const attempt of attempts) {
      const foreign = await rejection(attempt(a.credentialId));
      const ghost = await rejection(attempt(ghostIds.credentialId));
      expect(foreign?.code).toBe('BAD_REQUEST');
      expect(foreign?.message).toBe(ghost?.message);
      expect(issuesOf(foreign)).toEqual([
        {
          path: 'definition.steps.0.config.auth.credentialId',
          message: 'Credential not found: pick one of your credentials',
        },
      ]);
      expect(issuesOf(foreign)).toEqual(issuesOf(ghost));
    }
    // Nothing was saved, and A's credential lists no workflow of B's.
    expect((await b.workflows.get({ id: own.id })).version).toBe(own.version);
    const listed = await sessionA.caller(deps).credentials.get({ id: a.credentialId });
    expect(listed.usedBy).toEqual([]);
    expect(await snapshotOfA()).toEqual(original);
  });
});

describe('without a session', () => {
  it.each(protectedPaths.filter((path) => path in probes))('%s answers UNAUTHORIZED', async (path) => {
    const probe = probes[path];
    if (!probe) throw new Error(`no probe for ${path}`);
    const original = await snapshotOfA();
    const error = await rejection(probe.call(new TestSession().caller(deps), a));
    expect(error?.code).toBe('UNAUTHORIZED');
    expect(await snapshotOfA()).toEqual(original);
  });
});
