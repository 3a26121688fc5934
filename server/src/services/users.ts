import type { PublicUser } from '@automateos/shared';
import { eq, sql } from 'drizzle-orm';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords';
import { clearFailures, isThrottled, recordFailure } from '../auth/throttle';
import type { Db } from '../db/client';
import { sqlState } from '../db/errors';
import { users } from '../db/schema';
import { ServiceError } from './errors';

type UserRow = typeof users.$inferSelect;

export function toPublicUser(row: UserRow): PublicUser {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt };
}

const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

export async function registerUser(
  db: Db,
  input: { email: string; password: string; name?: string | undefined },
): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    const [row] = await db
      .insert(users)
      .values({ email: input.email, name: input.name || null, passwordHash })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    return row;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ServiceError('CONFLICT', 'An account with this email already exists. Sign in instead.');
    throw error;
  }
}

const WRONG_CREDENTIALS = 'Wrong email or password';

/** Checks a sign-in attempt; unknown email and wrong password are indistinguishable. */
export async function authenticate(
  db: Db,
  input: { email: string; password: string },
  ip: string,
): Promise<UserRow> {
  if (await isThrottled(db, input.email, ip)) {
    throw new ServiceError(
      'TOO_MANY_REQUESTS',
      'Too many failed sign-in attempts. Wait 15 minutes, then try again.',
    );
  }
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = ${input.email}`);
  const ok = row
    ? await verifyPassword(row.passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!row || !ok) {
    await recordFailure(db, input.email, ip);
    throw new ServiceError('UNAUTHORIZED', WRONG_CREDENTIALS);
  }
  await clearFailures(db, input.email, ip);
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
