/**
 * Personal access tokens through the router and over real HTTP: hashing, scopes, revocation and
 * expiry (at once, with a clock the test moves), throttled failures, and the bearer vs cookie rules.
 */
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TOKEN_PATTERN } from '@automateos/shared';
import { TRPCError } from '@trpc/server';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { MAX_BEARER_FAILURES } from '../src/auth/throttle';
import { workflows } from '../src/db/schema';
import { createApp } from '../src/http/app';
import type { AppDeps } from '../src/trpc/trpc';
import { TestClock, TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

let tdb: TestDatabase;
let deps: AppDeps;
const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
const owner = new TestSession();
let server: Server;
let base: string;

const definition = {
  schemaVersion: 1 as const,
  trigger: { type: 'webhook' as const, config: { method: 'POST' as const } },
  steps: [],
};

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db, {}, clock);
  await owner.caller(deps).auth.register({ email: 'tokens@example.com', password: 'password-123' });
  server = createApp({ deps, sql: tdb.sql }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await tdb.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'OK',
    (error: unknown) => {
      expect(error).toBeInstanceOf(TRPCError);
      return (error as TRPCError).code;
    },
  );
}

const create = (scope: 'read' | 'read-write', expiresInDays?: number) =>
  owner
    .caller(deps)
    .tokens.create({ name: `${scope} token`, scope, ...(expiresInDays ? { expiresInDays } : {}) });

describe('creating a token', () => {
  it('returns it once, recognisable, and stores only its SHA-256', async () => {
    const created = await create('read-write', 30);
    expect(created.token).toMatch(TOKEN_PATTERN);
    expect(created.prefix).toBe(created.token.slice(0, 8));
    expect(created.expiresAt?.toISOString()).toBe('2026-04-01T09:00:00.000Z');
    const { items } = await owner.caller(deps).tokens.list();
    expect(JSON.stringify(items)).not.toContain(created.token);
    expect(items.map((item) => item.id)).toContain(created.id);
    // Every table, every column: the token itself is nowhere, its hash is.
    const dump = JSON.stringify(await tdb.sql`select row_to_json(t) as row from api_tokens t`);
    expect(dump).not.toContain(created.token);
    expect(dump).not.toContain(created.token.slice(8));
    expect(dump).toContain(createHash('sha256').update(created.token).digest('hex'));
  });

  it('refuses bad input with field errors', async () => {
    const error = await owner
      .caller(deps)
      // @ts-expect-error an unknown scope, as a script might send it
      .tokens.create({ name: ' ', scope: 'admin', expiresInDays: 0 })
      .catch((e: TRPCError) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('BAD_REQUEST');
    const issues =
      (error as TRPCError).cause instanceof ZodError ? ((error as TRPCError).cause as ZodError).issues : [];
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual(['expiresInDays', 'name', 'scope']);
  });
});

describe('calling with a token', () => {
  it('a read token reads; its mutations are FORBIDDEN and change nothing', async () => {
    const { token } = await create('read');
    const api = TestSession.withToken(token).caller(deps);
    expect((await api.auth.me())?.user.email).toBe('tokens@example.com');
    expect(await codeOf(api.workflows.list())).toBe('OK');
    const before = (await tdb.db.select({ n: count() }).from(workflows))[0]?.n;
    expect(await codeOf(api.workflows.create({ name: 'Nope', definition }))).toBe('FORBIDDEN');
    expect((await tdb.db.select({ n: count() }).from(workflows))[0]?.n).toBe(before);
  });

  it('a read-write token changes data, records when it was last used, and cannot manage tokens', async () => {
    const { token, id } = await create('read-write');
    const api = TestSession.withToken(token).caller(deps);
    expect(await codeOf(api.workflows.create({ name: 'By token', definition }))).toBe('OK');
    const listed = (await owner.caller(deps).tokens.list()).items.find((item) => item.id === id);
    expect(listed?.lastUsedAt?.toISOString()).toBe(clock.now().toISOString());
    expect(await codeOf(api.tokens.list())).toBe('FORBIDDEN');
    expect(await codeOf(api.tokens.create({ name: 'More', scope: 'read-write' }))).toBe('FORBIDDEN');
    expect(await codeOf(api.tokens.revoke({ id }))).toBe('FORBIDDEN');
    expect(await codeOf(api.auth.logout())).toBe('FORBIDDEN');
    // The owner's browser session was not signed out.
    expect((await owner.caller(deps).auth.me())?.user.email).toBe('tokens@example.com');
  });

  it('a revoked token is refused on the very next call', async () => {
    const { token, id } = await create('read-write');
    const api = TestSession.withToken(token).caller(deps);
    expect(await codeOf(api.workflows.list())).toBe('OK');
    const revoked = await owner.caller(deps).tokens.revoke({ id });
    expect(revoked.revokedAt).not.toBeNull();
    let accepted = 0;
    for (let i = 0; i < 3; i++) if ((await codeOf(api.workflows.list())) === 'OK') accepted++;
    console.log(`tokens: accepted after revoke = ${accepted}`);
    expect(accepted).toBe(0);
    expect(await api.auth.me()).toBeNull();
  });

  it('an expired token is refused from the second it expires', async () => {
    const { token } = await create('read', 1);
    const api = TestSession.withToken(token, '203.0.113.40').caller(deps);
    clock.advance(24 * 60 * 60 * 1000 - 1);
    expect(await codeOf(api.workflows.list())).toBe('OK');
    clock.advance(1);
    const error = await api.workflows.list().catch((e: TRPCError) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('UNAUTHORIZED');
    expect((error as TRPCError).message).toMatch(/unknown, revoked or expired/);
  });

  it('throttles a client after repeated bad tokens, even for a good one; other clients are unaffected', async () => {
    const { token } = await create('read');
    const ip = '198.51.100.66';
    const codes: string[] = [];
    for (let i = 0; i < MAX_BEARER_FAILURES + 2; i++) {
      const guess = `aos_${String(i).padStart(43, 'x')}`;
      codes.push(await codeOf(TestSession.withToken(guess, ip).caller(deps).workflows.list()));
    }
    expect(codes.slice(0, MAX_BEARER_FAILURES)).toEqual(Array(MAX_BEARER_FAILURES).fill('UNAUTHORIZED'));
    expect(codes.slice(MAX_BEARER_FAILURES)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    expect(await codeOf(TestSession.withToken(token, ip).caller(deps).workflows.list())).toBe(
      'TOO_MANY_REQUESTS',
    );
    expect(await codeOf(TestSession.withToken(token, '198.51.100.67').caller(deps).workflows.list())).toBe(
      'OK',
    );
    // The window passes: the client may try again.
    clock.advance(15 * 60 * 1000);
    expect(await codeOf(TestSession.withToken(token, ip).caller(deps).workflows.list())).toBe('OK');
  });
});

describe('bearer calls over HTTP', () => {
  const trpc = (path: string, init: { headers?: Record<string, string>; body?: unknown }) =>
    fetch(`${base}/trpc/${path}`, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: init.headers ?? {},
      ...(init.body === undefined ? {} : { body: JSON.stringify({ json: init.body }) }),
    });

  it('skip the cookie-only CSRF checks, which still hold for cookies', async () => {
    const { token } = await create('read-write');
    const body = { name: 'Cross-site by token', definition };
    const crossSite = { origin: 'https://tool.example', 'sec-fetch-site': 'cross-site' };
    const res = await trpc('workflows.create', {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...crossSite },
      body,
    });
    expect(res.status).toBe(200);
    const cookie = `aos_session=${owner.token}`;
    const withCookie = await trpc('workflows.create', {
      headers: { cookie, 'content-type': 'application/json', ...crossSite },
      body,
    });
    expect(withCookie.status).toBe(403);
  });

  it('cannot ride on cookies: a bad bearer next to a valid cookie is refused', async () => {
    const cookie = `aos_session=${owner.token}`;
    const res = await trpc('workflows.list', { headers: { cookie, authorization: 'Bearer aos_nope' } });
    expect(res.status).toBe(401);
    const other = await trpc('workflows.list', { headers: { cookie, authorization: 'Basic Zm9vOmJhcg==' } });
    expect(other.status).toBe(401);
    expect((await trpc('workflows.list', { headers: { cookie } })).status).toBe(200);
  });
});
