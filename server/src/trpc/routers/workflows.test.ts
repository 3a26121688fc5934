import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionStatus, exampleDefinition, type WorkflowDefinitionInput } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps } from '../../../test/caller';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { executions, workflows } from '../../db/schema';
import { webhookRouter } from '../../http/webhooks';
import type { ServiceError } from '../../services/errors';
import type { AppDeps } from '../trpc';

let tdb: TestDatabase;
let deps: AppDeps;
let session: TestSession;
let userId: string;

const api = () => session.caller(deps);

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db);
  session = new TestSession();
  const { user } = await api().auth.register({ email: 'builder@example.com', password: 'password-123' });
  userId = user.id;
});
afterAll(() => tdb.close());

/** DESIGN.md's example definition (shared's test pins it to DESIGN.md's JSON). */
const designExample = exampleDefinition();

const noSteps: WorkflowDefinitionInput = {
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [],
};

const WEBHOOK_URL = /^http:\/\/automateos\.test\/hooks\/([A-Za-z0-9_-]{22,})$/;

function webhookIdOf(url: string | null): string {
  const id = url === null ? undefined : WEBHOOK_URL.exec(url)?.[1];
  if (!id) throw new Error(`not a webhook URL: ${url}`);
  return id;
}

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The field issues of a BAD_REQUEST, with paths written as `definition.steps.1.id`. */
function fieldIssues(error: TRPCError): { path: string; message: string }[] {
  expect(error.code).toBe('BAD_REQUEST');
  const { issues } = error.cause as unknown as { issues: { path: PropertyKey[]; message: string }[] };
  return issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

const issuePaths = (error: TRPCError) => fieldIssues(error).map((issue) => issue.path);

const create = (name: string, definition: WorkflowDefinitionInput = noSteps) =>
  api().workflows.create({ name, definition });

/** An execution row as the webhook ingest would write it. */
async function insertExecution(
  workflow: { id: string; ownerId: string },
  status: ExecutionStatus,
  createdAt: Date,
) {
  const [row] = await tdb.db
    .insert(executions)
    .values({
      workflowId: workflow.id,
      userId: workflow.ownerId,
      status,
      mode: 'manual',
      trigger: { method: 'POST', path: '/hooks/test', query: {}, headers: {}, body: {} },
      definition: { schemaVersion: 1, trigger: { type: 'webhook', config: { method: 'POST' } }, steps: [] },
      workflowVersion: 1,
      createdAt,
    })
    .returning();
  if (!row) throw new Error('no execution');
  return row;
}

describe('workflows.create', () => {
  it("accepts DESIGN.md's example verbatim and stores it with defaults applied", async () => {
    const workflow = await api().workflows.create({ name: '  Billing events  ', definition: designExample });
    expect(workflow).toMatchObject({
      name: 'Billing events',
      description: '',
      active: false,
      version: 1,
    });
    expect(workflow.webhookUrl).toMatch(WEBHOOK_URL);
    expect(workflow).not.toHaveProperty('userId');
    expect(workflow).not.toHaveProperty('webhookId');

    const [notify, onlyPro] = workflow.definition.steps;
    expect(notify).toMatchObject({
      id: 'notify',
      type: 'http',
      config: { retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 }, failOnHttpError: true },
    });
    expect(onlyPro).toMatchObject({ id: 'only-pro', config: { conditions: [{ caseSensitive: true }] } });

    const [row] = await tdb.db.select().from(workflows).where(eq(workflows.id, workflow.id));
    expect(row?.definition).toEqual(workflow.definition);
    expect(row?.userId).toBe(userId);
  });

  it('stores a description', async () => {
    const workflow = await api().workflows.create({
      name: 'Described',
      description: 'Tells billing about upgrades',
      definition: noSteps,
    });
    expect((await api().workflows.get({ id: workflow.id })).description).toBe('Tells billing about upgrades');
  });

  it('gives every workflow its own unguessable webhook id of at least 128 bits', async () => {
    const created = await Promise.all(Array.from({ length: 30 }, (_, i) => create(`Hook ${i}`)));
    const ids = created.map((workflow) => webhookIdOf(workflow.webhookUrl));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(Buffer.from(id, 'base64url').length).toBeGreaterThanOrEqual(16);
    // Random bytes use the whole alphabet: 30 ids of 22 characters show far more than a few letters.
    expect(new Set(ids.join('')).size).toBeGreaterThan(40);
  });

  it('rejects an unknown step type, duplicate step ids and a reference to a later step, with field paths', async () => {
    const invalid = {
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [
        {
          id: 'notify',
          name: 'Notify',
          type: 'http',
          config: { method: 'POST', url: 'https://api.example.com/{{ steps.later.body.id }}' },
        },
        { id: 'notify', name: 'Again', type: 'http', config: { url: 'https://api.example.com' } },
        { id: 'later', name: 'Send SMS', type: 'sms', config: {} },
      ],
    } as unknown as WorkflowDefinitionInput;

    const issues = fieldIssues(
      await trpcError(api().workflows.create({ name: 'Broken', definition: invalid })),
    );

    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'definition.steps.2.type', message: expect.stringMatching(/Unknown step type "sms"/) },
        {
          path: 'definition.steps.1.id',
          message: expect.stringMatching(/"notify" is already used by step 1/),
        },
        {
          path: 'definition.steps.0.config.url',
          message: expect.stringMatching(/steps\.later is not an earlier step/),
        },
      ]),
    );
    expect((await api().workflows.list({ search: 'Broken' })).items).toEqual([]);
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const definition = { ...noSteps, schedule: '* * * * *' } as unknown as WorkflowDefinitionInput;
    const error = await trpcError(api().workflows.create({ name: 'Typo', definition }));
    expect(fieldIssues(error)).toEqual([
      {
        path: 'definition',
        message: 'Unknown field "schedule": allowed fields are schemaVersion, trigger, steps',
      },
    ]);
  });

  it('requires a name', async () => {
    expect(issuePaths(await trpcError(api().workflows.create({ name: '   ', definition: noSteps })))).toEqual(
      ['name'],
    );
  });
});

describe('workflows.get', () => {
  it('returns the workflow', async () => {
    const created = await create('Readable', designExample);
    const workflow = await api().workflows.get({ id: created.id });
    expect(workflow).toEqual(created);
    expect(Object.keys(workflow).sort()).toEqual(
      [
        'active',
        'createdAt',
        'definition',
        'description',
        'id',
        'name',
        'schedule',
        'updatedAt',
        'version',
        'webhookUrl',
      ].sort(),
    );
  });

  it('answers NOT_FOUND for an id that does not exist and BAD_REQUEST for one that is not an id', async () => {
    const missing = await trpcError(api().workflows.get({ id: '5b0c8f1e-4a7d-4c1e-9f3a-2d6e8b1c0a99' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(issuePaths(await trpcError(api().workflows.get({ id: 'not-a-uuid' })))).toEqual(['id']);
    expect(issuePaths(await trpcError(api().workflows.delete({ id: "1' or '1'='1" })))).toEqual(['id']);
  });
});

describe('workflows.list', () => {
  let list: TestSession;
  const listApi = () => list.caller(deps);

  beforeAll(async () => {
    // A user of its own, so other tests' workflows do not show up here.
    list = new TestSession();
    await listApi().auth.register({ email: 'lister@example.com', password: 'password-123' });
  });

  it('lists newest change first with trigger type, step count and webhook URL', async () => {
    const first = await listApi().workflows.create({ name: 'Stripe to Slack', definition: designExample });
    const second = await listApi().workflows.create({ name: 'Signup welcome', definition: noSteps });
    const { items } = await listApi().workflows.list();
    expect(items.map((item) => item.id)).toEqual([second.id, first.id]);
    expect(items[1]).toEqual({
      id: first.id,
      name: 'Stripe to Slack',
      active: false,
      triggerType: 'webhook',
      trigger: { type: 'webhook', config: { method: 'POST' } },
      stepCount: 2,
      webhookUrl: first.webhookUrl,
      nextRunAt: null,
      updatedAt: first.updatedAt,
      lastExecution: null,
    });
    expect(items[0]?.stepCount).toBe(0);

    await listApi().workflows.update({ id: first.id, version: first.version, name: 'Stripe to Slack v2' });
    expect((await listApi().workflows.list()).items[0]?.id).toBe(first.id);
  });

  it('searches names case-insensitively, with % and _ as plain characters', async () => {
    for (const name of ['100% uptime alert', '1000 uptime checks', 'user_created hook', 'usercreated hook'])
      await listApi().workflows.create({ name, definition: noSteps });
    const names = async (search: string) =>
      (await listApi().workflows.list({ search })).items.map((item) => item.name).sort();

    expect(await names('UPTIME')).toEqual(['100% uptime alert', '1000 uptime checks']);
    expect(await names('100%')).toEqual(['100% uptime alert']);
    expect(await names('user_created')).toEqual(['user_created hook']);
    expect(await names('  signup  ')).toEqual(['Signup welcome']);
    expect(await names('\\')).toEqual([]);
    expect(await names('nothing like this')).toEqual([]);
    expect((await listApi().workflows.list({ search: '' })).items.length).toBe(6);
  });

  it('shows the latest execution of each workflow', async () => {
    const { items } = await listApi().workflows.list({ search: 'Stripe' });
    const workflow = { id: items[0]?.id ?? '', ownerId: (await listApi().auth.me())?.user.id ?? '' };
    await insertExecution(workflow, 'failed', new Date('2026-01-01T10:00:00Z'));
    const latest = await insertExecution(workflow, 'succeeded', new Date('2026-01-02T10:00:00Z'));
    await insertExecution(workflow, 'filtered', new Date('2026-01-01T12:00:00Z'));

    const listed = await listApi().workflows.list();
    const stripe = listed.items.find((item) => item.id === workflow.id);
    expect(stripe?.lastExecution).toEqual({
      id: latest.id,
      status: 'succeeded',
      createdAt: new Date('2026-01-02T10:00:00Z'),
    });
    expect(listed.items.filter((item) => item.lastExecution !== null)).toHaveLength(1);
  });
});

describe('workflows.list pages', () => {
  const pager = new TestSession();
  const pagerApi = () => pager.caller(deps);
  /** The pager's workflows in the order the list must give them: updated_at desc, then id desc. */
  let expected: { id: string; name: string }[] = [];

  beforeAll(async () => {
    const { user } = await pagerApi().auth.register({ email: 'pager@example.com', password: 'password-123' });
    // 60 workflows: 'Page 1'–'Page 20' changed at one and the same instant, the rest a second apart,
    // so the order between equal times rests on the id alone.
    await tdb.sql`
      insert into workflows (user_id, name, definition, webhook_id, updated_at)
      select ${user.id}, 'Page ' || i, ${JSON.stringify(noSteps)}::json, 'pager-hook-' || i,
             case when i <= 20 then timestamptz '2026-03-01 12:00:00.123456+00'
                  else timestamptz '2026-03-01 12:00:00+00' - make_interval(secs => i) end
      from generate_series(1, 60) as i`;
    expected = await tdb.sql<{ id: string; name: string }[]>`
      select id, name from workflows where user_id = ${user.id} order by updated_at desc, id desc`;
  });

  /** Every page of the list, `limit` at a time. */
  async function allPages(input: { search?: string; limit?: number }) {
    const pages: { id: string; name: string }[][] = [];
    let cursor: string | undefined;
    do {
      const page = await pagerApi().workflows.list({ ...input, ...(cursor && { cursor }) });
      pages.push(page.items.map(({ id, name }) => ({ id, name })));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return pages;
  }

  it('gives 50 by default, most recently changed first, and each workflow once across pages', async () => {
    const first = await pagerApi().workflows.list();
    expect(first.items).toHaveLength(50);
    expect(first.nextCursor).toBe(first.items.at(-1)?.id);

    const pages = await allPages({ limit: 7 });
    expect(pages.map((page) => page.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 4]);
    // The equal times span pages 1 to 3: the id orders them, and nothing is skipped or repeated.
    expect(pages.flat()).toEqual(expected);
  });

  it('pages through the matches of a search only', async () => {
    const pages = await allPages({ search: 'page 1', limit: 4 });
    const matches = expected.filter((workflow) => /^Page 1/.test(workflow.name));
    expect(matches).toHaveLength(11);
    expect(pages.map((page) => page.length)).toEqual([4, 4, 3]);
    expect(pages.flat()).toEqual(matches);
  });

  it('takes 1 to 200 per page', async () => {
    expect((await pagerApi().workflows.list({ limit: 200 })).items).toHaveLength(60);
    expect((await pagerApi().workflows.list({ limit: 200 })).nextCursor).toBeNull();
    expect((await pagerApi().workflows.list({ limit: 1 })).items.map((item) => item.id)).toEqual([
      expected[0]?.id,
    ]);
    for (const limit of [0, 201, 1.5]) {
      expect(fieldIssues(await trpcError(pagerApi().workflows.list({ limit })))).toEqual([
        { path: 'limit', message: expect.stringMatching(/^Limit must be/) },
      ]);
    }
  });

  it("answers NOT_FOUND for a cursor that is not one of the user's workflows, or is one no longer", async () => {
    const ghost = '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const unknown = await trpcError(pagerApi().workflows.list({ cursor: ghost }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/list again from the first page/);
    // Another user's workflow neither positions the page nor is told apart from an id of nobody's.
    const someoneElses = await create('Not the pager’s');
    const foreign = await trpcError(pagerApi().workflows.list({ cursor: someoneElses.id }));
    expect({ code: foreign.code, message: foreign.message }).toEqual({
      code: 'NOT_FOUND',
      message: unknown.message,
    });

    // A page after a workflow deleted since: not an empty page that would pass for the end of the list.
    const doomed = await pagerApi().workflows.create({ name: 'Page cursor', definition: noSteps });
    await pagerApi().workflows.delete({ id: doomed.id });
    const deleted = await trpcError(pagerApi().workflows.list({ cursor: doomed.id }));
    expect(deleted.message).toBe(unknown.message);
    // The last workflow's id is still a cursor: its page is empty, and the end.
    expect(await pagerApi().workflows.list({ cursor: expected.at(-1)?.id })).toEqual({
      items: [],
      nextCursor: null,
    });
  });
});

describe('workflows.update', () => {
  it('saves on the current version and bumps it; a stale version gets CONFLICT', async () => {
    const created = await create('Editable', designExample);
    const editorA = await api().workflows.get({ id: created.id });
    const editorB = await api().workflows.get({ id: created.id });

    const saved = await api().workflows.update({
      id: created.id,
      version: editorA.version,
      name: 'Saved by A',
    });
    expect(saved).toMatchObject({ name: 'Saved by A', version: 2, definition: created.definition });
    expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const error = await trpcError(
      api().workflows.update({ id: created.id, version: editorB.version, name: 'Saved by B' }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toBe(
      'This workflow was changed elsewhere (now version 2). Reload to get the latest version.',
    );
    expect((error.cause as ServiceError).details).toEqual({ currentVersion: 2 });
    expect((await api().workflows.get({ id: created.id })).name).toBe('Saved by A');

    const fresh = await api().workflows.update({
      id: created.id,
      version: 2,
      description: 'Now with a description',
      definition: noSteps,
    });
    expect(fresh).toMatchObject({
      name: 'Saved by A',
      description: 'Now with a description',
      version: 3,
      definition: { steps: [] },
    });
  });

  it('lets exactly one of two simultaneous saves of the same version win', async () => {
    const created = await create('Raced');
    const results = await Promise.allSettled(
      ['Tab one', 'Tab two', 'Tab three'].map((name) =>
        api().workflows.update({ id: created.id, version: 1, name }),
      ),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect((result.reason as TRPCError).code).toBe('CONFLICT');
    }
    expect((await api().workflows.get({ id: created.id })).version).toBe(2);
  });

  it('answers NOT_FOUND, not CONFLICT, for a workflow that does not exist', async () => {
    const error = await trpcError(
      api().workflows.update({ id: '5b0c8f1e-4a7d-4c1e-9f3a-2d6e8b1c0a99', version: 1, name: 'Ghost' }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });

  it('validates the definition like create does, and changes nothing', async () => {
    const created = await create('Validated', designExample);
    const definition = {
      ...noSteps,
      steps: [{ id: 'Bad Id', name: 'x', type: 'filter', config: { conditions: [] } }],
    } as unknown as WorkflowDefinitionInput;
    const paths = issuePaths(
      await trpcError(api().workflows.update({ id: created.id, version: 1, definition })),
    );
    expect(paths).toEqual(
      expect.arrayContaining(['definition.steps.0.id', 'definition.steps.0.config.conditions']),
    );
    expect(await api().workflows.get({ id: created.id })).toEqual(created);
  });
});

describe('workflows.setActive', () => {
  it('switches the workflow on and off, bumping the version on each change', async () => {
    const created = await create('Switchable');
    const on = await api().workflows.setActive({ id: created.id, active: true });
    expect(on).toMatchObject({ active: true, version: 2 });
    // Asking for the state it already has changes nothing, so open editors stay current.
    expect(await api().workflows.setActive({ id: created.id, active: true })).toMatchObject({
      active: true,
      version: 2,
    });
    const off = await api().workflows.setActive({ id: created.id, active: false });
    expect(off).toMatchObject({ active: false, version: 3 });

    const stale = await trpcError(api().workflows.update({ id: created.id, version: 1, name: 'Old tab' }));
    expect(stale.code).toBe('CONFLICT');
  });

  it('answers NOT_FOUND for a workflow that does not exist', async () => {
    const error = await trpcError(
      api().workflows.setActive({ id: '5b0c8f1e-4a7d-4c1e-9f3a-2d6e8b1c0a99', active: true }),
    );
    expect(error.code).toBe('NOT_FOUND');
  });
});

describe('workflows.regenerateWebhook', () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = express().use(webhookRouter({ ...deps, maxBodyBytes: 1024 * 1024 }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const deliver = (url: string | null) =>
    fetch(`${url}`.replace('http://automateos.test', origin), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"event":"test"}',
    });

  it('gives the workflow a new webhook URL and retires the old one at once', async () => {
    const created = await create('Leaked URL');
    const active = await api().workflows.setActive({ id: created.id, active: true });
    expect((await deliver(created.webhookUrl)).status).toBe(202);

    const regenerated = await api().workflows.regenerateWebhook({ id: created.id });

    expect(webhookIdOf(regenerated.webhookUrl)).not.toBe(webhookIdOf(created.webhookUrl));
    expect(regenerated).toMatchObject({ active: true, version: active.version + 1 });
    expect((await api().workflows.get({ id: created.id })).webhookUrl).toBe(regenerated.webhookUrl);
    expect((await deliver(created.webhookUrl)).status).toBe(404);
    expect((await deliver(regenerated.webhookUrl)).status).toBe(202);
  });
});

describe('workflows.delete', () => {
  it('deletes the workflow and its executions', async () => {
    const created = await create('Doomed', designExample);
    const execution = await insertExecution({ id: created.id, ownerId: userId }, 'succeeded', new Date());

    expect(await api().workflows.delete({ id: created.id })).toEqual({ id: created.id });

    expect((await trpcError(api().workflows.get({ id: created.id }))).code).toBe('NOT_FOUND');
    expect((await api().workflows.list({ search: 'Doomed' })).items).toEqual([]);
    expect(await tdb.db.select().from(executions).where(eq(executions.id, execution.id))).toEqual([]);
    expect((await trpcError(api().workflows.delete({ id: created.id }))).code).toBe('NOT_FOUND');
  });
});

describe('without a session', () => {
  it('every workflow procedure answers UNAUTHORIZED', async () => {
    const anonymous = new TestSession().caller(deps).workflows;
    const id = '5b0c8f1e-4a7d-4c1e-9f3a-2d6e8b1c0a99';
    const calls = [
      anonymous.list(),
      anonymous.get({ id }),
      anonymous.create({ name: 'x', definition: noSteps }),
      anonymous.update({ id, version: 1, name: 'x' }),
      anonymous.setActive({ id, active: true }),
      anonymous.delete({ id }),
      anonymous.regenerateWebhook({ id }),
    ];
    for (const call of calls) expect((await trpcError(call)).code).toBe('UNAUTHORIZED');
  });
});
