import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps } from '../../../test/caller';
import { createTestDatabase, type TestDatabase } from '../../../test/db';
import { users } from '../../db/schema';
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
