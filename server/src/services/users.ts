import type { PublicUser } from '@automateos/shared';
import { eq, sql } from 'drizzle-orm';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords';
import { admitSignIn, clientKey, recordSignIn } from '../auth/throttle';
import type { Db } from '../db/client';
import { sqlState } from '../db/errors';
import { users } from '../db/schema';
import { ServiceError } from './errors';

type UserRow = typeof users.$inferSelect;

export function toPublicUser(row: UserRow): PublicUser {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt };
}

const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

export interface RegisterOptions {
  /** The signing-up client (see clientKey), which may hold only a few hashing slots. */
  client?: string;
  /** `closed`: only the first account of the installation can be created. */
  signups?: 'open' | 'closed';
}

export async function registerUser(
  db: Db,
  input: { email: string; password: string; name?: string | undefined },
  options: RegisterOptions = {},
): Promise<UserRow> {
  const closed = options.signups === 'closed';
  if (closed && (await hasAnyUser(db))) throw signupsClosed();
  const passwordHash = await hashPassword(input.password, options.client);
  try {
    return await db.transaction(async (tx) => {
      if (closed) {
        // Two first sign-ups at once: the lock makes the second see the first's account.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('automateos:first-account'))`);
        if (await hasAnyUser(tx)) throw signupsClosed();
      }
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name || null, passwordHash })
        .returning();
      if (!row) throw new Error('insert returned nothing');
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ServiceError('CONFLICT', 'An account with this email already exists. Sign in instead.');
    throw error;
  }
}

const signupsClosed = () =>
  new ServiceError('FORBIDDEN', 'Sign-up is closed on this server. Ask its owner to create your account.');

async function hasAnyUser(db: Pick<Db, 'select'>): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

const WRONG_CREDENTIALS = 'Wrong email or password';

/** Checks a sign-in attempt; unknown email and wrong password are indistinguishable. */
export async function authenticate(
  db: Db,
  input: { email: string; password: string },
  ip: string,
): Promise<UserRow> {
  // Counted before the password is checked, so parallel and batched guesses count too.
  const verdict = await admitSignIn(db, input.email, ip);
  if (verdict !== 'allowed') {
    throw new ServiceError(
      'TOO_MANY_REQUESTS',
      verdict === 'client-limit'
        ? 'Too many failed sign-in attempts. Wait 15 minutes, then try again.'
        : 'Too many sign-in attempts for this account. Wait 5 minutes, then try again (or sign in from a device you used before).',
    );
  }
  const client = clientKey(ip);
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${input.email}`);
  const ok = row
    ? await verifyPassword(row.passwordHash, input.password, client)
    : await verifyAgainstDummy(input.password, client);
  if (!row || !ok) throw new ServiceError('UNAUTHORIZED', WRONG_CREDENTIALS);
  await recordSignIn(db, input.email, ip);
  return row;
}

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Invalidates every session token issued so far (logout, password change). */
export async function revokeSessions(db: Db, userId: string): Promise<void> {
  await db
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, userId));
}
