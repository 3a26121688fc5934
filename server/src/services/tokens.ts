/** Personal access tokens: created once in the open, then only ever seen as a SHA-256 hash. */
import { createHash, randomBytes } from 'node:crypto';
import { type CreateTokenInput, TOKEN_PATTERN, TOKEN_PREFIX, type TokenScope } from '@automateos/shared';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiTokens } from '../db/schema';
import { notFound } from './errors';

const DAY_MS = 24 * 60 * 60 * 1000;
/** "Last used" is written at most this often per token, so every call does not become a write. */
const LAST_USED_GRANULARITY_MS = 60 * 1000;
/** Enough of the token to tell tokens apart in the list; far too little to use. */
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 4;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

type TokenRow = typeof apiTokens.$inferSelect;

export interface TokenSummary {
  id: string;
  name: string;
  /** The first characters, e.g. `aos_Xy3k`, to recognise it. */
  prefix: string;
  scope: TokenScope;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const toSummary = (row: TokenRow): TokenSummary => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scope: row.scope,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  createdAt: row.createdAt,
});

/** Creates a token and returns it in full: the only time it is ever available. */
export async function createToken(
  db: Db,
  userId: string,
  input: CreateTokenInput,
  now: Date,
): Promise<TokenSummary & { token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name: input.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      scope: input.scope,
      expiresAt: input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * DAY_MS) : null,
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return { ...toSummary(row), token };
}

export async function listTokens(db: Db, userId: string): Promise<TokenSummary[]> {
  const rows = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toSummary);
}

/** Revoking is immediate: the next call with the token is refused. Revoking twice is a no-op. */
export async function revokeToken(db: Db, userId: string, id: string, now: Date): Promise<TokenSummary> {
  const owned = and(eq(apiTokens.id, id), eq(apiTokens.userId, userId));
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(owned, isNull(apiTokens.revokedAt)));
  const [row] = await db.select().from(apiTokens).where(owned);
  if (!row) throw notFound('Token');
  return toSummary(row);
}

export interface TokenIdentity {
  tokenId: string;
  userId: string;
  scope: TokenScope;
}

/** The owner and scope of a live token, or null for an unknown, revoked or expired one. */
export async function authenticateToken(db: Db, token: string, now: Date): Promise<TokenIdentity | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
  // The row just read says whether "last used" is stale: most calls then write nothing.
  const stale = !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS;
  if (stale)
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiTokens.id, row.id),
          or(
            isNull(apiTokens.lastUsedAt),
            lt(apiTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_GRANULARITY_MS)),
          ),
        ),
      );
  return { tokenId: row.id, userId: row.userId, scope: row.scope };
}
