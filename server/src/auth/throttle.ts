import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { loginThrottle } from '../db/schema';

export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;

const keyFor = (email: string, ip: string) => `${email}|${ip}`;

/** True while this email + IP has used up its failed attempts in the current window. */
export async function isThrottled(db: Db, email: string, ip: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select()
    .from(loginThrottle)
    .where(eq(loginThrottle.key, keyFor(email, ip)));
  return !!row && row.failures >= MAX_FAILURES && now.getTime() - row.windowStartedAt.getTime() < WINDOW_MS;
}

export async function recordFailure(db: Db, email: string, ip: string, now = new Date()): Promise<void> {
  const windowStart = sql`${new Date(now.getTime() - WINDOW_MS).toISOString()}::timestamptz`;
  const started = sql`${now.toISOString()}::timestamptz`;
  // One statement, so concurrent failures cannot undercount.
  await db
    .insert(loginThrottle)
    .values({ key: keyFor(email, ip), failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${loginThrottle.windowStartedAt} < ${windowStart} then ${started} else ${loginThrottle.windowStartedAt} end`,
      },
    });
}

export async function clearFailures(db: Db, email: string, ip: string): Promise<void> {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, keyFor(email, ip)));
}
