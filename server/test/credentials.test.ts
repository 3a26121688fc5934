/**
 * Credentials through the API against a real database: what is stored (nothing readable), what
 * comes back (never a secret), write-only edits, names, "used by" and refused deletes, the harmless
 * tests against local stand-ins for Notion, Slack and an SMTP server, rotation, and a step using a
 * credential in the engine — including steps that name one they must not use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkflowDefinitionInput } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { parseCredentialKeys } from '../src/credentials/keys';
import { assertCredentialKeys } from '../src/credentials/keys-in-use';
import { rotateCredentials } from '../src/credentials/rotate';
import { credentials, executionSteps, executions, users } from '../src/db/schema';
import { runExecution } from '../src/engine/run-execution';
import { createOutboundHttp } from '../src/net/http-client';
import { createAddressPolicy } from '../src/net/ssrf';
import { loadCredential } from '../src/services/credentials';
import { InvalidInputError, type ServiceError } from '../src/services/errors';
import { createExecution } from '../src/services/executions';
import { TestSession, testDeps, testKeyring } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import { insertWorkflow, startTarget, type Target, waitForExecution } from './fixtures';

let tdb: TestDatabase;
let deps: ReturnType<typeof testDeps>;
let stand: Server;
let standUrl: string;
let smtp: SMTPServer;
let smtpPort: number;
let target: Target;
const alice = new TestSession();
let aliceId: string;
const api = () => alice.caller(deps);

const NOTION_TOKEN = 'ntn_good-integration-token';
const SLACK_TOKEN = 'xoxb-good-bot-token';

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => resolve(body));
  });
}

/** Notion's users/me, Slack's auth.test and two incoming webhooks, as the real services answer them. */
async function startStandIns() {
  stand = createServer(async (req, res) => {
    await read(req);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    if (req.method === 'GET' && req.url === '/v1/users/me') {
      if (req.headers['notion-version'] !== '2025-09-03') return json(400, { code: 'missing_version' });
      if (bearer !== NOTION_TOKEN) {
        return json(401, {
          object: 'error',
          status: 401,
          code: 'unauthorized',
          message: 'API token is invalid.',
        });
      }
      return json(200, { object: 'user', type: 'bot', name: 'AutomateOS', bot: { workspace_name: 'Acme' } });
    }
    if (req.method === 'POST' && req.url === '/api/auth.test') {
      if (bearer !== SLACK_TOKEN) return json(200, { ok: false, error: 'invalid_auth' });
      return json(200, { ok: true, team: 'Acme', user: 'automateos' });
    }
    const text = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(body);
    };
    // Paths like Slack's: the last part is the webhook's secret.
    if (req.url === '/services/T1/B1/WorkingHookXk29fQ8sLp3vN7') return text(400, 'no_text');
    if (req.url === '/services/T1/B1/RevokedHookQ81mZp4tW6yB2c') return text(404, 'no_service');
    // A service that repeats what it was sent: the answer must come back redacted.
    return text(403, `invalid_token for ${req.url}`);
  });
  await new Promise<void>((resolve) => stand.listen(0, '127.0.0.1', resolve));
  standUrl = `http://127.0.0.1:${(stand.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'ada' && auth.password === 'correct-password')
        return callback(null, { user: 'ada' });
      callback(new Error(`Invalid username or password for ${auth.username}/${auth.password}`));
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(TRPCError);
      return error as TRPCError;
    },
  );

const fieldIssues = (error: TRPCError) =>
  error.cause instanceof InvalidInputError
    ? error.cause.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
    : [];

/** Every column of every row of `credentials`, as text. */
async function storedText(): Promise<string> {
  const rows = await tdb.sql`select c::text as row from credentials c`;
  return rows.map((row) => String(row.row)).join('\n');
}

function httpWorkflow(url: string, credentialId: string | undefined): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: [
      {
        id: 'call',
        name: 'Call the API',
        type: 'http',
        config: {
          method: 'GET',
          url,
          auth: credentialId ? { type: 'credential', credentialId } : { type: 'none' },
        },
      },
    ],
  };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  await startStandIns();
  target = await startTarget();
  deps = testDeps(tdb.db, {
    SSRF_ALLOWLIST: '127.0.0.1/32',
    NOTION_API_URL: standUrl,
    SLACK_API_URL: `${standUrl}/api/`,
  });
  ({
    user: { id: aliceId },
  } = await alice.caller(deps).auth.register({ email: 'alice@example.com', password: 'alice-password' }));
});

afterAll(async () => {
  await deps.http.close();
  await target.close();
  stand.closeAllConnections();
  await new Promise((resolve) => stand.close(resolve));
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await tdb.close();
});

describe('storing a credential', () => {
  it('keeps the secret encrypted and answers with public fields only', async () => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const created = await api().credentials.create({
      name: 'Billing API',
      type: 'httpBasic',
      data: { username: 'billing', password },
    });
    expect(created).toMatchObject({
      name: 'Billing API',
      type: 'httpBasic',
      data: { username: 'billing' },
      storedSecrets: ['password'],
      lastUsedAt: null,
      usedBy: [],
    });
    const answers = [
      created,
      await api().credentials.get({ id: created.id }),
      await api().credentials.list(),
    ];
    for (const answer of answers) expect(JSON.stringify(answer)).not.toContain(password);
    const stored = await storedText();
    expect(stored).toContain('billing');
    expect(stored).not.toContain(password);
    expect(stored).not.toContain(Buffer.from(`billing:${password}`).toString('base64'));
    const [row] = await tdb.db.select().from(credentials).where(eq(credentials.id, created.id));
    expect(row?.keyId).toBe('test1');
    expect(row?.encryptedData).toMatch(/^v1\.test1\./);
  });

  it('refuses a name the user already has, whatever its case', async () => {
    await api().credentials.create({ name: 'Stripe', type: 'httpBearer', data: { token: 'sk_1' } });
    const error = await rejection(
      api().credentials.create({ name: 'stripe', type: 'httpBearer', data: { token: 'sk_2' } }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(fieldIssues(error)).toEqual([
      { path: 'name', message: 'You already have a credential named "stripe": pick another name' },
    ]);
    const other = await api().credentials.create({
      name: 'Stripe test',
      type: 'httpBearer',
      data: { token: 'sk_3' },
    });
    const renamed = await rejection(api().credentials.update({ id: other.id, name: 'STRIPE' }));
    expect(fieldIssues(renamed)[0]?.path).toBe('name');
  });
});

describe('editing a credential', () => {
  it('keeps a secret left out or blank, replaces one typed, removes an optional one sent as null', async () => {
    const created = await api().credentials.create({
      name: 'Mail',
      type: 'smtp',
      data: {
        host: 'smtp.example.com',
        port: 587,
        security: 'starttls',
        username: 'ada',
        password: 'first-password',
        from: 'Ops <ops@example.com>',
      },
    });
    const secretOf = async () => (await loadCredential(deps, aliceId, created.id)).data;

    await api().credentials.update({
      id: created.id,
      name: 'Mail (Postmark)',
      data: { port: 2525, password: '' },
    });
    expect(await secretOf()).toMatchObject({ port: 2525, password: 'first-password' });

    const updated = await api().credentials.update({ id: created.id, data: { password: 'second-password' } });
    expect(JSON.stringify(updated)).not.toContain('second-password');
    expect(await secretOf()).toMatchObject({ password: 'second-password', host: 'smtp.example.com' });

    const removed = await api().credentials.update({
      id: created.id,
      data: { password: null, username: null },
    });
    expect(removed.storedSecrets).toEqual([]);
    expect(await secretOf()).not.toHaveProperty('password');
  });

  it('checks the result against the type, at the field', async () => {
    const slack = await api().credentials.create({ name: 'Slack', type: 'slack', data: { token: 'xoxb-1' } });
    const both = await rejection(
      api().credentials.update({
        id: slack.id,
        data: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
      }),
    );
    expect(fieldIssues(both)).toEqual([
      { path: 'data.webhookUrl', message: 'Give a bot token or an incoming-webhook URL, not both' },
    ]);
    // Switching to a webhook URL removes the token explicitly.
    const switched = await api().credentials.update({
      id: slack.id,
      data: { webhookUrl: 'https://hooks.slack.com/services/T/B/x', token: null },
    });
    expect(switched.storedSecrets).toEqual(['webhookUrl']);
    const unknown = await rejection(api().credentials.update({ id: slack.id, data: { channel: '#ops' } }));
    expect(fieldIssues(unknown)).toEqual([
      { path: 'data', message: 'Unknown field "channel": Slack credentials have token, webhookUrl' },
    ]);
    const required = await rejection(api().credentials.update({ id: slack.id, data: { webhookUrl: null } }));
    expect(fieldIssues(required)[0]?.message).toBe('Give a bot token or an incoming-webhook URL');
  });
});

describe('workflows that use a credential', () => {
  it('list it as used by, refuse a credential of the wrong type, and keep it from being deleted', async () => {
    const bearer = await api().credentials.create({
      name: 'Orders API',
      type: 'httpBearer',
      data: { token: 'tok-orders' },
    });
    const notion = await api().credentials.create({
      name: 'Notion',
      type: 'notion',
      data: { token: 'ntn_x' },
    });

    const wrongType = await rejection(
      api().workflows.create({
        name: 'Orders',
        definition: httpWorkflow('https://api.example.com', notion.id),
      }),
    );
    expect(fieldIssues(wrongType)).toEqual([
      {
        path: 'definition.steps.0.config.auth.credentialId',
        message:
          '"Notion" is a Notion credential; this step takes a Bearer token, Basic auth or Header credential',
      },
    ]);

    const workflow = await api().workflows.create({
      name: 'Orders',
      definition: httpWorkflow('https://api.example.com', bearer.id),
    });
    expect((await api().credentials.get({ id: bearer.id })).usedBy).toEqual([
      { id: workflow.id, name: 'Orders' },
    ]);

    const refused = await rejection(api().credentials.delete({ id: bearer.id }));
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toBe(
      '"Orders API" is used by the workflow "Orders". Change it to use another credential first.',
    );
    expect((refused.cause as ServiceError).details).toEqual({
      usedBy: [{ id: workflow.id, name: 'Orders' }],
    });

    // Once the workflow no longer names it, it can go.
    await api().workflows.update({
      id: workflow.id,
      version: workflow.version,
      definition: httpWorkflow('https://api.example.com', undefined),
    });
    expect((await api().credentials.get({ id: bearer.id })).usedBy).toEqual([]);
    expect(await api().credentials.delete({ id: bearer.id })).toEqual({ id: bearer.id });
    await expect(api().credentials.get({ id: bearer.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('go with their owner: deleting a user deletes credentials that are in use', async () => {
    const bob = new TestSession();
    const { user } = await bob
      .caller(deps)
      .auth.register({ email: 'bob@example.com', password: 'bob-password' });
    const credential = await bob.caller(deps).credentials.create({
      name: 'Bob API',
      type: 'httpHeader',
      data: { name: 'X-Api-Key', value: 'bob-key' },
    });
    await bob
      .caller(deps)
      .workflows.create({ name: 'Bob', definition: httpWorkflow('https://x.test', credential.id) });
    await tdb.db.delete(users).where(eq(users.id, user.id));
    expect(await tdb.db.select().from(credentials).where(eq(credentials.id, credential.id))).toEqual([]);
  });
});

describe('credentials.test', () => {
  const test = (created: { id: string }) => api().credentials.test({ id: created.id });
  const notion = (name: string, token: string) =>
    api().credentials.create({ name, type: 'notion', data: { token } }).then(test);
  const slack = (name: string, data: { token: string } | { webhookUrl: string }) =>
    api().credentials.create({ name, type: 'slack', data }).then(test);
  const mail = (name: string, data: Record<string, string>) =>
    api()
      .credentials.create({
        name,
        type: 'smtp',
        data: { host: '127.0.0.1', port: smtpPort, security: 'none', from: 'ops@example.com', ...data },
      })
      .then(test);

  it('asks Notion who the token is, and says when it is refused', async () => {
    expect(await notion('Notion good', NOTION_TOKEN)).toEqual({
      ok: true,
      message: 'Connected to Notion as AutomateOS in Acme.',
    });
    expect(await notion('Notion bad', 'ntn_revoked')).toEqual({
      ok: false,
      message: 'Notion answered 401 (unauthorized: API token is invalid.). Check the integration token.',
    });
  });

  it('asks Slack auth.test with a bot token, and checks a webhook URL without posting', async () => {
    expect(await slack('Slack good', { token: SLACK_TOKEN })).toEqual({
      ok: true,
      message: 'Connected to Slack as automateos in Acme.',
    });
    expect(await slack('Slack bad', { token: 'xoxb-revoked' })).toMatchObject({
      ok: false,
      message: 'Slack refused the token (invalid_auth). Check the bot token.',
    });
    expect(
      await slack('Hook good', { webhookUrl: `${standUrl}/services/T1/B1/WorkingHookXk29fQ8sLp3vN7` }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await slack('Hook revoked', { webhookUrl: `${standUrl}/services/T1/B1/RevokedHookQ81mZp4tW6yB2c` }),
    ).toEqual({
      ok: false,
      message: 'The webhook URL answered 404 (no_service): it may have been removed or revoked.',
    });
    // The stand-in repeats the URL's secret path in its answer: the message does not.
    const echoed = await slack('Hook echo', { webhookUrl: `${standUrl}/services/T1/B1/s3cretHookPath` });
    expect(echoed.ok).toBe(false);
    expect(echoed.message).toContain('[redacted]');
    expect(echoed.message).not.toContain('s3cretHookPath');
  });

  it('signs in to an SMTP server, through the same address policy as HTTP', async () => {
    expect(await mail('SMTP good', { username: 'ada', password: 'correct-password' })).toEqual({
      ok: true,
      message: `Connected to 127.0.0.1:${smtpPort}, signed in as ada.`,
    });
    const refused = await mail('SMTP bad', { username: 'ada', password: 'wrong-password' });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^The mail server check failed: Invalid login/);
    // The server repeated the password in its refusal; the message does not.
    expect(refused.message).not.toContain('wrong-password');
    // STARTTLS required, and this server offers none: refused rather than sent in plain text.
    expect(await mail('SMTP starttls', { security: 'starttls' })).toMatchObject({ ok: false });

    // Without the allow-list the loopback server is an internal address: refused before connecting.
    let connections = 0;
    smtp.server.on('connection', () => {
      connections += 1;
    });
    const strict = { ...deps, http: createOutboundHttp({ policy: createAddressPolicy('') }) };
    const created = await api().credentials.create({
      name: 'SMTP internal',
      type: 'smtp',
      data: { host: '127.0.0.1', port: smtpPort, security: 'none', from: 'ops@example.com' },
    });
    const blocked = await alice.caller(strict).credentials.test({ id: created.id });
    await strict.http.close();
    expect(blocked.ok).toBe(false);
    expect(blocked.message).toMatch(/Blocked: 127\.0\.0\.1 is a loopback address/);
    expect(connections).toBe(0);
  });

  it('says when a type has no harmless check', async () => {
    const created = await api().credentials.create({
      name: 'Signing',
      type: 'webhookSecret',
      data: { secret: 'whsec_1' },
    });
    const error = await rejection(api().credentials.test({ id: created.id }));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/^Webhook signing secret credentials have no test/);
  });
});

describe('rotating the keys', () => {
  it('re-encrypts in resumable batches, after which the old key can be dropped', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const before = parseCredentialKeys(`old:${oldKey}`);
    const during = parseCredentialKeys(`new:${newKey},old:${oldKey}`);
    const after = parseCredentialKeys(`new:${newKey}`);
    const rotation = await createTestDatabase();
    try {
      const rotationDeps = { ...testDeps(rotation.db), keyring: before };
      const owner = new TestSession();
      const {
        user: { id: ownerId },
      } = await owner
        .caller(rotationDeps)
        .auth.register({ email: 'rotate@example.com', password: 'rotate-password' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const created = await owner
          .caller(rotationDeps)
          .credentials.create({ name: `Token ${i}`, type: 'httpBearer', data: { token: `tok-${i}` } });
        ids.push(created.id);
      }
      const updatedAt = async () =>
        (
          await rotation.db.select({ at: credentials.updatedAt }).from(credentials).orderBy(credentials.id)
        ).map((row) => row.at.toISOString());
      const editedAt = await updatedAt();

      // The new key alone cannot start: the stored credentials name the old one.
      await expect(assertCredentialKeys(rotation.db, after)).rejects.toThrow(ConfigError);
      await expect(assertCredentialKeys(rotation.db, after)).rejects.toThrow('key id "old" (5 credentials)');

      // Interrupted after its first batch of 2 …
      await expect(
        rotateCredentials(rotation.db, during, {
          batchSize: 2,
          onBatch: () => {
            throw new Error('interrupted');
          },
        }),
      ).rejects.toThrow('interrupted');
      const keyIds = async () =>
        (await rotation.db.select({ keyId: credentials.keyId }).from(credentials))
          .map((row) => row.keyId)
          .sort();
      expect(await keyIds()).toEqual(['new', 'new', 'old', 'old', 'old']);

      // … and run again: it carries on with what is left.
      const report = await rotateCredentials(rotation.db, during, { batchSize: 2 });
      expect(report).toMatchObject({
        activeKeyId: 'new',
        rotated: 3,
        batches: 2,
        failed: [],
        stillInUse: [],
      });
      expect(await keyIds()).toEqual(['new', 'new', 'new', 'new', 'new']);

      await assertCredentialKeys(rotation.db, after);
      for (const [i, id] of ids.entries()) {
        const credential = await loadCredential({ db: rotation.db, keyring: after }, ownerId, id);
        expect(credential.data).toEqual({ token: `tok-${i}` });
      }
      // Not an edit of anyone's: when each was last changed is as it was.
      expect(await updatedAt()).toEqual(editedAt);
    } finally {
      await rotation.close();
    }
  });

  it('passes over a damaged credential, reports it, and rotates the rest', async () => {
    const rotation = await createTestDatabase();
    try {
      const oldKeys = parseCredentialKeys(`old:${randomBytes(32).toString('base64')}`);
      const rotationDeps = { ...testDeps(rotation.db), keyring: oldKeys };
      const owner = new TestSession();
      await owner
        .caller(rotationDeps)
        .auth.register({ email: 'damaged@example.com', password: 'damaged-password' });
      const intact = await owner
        .caller(rotationDeps)
        .credentials.create({ name: 'Intact', type: 'httpBearer', data: { token: 'tok-i' } });
      const damaged = await owner
        .caller(rotationDeps)
        .credentials.create({ name: 'Damaged', type: 'httpBearer', data: { token: 'tok-d' } });
      // Its tag replaced: it no longer authenticates.
      await rotation.db
        .update(credentials)
        .set({
          encryptedData: sql`regexp_replace(${credentials.encryptedData}, '[^.]+$', 'AAAAAAAAAAAAAAAAAAAAAA')`,
        })
        .where(eq(credentials.id, damaged.id));
      const newKeys = parseCredentialKeys(
        `new:${randomBytes(32).toString('base64')},old:${oldKeys.active.key.toString('base64')}`,
      );
      const report = await rotateCredentials(rotation.db, newKeys);
      expect(report.rotated).toBe(1);
      expect(report.failed).toEqual([
        { id: damaged.id, keyId: 'old', reason: expect.stringContaining('does not decrypt with key "old"') },
      ]);
      expect(report.stillInUse).toEqual([{ keyId: 'old', credentials: 1 }]);
      const [row] = await rotation.db.select().from(credentials).where(eq(credentials.id, intact.id));
      expect(row?.keyId).toBe('new');
    } finally {
      await rotation.close();
    }
  });
});

describe('a step that uses a credential', () => {
  const noQueue = { enqueue: async () => {}, enqueueMany: async () => {} };
  const run = async (definition: WorkflowDefinitionInput, userId = aliceId) => {
    const workflow = await insertWorkflow(tdb.db, userId, definition);
    const { id } = await createExecution(tdb.db, noQueue, {
      workflow,
      mode: 'manual',
      trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: {} },
    });
    await runExecution(
      { db: tdb.db, http: deps.http, apis: deps.config, keyring: testKeyring },
      { executionId: id, jobId: `job-${id}`, jobAttempt: 0, signal: new AbortController().signal },
    );
    const execution = await waitForExecution(tdb.db, id);
    const [step] = await tdb.db.select().from(executionSteps).where(eq(executionSteps.executionId, id));
    return { execution, step };
  };

  it('sends its header, logs the credential by name, and records when it was last used', async () => {
    const credential = await api().credentials.create({
      name: 'Echo key',
      type: 'httpHeader',
      data: { name: 'X-Api-Key', value: 'echo-key-0123456789' },
    });
    target.requests.length = 0;
    target.respond = (req) => ({ body: { got: req.headers['x-api-key'] } });
    const { execution, step } = await run(httpWorkflow(`${target.url}/orders`, credential.id));
    expect(execution.status).toBe('succeeded');
    expect(target.requests[0]?.headers['x-api-key']).toBe('echo-key-0123456789');
    expect(step?.input).toMatchObject({ auth: { credential: 'Echo key' } });
    expect(step?.output).toMatchObject({ body: { got: '[redacted]' } });
    expect((await api().credentials.get({ id: credential.id })).lastUsedAt).toBeInstanceOf(Date);
  });

  it("cleans the trigger data when it carries a credential's secret, also when a retry resumes past the step", async () => {
    const token = `resume-token-${randomBytes(6).toString('hex')}`;
    const credential = await api().credentials.create({
      name: 'Resumed',
      type: 'httpBearer',
      data: { token },
    });
    const workflow = await insertWorkflow(tdb.db, aliceId, httpWorkflow(`${target.url}/x`, credential.id));
    const { id } = await createExecution(tdb.db, noQueue, {
      workflow,
      mode: 'manual',
      trigger: { method: 'POST', path: '/', query: {}, headers: {}, body: { forwarded: token } },
    });
    // An earlier attempt of the job ran the step and died before finishing the execution.
    await tdb.db
      .update(executions)
      .set({ status: 'running', attempt: 1, jobId: 'job-resume', jobAttempt: 0 })
      .where(eq(executions.id, id));
    const now = new Date();
    await tdb.db.insert(executionSteps).values({
      executionId: id,
      stepId: 'call',
      position: 0,
      type: 'http',
      status: 'succeeded',
      input: {},
      output: { status: 200 },
      startedAt: now,
      finishedAt: now,
      durationMs: 0,
    });
    await runExecution(
      { db: tdb.db, http: deps.http, apis: deps.config, keyring: testKeyring },
      { executionId: id, jobId: 'job-resume', jobAttempt: 1, signal: new AbortController().signal },
    );
    const execution = await waitForExecution(tdb.db, id);
    expect(execution.status).toBe('succeeded');
    expect(execution.trigger).toMatchObject({ body: { forwarded: '[redacted]' } });
  });

  it('hides secret-looking headers, query values and URL passwords typed by hand, wherever they come back', async () => {
    target.requests.length = 0;
    target.respond = (req) => ({
      headers: { 'x-echo': String(req.headers['x-shop-token']) },
      body: { url: req.url },
    });
    const { step } = await run({
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [
        {
          id: 'call',
          name: 'Call',
          type: 'http',
          config: {
            url: target.url.replace('http://', 'http://svc:url-password-99@'),
            headers: { 'X-Shop-Token': 'hand-typed-token-1234', 'X-Source': 'automateos' },
            query: { api_key: 'hand-typed-query-5678', page: '2' },
          },
        },
      ],
    });
    expect(target.requests[0]?.headers['x-shop-token']).toBe('hand-typed-token-1234');
    expect(step?.input).toMatchObject({
      headers: { 'X-Shop-Token': '[redacted]', 'X-Source': 'automateos' },
      query: { api_key: '[redacted]', page: '2' },
    });
    const recorded = JSON.stringify([step?.input, step?.output]);
    for (const secret of ['hand-typed-token-1234', 'hand-typed-query-5678', 'url-password-99']) {
      expect(recorded).not.toContain(secret);
    }
    expect(step?.output).toMatchObject({ headers: { 'x-echo': '[redacted]' } });
  });

  it("fails, sending nothing, when it names another user's credential or one of the wrong type", async () => {
    const carol = new TestSession();
    const { user } = await carol
      .caller(deps)
      .auth.register({ email: 'carol@example.com', password: 'carol-password' });
    const alicesKey = await api().credentials.create({
      name: 'Alice only',
      type: 'httpBearer',
      data: { token: 'alice-only-token' },
    });
    const notion = await api().credentials.create({
      name: 'Alice Notion',
      type: 'notion',
      data: { token: 'ntn_alice' },
    });
    target.requests.length = 0;
    // Written to the database directly: saving would have refused both.
    const foreign = await run(httpWorkflow(`${target.url}/steal`, alicesKey.id), user.id);
    expect(foreign.execution.status).toBe('failed');
    expect(foreign.step?.error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' });
    const wrongType = await run(httpWorkflow(`${target.url}/steal`, notion.id));
    expect(wrongType.step?.error).toMatchObject({
      code: 'CREDENTIAL_TYPE',
      message:
        '"Alice Notion" is a Notion credential; this step takes Bearer token, Basic auth, Header. Pick another one in the step.',
    });
    expect(target.requests).toEqual([]);
    expect(
      JSON.stringify(await tdb.db.select().from(executions).where(eq(executions.userId, user.id))),
    ).not.toContain('alice-only-token');
  });
});
