/** The web process over real HTTP: health, cookie flags, CSRF defences of the tRPC endpoint, request logs. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { pino } from 'pino';
import { prettyFactory } from 'pino-pretty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../src/db/schema';
import { createApp, isQuietRequest } from '../src/http/app';
import { prettyLogOptions } from '../src/log';
import { testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';

let tdb: TestDatabase;
let server: Server;
let base: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const app = createApp({ deps: testDeps(tdb.db), sql: tdb.sql });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await tdb.close();
});

const register = (email: string, init: RequestInit = {}) =>
  fetch(`${base}/trpc/auth.register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: JSON.stringify({ json: { email, password: 'password-123' } }),
    ...(init.body ? { body: init.body } : {}),
  });

const userCount = async () => (await tdb.db.select({ n: count() }).from(users))[0]?.n ?? 0;

describe('web process', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });
  });

  it('sets an httpOnly, SameSite=Lax session cookie', async () => {
    const res = await register('cookie@example.com');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^aos_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // only in production
  });

  it('refuses a cross-site text/plain form post and changes nothing', async () => {
    const before = await userCount();
    const res = await fetch(`${base}/trpc/auth.register`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
      body: JSON.stringify({ json: { email: 'csrf@example.com', password: 'password-123' } }),
    });
    expect(res.status).toBe(403);
    expect(await userCount()).toBe(before);
  });

  it('refuses JSON from another Origin or marked cross-site', async () => {
    const before = await userCount();
    expect((await register('x1@example.com', { headers: { origin: 'https://evil.example' } })).status).toBe(
      403,
    );
    expect((await register('x2@example.com', { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(
      403,
    );
    expect(await userCount()).toBe(before);
    expect(
      (await register('x3@example.com', { headers: { origin: base, 'sec-fetch-site': 'same-origin' } }))
        .status,
    ).toBe(200);
  });

  it('answers BAD_REQUEST with field errors for invalid input, never a 500', async () => {
    const res = await fetch(`${base}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ json: { email: 'nope', password: 'x' } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { json: { data: { fieldErrors: Record<string, string[]> } } };
    };
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(['email', 'password']);
    const malformed = await fetch(`${base}/trpc/auth.register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(malformed.status).toBe(400);
  });

  it('takes plain JSON input only: superjson meta, other frames and deep input are BAD_REQUEST', async () => {
    const call = async (body: unknown) => {
      const res = await fetch(`${base}/trpc/auth.register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const json = (await res.json()) as { error: { json: { message: string; data: { code: string } } } };
      return { status: res.status, code: json.error.json.data.code, message: json.error.json.message };
    };
    const before = await userCount();
    const input = { email: 'meta@example.com', password: 'password-123' };
    // A frame whose meta would make the input contain itself.
    expect(await call({ json: input, meta: { referentialEqualities: { '': ['email'] } } })).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      message: 'API input is plain JSON: superjson "meta" is not accepted. Send {"json": <input>}.',
    });
    expect(await call(input)).toMatchObject({ status: 400, message: /must be sent as \{"json": <input>\}/ });
    expect(await call({ json: input, extra: 1 })).toMatchObject({
      status: 400,
      message: /Unknown field "extra"/,
    });
    const deep = `${'{"a":'.repeat(50_000)}"x"${'}'.repeat(50_000)}`;
    expect(
      await call(`{"json":{"email":"deep@example.com","password":"password-123","name":${deep}}}`),
    ).toMatchObject({
      status: 400,
      message: 'API input refused: nested deeper than 408 levels.',
    });
    expect(await userCount()).toBe(before);
  });

  it('answers a batch that mixes procedures with and without input', async () => {
    // The client's frame for "no input" is {"json": undefined}, which JSON writes as {}.
    const input = encodeURIComponent(JSON.stringify({ 0: {}, 1: { json: { email: 'x' } } }));
    const res = await fetch(`${base}/trpc/auth.me,auth.me?batch=1&input=${input}`);
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { result: { data: { json: unknown } } }[];
    expect(answers.map((answer) => answer.result.data.json)).toEqual([null, null]);
  });

  it('refuses a batch of more than 10 calls whole', async () => {
    const batch = (n: number) =>
      fetch(`${base}/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1`);
    expect((await batch(10)).status).toBe(200);
    const refused = await batch(11);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/Batch call exceeds maximum size/);
  });
});

describe('request logs', () => {
  it('are one line per API or page request, none for the client’s files, and pretty in development', async () => {
    const clientDir = mkdtempSync(path.join(os.tmpdir(), 'automateos-client-'));
    mkdirSync(path.join(clientDir, 'assets'));
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>AutomateOS</title>');
    writeFileSync(path.join(clientDir, 'assets', 'app-1a2b.js'), 'console.log(1)');
    writeFileSync(path.join(clientDir, 'favicon.svg'), '<svg/>');
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const logged = createApp({ deps: testDeps(tdb.db), sql: tdb.sql, clientDir, logger }).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((r) => logged.once('listening', r));
    const at = `http://127.0.0.1:${(logged.address() as AddressInfo).port}`;
    try {
      for (const url of [
        '/assets/app-1a2b.js',
        '/favicon.svg',
        '/healthz',
        '/trpc/auth.me',
        '/workflows/new',
      ]) {
        expect((await fetch(`${at}${url}`)).status).toBe(200);
      }
      await fetch(`${at}/hooks/AGocEkLIiXLIh8SkRc6dhg`, { method: 'POST' });
      // The line is written when the answer has gone out, which the client may see first.
      await expect.poll(() => lines.length).toBe(3);
    } finally {
      logged.close();
    }
    const messages = lines.map((line) => String(line.msg).replace(/\d+ ms$/, 'N ms'));
    expect(messages).toEqual([
      'GET /trpc/auth.me 200 N ms',
      'GET /workflows/new 200 N ms',
      // The webhook id is a credential: only its start is logged.
      'POST /hooks/AGoc… 404 N ms',
    ]);
    const pretty = prettyFactory(prettyLogOptions(false));
    const shown = pretty(lines[0]);
    expect(shown.trim().split('\n')).toHaveLength(1);
    expect(shown).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/trpc\/auth\.me 200 \d+ ms/);
    expect(shown.length).toBeLessThan(160);
  });

  it('tells quiet requests (health, the client’s files) from the rest', () => {
    for (const url of [
      '/healthz',
      '/readyz?x=1',
      '/assets/index-3f2a.css',
      '/favicon.svg',
      '/color-mode.js',
    ]) {
      expect(isQuietRequest(url)).toBe(true);
    }
    for (const url of [
      '/trpc/workflows.list',
      '/hooks/abc.json',
      '/',
      '/workflows/1a2b',
      '/api/v1/workflows',
    ]) {
      expect(isQuietRequest(url)).toBe(false);
    }
  });
});
