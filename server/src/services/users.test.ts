/** SIGNUPS=closed on a fresh installation: the first account can always be created, then no more. */
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { users } from '../db/schema';
import { ServiceError } from './errors';
import { registerUser } from './users';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.close());

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'created',
    (error: unknown) => (error instanceof ServiceError ? `${error.code}: ${error.message}` : String(error)),
  );

describe('registerUser with SIGNUPS=closed', () => {
  it('lets exactly one of two simultaneous first sign-ups claim the installation, and refuses the rest', async () => {
    const closed = { signups: 'closed' as const };
    const first = await Promise.all([
      outcome(registerUser(tdb.db, { email: 'a@example.com', password: 'password-1' }, closed)),
      outcome(registerUser(tdb.db, { email: 'b@example.com', password: 'password-1' }, closed)),
    ]);
    expect(first.filter((o) => o === 'created')).toHaveLength(1);
    expect(first.filter((o) => o !== 'created')).toEqual([
      'FORBIDDEN: Sign-up is closed on this server. Ask its owner to create your account.',
    ]);
    expect(
      await outcome(registerUser(tdb.db, { email: 'c@example.com', password: 'password-1' }, closed)),
    ).toMatch(/^FORBIDDEN/);
    expect((await tdb.db.select({ n: count() }).from(users))[0]?.n).toBe(1);
    // Opening sign-up again works at once.
    expect(
      await outcome(
        registerUser(tdb.db, { email: 'c@example.com', password: 'password-1' }, { signups: 'open' }),
      ),
    ).toBe('created');
  });
});
