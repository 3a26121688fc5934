/**
 * Sign-in throttling, kept in Postgres so it holds across web instances. Three counters share the
 * `login_throttle` table, told apart by the key's prefix:
 *
 *   client:<email>|<client>  attempts for one account from one client (an IPv4 address or an IPv6
 *                            /64, which one subscriber usually holds whole): 10 per 15 minutes.
 *   account:<email>          attempts for one account from everywhere: 50 per 5 minutes. This
 *                            slows a guesser with many addresses to 600 guesses an hour, and the
 *                            short window means a stranger can only keep the owner out while they
 *                            keep guessing — and never from a client that signed in before:
 *   known:<email>|<client>   a client that signed in to the account in the last 30 days; it passes
 *                            the account ceiling (never its own client limit).
 *   bearer:<client>          API token attempts that named no valid token: 20 per 15 minutes, then
 *                            every bearer call from that client is refused until the window ends.
 *
 * An attempt is counted, in one statement, *before* the password is checked: parallel or batched
 * guesses cannot slip past the count while earlier ones are still being verified.
 */
import { isIP } from 'node:net';
import { and, eq, like, lt, notLike, or, sql } from 'drizzle-orm';
import ipaddr from 'ipaddr.js';
import type { Db } from '../db/client';
import { loginThrottle } from '../db/schema';

export const MAX_FAILURES = 10;
export const WINDOW_MS = 15 * 60 * 1000;
export const ACCOUNT_MAX_ATTEMPTS = 50;
export const ACCOUNT_WINDOW_MS = 5 * 60 * 1000;
export const KNOWN_CLIENT_MS = 30 * 24 * 60 * 60 * 1000;

export type SignInVerdict = 'allowed' | 'client-limit' | 'account-limit';

/** The client a sign-in comes from: an IPv4 address, or the /64 an IPv6 address belongs to. */
export function clientKey(ip: string): string {
  if (!isIP(ip)) return ip;
  const parsed = ipaddr.parse(ip);
  if (parsed instanceof ipaddr.IPv4) return parsed.toString();
  if (parsed.isIPv4MappedAddress()) return parsed.toIPv4Address().toString();
  const prefix = parsed.toNormalizedString().split(':').slice(0, 4).join(':');
  return `${ipaddr.parse(`${prefix}::`).toString()}/64`;
}

const keys = (email: string, client: string) => ({
  client: `client:${email}|${client}`,
  account: `account:${email}`,
  known: `known:${email}|${client}`,
});

/** Counts one attempt under `key` and returns the count in the current window. */
async function countAttempt(db: Db, key: string, windowMs: number, now: Date): Promise<number> {
  const windowStart = sql`${new Date(now.getTime() - windowMs).toISOString()}::timestamptz`;
  const started = sql`${now.toISOString()}::timestamptz`;
  const expired = sql`${loginThrottle.windowStartedAt} < ${windowStart}`;
  const [row] = await db
    .insert(loginThrottle)
    .values({ key, failures: 1, windowStartedAt: now })
    .onConflictDoUpdate({
      target: loginThrottle.key,
      set: {
        failures: sql`case when ${expired} then 1 else ${loginThrottle.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then ${started} else ${loginThrottle.windowStartedAt} end`,
      },
    })
    .returning({ attempts: loginThrottle.failures });
  return row?.attempts ?? 1;
}

/** Counts this attempt and says whether its password may be checked. */
export async function admitSignIn(
  db: Db,
  email: string,
  ip: string,
  now = new Date(),
): Promise<SignInVerdict> {
  const key = keys(email, clientKey(ip));
  if ((await countAttempt(db, key.client, WINDOW_MS, now)) > MAX_FAILURES) return 'client-limit';
  if ((await countAttempt(db, key.account, ACCOUNT_WINDOW_MS, now)) <= ACCOUNT_MAX_ATTEMPTS) return 'allowed';
  const [known] = await db
    .select({ at: loginThrottle.windowStartedAt })
    .from(loginThrottle)
    .where(eq(loginThrottle.key, key.known));
  return known && now.getTime() - known.at.getTime() < KNOWN_CLIENT_MS ? 'allowed' : 'account-limit';
}

/**
 * A right password: the client's own count starts again, it becomes a known client of the account,
 * and its attempt is taken off the account's count (it was no guess).
 */
export async function recordSignIn(db: Db, email: string, ip: string, now = new Date()): Promise<void> {
  const key = keys(email, clientKey(ip));
  await db.transaction(async (tx) => {
    await tx.delete(loginThrottle).where(eq(loginThrottle.key, key.client));
    await tx
      .update(loginThrottle)
      .set({ failures: sql`greatest(${loginThrottle.failures} - 1, 0)` })
      .where(eq(loginThrottle.key, key.account));
    await tx
      .insert(loginThrottle)
      .values({ key: key.known, failures: 0, windowStartedAt: now })
      .onConflictDoUpdate({ target: loginThrottle.key, set: { windowStartedAt: now } });
  });
}

export const MAX_BEARER_FAILURES = 20;

/**
 * Whether a client may present a bearer token at all. Tokens have 256 random bits, so guessing is
 * hopeless; the limit stops a client from spraying leaked-list candidates or hammering the table.
 */
export async function admitBearer(db: Db, ip: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ failures: loginThrottle.failures, at: loginThrottle.windowStartedAt })
    .from(loginThrottle)
    .where(eq(loginThrottle.key, `bearer:${clientKey(ip)}`));
  if (!row || now.getTime() - row.at.getTime() >= WINDOW_MS) return true;
  return row.failures < MAX_BEARER_FAILURES;
}

/** Counts a bearer token that was unknown, revoked or expired. */
export async function recordBearerFailure(db: Db, ip: string, now: Date): Promise<void> {
  await countAttempt(db, `bearer:${clientKey(ip)}`, WINDOW_MS, now);
}

/** Deletes counters whose window has passed (and rows of the older key format), and known clients not seen for 30 days. */
export async function pruneSignInThrottle(db: Db, now = new Date()): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - ms);
  const deleted = await db
    .delete(loginThrottle)
    .where(
      or(
        and(notLike(loginThrottle.key, 'known:%'), lt(loginThrottle.windowStartedAt, before(WINDOW_MS))),
        and(like(loginThrottle.key, 'known:%'), lt(loginThrottle.windowStartedAt, before(KNOWN_CLIENT_MS))),
      ),
    )
    .returning({ key: loginThrottle.key });
  return deleted.length;
}
