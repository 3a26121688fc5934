import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps } from '../../../test/caller';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { MAX_HASHES_PER_CLIENT } from '../../auth/passwords';
import { ACCOUNT_MAX_ATTEMPTS, KNOWN_CLIENT_MS, pruneSignInThrottle, WINDOW_MS } from '../../auth/throttle';
import { loginThrottle, users } from '../../db/schema';
import type { AppDeps } from '../trpc';

let tdb: TestDatabase;
let deps: AppDeps;

beforeAll(async () => {
  tdb = await createTestDatabase();
  deps = testDeps(tdb.db);
});
afterAll(() => tdb.close());

async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe('auth.register', () => {
  it('creates the user, normalises the email and signs them in', async () => {
    const session = new TestSession();
    const { user } = await session.caller(deps).auth.register({
      email: '  Ada@Example.COM ',
      password: 'correct horse',
      name: 'Ada',
    });
    expect(user.email).toBe('ada@example.com');
    expect(user).not.toHaveProperty('passwordHash');
    expect(session.token).toBeTruthy();
    expect((await session.caller(deps).auth.me())?.user.email).toBe('ada@example.com');
  });

  it('stores an OWASP argon2id hash, never the password', async () => {
    await new TestSession().caller(deps).auth.register({ email: 'hash@example.com', password: 'p4ssword-x' });
    const [row] = await tdb.db.select().from(users).where(eq(users.email, 'hash@example.com'));
    expect(row?.passwordHash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(row?.passwordHash).not.toContain('p4ssword-x');
  });

  it('answers CONFLICT for an email that exists in another case', async () => {
    await new TestSession().caller(deps).auth.register({ email: 'dup@example.com', password: 'password1' });
    const error = await trpcError(
      new TestSession().caller(deps).auth.register({ email: 'DUP@example.com', password: 'password2' }),
    );
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(/already exists/);
  });

  it('rejects short passwords and bad emails with field errors', async () => {
    const error = await trpcError(
      new TestSession().caller(deps).auth.register({ email: 'not-an-email', password: 'short' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    const paths = (error.cause as unknown as { issues: { path: string[] }[] }).issues.map((i) =>
      i.path.join('.'),
    );
    expect(paths).toEqual(expect.arrayContaining(['email', 'password']));
  });
});

describe('auth.register with SIGNUPS=closed', () => {
  it('refuses a new account once the installation has one', async () => {
    const closed = testDeps(tdb.db, { SIGNUPS: 'closed' });
    const error = await trpcError(
      new TestSession().caller(closed).auth.register({ email: 'late@example.com', password: 'password-1' }),
    );
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/Sign-up is closed on this server/);
  });
});

describe('unstorable input', () => {
  it('answers BAD_REQUEST, not a 500, for a NUL character the database cannot store', async () => {
    const error = await trpcError(
      new TestSession()
        .caller(deps)
        .auth.register({ email: 'nul@example.com', password: 'password-1', name: 'a\u0000b' }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/cannot be stored/);
  });
});

describe('auth.login', () => {
  beforeAll(async () => {
    await new TestSession()
      .caller(deps)
      .auth.register({ email: 'login@example.com', password: 'right-password' });
  });

  it('signs in with the right password', async () => {
    const session = new TestSession();
    const { user } = await session
      .caller(deps)
      .auth.login({ email: 'LOGIN@example.com', password: 'right-password' });
    expect(user.email).toBe('login@example.com');
    expect(session.token).toBeTruthy();
  });

  it('gives the same error for a wrong password and an unknown email', async () => {
    const wrong = await trpcError(
      new TestSession().caller(deps).auth.login({ email: 'login@example.com', password: 'nope-nope' }),
    );
    const unknown = await trpcError(
      new TestSession().caller(deps).auth.login({ email: 'ghost@example.com', password: 'nope-nope' }),
    );
    expect(wrong.code).toBe('UNAUTHORIZED');
    expect(unknown.code).toBe(wrong.code);
    expect(unknown.message).toBe(wrong.message);
  });

  it('throttles after 10 failures for one email and IP, even for the right password', async () => {
    await new TestSession()
      .caller(deps)
      .auth.register({ email: 'victim@example.com', password: 'the-password' });
    const attacker = new TestSession('198.51.100.9');
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const error = await trpcError(
        attacker.caller(deps).auth.login({ email: 'victim@example.com', password: `guess-${i}` }),
      );
      codes.push(error.code);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('UNAUTHORIZED'));
    expect(codes.slice(10)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
    const right = await trpcError(
      attacker.caller(deps).auth.login({ email: 'victim@example.com', password: 'the-password' }),
    );
    expect(right.code).toBe('TOO_MANY_REQUESTS');
    // The same user from another address, and other users from this one, are unaffected.
    await new TestSession('198.51.100.10')
      .caller(deps)
      .auth.login({ email: 'victim@example.com', password: 'the-password' });
    await attacker.caller(deps).auth.login({ email: 'login@example.com', password: 'right-password' });
  });
});

describe('sign-in limits that hold under concurrency', () => {
  const register = (email: string, password = 'the-password') =>
    new TestSession().caller(deps).auth.register({ email, password });
  const login = (ip: string, email: string, password: string) =>
    new TestSession(ip)
      .caller(deps)
      .auth.login({ email, password })
      .then(
        () => 'OK',
        (error: TRPCError) => error.code,
      );
  const tally = (codes: string[]) => {
    const counts: Record<string, number> = {};
    for (const code of codes) counts[code] = (counts[code] ?? 0) + 1;
    return counts;
  };

  it('counts parallel guesses before checking them: at most 10 are judged', async () => {
    await register('parallel@example.com');
    const codes = await Promise.all(
      Array.from({ length: 25 }, (_, i) => login('198.51.100.20', 'parallel@example.com', `guess-${i}`)),
    );
    const counts = tally(codes);
    expect(counts.UNAUTHORIZED ?? 0).toBeLessThanOrEqual(10);
    expect((counts.UNAUTHORIZED ?? 0) + (counts.TOO_MANY_REQUESTS ?? 0)).toBe(25);
    expect(await login('198.51.100.20', 'parallel@example.com', 'the-password')).toBe('TOO_MANY_REQUESTS');
  });

  it('keys IPv6 clients by their /64', async () => {
    await register('six@example.com');
    for (let i = 1; i <= 10; i++) {
      expect(await login(`2001:db8:1:2::${i.toString(16)}`, 'six@example.com', `guess-${i}`)).toBe(
        'UNAUTHORIZED',
      );
    }
    expect(await login('2001:db8:1:2:ffff::1', 'six@example.com', 'the-password')).toBe('TOO_MANY_REQUESTS');
    expect(await login('2001:db8:1:3::1', 'six@example.com', 'the-password')).toBe('OK');
  });

  it('caps one account across addresses, but never for a client that signed in before', async () => {
    await register('owner@example.com');
    expect(await login('192.0.2.1', 'owner@example.com', 'the-password')).toBe('OK');
    // A guesser with 60 addresses, one guess each (sequential, so the per-client hash cap stays out of it).
    const codes: string[] = [];
    for (let i = 0; i < ACCOUNT_MAX_ATTEMPTS + 5; i++) {
      codes.push(await login(`10.9.${Math.floor(i / 200)}.${i % 200}`, 'owner@example.com', `guess-${i}`));
    }
    // The owner's own sign-in was no guess: it does not count against the account.
    expect(tally(codes)).toEqual({ UNAUTHORIZED: ACCOUNT_MAX_ATTEMPTS, TOO_MANY_REQUESTS: 5 });
    expect(await login('10.9.9.9', 'owner@example.com', 'the-password')).toBe('TOO_MANY_REQUESTS');
    // The owner's usual client is let through; another account is not affected.
    expect(await login('192.0.2.1', 'owner@example.com', 'the-password')).toBe('OK');
    expect(await login('10.9.9.9', 'login@example.com', 'right-password')).toBe('OK');
  });

  it('lets one client hold only a few places in the hashing queue', async () => {
    const codes = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login('198.51.100.77', `nobody-${i}@example.com`, 'whatever-1')),
    );
    const counts = tally(codes);
    expect(counts.UNAUTHORIZED).toBeLessThanOrEqual(MAX_HASHES_PER_CLIENT);
    expect(counts.TOO_MANY_REQUESTS).toBeGreaterThanOrEqual(12 - MAX_HASHES_PER_CLIENT);
    // Another client is served meanwhile.
    expect(await login('198.51.100.78', 'login@example.com', 'right-password')).toBe('OK');
  });

  it('prunes counters whose window has passed, and known clients after 30 days', async () => {
    const old = (ms: number) => new Date(Date.now() - ms - 60_000);
    await tdb.db.insert(loginThrottle).values([
      { key: 'client:prune@example.com|192.0.2.50', failures: 3, windowStartedAt: old(WINDOW_MS) },
      { key: 'account:prune@example.com', failures: 3, windowStartedAt: old(WINDOW_MS) },
      { key: 'known:prune@example.com|192.0.2.50', failures: 0, windowStartedAt: old(KNOWN_CLIENT_MS) },
      { key: 'prune@example.com|192.0.2.50', failures: 3, windowStartedAt: old(WINDOW_MS) },
      { key: 'known:keep@example.com|192.0.2.50', failures: 0, windowStartedAt: old(WINDOW_MS) },
      { key: 'client:keep@example.com|192.0.2.50', failures: 3, windowStartedAt: new Date() },
    ]);
    expect(await pruneSignInThrottle(tdb.db)).toBeGreaterThanOrEqual(4);
    const left = await tdb.db.select({ key: loginThrottle.key }).from(loginThrottle);
    const keys = left.map((row) => row.key);
    expect(keys.filter((key) => key.includes('prune@'))).toEqual([]);
    expect(keys).toEqual(
      expect.arrayContaining(['known:keep@example.com|192.0.2.50', 'client:keep@example.com|192.0.2.50']),
    );
  });
});

describe('sessions', () => {
  it('auth.me is null without a session, and protected procedures are UNAUTHORIZED', async () => {
    const session = new TestSession();
    expect(await session.caller(deps).auth.me()).toBeNull();
    expect((await trpcError(session.caller(deps).auth.logout())).code).toBe('UNAUTHORIZED');
  });

  it('logout revokes the old token even if a copy is replayed', async () => {
    const session = new TestSession();
    await session.caller(deps).auth.register({ email: 'replay@example.com', password: 'password-1' });
    const stolen = session.token;
    await session.caller(deps).auth.logout();
    expect(session.token).toBeUndefined();
    const replay = new TestSession();
    replay.token = stolen;
    expect(await replay.caller(deps).auth.me()).toBeNull();
  });
});
