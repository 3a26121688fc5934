/**
 * The REST API v1 over real HTTP: the OpenAPI document validates, every route answers with a
 * token, another user's ids are 404 like ids of nobody's, and the bearer-only and content rules hold.
 * The routes come from the document, so a route added without a probe here fails this file.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app';
import { openApiDocument } from '../src/rest/api';
import type { AppDeps } from '../src/trpc/trpc';
import { TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

let tdb: TestDatabase;
let deps: AppDeps;
let server: Server;
let base: string;
const tokens = { a: '', aRead: '', b: '' };

const definition = {
  schemaVersion: 1,
  trigger: { type: 'webhook', config: { method: 'POST' } },
  steps: [
    {
      id: 'only-pro',
      name: 'Only pro',
      type: 'filter',
      config: { conditions: [{ left: '{{ trigger.body.plan }}', op: 'equals', right: 'pro' }] },
    },
  ],
};

async function account(email: string) {
  const session = new TestSession();
  await session.caller(deps).auth.register({ email, password: 'password-123' });
  const write = await session.caller(deps).tokens.create({ name: 'rw', scope: 'read-write' });
  const read = await session.caller(deps).tokens.create({ name: 'r', scope: 'read' });
  return { write: write.token, read: read.token };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db);
  server = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const a = await account('rest-a@example.com');
  const b = await account('rest-b@example.com');
  Object.assign(tokens, { a: a.write, aRead: a.read, b: b.write });
});
afterAll(async () => {
  server.close();
  await tdb.close();
});

interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string; fieldErrors?: object } };
}

async function call(
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers = {},
): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

describe('the OpenAPI document', () => {
  it('is served at /api/v1/openapi.json and is a valid OpenAPI 3.1 document', async () => {
    const res = await fetch(`${base}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[] };
    expect(doc.openapi).toBe('3.1.0');
    await SwaggerParser.validate(doc as never);
    expect(doc.servers[0]?.url).toBe('http://automateos.test/api/v1');
  });

  it('describes the paging of the workflow list', () => {
    const list = openApiDocument('http://automateos.test').paths?.['/workflows']?.get;
    const parameters = (list?.parameters ?? []).map((p) => ('name' in p ? p.name : ''));
    expect(parameters).toEqual(['search', 'cursor', 'limit']);
    const ok = list?.responses?.['200'];
    const schema = ok && 'content' in ok ? ok.content?.['application/json']?.schema : undefined;
    expect(schema && 'properties' in schema ? Object.keys(schema.properties ?? {}) : []).toEqual([
      'items',
      'nextCursor',
    ]);
  });

  it('serves Swagger UI from this origin, inside the CSP', async () => {
    const page = await fetch(`${base}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'/);
    // Every script is a file from here: no inline script, no CDN.
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline?.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes ?? '')?.[1] ?? '';
      expect(src.startsWith('/api/docs/')).toBe(true);
      expect((await fetch(`${base}${src}`)).status).toBe(200);
    }
    expect((await fetch(`${base}/api/docs/swagger-ui.css`)).status).toBe(200);
  });
});

describe('every route with a token', () => {
  const doc = openApiDocument('http://automateos.test');
  const routes = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    ['get', 'post', 'patch', 'put', 'delete']
      .filter((m) => m in (item ?? {}))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

  it('answers, end to end, with the owner’s data only', async () => {
    const seen = new Set<string>();
    const run = async (route: string, path: string, token: string, body?: unknown) => {
      seen.add(route);
      return call(route.split(' ')[0] ?? 'GET', path, token, body);
    };
    const created = await run('POST /workflows', '/workflows', tokens.a, { name: 'By REST', definition });
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    expect(created.body.definition).toMatchObject({ schemaVersion: 1 });
    expect(created.body.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    const list = await run('GET /workflows', '/workflows?search=REST', tokens.aRead);
    expect(list.status).toBe(200);
    expect((list.body.items as { id: string }[]).map((w) => w.id)).toEqual([id]);
    expect(list.body.nextCursor).toBeNull();
    // A page at a time, the newest change first: the cursor is the last id of the page before.
    const newer = await call('POST', '/workflows', tokens.a, { name: 'By REST, later', definition });
    const first = await call('GET', '/workflows?search=by%20rest&limit=1', tokens.aRead);
    expect((first.body.items as { id: string }[]).map((w) => w.id)).toEqual([newer.body.id]);
    expect(first.body.nextCursor).toBe(newer.body.id);
    const second = await call(
      'GET',
      `/workflows?search=by%20rest&limit=1&cursor=${newer.body.id}`,
      tokens.aRead,
    );
    expect(second.body).toMatchObject({ items: [{ id }], nextCursor: null });
    expect((await call('DELETE', `/workflows/${newer.body.id}`, tokens.a)).status).toBe(200);
    expect((await call('GET', '/workflows?limit=201', tokens.aRead)).status).toBe(400);
    expect((await call('GET', `/workflows?cursor=${newer.body.id}`, tokens.aRead)).status).toBe(404);
    expect((await run('GET /workflows/{id}', `/workflows/${id}`, tokens.aRead)).body.name).toBe('By REST');

    const stale = await run('PATCH /workflows/{id}', `/workflows/${id}`, tokens.a, {
      version: 0,
      name: 'Renamed',
    });
    expect(stale.status).toBe(409);
    const renamed = await call('PATCH', `/workflows/${id}`, tokens.a, {
      version: created.body.version,
      name: 'Renamed',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(Number(created.body.version) + 1);
    const invalid = await call('PATCH', `/workflows/${id}`, tokens.a, { version: 2, name: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error?.fieldErrors).toHaveProperty('name');

    expect(
      (await run('POST /workflows/{id}/activate', `/workflows/${id}/activate`, tokens.a)).body.active,
    ).toBe(true);
    expect(
      (await run('POST /workflows/{id}/deactivate', `/workflows/${id}/deactivate`, tokens.a)).body.active,
    ).toBe(false);

    const started = await run('POST /workflows/{id}/run', `/workflows/${id}/run`, tokens.a, {
      payload: { plan: 'pro' },
    });
    expect(started.status).toBe(200);
    const executionId = String(started.body.executionId);
    const executions = await run(
      'GET /executions',
      `/executions?workflowId=${id}&status=queued&limit=5`,
      tokens.aRead,
    );
    expect(executions.status).toBe(200);
    expect((executions.body.items as { id: string }[]).map((e) => e.id)).toEqual([executionId]);
    const tooMany = await call('GET', '/executions?limit=500', tokens.aRead);
    expect(tooMany.status).toBe(400);
    const execution = await run('GET /executions/{id}', `/executions/${executionId}`, tokens.aRead);
    expect(execution.body).toMatchObject({ id: executionId, mode: 'manual', steps: [] });
    expect(execution.body.trigger).toMatchObject({ body: { plan: 'pro' } });
    const rerun = await run('POST /executions/{id}/rerun', `/executions/${executionId}/rerun`, tokens.a);
    expect(rerun.body.executionId).not.toBe(executionId);

    const secret = 'xoxb-rest-secret-0123456789';
    const credential = await run('POST /credentials', '/credentials', tokens.a, {
      name: 'Slack bot',
      type: 'slack',
      data: { token: secret },
    });
    expect(credential.status).toBe(201);
    expect(JSON.stringify(credential.body)).not.toContain(secret);
    expect(credential.body.storedSecrets).toEqual(['token']);
    const wrongType = await call('POST', '/credentials', tokens.a, {
      name: 'X',
      type: 'httpBasic',
      data: { token: 'x' },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect(JSON.stringify(wrongType.body)).toContain('data');
    const credentials = await run('GET /credentials', '/credentials', tokens.aRead);
    expect(JSON.stringify(credentials.body)).not.toContain(secret);
    expect((credentials.body.items as unknown[]).length).toBe(1);
    expect(
      (await run('DELETE /credentials/{id}', `/credentials/${credential.body.id}`, tokens.a)).body,
    ).toEqual({
      id: credential.body.id,
    });

    expect((await run('DELETE /workflows/{id}', `/workflows/${id}`, tokens.a)).status).toBe(200);
    expect((await call('GET', `/workflows/${id}`, tokens.a)).status).toBe(404);
    expect([...seen].sort()).toEqual([...routes].sort());
    console.log(`rest: ${seen.size}/${routes.length} routes called`);
  });

  it("another user's ids answer 404, like ids of nobody's, and change nothing", async () => {
    const workflow = await call('POST', '/workflows', tokens.a, { name: "A's", definition });
    const id = String(workflow.body.id);
    const { body: run } = await call('POST', `/workflows/${id}/run`, tokens.a, {});
    const credential = await call('POST', '/credentials', tokens.a, {
      name: "A's",
      type: 'notion',
      data: { token: 'ntn_a' },
    });
    const ids = { workflow: id, execution: String(run.executionId), credential: String(credential.body.id) };
    const ghost = '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const withIds = routes.filter((route) => route.includes('{id}'));
    const bodyFor = (route: string) =>
      route.startsWith('PATCH')
        ? { version: workflow.body.version, name: 'Taken' }
        : route.startsWith('POST')
          ? {}
          : undefined;
    const leaks: string[] = [];
    for (const route of withIds) {
      const [method = 'GET', template = ''] = route.split(' ');
      const kind = template.startsWith('/executions')
        ? 'execution'
        : template.startsWith('/credentials')
          ? 'credential'
          : 'workflow';
      const foreign = await call(method, template.replace('{id}', ids[kind]), tokens.b, bodyFor(route));
      const nobody = await call(method, template.replace('{id}', ghost), tokens.b, bodyFor(route));
      if (foreign.status !== 404 || foreign.body.error?.message !== nobody.body.error?.message)
        leaks.push(route);
    }
    // A's workflow places no page of B's: 404 like an id of nobody's.
    const foreignCursor = await call('GET', `/workflows?cursor=${id}`, tokens.b);
    const nobodysCursor = await call('GET', `/workflows?cursor=${ghost}`, tokens.b);
    expect(foreignCursor.status).toBe(404);
    expect(foreignCursor.body).toEqual(nobodysCursor.body);
    // Lists by B hold none of A's.
    const lists = await Promise.all(
      ['/workflows', '/executions', '/credentials'].map((p) => call('GET', p, tokens.b)),
    );
    for (const list of lists) expect(list.body.items).toEqual([]);
    console.log(
      `rest tenancy: ${withIds.length - leaks.length}/${withIds.length} id routes 404, leaks = ${leaks.length}`,
    );
    expect(leaks).toEqual([]);
    const after = await call('GET', `/workflows/${id}`, tokens.a);
    expect(after.body).toMatchObject({ name: "A's", version: workflow.body.version, active: false });
    expect((await call('GET', `/credentials`, tokens.a)).body.items).toHaveLength(1);
  });
});

describe('the rules', () => {
  it('is bearer-only: a browser session cookie gets 401, cross-site or not', async () => {
    const session = new TestSession();
    await session.caller(deps).auth.register({ email: 'cookie-rest@example.com', password: 'password-123' });
    const cookie = { cookie: `aos_session=${session.token}` };
    const read = await call('GET', '/workflows', null, undefined, cookie);
    expect(read.status).toBe(401);
    const crossSite = await call(
      'POST',
      '/workflows',
      null,
      { name: 'CSRF', definition },
      {
        ...cookie,
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(crossSite.status).toBe(401);
    expect((await session.caller(deps).workflows.list()).items).toEqual([]);
  });

  it('a read token gets 403 on changes; a bad token 401', async () => {
    const denied = await call('POST', '/workflows', tokens.aRead, { name: 'Nope', definition });
    expect(denied.status).toBe(403);
    expect(denied.body.error?.message).toMatch(/read-only/);
    expect((await call('GET', '/workflows', 'aos_not-a-real-token')).status).toBe(401);
  });

  it('refuses bodies that are not JSON objects, and unknown routes, with JSON errors', async () => {
    const text = await fetch(`${base}/api/v1/workflows`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.a}`, 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(text.status).toBe(415);
    expect((await call('POST', '/workflows', tokens.a, '{"name": ')).status).toBe(400);
    expect((await call('POST', '/workflows', tokens.a, '[1,2]')).status).toBe(400);
    expect((await call('GET', '/nothing-here', tokens.a)).status).toBe(404);
    expect((await call('GET', '/workflows/not-a-uuid', tokens.a)).status).toBe(400);
  });
});
