/**
 * The canary: three credentials holding random values are used by workflows that run on the real
 * web and worker processes against a target that echoes every header it gets (in its headers and
 * its body) and fails with the token in its error body. The values reach the target — and then
 * appear nowhere else, in no encoding: not in any column of any table (app tables and pg-boss's,
 * dumped whole), not in any line either process logged, not in any answer of the API.
 *
 * Then the lost key: a web or worker process started without the key the stored credentials name
 * refuses to start, naming it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpConfigInput, WorkflowDefinitionInput } from '@automateos/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import {
  type AppProcess,
  cleanup,
  report,
  spawnApp,
  startWeb,
  startWorker,
  type WebProcess,
  waitUntil,
} from './harness';

const hex = () => randomBytes(12).toString('hex');
const TOKEN = `canary-token-${hex()}`;
const PASSWORD = `canary-password-${hex()}`;
const HEADER_VALUE = `canary-key-${hex()}`;
const USER = 'svc-user';

/** Each canary as it may be written: as is, URL-encoded, base64 (three ways), and Basic's user:password. */
const forms = [
  ...[TOKEN, PASSWORD, HEADER_VALUE].flatMap((value) => [
    value,
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
    Buffer.from(value).toString('base64').replace(/=+$/, ''),
    Buffer.from(value).toString('base64url'),
  ]),
  Buffer.from(`${USER}:${PASSWORD}`).toString('base64'),
];
const leaksIn = (text: string) => forms.filter((form) => text.includes(form));
/** A row as text shows bytes (the received body) in hex: look for each form's hex too. */
const leaksInRow = (row: string) =>
  forms.filter((form) => row.includes(form) || row.includes(Buffer.from(form).toString('hex')));

let tdb: TestDatabase;
let web: WebProcess;
let worker: AppProcess;
let echo: Server;
let echoUrl: string;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  echo = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push(req.headers);
      const decoded = Buffer.from(
        (req.headers.authorization ?? '').replace(/^Basic /, ''),
        'base64',
      ).toString();
      if (req.url?.startsWith('/fail')) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`upstream refused ${req.headers.authorization} (${decoded}) for ${req.url}`);
        return;
      }
      const echoed = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [`x-echo-${name}`, String(value)]),
      );
      res.writeHead(200, { 'content-type': 'application/json', ...echoed });
      res.end(JSON.stringify({ url: req.url, headers: req.headers, decoded }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  // Debug level: the most either process ever logs.
  web = await startWeb(tdb.url, { LOG_LEVEL: 'debug' });
  worker = await startWorker(tdb.url, { env: { LOG_LEVEL: 'debug' } });
}, 120_000);

afterAll(async () => {
  echo?.closeAllConnections();
  await new Promise((resolve) => echo?.close(resolve));
  await cleanup({ close: () => tdb.close() });
}, 60_000);

/** Every answer the API gave, as text, to grep. */
const answers: string[] = [];
let cookie = '';

async function call<T>(
  procedure: string,
  input: unknown,
  kind: 'query' | 'mutation' = 'mutation',
): Promise<T> {
  const res =
    kind === 'query'
      ? await fetch(
          `${web.url}/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
          {
            headers: { cookie },
          },
        )
      : await fetch(`${web.url}/trpc/${procedure}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ json: input }),
        });
  const text = await res.text();
  answers.push(text);
  cookie = res.headers.getSetCookie()[0]?.split(';')[0] ?? cookie;
  if (!res.ok) throw new Error(`${procedure} answered ${res.status}: ${text}`);
  return (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json;
}

const http = (id: string, config: HttpConfigInput) => ({
  id,
  name: `Step ${id}`,
  type: 'http' as const,
  config,
});
const definition = (...steps: ReturnType<typeof http>[]): WorkflowDefinitionInput => ({
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps,
});

describe('a credential canary', () => {
  it('reaches the target and nothing else: no table, no log line, no API answer', async () => {
    await call('auth.register', { email: 'canary@example.com', password: 'canary-account-password' });
    const bearer = await call<{ id: string }>('credentials.create', {
      name: 'Canary bearer',
      type: 'httpBearer',
      data: { token: TOKEN },
    });
    const basic = await call<{ id: string }>('credentials.create', {
      name: 'Canary basic',
      type: 'httpBasic',
      data: { username: USER, password: PASSWORD },
    });
    const header = await call<{ id: string }>('credentials.create', {
      name: 'Canary header',
      type: 'httpHeader',
      data: { name: 'X-Api-Key', value: HEADER_VALUE },
    });
    const echoing = await call<{ id: string; webhookUrl: string }>('workflows.create', {
      name: 'Echo',
      definition: definition(
        // The caller's payload carries the token too, and the URL takes it from there.
        http('bearer', {
          url: `${echoUrl}/echo?from={{ trigger.body.note }}`,
          auth: { type: 'credential', credentialId: bearer.id },
        }),
        http('header', {
          method: 'POST',
          url: `${echoUrl}/echo`,
          auth: { type: 'credential', credentialId: header.id },
          body: { type: 'json', value: { earlier: '{{ steps.bearer.body }}' } },
        }),
      ),
    });
    const failing = await call<{ id: string; webhookUrl: string }>('workflows.create', {
      name: 'Fail',
      definition: definition(
        http('basic', {
          method: 'POST',
          url: `${echoUrl}/fail`,
          auth: { type: 'credential', credentialId: basic.id },
          retry: { attempts: 1, delayMs: 0 },
        }),
      ),
    });
    const executionIds: string[] = [];
    for (const workflow of [echoing, failing]) {
      // Only the execution that uses the token is given it: another would not know it is one.
      const payload = workflow === echoing ? { note: TOKEN } : { note: 'nothing secret' };
      await call('workflows.setActive', { id: workflow.id, active: true });
      const res = await fetch(`${web.url}${new URL(workflow.webhookUrl).pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-caller-note': payload.note },
        body: JSON.stringify(payload),
      });
      expect(res.status).toBe(202);
      executionIds.push(((await res.json()) as { executionId: string }).executionId);
    }
    await waitUntil(
      'both executions to finish',
      async () => {
        const rows = await tdb.sql<{ status: string }[]>`
          select status from executions where id in ${tdb.sql(executionIds)}`;
        return (
          rows.length === 2 && rows.every((row) => row.status === 'succeeded' || row.status === 'failed')
        );
      },
      30_000,
    );

    // The target got every secret, as the steps were meant to send them …
    const sent = JSON.stringify(seen);
    expect(sent).toContain(`Bearer ${TOKEN}`);
    expect(sent).toContain(HEADER_VALUE);
    expect(sent).toContain(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(seen.filter((headers) => headers.authorization?.startsWith('Basic'))).toHaveLength(2);

    // … and echoed them: the step log shows where, redacted.
    const [echoed, failed] = await Promise.all(
      executionIds.map((id) =>
        call<{
          status: string;
          steps: { input: unknown; output: unknown; error: unknown }[];
          trigger: unknown;
        }>('executions.get', { id }, 'query'),
      ),
    );
    expect(echoed?.status).toBe('succeeded');
    expect(JSON.stringify(echoed?.steps[0]?.output)).toContain('[redacted]');
    expect(echoed?.steps[0]?.input).toMatchObject({ auth: { credential: 'Canary bearer' } });
    expect(echoed?.trigger).toMatchObject({ body: { note: '[redacted]' } });
    expect(failed?.status).toBe('failed');
    expect(failed?.steps[0]?.error).toMatchObject({ code: 'HTTP_STATUS' });
    expect(failed?.steps[0]?.output).toMatchObject({
      status: 500,
      body: expect.stringContaining('[redacted]'),
    });

    // Every answer the API has for this user.
    for (const id of [bearer.id, basic.id, header.id]) await call('credentials.get', { id }, 'query');
    await call('credentials.list', {}, 'query');
    await call('workflows.list', {}, 'query');
    for (const workflow of [echoing, failing]) {
      await call('workflows.get', { id: workflow.id }, 'query');
      await call('executions.list', { workflowId: workflow.id }, 'query');
    }
    const answerHits = answers.flatMap(leaksIn);

    // Every row of every table: ours, pg-boss's queue and the migrations'.
    const tables = await tdb.sql<{ schema: string; name: string }[]>`
      select table_schema as schema, table_name as name from information_schema.tables
      where table_schema in ('public', 'pgboss', 'drizzle') and table_type = 'BASE TABLE'`;
    let rows = 0;
    const tableHits: string[] = [];
    for (const { schema, name } of tables) {
      const dump = await tdb.sql.unsafe<{ row: string }[]>(
        `select t::text as row from "${schema}"."${name}" t`,
      );
      rows += dump.length;
      for (const { row } of dump)
        tableHits.push(...leaksInRow(row).map((form) => `${schema}.${name}: ${form}`));
    }
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['credentials', 'execution_steps', 'job']),
    );

    const logs = `${web.fullOutput()}\n${worker.fullOutput()}`;
    const logHits = leaksIn(logs);

    report('credential-canary', {
      forms: forms.length,
      tables: tables.length,
      rows,
      'log-lines': logs.split('\n').filter(Boolean).length,
      'api-answers': answers.length,
      'table-hits': tableHits.length,
      'log-hits': logHits.length,
      'answer-hits': answerHits.length,
    });
    expect(tableHits).toEqual([]);
    expect(logHits).toEqual([]);
    expect(answerHits.map((hit) => `${hit.slice(0, 20)}…`)).toEqual([]);
  }, 120_000);

  it('a process without the key the stored credentials use refuses to start, naming it', async () => {
    const elsewhere = `other:${randomBytes(32).toString('base64')}`;
    for (const kind of ['web', 'worker'] as const) {
      const app = spawnApp(kind, {
        DATABASE_URL: tdb.url,
        PORT: '0',
        HOST: '127.0.0.1',
        JWT_SECRET: 'a-jwt-secret-that-is-long-enough-0123456789',
        CREDENTIALS_KEYS: elsewhere,
      });
      const { code } = await app.exited;
      expect(code, app.output()).toBe(78);
      expect(app.output()).toContain('key id "test1" (3 credentials), which CREDENTIALS_KEYS does not have');
      expect(app.output()).not.toContain(elsewhere.slice(6));
    }
  }, 60_000);
});
